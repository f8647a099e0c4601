"""The run summary: headline numbers by location over one consistent period.

What ``python -m simulation`` prints after a run (and :func:`headline` returns): flows as a
mean per year over the recorded quarters, stocks at the last recorded quarter, every column an
indicator of the registry (:mod:`simulation.analysis.kpis`) or a ratio of two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis.kpis import RUN_KEYS, Tables, table_of, total
from simulation.model.records import Results

PER_YEAR, AT_END = "per_year", "at_end"  # the two periods of the run summary


@dataclass(frozen=True)
class SummaryColumn:
    """One column of the run summary: an indicator (or a ratio of two) over one period.

    Attributes:
        name: the column of :func:`headline`'s table.
        label: header words for people.
        unit: unit of the value shown.
        indicator: the indicator (numerator of a ratio).
        period: :data:`PER_YEAR` (a flow summed over the recorded quarters, divided by their
            number of years) or :data:`AT_END` (a stock in the last recorded quarter).
        per: the denominator indicator of a ratio, over the same period.
        scale: factor applied to the value (100 for a percentage).
        digits: decimals shown.
    """

    name: str
    label: str
    unit: str
    indicator: str
    period: str
    per: str | None = None
    scale: float = 1.0
    digits: int = 0


#: The run summary: flows as a mean per year over the recorded quarters, stocks at the end.
SUMMARY: tuple[SummaryColumn, ...] = (
    SummaryColumn("licensed_per_year", "Projects licensed", "per year", "licensed_projects",
                  PER_YEAR, digits=1),
    SummaryColumn("registered_bn_per_year", "Registered capital", "bn VND/yr",
                  "registered_bn", PER_YEAR),
    SummaryColumn("avg_project_bn", "Average project", "bn VND", "registered_bn", PER_YEAR,
                  per="licensed_projects"),
    SummaryColumn("retained_bn_per_year", "Local budget revenue", "bn VND/yr", "retained_bn",
                  PER_YEAR),
    SummaryColumn("registered_stock_bn", "Valid projects' capital", "bn VND",
                  "registered_stock_bn", AT_END),
    SummaryColumn("disbursed_pct", "Disbursed share", "%", "disbursed_stock_bn", AT_END,
                  per="registered_stock_bn", scale=100.0),
    SummaryColumn("direct_jobs", "Direct jobs", "persons", "direct_jobs", AT_END),
    SummaryColumn("total_jobs", "Total jobs", "persons", "total_jobs", AT_END),
)


def headline(res: Tables, names: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """The run summary by location: one row per location, one column per :data:`SUMMARY` entry.

    Every flow is over the same period, the recorded quarters, as a mean per year (the sum
    divided by quarters / 4, so a short horizon is annualised too); every stock is at the last
    recorded quarter and includes projects licensed before the first recorded quarter (the
    spin-up's stock). Columns: projects licensed per year; registered capital per year (bn
    VND); average project (registered capital over projects licensed, bn VND); revenue retained
    by the location's budget per year (bn VND); registered capital of the valid projects at the
    end (bn VND); their disbursed share (%); direct and total jobs at the end (persons).
    Undefined ratios (nothing licensed, no valid project) are NaN.

    Args:
        res: the tidy tables of one run, or of several runs stacked (their mean is shown).
        names: location code → display name for the index (default: the codes).

    Returns:
        The table; ``attrs`` holds ``start`` and ``end`` (first and last recorded quarter),
        ``quarters`` (their number) and ``runs``.
    """
    inv = table_of(res, "investment")
    runs = inv.groupby(RUN_KEYS, observed=True).ngroups
    quarters = sorted(set(inv["quarter"].astype(str)))
    end = quarters[-1]
    years = len(quarters) / 4.0

    def measure(name: str, period: str) -> pd.Series:
        if period == PER_YEAR:
            return total(res, name, ["location"]) / runs / years
        return total(res, name, ["location"], quarters=[end]) / runs

    cols = {}
    for c in SUMMARY:
        v = measure(c.indicator, c.period)
        if c.per is not None:
            v = v / measure(c.per, c.period)
        cols[c.name] = v * c.scale
    out = pd.DataFrame(cols).replace([np.inf, -np.inf], np.nan)
    out.index = [str(i) for i in out.index]
    if names is not None:
        out.index = [names.get(i, i) for i in out.index]
    out.attrs.update(start=quarters[0], end=end, quarters=len(quarters), runs=runs)
    return out


def units_at_end(res: Tables) -> dict[str, list[str]]:
    """The administrative units of the last recorded quarter that differ from the places.

    The summary's rows are places (the provinces before the 1 July 2025 reform); after the
    reform some places belong to one unit. Returns every unit code → its places (in table
    order) when at least one unit is not a place of its own; empty when the run ends before
    the reform (or runs without it).
    """
    inv = res.investment if isinstance(res, Results) else res["investment"]  # units kept
    if "site" not in inv.columns:
        return {}
    last = inv[inv["quarter"].astype(str) == str(inv["quarter"].astype(str).max())]
    pairs = last[["site", "location"]].astype(str).drop_duplicates()
    units: dict[str, list[str]] = {}
    for site, unit in pairs.itertuples(index=False):
        units.setdefault(unit, []).append(site)
    return units if any(places != [u] for u, places in units.items()) else {}
