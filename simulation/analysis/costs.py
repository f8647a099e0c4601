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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.analysis.paired import interval, ratio_interval
from simulation.timeline import parse_quarter, parse_quarters

RUN_KEYS = ["scenario", "replication", "seed"]
TAX_EXPENDITURE = "tax_expenditure"  # cost items named tax_expenditure_* are revenue forgone
LEVELS = ("partners", "hcmc", "other_provinces", "central")
NATIONAL = "national"
# national net effect: (indicator column of the quarterly series, measure)
NET_EFFECT = (("direct_jobs", "horizon"), ("total_jobs", "horizon"),
              ("registered_bn", "cumulative"), ("collected_bn", "cumulative"))


def in_window(quarters: pd.Series, window_start: str, horizon: str) -> np.ndarray:
    """Mask of the quarters in ``[window_start, horizon]``."""
    q = parse_quarters(quarters)
    return (q >= parse_quarter(window_start)) & (q <= parse_quarter(horizon))


def discount(quarters: Iterable[str], window_start: str, rate: float) -> np.ndarray:
    """Discount factors ``(1 + rate)^(−k/4)``, ``k`` quarters after ``window_start``."""
    k = parse_quarters(quarters) - parse_quarter(window_start)
    return (1.0 + rate) ** (-k / 4.0)


def programme_cost(costs: pd.DataFrame, window_start: str, horizon: str) -> float:
    """What one run spends and forgoes over the window (every item, payer and location)."""
    return float(costs.loc[in_window(costs["quarter"], window_start, horizon),
                           "spent_bn"].sum())


def is_tax_expenditure(items: pd.Series) -> np.ndarray:
    """True for the cost items that are revenue forgone rather than cash outlays."""
    codes, names = pd.factorize(items, use_na_sentinel=False)  # each item once
    return np.array([str(x).startswith(TAX_EXPENDITURE) for x in names], bool)[codes]


@dataclass(frozen=True)
class BudgetLevels:
    """Which budget a place or unit belongs to, quarter by quarter.

    From the reform quarter on, a place belongs to its successor unit (Bắc Kạn to the merged
    Thái Nguyên, Bình Dương to HCMC, ...), and the successors of the partners are the partners'
    budgets: revenue is kept, and costs are paid, by the merged province.

    Attributes:
        partners: the partner places.
        origin: HCMC's code.
        successor: place → its unit after the reform (places that stay their own unit may be
            left out).
        reform_quarter: first quarter on the new units; None: no reform.
    """

    partners: frozenset[str]
    origin: str
    successor: Mapping[str, str] = field(default_factory=dict)
    reform_quarter: str | None = None

    def of(self, quarters: pd.Series, locations: pd.Series
           ) -> pd.api.extensions.ExtensionArray:
        """``partners``, ``hcmc`` or ``other_provinces`` for each (quarter, place or unit)."""
        return _level_names(self.codes(quarters, locations))

    def codes(self, quarters: pd.Series, locations: pd.Series) -> np.ndarray:
        """:meth:`of` as indices into :data:`LEVELS`."""
        # each distinct place is classified once (tables of many runs repeat a few dozen)
        codes, places = pd.factorize(locations if isinstance(locations, pd.Series)
                                     else pd.Series(locations), use_na_sentinel=False)
        places = np.array([str(c) for c in places], dtype=object)
        after = (np.zeros(codes.size, bool) if self.reform_quarter is None
                 else parse_quarters(quarters) >= parse_quarter(self.reform_quarter))
        successor = np.array([self.successor.get(c, c) for c in places], dtype=object)
        partner_units = list({self.successor.get(c, c) for c in self.partners})
        origin_unit = self.successor.get(self.origin, self.origin)
        partner = np.where(after, np.isin(successor, partner_units)[codes],
                           np.isin(places, list(self.partners))[codes])
        origin = np.where(after, (successor == origin_unit)[codes],
                          (places == self.origin)[codes])
        return np.where(partner, LEVELS.index("partners"),
                        np.where(origin, LEVELS.index("hcmc"), LEVELS.index("other_provinces")))


def _level_names(codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The names of :data:`LEVELS` codes as a string array (made from the codes: fast)."""
    return pd.Categorical.from_codes(codes, categories=list(LEVELS)).astype(str)


def cost_level(costs: pd.DataFrame, levels: BudgetLevels
               ) -> pd.api.extensions.ExtensionArray:
    """The budget level that pays each row of a costs table.

    ``payer`` central → central, hcmc → hcmc; a province pays as ``partners`` when its unit is a
    partner's, as ``hcmc`` at the origin, as ``other_provinces`` elsewhere.
    """
    return _level_names(cost_level_codes(costs, levels))


def cost_level_codes(costs: pd.DataFrame, levels: BudgetLevels) -> np.ndarray:
    """:func:`cost_level` as indices into :data:`LEVELS`."""
    codes, payers = pd.factorize(costs["payer"], use_na_sentinel=False)  # each payer once
    payer = np.array([str(x) for x in payers], dtype=object)
    province = levels.codes(costs["quarter"], costs["location"])
    return np.where((payer == "central")[codes], LEVELS.index("central"),
                    np.where((payer == "hcmc")[codes], LEVELS.index("hcmc"), province))


def _spent_by(c: pd.DataFrame, codes: np.ndarray, names: Sequence) -> pd.DataFrame:
    """``spent_bn`` of a costs table summed per (scenario, replication) × what ``codes`` name.

    The same sums (pandas adds each group's rows in row order) as grouping by the names as
    strings, without turning millions of rows into strings: the keys are integer codes, named
    afterwards. Rows (scenario, replication) and columns (the names) are sorted as strings.
    """
    sc_codes, scenarios = pd.factorize(c["scenario"], use_na_sentinel=False)
    keys = pd.DataFrame({"s": sc_codes, "replication": c["replication"].to_numpy(),
                         "w": np.asarray(codes), "v": c["spent_bn"].to_numpy()})
    wide = keys.groupby(["s", "replication", "w"])["v"].sum().unstack("w")
    wide.index = pd.MultiIndex.from_arrays(
        [pd.Index([str(scenarios[i]) for i in wide.index.get_level_values("s")],
                  name="scenario"), wide.index.get_level_values("replication")])
    wide.columns = [str(names[w]) for w in wide.columns]
    return wide.sort_index()[sorted(wide.columns)]


def revenue_by_level(series: pd.DataFrame, levels: BudgetLevels) -> pd.DataFrame:
    """Revenue each budget level keeps, per run and quarter.

    The central budget gets what is collected in a place and not retained there.

    Args:
        series: quarterly series per run and place with ``collected_bn`` and ``retained_bn``
            (:func:`simulation.analysis.kpis.run_series`).
        levels: which budget each place belongs to in each quarter.

    Returns:
        Columns ``scenario, replication, seed, quarter, level, revenue_bn``.
    """
    local = levels.of(series["quarter"], series["location"])
    parts = [series[RUN_KEYS + ["quarter"]].assign(level=local,
                                                  revenue_bn=series["retained_bn"].to_numpy()),
             series[RUN_KEYS + ["quarter"]].assign(
                 level="central",
                 revenue_bn=(series["collected_bn"] - series["retained_bn"]).to_numpy())]
    out = pd.concat(parts, ignore_index=True)
    out["quarter"] = out["quarter"].astype(str)
    return out.groupby(RUN_KEYS + ["quarter", "level"], observed=True, as_index=False)[
        "revenue_bn"].sum()


def fiscal_flows(series: pd.DataFrame, costs: pd.DataFrame, levels: BudgetLevels,
                 window_start: str, horizon: str) -> pd.DataFrame:
    """Revenue kept, outlays paid and tax expenditure per run, quarter and budget level.

    Returns:
        Columns ``scenario, replication, seed, quarter, level, revenue_bn, outlays_bn,
        tax_expenditure_bn`` over the window, one row per level and quarter of every run.
    """
    costs = costs[in_window(costs["quarter"], window_start, horizon)]  # every sum: by quarter
    series = series[in_window(series["quarter"], window_start, horizon)]
    # grouped by integer codes of quarter and level (millions of rows), named afterwards
    quarter, quarters = pd.factorize(costs["quarter"], use_na_sentinel=False)
    te = is_tax_expenditure(costs["item"])
    spent = costs[RUN_KEYS].assign(
        q=quarter, lv=cost_level_codes(costs, levels),
        outlays_bn=np.where(te, 0.0, costs["spent_bn"]),
        tax_expenditure_bn=np.where(te, costs["spent_bn"], 0.0)).groupby(
            RUN_KEYS + ["q", "lv"], observed=True, as_index=False)[
        ["outlays_bn", "tax_expenditure_bn"]].sum()
    names = np.array([str(x) for x in quarters], dtype=object)
    spent.insert(3, "quarter", pd.array(names[spent.pop("q").to_numpy()], dtype="str"))
    spent.insert(4, "level", pd.array(np.array(LEVELS, dtype=object)[spent.pop("lv").to_numpy()],
                                      dtype="str"))
    rev = revenue_by_level(series, levels)
    keys = RUN_KEYS + ["quarter", "level"]
    out = rev.merge(spent, on=keys, how="outer").fillna(
        {"revenue_bn": 0.0, "outlays_bn": 0.0, "tax_expenditure_bn": 0.0})
    out["scenario"] = out["scenario"].astype(str)
    return out[in_window(out["quarter"], window_start, horizon)].reset_index(drop=True)


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
        for name, s in _spent_by(c, codes, names).items():
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
