"""Per-quarter accumulation of location × sector indicators, and conversion to tidy tables.

The model reports flows as they happen (projects created, licensed, disbursed, transitions,
jobs, revenue); at the end of each quarter the recorder adds stocks read off the ledger and, for
recorded quarters, stores one slice. Counts and money are scaled from agents to real units.

For a batch of replications (:class:`~simulation.model.tiling.Tiling`) every grid has a row
per global place slot; slices are stored per replication and each replication's tables are
built from its own slices, exactly as a run of its own builds them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model import records
from simulation.model.network.layers import Layers
from simulation.model.network.metrics import frame
from simulation.model.projects import (
    LICENSED,
    N_STATES,
    OPERATING,
    PAUSED,
    STATE_NAMES,
    TERMINATED,
    ProjectLedger,
)
from simulation.model.state import State, World
from simulation.model.tiling import Tiling
from simulation.timeline import quarter_label


def grid(loc: np.ndarray, sec: np.ndarray, values: np.ndarray | float, shape: tuple[int, int]
         ) -> np.ndarray:
    """Sum ``values`` into a (location, sector) grid (a fast ``np.add.at``)."""
    idx = loc * shape[1] + sec
    if np.ndim(values) == 0:
        flat = np.bincount(idx, minlength=shape[0] * shape[1]) * float(values)
    else:
        flat = np.bincount(idx, weights=values, minlength=shape[0] * shape[1])
    return flat.reshape(shape)


class Recorder:
    """Collects the indicators of one run.

    Args:
        world: the run's world (locations, sectors, calendar, scale).
        ledger: the project ledger the flows refer to.
        large_threshold: registered capital from which a project counts as large (bn VND).
    """

    def __init__(self, world: World, ledger: ProjectLedger, large_threshold: float,
                 sections: pd.DataFrame, tiling: Tiling | None = None):
        self.world, self.ledger, self.sections = world, ledger, sections
        self.tiling = tiling or Tiling.build(world.locations, 1, 0)
        self._shape = (self.tiling.R * world.locations.n, world.sectors.n)
        self._slices: dict[str, list[np.ndarray]] = {}
        self._quarters: list[str] = []
        self._network: list = []  # per recorded quarter: the metrics' inputs per replication
        self._reset()
        self.large_threshold = large_threshold
        self._layers: Layers | None = None  # set by the first recorded quarter

    def _reset(self) -> None:
        L, S = self._shape
        self.inv = {c: np.zeros((L, S)) for c in ("new_projects", "licensed_projects",
                                                   "registered_bn", "disbursed_bn",
                                                   "capex_subsidy_bn", "large_modern_projects")}
        self.entered = np.zeros((L, S, N_STATES))
        self.jobs = np.zeros((L, S, 3))
        self.rev = np.zeros((L, S, 4, 3))  # collected, retained, tax expenditure
        self.cost = np.zeros((L, len(records.COST_ITEMS), len(records.PAYERS)))
        self._moved: dict[int, list[np.ndarray]] = {}

    # ------------------------------------------------------------------ flows
    def _add(self, arr: np.ndarray, rows: np.ndarray, values: np.ndarray | float = 1.0) -> None:
        lg = self.ledger
        arr += grid(lg.loc[rows], lg.sector[rows], values, self._shape)

    def on_created(self, rows: np.ndarray) -> None:
        """New proposals."""
        self._add(self.inv["new_projects"], rows)
        self.on_transition(rows, 0)

    def on_licensed(self, rows: np.ndarray) -> None:
        """Projects licensed: registered capital, subsidies, large modern projects."""
        lg = self.ledger
        cap = lg.capital[rows]
        self._add(self.inv["licensed_projects"], rows)
        self._add(self.inv["registered_bn"], rows, cap)
        self._add(self.inv["capex_subsidy_bn"], rows, cap * lg.subsidy_pct[rows] / 100.0)
        large = rows[lg.modern[rows] & (cap >= self.large_threshold)]
        self._add(self.inv["large_modern_projects"], large)

    def on_disbursed(self, rows: np.ndarray, spend: np.ndarray) -> None:
        """Capital disbursed during construction."""
        self._add(self.inv["disbursed_bn"], rows, spend)

    def on_transition(self, rows: np.ndarray, new_state: int) -> None:
        """Projects entering a state."""
        lg = self.ledger
        self.entered[:, :, new_state] += grid(lg.loc[rows], lg.sector[rows], 1.0, self._shape)
        self._moved.setdefault(new_state, []).append(rows)

    def moved(self, state: int) -> np.ndarray:
        """Rows that entered ``state`` this quarter."""
        parts = self._moved.get(state)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def opened_rows(self, quarter: int) -> np.ndarray:
        """Projects that started operating for the first time this quarter."""
        rows = self.moved(OPERATING)
        return rows[self.ledger.t_operating[rows] == quarter]

    def failed_rows(self) -> np.ndarray:
        """Projects terminated or revoked this quarter."""
        return self.moved(TERMINATED)

    def add_jobs(self, loc: np.ndarray, sec: np.ndarray, kind: int, jobs: np.ndarray) -> None:
        """Jobs of kind 0 direct, 1 local indirect, 2 HCMC-linked."""
        self.jobs[:, :, kind] += grid(loc, sec, jobs, self._shape)

    def add_revenue(self, loc: np.ndarray | int, sec: np.ndarray, tax: int,
                    collected: np.ndarray, retained: np.ndarray,
                    expenditure: np.ndarray | None = None) -> None:
        """Revenue of one tax booked at a location (``expenditure`` None: no tax expenditure)."""
        L, S = self._shape
        idx = loc * S + sec
        for j, v in enumerate((collected, retained, expenditure)):
            if v is not None:  # (adding zeros would change no bit of the running sums)
                self.rev[:, :, tax, j] += np.bincount(idx, weights=v,
                                                      minlength=L * S).reshape(L, S)

    def add_revenue_grids(self, tax: int, grids: np.ndarray) -> None:
        """Revenue of one tax already summed per bin, added as :meth:`add_revenue` adds its sums.

        ``grids``: (collected, retained[, expenditure]), each (L, S).
        """
        for j, g in enumerate(grids):
            self.rev[:, :, tax, j] += g

    def add_cost(self, item: int, payer: int, values: np.ndarray) -> None:
        """The quarter's spending on one item by one payer, per unit (real bn VND)."""
        self.cost[:, item, payer] += values

    def capex_this_quarter(self, unit: np.ndarray) -> np.ndarray:
        """Capex subsidies granted this quarter, per unit (real bn VND)."""
        by_place = self.inv["capex_subsidy_bn"].sum(axis=1) * self.world.scale
        return np.bincount(unit, weights=by_place, minlength=self._shape[0])

    def operating_count(self) -> np.ndarray:
        """Operating projects per location × sector, in real units."""
        lg = self.ledger
        op = lg.view("state") == OPERATING
        return grid(lg.view("loc")[op], lg.view("sector")[op], self.world.scale, self._shape)

    # ------------------------------------------------------------------ end of quarter
    def end_quarter(self, k: int, state: State, layers: Layers) -> None:
        """Add stocks and store the slice of simulated quarter ``k`` if it is recorded."""
        if self.world.recorded[k]:
            lg, tl = self.ledger, self.tiling
            L, S = self._shape
            stage, loc, sec = lg.view("state"), lg.view("loc"), lg.view("sector")
            flat = (loc * S + sec) * N_STATES + stage
            count = np.bincount(flat, minlength=L * S * N_STATES).reshape(L, S, N_STATES)
            valid = (stage >= LICENSED) & (stage <= PAUSED)
            ls = loc[valid] * S + sec[valid]
            reg = np.bincount(ls, weights=lg.view("capital")[valid], minlength=L * S)
            dis = np.bincount(ls, weights=lg.view("disbursed")[valid], minlength=L * S)
            s = self.world.scale
            self._store("investment", np.stack(
                [self.inv[c] * s for c in ("new_projects", "licensed_projects", "registered_bn",
                                           "disbursed_bn")]
                + [reg.reshape(L, S) * s, dis.reshape(L, S) * s]
                + [self.inv[c] * s for c in ("capex_subsidy_bn", "large_modern_projects")],
                axis=-1))
            self._store("projects", np.stack([count * s, self.entered * s], axis=-1))
            jobs = self.jobs * s
            self._store("jobs", np.concatenate([jobs, jobs.sum(axis=-1, keepdims=True)], axis=-1))
            rev = self.rev * s
            central = rev[..., 0] - rev[..., 1]
            self._store("revenue", np.stack([rev[..., 0], rev[..., 1], central, rev[..., 2]],
                                            axis=-1))
            self._store("ties", np.stack([state.W, state.levels.astype(float), state.activity,
                                          state.W_felt], axis=-1))
            self._store("ties_shown", state.partner & state.active)
            self._store("unit", state.unit - tl.place_rep * tl.L)  # local unit slots
            self._store("active", state.active.copy())
            u = state.unit
            own = tl.land_initial + 1e-12  # a unit's pool shown on its places by initial land
            share = own / np.bincount(u, weights=own, minlength=L)[u]
            self._store("locations", np.stack(
                [state.dx[u], state.promotion[u], state.land_available[u] * share,
                 state.congestion[u], state.human_capital[u], state.admin[u], state.distance,
                 state.wage, state.demand, tl.labour_pool], axis=-1))
            self._store("costs", self.cost[..., None])
            self._quarters.append(self.world.labels[k])
            self._layers = layers
            self._network.append(layers.record(int(self.world.quarters[k]), state,
                                               self.sections))
        self._reset()

    def latest(self, name: str, rep: int = 0) -> np.ndarray:
        """The last stored slice of a table (real units; axes as in :data:`records.TABLES`)."""
        return self._slices[name][-1][rep]

    def _store(self, name: str, arr: np.ndarray) -> None:
        """Keep a copy of a (R·L, ...) slice as (R, L, ...)."""
        self._slices.setdefault(name, []).append(self.tiling.blocks(np.array(arr, copy=True)))

    # ------------------------------------------------------------------ tables
    def results(self, scenario: str, replication: int, seed: int, events: bool = False,
                projects: bool = False, rep: int = 0, lazy: bool = False) -> records.Results:
        """The tidy tables of the run (of replication ``rep`` of a batch).

        With ``lazy``, each table is built when it is first read (:class:`records.Deferred`).
        """
        w = self.world
        q = list(self._quarters)
        locs, secs = w.locations.codes, w.sectors.codes
        keys = (scenario, replication, seed)

        def stacked(name: str) -> np.ndarray:
            return np.stack([x[rep] for x in self._slices[name]])

        def table(name: str, axes: list, cols: list[str]) -> pd.DataFrame:
            arr = stacked(name)
            return records.frame({c: arr[..., i] for i, c in enumerate(cols)}, axes, *keys)

        qa, pa, sa = ("quarter", q), ("site", locs), ("sector", secs)

        def placed(name: str, axes: list, cols: list[str]) -> pd.DataFrame:
            df = table(name, axes, cols)
            unit = stacked("unit")[df["quarter"].cat.codes.to_numpy(),
                                   df["site"].cat.codes.to_numpy()]
            df.insert(4, "location", pd.Categorical.from_codes(unit,
                                                               dtype=records.category(*locs)))
            return df

        def ties() -> pd.DataFrame:
            df = table("ties", [qa, ("location", locs), ("field", w.sectors.field_codes)],
                       records.TIES)
            shown = stacked("ties_shown")[df["quarter"].cat.codes.to_numpy(),
                                          df["location"].cat.codes.to_numpy()]
            return df[shown].reset_index(drop=True)

        def costs() -> pd.DataFrame:
            df = table("costs", [qa, ("location", locs), ("item", records.COST_ITEMS),
                                 ("payer", records.PAYERS)], records.COSTS)
            active = stacked("active")[df["quarter"].cat.codes.to_numpy(),
                                       df["location"].cat.codes.to_numpy()]
            return df[active].reset_index(drop=True)

        builders = {
            "investment": lambda: placed("investment", [qa, pa, sa], records.INVESTMENT),
            "projects": lambda: placed("projects", [qa, pa, sa, ("state", list(STATE_NAMES))],
                                       records.PROJECTS),
            "jobs": lambda: placed("jobs", [qa, pa, sa], records.JOBS),
            "revenue": lambda: placed("revenue", [qa, pa, sa, ("tax", records.TAXES)],
                                      records.REVENUE),
            "ties": ties,
            "locations": lambda: placed("locations", [qa, pa], records.LOCATIONS),
            "costs": costs,
            "network": lambda: self._network_table(rep, keys),
        }
        if events:
            builders["events"] = lambda: self._events(scenario, replication, seed, rep)
        if projects:
            builders["project_list"] = lambda: self._projects(scenario, replication, seed, rep)
        if lazy:
            res = records.Results(**{k: records.Deferred(b) for k, b in builders.items()})
            # not pickled (not a dataclass field)
            res.grids = RunGrids(stacked, keys, q, list(locs), list(secs),
                                 list(w.sectors.field_codes))
            return res
        return records.Results(**{k: b() for k, b in builders.items()})

    def _network_table(self, rep: int, keys: tuple) -> pd.DataFrame:
        """The network metrics of every recorded quarter of replication ``rep``."""
        chunks, quarters = [], []
        for label, per_rep in zip(self._quarters, self._network, strict=True):
            parts = self._layers.metrics(per_rep[rep])
            chunks += parts
            quarters += [label] * len(parts)
        network = (frame(chunks, quarters) if chunks
                   else pd.DataFrame(columns=["quarter", "layer", "node", "metric", "value"]))
        for i, (name, value) in enumerate(zip(("scenario", "replication", "seed"), keys,
                                              strict=True)):
            network.insert(i, name, value)
        network["scenario"] = network["scenario"].astype("category")
        for col in ("quarter", "layer", "node", "metric"):
            network[col] = network[col].astype("category")
        return network

    def _unit_at(self, k: np.ndarray, place: np.ndarray) -> np.ndarray:
        """The unit of each place at simulated quarters ``k`` (the reform's successor after)."""
        w = self.world
        after = (k >= w.reform_k) if w.reform_k is not None else np.zeros(len(k), bool)
        return np.where(after, w.locations.successor[place], place)

    def _events(self, scenario: str, replication: int, seed: int, rep: int = 0
                ) -> pd.DataFrame:
        w, lg = self.world, self.ledger
        ev = lg.events()
        ev = ev[lg.rep[ev[:, 0]] == rep] if self.tiling.R > 1 else ev
        rows = ev[:, 0]
        place = self.tiling.local_place[lg.loc[rows]]
        first = int(w.quarters[0])
        names = ["created", *STATE_NAMES]  # from-state -1 is creation
        return pd.DataFrame({
            "scenario": pd.Categorical([scenario] * len(ev)),
            "replication": np.full(len(ev), replication, np.int32),
            "seed": np.full(len(ev), seed, np.int64),
            "quarter": pd.Categorical.from_codes(ev[:, 1] - first, w.labels),
            "project": lg.row[rows],
            "location": pd.Categorical.from_codes(self._unit_at(ev[:, 1] - first, place),
                                                  w.locations.codes),
            "site": pd.Categorical.from_codes(place, w.locations.codes),
            "sector": pd.Categorical.from_codes(lg.sector[rows], w.sectors.codes),
            "from_state": pd.Categorical.from_codes(ev[:, 2] + 1, names),
            "to_state": pd.Categorical.from_codes(ev[:, 3], list(STATE_NAMES)),
        })

    def _projects(self, scenario: str, replication: int, seed: int, rep: int = 0
                  ) -> pd.DataFrame:
        w, lg, tl = self.world, self.ledger, self.tiling
        rows = np.flatnonzero(lg.view("rep") == rep)
        n = rows.size
        place = tl.local_place[lg.loc[rows]]
        return pd.DataFrame({
            "scenario": pd.Categorical([scenario] * n),
            "replication": np.full(n, replication, np.int32), "seed": np.full(n, seed, np.int64),
            "project": lg.row[rows], "firm": lg.firm[rows] - rep * tl.n,
            "location": pd.Categorical.from_codes(
                self._unit_at(np.full(n, len(w.quarters) - 1), place), w.locations.codes),
            "site": pd.Categorical.from_codes(place, w.locations.codes),
            "sector": pd.Categorical.from_codes(lg.sector[rows], w.sectors.codes),
            "state": pd.Categorical.from_codes(lg.state[rows], list(STATE_NAMES)),
            "capital_bn": lg.capital[rows], "disbursed_bn": lg.disbursed[rows],
            "land_ha": lg.land_ha[rows], "modern": lg.modern[rows],
            "subsidiary": lg.subsidiary[rows],
            "created": [quarter_label(int(q)) for q in lg.t_created[rows]],
        })


class RunGrids:
    """The recorded arrays of one run, for reducers that sum them without building tables.

    ``grids(name)`` is the table ``name`` as an array (recorded quarter, place, then the
    table's other axes and its value columns last, as in :meth:`Recorder.results`); ``keys``
    are the run's scenario, replication and seed; ``quarters``, ``places``, ``sectors`` and
    ``fields`` the labels of the axes. A replication's :class:`records.Results` carries one as
    ``grids`` (``simulation.analysis.kpis.run_details`` reads it).
    """

    __slots__ = ("_stacked", "keys", "quarters", "places", "sectors", "fields")

    def __init__(self, stacked, keys: tuple, quarters: list[str], places: list[str],  # noqa: ANN001
                 sectors: list[str], fields: list[str] | None = None) -> None:
        self._stacked, self.keys = stacked, keys
        self.quarters, self.places, self.sectors = quarters, places, sectors
        self.fields = fields or []

    def __call__(self, name: str) -> np.ndarray:
        """The recorded slices of table ``name`` stacked over the recorded quarters."""
        return self._stacked(name)
