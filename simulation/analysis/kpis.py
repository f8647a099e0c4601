"""The one registry of indicators, and what every command computes from it per run.

An :class:`Indicator` names one column of one tidy table (:mod:`simulation.model.records`),
with its unit, whether it is a flow or a stock, and its label. Every consumer reads indicators
through this module instead of naming table columns itself:

- the comparison (:data:`KPIS`, :func:`run_series`): quarterly series per run and location;
- sweeps and sensitivity studies (:data:`RUN_KPIS`, :func:`kpi_table`): one number per run;
- the run summary (:mod:`simulation.analysis.summary`), the calibration moments
  (:mod:`simulation.analysis.moments`) and the validation patterns
  (:mod:`simulation.analysis.validation`): :func:`value` and :func:`total`;
- the live dashboard (:func:`location_values`): the values of the quarter just recorded.

Indicators sum over sectors (and taxes, lifecycle states), so they add up across locations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import arrays
from simulation.model import records
from simulation.model.projects import STATE_NAMES
from simulation.model.records import Results

RUN_KEYS = ["scenario", "replication", "seed"]
Tables = Results | Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Indicator:
    """One indicator: a column of a tidy table, summed over the other axes.

    Attributes:
        name: the indicator's name (and the column of the comparison's quarterly series).
        label: plain-language name for tables and figures.
        unit: unit of the quarterly value (bn VND, persons, projects).
        flow: True for flows (summed over quarters), False for stocks (levels).
        table: the tidy table it is read from.
        column: the column of that table.
        state: the lifecycle state (``projects`` table only).
        entered: for stocks of projects in a state, the indicator counting entries into the
            state; the cumulative measure then counts entries instead of summing levels.
        short: a short label for figure titles and the terminal (default: ``label``).
    """

    name: str
    label: str
    unit: str
    flow: bool
    table: str
    column: str
    state: str | None = None
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


def _inv(name: str, label: str, unit: str, flow: bool, **kw: str) -> Indicator:
    return Indicator(name, label, unit, flow, "investment", name, **kw)


def _jobs(name: str, label: str, **kw: str) -> Indicator:
    return Indicator(name, label, "persons", False, "jobs", name, **kw)


def _rev(name: str, label: str, **kw: str) -> Indicator:
    return Indicator(name, label, "bn VND", True, "revenue", name, **kw)


#: The indicators a comparison reports (in report order).
KPIS: tuple[Indicator, ...] = (
    _inv("registered_bn", "Registered investment", "bn VND", True),
    _inv("disbursed_bn", "Disbursed investment", "bn VND", True),
    *(Indicator(f"projects_{s}", f"Projects {s}", "projects", False, "projects", "count",
                state=s, entered=f"entered_{s}") for s in STATE_NAMES),
    _jobs("direct_jobs", "Direct jobs"),
    _jobs("total_jobs", "Total jobs (direct, local indirect, HCMC-linked)", short="Total jobs"),
    _rev("collected_bn", "Budget revenue collected in the territory",
         short="Revenue collected"),
    _rev("retained_bn", "Budget revenue retained by the local budget", short="Revenue retained"),
    _rev("tax_expenditure_bn", "Tax expenditure of incentives (CIT, land rent)",
         short="Tax expenditure"),
    _inv("capex_subsidy_bn", "Capital subsidies paid", "bn VND", True),
)
KPI_BY_NAME = {k.name: k for k in KPIS}

#: Every indicator: the compared ones, entries into each state, and the other table columns.
INDICATORS: dict[str, Indicator] = {k.name: k for k in (
    *KPIS,
    *(Indicator(f"entered_{s}", f"Projects entering {s}", "projects", True, "projects",
                "entered", state=s) for s in STATE_NAMES),
    _inv("new_projects", "New projects (proposals)", "projects", True),
    _inv("licensed_projects", "Projects licensed", "projects", True),
    _inv("registered_stock_bn", "Registered capital of valid projects", "bn VND", False),
    _inv("disbursed_stock_bn", "Disbursed capital of valid projects", "bn VND", False),
    _inv("large_modern_projects", "Large modern-technology projects licensed", "projects",
         True),
    _jobs("indirect_jobs", "Local indirect jobs"),
    _jobs("linked_jobs", "HCMC-linked jobs"),
    _rev("central_bn", "Budget revenue passed to the central budget"),
    Indicator("tie_strength", "Tie strength with HCMC", "strength 0–1", False, "ties",
              "strength"),
    Indicator("tie_level", "Cooperation level", "level 0–3", False, "ties", "level"),
)}
MEASURES = {
    "horizon": "at the horizon: flows over the four quarters ending at the horizon, stocks at "
               "the horizon quarter",
    "cumulative": "cumulated over the window: flows summed, jobs as person-years, projects "
                  "as entries into the state",
}
SERIES = [k.name for k in KPIS] + [k.entered for k in KPIS if k.entered]


# --------------------------------------------------------------------------- reading values


def table_of(tables: Tables, name: str) -> pd.DataFrame:
    """A tidy table whose ``location`` is the place (pre-2025 boundaries).

    The model's place-level tables carry ``location`` (the administrative unit of the quarter,
    which changes on 1 July 2025) and ``site`` (the place); every indicator here is read by
    place, so totals over time and the pre- and post-2025 views add up. Unit-level tables (ties,
    costs) keep their units.
    """
    df = getattr(tables, name) if isinstance(tables, Results) else tables[name]
    if "site" in df.columns:
        df = df.drop(columns="location").rename(columns={"site": "location"})
    return df


def rows(tables: Tables, name: str, where: Sequence[str] | None = None,
         quarters: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of an indicator's table: its state, locations ``where``, ``quarters``."""
    ind = INDICATORS[name]
    df = table_of(tables, ind.table)
    mask = np.ones(len(df), bool)
    if ind.state is not None:
        mask &= (df["state"] == ind.state).to_numpy()
    if where is not None:
        mask &= df["location"].astype(str).isin(where).to_numpy()
    if quarters is not None:
        mask &= df["quarter"].astype(str).isin(quarters).to_numpy()
    return df[mask]


def value(tables: Tables, name: str, where: Sequence[str] | None = None,
          quarters: Sequence[str] | None = None) -> float:
    """An indicator summed over everything selected (all runs in the tables)."""
    return float(rows(tables, name, where, quarters)[INDICATORS[name].column].sum())


def total(tables: Tables, name: str, by: list[str], where: Sequence[str] | None = None,
          quarters: Sequence[str] | None = None) -> pd.Series:
    """An indicator summed per group ``by`` (e.g. per run, or per location)."""
    df = rows(tables, name, where, quarters)
    return df.groupby(by, observed=True)[INDICATORS[name].column].sum()


def last_quarter(tables: Tables, table: str = "investment") -> str:
    """The last recorded quarter of the tables."""
    return str(table_of(tables, table)["quarter"].astype(str).max())


def quarters_of_year(tables: Tables, year: str, table: str = "investment") -> list[str]:
    """The recorded quarters of a calendar year."""
    q = table_of(tables, table)["quarter"].astype(str)
    return sorted(set(q[q.str.startswith(year)]))


def partners(tables: Tables) -> list[str]:
    """The nine partner provinces: the ties table's partners in its first quarter.

    Taken before the 2025 reform merges some of them.
    """
    ties = table_of(tables, "ties")
    first = ties["quarter"].astype(str) == ties["quarter"].astype(str).min()
    return list(ties.loc[first, "location"].astype(str).unique())


def partner_codes(inputs=None) -> list[str]:
    """Location codes of the partner provinces (from the shipped data by default)."""
    if inputs is None:
        from simulation.data import load_inputs

        inputs = load_inputs()
    loc = inputs.locations
    return list(loc.index[loc["role"] == "partner"])


# --------------------------------------------------------------------------- one run


@dataclass(frozen=True)
class RunKpi:
    """One number per run: an indicator at the partners' total, over the recorded horizon."""

    indicator: str
    measure: str  # "cumulative" (a flow summed over the horizon) or "horizon" (last quarter)
    description: str


RUN_KPIS = {
    "registered_partners_bn": RunKpi("registered_bn", "cumulative",
                                     "registered capital in partners, total (bn VND)"),
    "licensed_partners": RunKpi("licensed_projects", "cumulative",
                                "projects licensed in partners, total"),
    "total_jobs_partners": RunKpi("total_jobs", "horizon",
                                  "jobs in partners at the end (persons)"),
    "retained_partners_bn": RunKpi("retained_bn", "cumulative",
                                   "revenue retained by partners, total (bn VND)"),
}


def kpi_table(tables: Tables, where: list[str], by: list[str] | None = None) -> pd.DataFrame:
    """One row per run (``by`` columns, default scenario/replication/seed), one column per KPI.

    Args:
        tables: the tidy tables (``investment``, ``jobs``, ``revenue``), of one run or many
            runs stacked (e.g. a collected sweep, which adds a ``job`` column).
        where: location codes counted as partners.
        by: columns identifying a run (for a collected sweep: ``["job"]`` plus swept keys).
    """
    by = list(by or RUN_KEYS)
    out = {}
    for name, k in RUN_KPIS.items():
        last = ([str(rows(tables, k.indicator, where)["quarter"].astype(str).max())]
                if k.measure == "horizon" else None)
        out[name] = total(tables, k.indicator, by, where, last)
    return pd.DataFrame(out).fillna(0.0).reset_index()


def _columns(table: str) -> list[str]:
    """Columns of a table behind the compared indicators (not per state), in report order."""
    return [k.column for k in KPIS if k.table == table and k.state is None]


def run_series(res: Results) -> pd.DataFrame:
    """Quarterly indicators of one run: one row per quarter × location, one column per series.

    Returns:
        Columns ``scenario, replication, seed, quarter, location`` and :data:`SERIES`.
    """
    if getattr(res, "grids", None) is not None:  # a batch's replication: no tables built
        return _FROM_ARRAYS["series"](res).frame()
    keys = ["quarter", "location"]
    parts = [table_of(res, "investment").groupby(keys, observed=True)[
        _columns("investment")].sum()]
    pr = table_of(res, "projects").groupby(keys + ["state"], observed=True)[
        ["count", "entered"]].sum()
    pr = pr.unstack("state")
    pr.columns = [f"projects_{s}" if c == "count" else f"entered_{s}" for c, s in pr.columns]
    parts += [pr] + [table_of(res, t).groupby(keys, observed=True)[_columns(t)].sum()
                     for t in ("jobs", "revenue")]
    out = pd.concat(parts, axis=1).reset_index()
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
    if getattr(res, "grids", None) is not None:
        return _FROM_ARRAYS["sectors"](res).frame()
    keys = ["quarter", "location", "sector"]
    by_table: dict[str, list[str]] = {}
    for name in SECTOR_SERIES:
        by_table.setdefault(INDICATORS[name].table, []).append(INDICATORS[name].column)
    parts = [table_of(res, t).groupby(keys, observed=True)[cols].sum()
             for t, cols in by_table.items()]
    out = pd.concat(parts, axis=1).fillna(0.0).reset_index()
    return _with_run_keys(out, res, keys)[RUN_KEYS + keys + SECTOR_SERIES]


def run_ties(res: Results) -> pd.DataFrame:
    """Quarterly tie strength and level of one run by partner and cooperation field.

    Returns:
        Columns ``scenario, replication, seed, quarter, location, field`` and
        :data:`TIE_SERIES`.
    """
    if getattr(res, "grids", None) is not None:
        return _FROM_ARRAYS["ties"](res).frame()
    keys = ["quarter", "location", "field"]
    out = res.ties[keys + TIE_SERIES].copy()
    return _with_run_keys(out, res, keys)[RUN_KEYS + keys + TIE_SERIES]


def run_costs(res: Results) -> pd.DataFrame | None:
    """The programme's costs of one run, or None when the model records no costs table.

    Returns:
        Columns ``scenario, replication, seed, quarter, location, item, payer, spent_bn``.
    """
    if getattr(res, "grids", None) is not None:
        return _FROM_ARRAYS["costs"](res).frame()
    costs = getattr(res, "costs", None)
    if costs is None:
        return None
    keys = ["quarter", "location", "item", "payer"]
    out = costs.groupby(keys, observed=True)["spent_bn"].sum().reset_index()
    return _with_run_keys(out, res, keys)[RUN_KEYS + keys + ["spent_bn"]]


def run_details(res: Results) -> dict[str, pd.DataFrame]:
    """What a comparison keeps of one run: the indicator series, sectors, ties (and costs)."""
    out = {"series": run_series(res), "sectors": run_sectors(res), "ties": run_ties(res)}
    costs = run_costs(res)
    if costs is not None:
        out["costs"] = costs
    return out


def run_rows(res: Results) -> dict[str, arrays.Rows | pd.DataFrame]:
    """:func:`run_details` as a comparison's workers send it: arrays, not frames.

    A batch's replication gives :class:`arrays.Rows` (the parent joins them), others frames.
    """
    if getattr(res, "grids", None) is None:
        return run_details(res)
    return {name: rows(res) for name, rows in _FROM_ARRAYS.items()}


#: what a comparison keeps of a batched replication, summed from its recorded arrays
_FROM_ARRAYS: dict[str, Callable[[Results], arrays.Rows]] = {
    "series": lambda res: arrays.series(res, _wanted(SERIES)),
    "sectors": lambda res: arrays.sectors(res, _wanted(SECTOR_SERIES)),
    "ties": lambda res: arrays.ties(res, TIE_SERIES), "costs": arrays.costs}


def _wanted(names: list[str]) -> dict[str, tuple[str, str, str | None]]:
    return {n: (INDICATORS[n].table, INDICATORS[n].column, INDICATORS[n].state) for n in names}


def _with_run_keys(out: pd.DataFrame, res: Results, keys: list[str]) -> pd.DataFrame:
    grids = getattr(res, "grids", None)
    if grids is not None:  # the run's keys without building its investment table
        scenario, replication, seed = grids.keys
        first = {"scenario": scenario, "replication": np.int32(replication),
                 "seed": np.int64(seed)}
    else:
        first = res.investment.iloc[0]
    for col in reversed(RUN_KEYS):
        out.insert(0, col, first[col])
    for col in ["scenario", *keys]:
        out[col] = out[col].astype(str)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- a live model


def location_values(latest: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    """One indicator per location from the slices of the quarter just recorded.

    Args:
        latest: table name → the recorder's latest slice (location first, value columns last;
            :meth:`simulation.model.recorder.Recorder.latest`).
        name: the indicator.
    """
    ind = INDICATORS[name]
    arr = latest[ind.table][..., _TABLE_COLUMNS[ind.table].index(ind.column)]
    if ind.state is not None:
        arr = arr[..., STATE_NAMES.index(ind.state)]
    return arr.sum(axis=tuple(range(1, arr.ndim)))


_TABLE_COLUMNS = {"investment": records.INVESTMENT, "projects": records.PROJECTS,
                  "jobs": records.JOBS, "revenue": records.REVENUE, "ties": records.TIES,
                  "locations": records.LOCATIONS}
