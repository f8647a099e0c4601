"""Indicators of a scenario comparison: quarterly series, boundaries, horizon and cumulative.

Per run, :func:`run_series` keeps one row per quarter and location; :func:`aggregate` sums
locations into reporting units on pre- or post-2025 provincial boundaries; :func:`measures`
derives the two reported measures (at the horizon, cumulated over a window).

Every indicator is a sum over sectors (and taxes, lifecycle states) of one tidy table column, so
it adds up across locations: aggregating locations into the provinces of 1 July 2025, or into
the total of the nine partners, preserves totals exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulation.data import Inputs
from simulation.model.projects import STATE_NAMES
from simulation.model.records import Results
from simulation.timeline import parse_quarter

RUN_KEYS = ["scenario", "replication", "seed"]
PARTNERS = "partners"  # pseudo-location: the nine partner provinces together
PARTNERS_NAME = "Nine partner provinces"
BOUNDARIES = ("pre2025", "post2025")

_INVESTMENT = ["registered_bn", "disbursed_bn", "capex_subsidy_bn"]
_JOBS = ["direct_jobs", "total_jobs"]
_REVENUE = ["collected_bn", "retained_bn", "tax_expenditure_bn"]


@dataclass(frozen=True)
class Kpi:
    """One reported indicator.

    Attributes:
        name: column of the quarterly series holding the indicator.
        label: plain-language name for tables and figures.
        unit: unit of the quarterly value (bn VND, persons, projects).
        flow: True for flows (summed over quarters), False for stocks (levels).
        entered: for stocks of projects in a state, the series counting entries into the
            state; the cumulative measure then counts entries instead of summing levels.
        short: a short label for figure titles and the terminal (default: ``label``).
    """

    name: str
    label: str
    unit: str
    flow: bool
    entered: str | None = None
    short: str = ""

    @property
    def title(self) -> str:
        """Short label (figure titles, terminal)."""
        return self.short or self.label

    def unit_of(self, measure: str) -> str:
        """Unit of the ``horizon`` or ``cumulative`` measure."""
        if measure == "horizon":
            return f"{self.unit} per year" if self.flow else self.unit
        if self.flow:
            return self.unit
        return "projects entering the state" if self.entered else "person-years"


KPIS: tuple[Kpi, ...] = (
    Kpi("registered_bn", "Registered investment", "bn VND", True),
    Kpi("disbursed_bn", "Disbursed investment", "bn VND", True),
    *(Kpi(f"projects_{s}", f"Projects {s}", "projects", False, f"entered_{s}")
      for s in STATE_NAMES),
    Kpi("direct_jobs", "Direct jobs", "persons", False),
    Kpi("total_jobs", "Total jobs (direct, local indirect, HCMC-linked)", "persons", False,
        short="Total jobs"),
    Kpi("collected_bn", "Budget revenue collected in the territory", "bn VND", True,
        short="Revenue collected"),
    Kpi("retained_bn", "Budget revenue retained by the local budget", "bn VND", True,
        short="Revenue retained"),
    Kpi("tax_expenditure_bn", "Tax expenditure of incentives (CIT, land rent)", "bn VND",
        True, short="Tax expenditure"),
    Kpi("capex_subsidy_bn", "Capital subsidies paid", "bn VND", True),
)
KPI_BY_NAME = {k.name: k for k in KPIS}
MEASURES = {
    "horizon": "at the horizon: flows over the four quarters ending at the horizon, stocks at "
               "the horizon quarter",
    "cumulative": "cumulated over the window: flows summed, jobs as person-years, projects "
                  "as entries into the state",
}
SERIES = ([k.name for k in KPIS] + [k.entered for k in KPIS if k.entered])


def run_series(res: Results) -> pd.DataFrame:
    """Quarterly indicators of one run: one row per quarter × location, one column per series.

    Args:
        res: the tables of one run.

    Returns:
        Columns ``scenario, replication, seed, quarter, location`` and :data:`SERIES`.
    """
    keys = ["quarter", "location"]
    inv = res.investment.groupby(keys, observed=True)[_INVESTMENT].sum()
    jobs = res.jobs.groupby(keys, observed=True)[_JOBS].sum()
    rev = res.revenue.groupby(keys, observed=True)[_REVENUE].sum()
    pr = res.projects.groupby(keys + ["state"], observed=True)[["count", "entered"]].sum()
    pr = pr.unstack("state")
    pr.columns = [f"projects_{s}" if c == "count" else f"entered_{s}" for c, s in pr.columns]
    out = pd.concat([inv, pr, jobs, rev], axis=1).reset_index()
    first = res.investment.iloc[0]
    for col in reversed(RUN_KEYS):
        out.insert(0, col, first[col])
    out["quarter"] = out["quarter"].astype(str)
    out["location"] = out["location"].astype(str)
    out["scenario"] = out["scenario"].astype(str)
    return out[RUN_KEYS + keys + SERIES]


SECTOR_SERIES = ["registered_bn", "disbursed_bn", "direct_jobs", "total_jobs", "retained_bn"]
TIE_SERIES = ["strength", "level"]


def run_sectors(res: Results) -> pd.DataFrame:
    """Quarterly investment, jobs and retained revenue of one run by location and sector.

    Returns:
        Columns ``scenario, replication, seed, quarter, location, sector`` and
        :data:`SECTOR_SERIES` (revenue summed over taxes).
    """
    keys = ["quarter", "location", "sector"]
    inv = res.investment.groupby(keys, observed=True)[["registered_bn", "disbursed_bn"]].sum()
    jobs = res.jobs.groupby(keys, observed=True)[["direct_jobs", "total_jobs"]].sum()
    rev = res.revenue.groupby(keys, observed=True)[["retained_bn"]].sum()
    out = pd.concat([inv, jobs, rev], axis=1).fillna(0.0).reset_index()
    return _with_run_keys(out, res, keys)[RUN_KEYS + keys + SECTOR_SERIES]


def run_ties(res: Results) -> pd.DataFrame:
    """Quarterly tie strength and level of one run by partner and cooperation field.

    Returns:
        Columns ``scenario, replication, seed, quarter, location, field`` and
        :data:`TIE_SERIES`.
    """
    keys = ["quarter", "location", "field"]
    out = res.ties[keys + TIE_SERIES].copy()
    return _with_run_keys(out, res, keys)[RUN_KEYS + keys + TIE_SERIES]


def run_details(res: Results) -> dict[str, pd.DataFrame]:
    """What a comparison keeps of one run: the indicator series, sectors and ties."""
    return {"series": run_series(res), "sectors": run_sectors(res), "ties": run_ties(res)}


def _with_run_keys(out: pd.DataFrame, res: Results, keys: list[str]) -> pd.DataFrame:
    first = res.investment.iloc[0]
    for col in reversed(RUN_KEYS):
        out.insert(0, col, first[col])
    for col in ["scenario", *keys]:
        out[col] = out[col].astype(str)
    return out.reset_index(drop=True)


def locations(inputs: Inputs, boundaries: str) -> pd.DataFrame:
    """Reporting units of a boundary set, in display order.

    Args:
        inputs: the model inputs (locations and their 1 July 2025 units).
        boundaries: ``pre2025`` (the model's locations) or ``post2025`` (provinces after the
            merger of 1 July 2025, from :meth:`Inputs.boundary_map`).

    Returns:
        Columns ``code`` (model location), ``unit`` (reporting unit), ``name``, ``role`` and
        ``partner``, one row per model location.
    """
    loc = inputs.locations
    bmap = inputs.boundary_map().set_index("code")
    if boundaries == "pre2025":
        unit, name = list(loc.index), list(loc["name_vi"])
    elif boundaries == "post2025":
        unit, name = list(bmap.loc[loc.index, "new_code"]), list(bmap.loc[loc.index,
                                                                          "new_name_vi"])
    else:
        raise ValueError(f"boundaries={boundaries!r}; allowed: {', '.join(BOUNDARIES)}")
    return pd.DataFrame({"code": list(loc.index), "unit": unit, "name": name,
                         "role": list(loc["role"]), "partner": list(loc["role"] == "partner")})


def aggregate(series: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Sum quarterly series into reporting units and add the total of the nine partners.

    Args:
        series: rows of :func:`run_series` (any number of runs).
        units: from :func:`locations`.

    Returns:
        The same columns, with ``location`` holding reporting units (plus :data:`PARTNERS`).
    """
    keys = RUN_KEYS + ["quarter"]
    to_unit = dict(zip(units["code"], units["unit"], strict=True))
    by_unit = (series.assign(location=series["location"].map(to_unit))
               .groupby(keys + ["location"], sort=False)[SERIES].sum().reset_index())
    partners = set(units.loc[units["partner"], "code"])
    total = (series[series["location"].isin(partners)].groupby(keys, sort=False)[SERIES].sum()
             .reset_index().assign(location=PARTNERS))
    return pd.concat([by_unit, total[by_unit.columns]], ignore_index=True)


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    """Reporting unit → display name, in display order (origin, partners, total, others)."""
    first = units.drop_duplicates("unit")
    names: dict[str, str] = {}
    for roles in (["origin"], ["partner"], [], ["near", "far"]):
        if not roles:
            names[PARTNERS] = PARTNERS_NAME
        rows = first[first["role"].isin(roles)]
        names.update(zip(rows["unit"], rows["name"], strict=True))
    return names


def measures(series: pd.DataFrame, window_start: str, horizon: str) -> pd.DataFrame:
    """The two reported measures of every indicator, per run and location.

    Args:
        series: quarterly series (from :func:`run_series` or :func:`aggregate`).
        window_start: first quarter of the cumulative window (e.g. ``2023Q2``).
        horizon: last quarter reported.

    Returns:
        Long table ``scenario, replication, seed, location, kpi, measure, value``.
    """
    q = series["quarter"].map(parse_quarter)
    h, w0 = parse_quarter(horizon), parse_quarter(window_start)
    keys = RUN_KEYS + ["location"]
    at_h = series[q == h].set_index(keys)
    last_year = series[(q > h - 4) & (q <= h)].groupby(keys, sort=False)[SERIES].sum()
    window = series[(q >= w0) & (q <= h)].groupby(keys, sort=False)[SERIES].sum()
    parts = []
    for k in KPIS:
        horizon_value = last_year[k.name] if k.flow else at_h[k.name]
        if k.flow:
            cumulative = window[k.name]
        elif k.entered:
            cumulative = window[k.entered]
        else:
            cumulative = window[k.name] / 4.0
        for measure, values in (("horizon", horizon_value), ("cumulative", cumulative)):
            parts.append(values.rename("value").reset_index().assign(kpi=k.name,
                                                                     measure=measure))
    out = pd.concat(parts, ignore_index=True)
    return out[keys + ["kpi", "measure", "value"]]


def over_time(series: pd.DataFrame, kpi: str, location: str, window_start: str,
              horizon: str) -> pd.DataFrame:
    """Quarterly path of one indicator at one reporting unit, per run, over the window.

    Stocks are levels; flows are cumulated from ``window_start``, so every path reads as "so
    far" and ends at the cumulative measure.

    Returns:
        Columns ``scenario, replication, seed, quarter, value``.
    """
    k = KPI_BY_NAME[kpi]
    q = series["quarter"].map(parse_quarter)
    w0, h = parse_quarter(window_start), parse_quarter(horizon)
    sub = series[(series["location"] == location) & (q >= w0) & (q <= h)]
    sub = sub[RUN_KEYS + ["quarter", k.name]].assign(_q=q).sort_values(RUN_KEYS + ["_q"])
    value = sub.groupby(RUN_KEYS, sort=False)[k.name].cumsum() if k.flow else sub[k.name]
    return sub.assign(value=value)[RUN_KEYS + ["quarter", "value"]].reset_index(drop=True)
