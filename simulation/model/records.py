"""The tidy output schema, in one place: table names, key columns, value columns and dtypes.

Every table is long and keyed by ``scenario, replication, seed, quarter, location`` plus
``site`` (the place), ``sector`` (activity tables), ``state``, ``tax``, ``field``, ``item`` or
``payer`` where that applies. ``location`` is the administrative unit that exists in the
quarter (native: from the 1 July 2025 reform, merged provinces report under their successor);
``site`` is the place on pre-2025 boundaries, so grouping by ``site`` gives the pre-2025 view
and mapping ``location`` to the post-2025 units the other, with the same totals. Money is in
billion VND of 2023 (``_bn``), jobs in persons, counts in projects, all in real units (scaled
from the agent population).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

KEYS = ["scenario", "replication", "seed", "quarter", "location"]
PLACE_KEYS = KEYS + ["site"]

INVESTMENT = ["new_projects", "licensed_projects", "registered_bn", "disbursed_bn",
              "registered_stock_bn", "disbursed_stock_bn", "capex_subsidy_bn",
              "large_modern_projects"]
PROJECTS = ["count", "entered"]
JOBS = ["direct_jobs", "indirect_jobs", "linked_jobs", "total_jobs"]
DIRECT, INDIRECT, LINKED = range(3)  # kinds of jobs a project creates (total is their sum)
TAXES = ["cit", "vat", "pit", "land_rent"]
TAX_CIT, TAX_VAT, TAX_PIT, TAX_LAND = range(len(TAXES))  # codes of the ``tax`` axis
REVENUE = ["collected_bn", "retained_bn", "central_bn", "tax_expenditure_bn"]
TIES = ["strength", "level", "activity", "felt_strength"]
LOCATIONS = ["dx_index", "promotion", "land_available_ha", "congestion", "human_capital",
             "admin_capacity", "road_km", "wage_bn_per_year", "labour_demand", "labour_pool"]
COST_ITEMS = ["cooperation", "promotion", "dx_platform", "land_development", "capex_subsidy",
              "tax_expenditure_cit", "tax_expenditure_land"]
(COST_COOPERATION, COST_PROMOTION, COST_DX, COST_LAND, COST_CAPEX, COST_TE_CIT,
 COST_TE_LAND) = range(len(COST_ITEMS))
PAYERS = ["hcmc", "province", "central"]
PAYER_HCMC, PAYER_PROVINCE, PAYER_CENTRAL = range(len(PAYERS))
COSTS = ["spent_bn"]
NETWORK = ["value"]

TABLES = {
    "investment": PLACE_KEYS + ["sector"] + INVESTMENT,
    "projects": PLACE_KEYS + ["sector", "state"] + PROJECTS,
    "jobs": PLACE_KEYS + ["sector"] + JOBS,
    "revenue": PLACE_KEYS + ["sector", "tax"] + REVENUE,
    "ties": KEYS + ["field"] + TIES,
    "locations": PLACE_KEYS + LOCATIONS,
    "costs": KEYS + ["item", "payer"] + COSTS,
    "network": ["scenario", "replication", "seed", "quarter", "layer", "node", "metric"]
    + NETWORK,
}


@dataclass
class Results:
    """Tidy tables of one run (or several runs concatenated)."""

    investment: pd.DataFrame
    projects: pd.DataFrame
    jobs: pd.DataFrame
    revenue: pd.DataFrame
    ties: pd.DataFrame
    locations: pd.DataFrame
    costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    network: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame | None = None
    project_list: pd.DataFrame | None = None
    # the network at the end of the run, for export (not a table; never concatenated):
    # "network" → the multilayer networkx graph, "peers" → PeerGraph
    graphs: dict[str, Any] = field(default_factory=dict)

    def __getattribute__(self, name: str):  # noqa: ANN204 - a table or anything else
        """A deferred table (:class:`Deferred`) is built on first access, then kept."""
        value = object.__getattribute__(self, name)
        if type(value) is Deferred:
            value = value.build()
            object.__setattr__(self, name, value)
        return value

    def __getstate__(self) -> dict:
        """Pickled with every table built (a deferred table refers to the whole model)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The keyed tables by name (events and projects list included when present)."""
        out = {name: getattr(self, name) for name in TABLES}
        if self.events is not None:
            out["events"] = self.events
        if self.project_list is not None:
            out["project_list"] = self.project_list
        return out


class Deferred:
    """A table built when first read (the replication path builds only what is read).

    Args:
        build: builds the table; called at most once.
    """

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[], pd.DataFrame | None]):
        self._build = build

    def build(self) -> pd.DataFrame | None:
        """The table."""
        return self._build()


@lru_cache(maxsize=256)
def category(*labels: str) -> pd.CategoricalDtype:
    """The categorical dtype of a key column with these labels (built once per process)."""
    return pd.CategoricalDtype(list(labels))


@lru_cache(maxsize=256)
def _axis_codes(shape: tuple[int, ...], ax: int) -> np.ndarray:
    """Codes of axis ``ax`` of a long table over a grid of ``shape`` (read-only, shared)."""
    codes = np.indices(shape)[ax].ravel()
    codes.flags.writeable = False
    return codes


def frame(values: dict[str, np.ndarray], axes: list[tuple[str, list[str]]],
          scenario: str, replication: int, seed: int) -> pd.DataFrame:
    """Long table from arrays of shape ``[len(a) for a in axes]`` (first axis: quarter).

    Args:
        values: column name → array with one axis per entry of ``axes``.
        axes: (column name, labels) per array axis, outermost first.
        scenario, replication, seed: run keys.
    """
    shape = tuple(len(labels) for _, labels in axes)
    n = int(np.prod(shape))
    cols: dict[str, object] = {
        "scenario": (pd.Categorical.from_codes(np.zeros(n, np.int8), dtype=category(scenario))
                     if n else pd.Categorical([])),
        "replication": np.full(n, replication, dtype=np.int32),
        "seed": np.full(n, seed, dtype=np.int64),
    }
    for ax, (name, labels) in enumerate(axes):
        cols[name] = pd.Categorical.from_codes(_axis_codes(shape, ax), dtype=category(*labels))
    for name, arr in values.items():
        a = np.asarray(arr).reshape(n)
        cols[name] = a.astype(np.int8 if name == "level" else np.float64)
    df = pd.DataFrame(cols)
    return df


def concat(results: list[Results]) -> Results:
    """Stack the tables of several runs (e.g. replications or scenarios)."""
    def cat(name: str) -> pd.DataFrame | None:
        parts = [getattr(r, name) for r in results if getattr(r, name) is not None]
        if not parts:
            return None
        df = pd.concat(parts, ignore_index=True)
        for col in df.columns:
            if df[col].dtype == object and col in ("scenario", "quarter", "location", "site",
                                                   "sector", "state", "tax", "field", "item",
                                                   "payer", "layer", "node", "metric"):
                df[col] = df[col].astype("category")
        return df
    return Results(**{name: cat(name) for name in
                      list(TABLES) + ["events", "project_list"]})
