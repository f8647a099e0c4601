"""Budget levels: which budget keeps a place's revenue and pays its costs, quarter by quarter.

The four levels (partner provinces, HCMC, other provinces, central) and the fiscal flows of
every run per level, the raw material of :mod:`simulation.analysis.costs`. Tables of a
comparison have millions of rows, so levels, quarters and items are handled as integer codes
and named only on the aggregated rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.timeline import parse_quarter, parse_quarters

RUN_KEYS = ["scenario", "replication", "seed"]
TAX_EXPENDITURE = "tax_expenditure"  # cost items named tax_expenditure_* are revenue forgone
LEVELS = ("partners", "hcmc", "other_provinces", "central")


def in_window(quarters: pd.Series, window_start: str, horizon: str) -> np.ndarray:
    """Mask of the quarters in ``[window_start, horizon]``."""
    q = parse_quarters(quarters)
    return (q >= parse_quarter(window_start)) & (q <= parse_quarter(horizon))


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


def spent_by(c: pd.DataFrame, codes: np.ndarray, names: Sequence) -> pd.DataFrame:
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
