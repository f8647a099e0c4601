"""Costs and benefits of a scenario against the baseline, replication by replication.

The model books what the programme spends in a ``costs`` table (real bn VND per quarter,
location, ``item`` and ``payer``): cash outlays (cooperation budgets, promotion, DX platforms,
land development, capital subsidies) and tax expenditure (CIT and land rent forgone through
incentives, items named ``tax_expenditure_*``). This module turns the paired runs of a
comparison into the planners' cost side:

* **programme cost** = Δ outlays + Δ tax expenditure over the window (scenario − baseline, the
  same seed), by item and by payer;
* **net fiscal effect per budget level** (partners, HCMC, other provinces, central) = Δ revenue
  the level keeps − Δ outlays it pays. Revenue is recorded net of incentives, so tax expenditure
  is *not* subtracted a second time; it is reported as the part of the programme cost that is
  revenue forgone. Summed over the levels this is the national net fiscal effect:
  Δ revenue collected − Δ outlays;
* **present values** at a real discount rate, quarter ``k`` after the window start weighted by
  ``(1 + r)^(−k/4)``;
* **fiscal benefit–cost ratio** = PV(Δ revenue collected + Δ tax expenditure) / PV(programme
  cost): the revenue the induced activity yields before incentives over what the programme
  spends and forgoes (benefit − cost is the national net fiscal effect);
* **cost per job** = programme cost / Δ direct jobs in the partners at the horizon, and per
  Δ direct job-year over the window;
* **national net effect** of an indicator = Σ over every location of scenario − baseline, next
  to the partners' gain; their difference is what was diverted from elsewhere.

Sums get the comparison's paired interval (:func:`simulation.analysis.paired.interval`); ratios
get Fieller's interval (:func:`simulation.analysis.paired.ratio_interval`), which is unbounded
when the denominator cannot be told apart from zero.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from simulation.analysis.budgets import (  # noqa: F401 - part of this module's interface
    LEVELS,
    RUN_KEYS,
    TAX_EXPENDITURE,
    BudgetLevels,
    cost_level,
    cost_level_codes,
    fiscal_flows,
    in_window,
    is_tax_expenditure,
    revenue_by_level,
    spent_by,
)
from simulation.analysis.paired import interval, ratio_interval
from simulation.timeline import parse_quarter, parse_quarters

NATIONAL = "national"
# national net effect: (indicator column of the quarterly series, measure)
NET_EFFECT = (("direct_jobs", "horizon"), ("total_jobs", "horizon"),
              ("registered_bn", "cumulative"), ("collected_bn", "cumulative"))


def discount(quarters: Iterable[str], window_start: str, rate: float) -> np.ndarray:
    """Discount factors ``(1 + rate)^(−k/4)``, ``k`` quarters after ``window_start``."""
    k = parse_quarters(quarters) - parse_quarter(window_start)
    return (1.0 + rate) ** (-k / 4.0)


def programme_cost(costs: pd.DataFrame, window_start: str, horizon: str) -> float:
    """What one run spends and forgoes over the window (every item, payer and location)."""
    return float(costs.loc[in_window(costs["quarter"], window_start, horizon),
                           "spent_bn"].sum())


def _paired(wide: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Scenario − baseline of a frame indexed by (scenario, replication), same seeds."""
    base = wide.xs(baseline, level="scenario")
    out = []
    for sc in dict.fromkeys(wide.index.get_level_values("scenario")):
        if sc == baseline:
            continue
        s = wide.xs(sc, level="scenario")
        reps = s.index.intersection(base.index)
        d = s.loc[reps] - base.loc[reps]
        out.append(d.assign(scenario=sc).set_index("scenario", append=True)
                   .reorder_levels(["scenario", "replication"]))
    return pd.concat(out)


def _seeds_agree(df: pd.DataFrame, baseline: str) -> None:
    seeds = df.drop_duplicates(["scenario", "replication"]).set_index(
        ["scenario", "replication"])["seed"]
    for (sc, r), seed in seeds.items():
        if (baseline, r) in seeds.index and seeds[(baseline, r)] != seed:
            raise ValueError(f"replication {r} of {sc!r} has seed {seed} but the baseline "
                             f"has seed {seeds[(baseline, r)]}: the runs are not paired")


def net_effects(series: pd.DataFrame, partners: set[str], baseline: str, window_start: str,
                horizon: str) -> pd.DataFrame:
    """Partners' gain, national net effect and diversion per replication (no costs needed).

    Returns:
        Wide frame indexed by (scenario, replication) with ``partner_<kpi>``,
        ``national_<kpi>`` and ``diverted_<kpi>`` for every entry of :data:`NET_EFFECT`, and
        ``partner_job_years`` (direct jobs in the partners summed over the window's quarters
        / 4).
    """
    _seeds_agree(series, baseline)
    s = series.assign(scenario=series["scenario"].astype(str),
                      partner=series["location"].astype(str).isin(partners))
    q = parse_quarters(s["quarter"])
    cols = {}
    for kpi, measure in NET_EFFECT:
        sel = (q == parse_quarter(horizon)) if measure == "horizon" else in_window(
            s["quarter"], window_start, horizon)
        sub = s[sel]
        national = sub.groupby(["scenario", "replication"])[kpi].sum()
        partner = sub[sub["partner"]].groupby(["scenario", "replication"])[kpi].sum()
        cols[f"partner_{kpi}"] = partner.reindex(national.index, fill_value=0.0)
        cols[f"national_{kpi}"] = national
    window = s[in_window(s["quarter"], window_start, horizon) & s["partner"]]
    cols["partner_job_years"] = (window.groupby(["scenario", "replication"])["direct_jobs"].sum()
                                 / 4.0).reindex(cols["national_direct_jobs"].index,
                                                fill_value=0.0)
    d = _paired(pd.DataFrame(cols), baseline)
    for kpi, _ in NET_EFFECT:
        d[f"diverted_{kpi}"] = d[f"partner_{kpi}"] - d[f"national_{kpi}"]
    return d


def per_replication(series: pd.DataFrame, costs: pd.DataFrame, levels: BudgetLevels,
                    baseline: str, window_start: str, horizon: str, rate: float
                    ) -> pd.DataFrame:
    """Every cost and benefit quantity of every scenario, replication by replication.

    Args:
        series: quarterly series of every run (:func:`simulation.analysis.kpis.run_series`).
        costs: the costs tables of the same runs (``quarter, location, item, payer,
            spent_bn`` with the run keys; ``location`` is the unit of the quarter).
        levels: which budget each place or unit belongs to (the partners' places are also
            those whose jobs and investment count as the partners' gain).
        baseline: the reference scenario.
        window_start, horizon: the window summed over (and discounted to its start).
        rate: real discount rate per year.

    Returns:
        Wide frame indexed by (scenario, replication): paired differences (scenario −
        baseline) of programme cost, outlays by item and payer level, tax expenditure, net
        fiscal effect per level and nationally (sum and present value), fiscal benefit (PV),
        Δ direct jobs and job-years in the partners, and the national net effects.
    """
    _seeds_agree(series, baseline)
    flows = fiscal_flows(series, costs, levels, window_start, horizon)
    flows = flows.assign(df=discount(flows["quarter"], window_start, rate))
    by = ["scenario", "replication"]
    cols: dict[str, pd.Series] = {}
    for pv in (False, True):
        w = flows["df"] if pv else 1.0
        f = flows.assign(revenue_bn=flows["revenue_bn"] * w, outlays_bn=flows["outlays_bn"] * w,
                         tax_expenditure_bn=flows["tax_expenditure_bn"] * w)
        tag = "_pv" if pv else ""
        total = f.groupby(by)[["revenue_bn", "outlays_bn", "tax_expenditure_bn"]].sum()
        cols[f"outlays{tag}_bn"] = total["outlays_bn"]
        cols[f"tax_expenditure{tag}_bn"] = total["tax_expenditure_bn"]
        cols[f"programme_cost{tag}_bn"] = total["outlays_bn"] + total["tax_expenditure_bn"]
        level = f.groupby(by + ["level"])[["revenue_bn", "outlays_bn"]].sum()
        net = (level["revenue_bn"] - level["outlays_bn"]).unstack("level")
        for lv in LEVELS:
            cols[f"net_fiscal_{lv}{tag}_bn"] = net[lv] if lv in net else 0.0 * total["outlays_bn"]
        cols[f"net_fiscal_{NATIONAL}{tag}_bn"] = total["revenue_bn"] - total["outlays_bn"]
        cols[f"fiscal_benefit{tag}_bn"] = total["revenue_bn"] + total["tax_expenditure_bn"]
    c = costs[in_window(costs["quarter"], window_start, horizon)]
    items = pd.factorize(c["item"], use_na_sentinel=False)
    for col, (codes, names) in (("item", items), ("level", (cost_level_codes(c, levels),
                                                           np.array(LEVELS, dtype=object)))):
        for name, s in spent_by(c, codes, names).items():
            cols[f"cost_{name}_bn" if col == "item" else f"paid_by_{name}_bn"] = s
    wide = pd.DataFrame(cols).fillna(0.0)
    d = _paired(wide, baseline)
    return d.join(net_effects(series, set(levels.partners), baseline, window_start, horizon))


# quantity → (label, unit, numerator, denominator, scale) of the ratios
RATIOS = {
    "cost_per_job_m": ("Programme cost per direct job in the partners at the horizon",
                       "m VND per job", "programme_cost_bn", "partner_direct_jobs", 1e3),
    "cost_per_job_year_m": ("Programme cost per direct job-year in the partners",
                            "m VND per job-year", "programme_cost_bn", "partner_job_years",
                            1e3),
    "benefit_cost_ratio": ("Fiscal benefit–cost ratio (present values)", "ratio",
                           "fiscal_benefit_pv_bn", "programme_cost_pv_bn", 1.0),
}


def summarise(per_rep: pd.DataFrame, level: float = 0.90, method: str = "t") -> pd.DataFrame:
    """Mean, interval and number of replications of every quantity, and the ratios.

    Returns:
        Long table ``scenario, quantity, estimate, low, high, n_replications``; ratios are
        ratios of means with Fieller's interval (``t``) or the percentile interval of the
        per-replication ratios (``percentile``), ±inf when unbounded.
    """
    rows = []
    for sc, d in per_rep.groupby(level="scenario", sort=False):
        n = len(d)
        arr = d.to_numpy(float).T
        lo, hi = interval(arr, level, method)
        for j, q in enumerate(d.columns):
            rows.append((sc, q, float(arr[j].mean()), float(lo[j]), float(hi[j]), n))
        for q, (_, _, num, den, scale) in RATIOS.items():
            if num not in d or den not in d:
                continue
            a, b = d[num].to_numpy(float), d[den].to_numpy(float)
            est = a.mean() / b.mean() * scale if b.mean() != 0 else np.nan
            r_lo, r_hi = ratio_interval(a, b, level, method)
            rows.append((sc, q, float(est), r_lo * scale, r_hi * scale, n))
    return pd.DataFrame(rows, columns=["scenario", "quantity", "estimate", "low", "high",
                                       "n_replications"])


# --------------------------------------------------------------------------- the comparison's table

_LEVEL_NAMES = {"partners": "the partner provinces", "hcmc": "HCMC",
                "other_provinces": "other provinces", "central": "the central budget",
                NATIONAL: "all budget levels (national)"}
_NET_NAMES = {"direct_jobs": ("direct jobs at the horizon", "persons"),
              "total_jobs": ("total jobs at the horizon", "persons"),
              "registered_bn": ("registered investment, cumulated", "bn VND"),
              "collected_bn": ("budget revenue collected, cumulated", "bn VND")}


def describe(quantity: str) -> tuple[str, str]:
    """Label and unit of a quantity of the cost and benefit table."""
    if quantity in RATIOS:
        return RATIOS[quantity][0], RATIOS[quantity][1]
    for prefix, what in (("partner_", "Gain of the partners"),
                         ("national_", "National net effect"),
                         ("diverted_", "Diverted from elsewhere")):
        if quantity.startswith(prefix) and quantity.removeprefix(prefix) in _NET_NAMES:
            name, unit = _NET_NAMES[quantity.removeprefix(prefix)]
            return f"{what}: {name}", unit
    pv = "_pv_" in quantity
    q = quantity.replace("_pv_bn", "").removesuffix("_bn")
    when = "present value at the window start" if pv else "cumulated over the window"
    fixed = {"outlays": "Programme outlays (cash)",
             "tax_expenditure": "Tax expenditure of incentives (revenue forgone)",
             "programme_cost": "Programme cost: outlays and tax expenditure",
             "fiscal_benefit": "Fiscal benefit: revenue collected before incentives",
             "partner_job_years": "Direct job-years in the partners"}
    if q in fixed:
        unit = "person-years" if q == "partner_job_years" else "bn VND"
        return (f"{fixed[q]}, {when}" if unit == "bn VND" else fixed[q]), unit
    if q.startswith("net_fiscal_"):
        return f"Net fiscal effect for {_LEVEL_NAMES[q.removeprefix('net_fiscal_')]}, {when}", \
            "bn VND"
    if q.startswith("cost_"):
        return f"Programme cost: {q.removeprefix('cost_').replace('_', ' ')}, {when}", "bn VND"
    if q.startswith("paid_by_"):
        return (f"Programme cost paid by {_LEVEL_NAMES.get(q.removeprefix('paid_by_'), q)}, "
                f"{when}"), "bn VND"
    return quantity, ""


def cost_benefit_table(series: pd.DataFrame, costs: pd.DataFrame | None, levels: BudgetLevels,
                       baseline: str, window_start: str, horizon: str, rate: float,
                       level: float = 0.90, method: str = "t") -> pd.DataFrame:
    """The comparison's cost and benefit table (the national net effects without costs).

    Returns:
        Columns ``scenario, quantity, label, unit, estimate, low, high, n_replications,
        discount_rate``; with ``costs`` None only the partners' gain, national net effect and
        diversion rows.
    """
    s = series.assign(scenario=series["scenario"].astype(str))
    if costs is None:
        per_rep = net_effects(s, set(levels.partners), baseline, window_start, horizon)
    else:
        per_rep = per_replication(s, costs, levels, baseline, window_start, horizon, rate)
    t = summarise(per_rep, level, method)
    described = [describe(q) for q in t["quantity"]]
    t.insert(2, "label", [d[0] for d in described])
    t.insert(3, "unit", [d[1] for d in described])
    t["discount_rate"] = rate
    return t
