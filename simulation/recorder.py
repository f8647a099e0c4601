"""Per-quarter accumulation of location × sector indicators, and conversion to tidy tables.

The model reports flows as they happen (projects created, licensed, disbursed, transitions,
jobs, revenue); at the end of each quarter the recorder adds stocks read off the ledger and, for
recorded quarters, stores one slice. Counts and money are scaled from agents to real units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation import records
from simulation.projects import (
    LICENSED,
    N_STATES,
    OPERATING,
    PAUSED,
    STATE_NAMES,
    TERMINATED,
)

if TYPE_CHECKING:
    from simulation.model import CooperationModel

TAX_CIT, TAX_VAT, TAX_PIT, TAX_LAND = range(4)


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
    """Collects the indicators of one run."""

    def __init__(self, model: CooperationModel):
        self.m = model
        L, S = model.L, model.S
        self._shape = (L, S)
        self._slices: dict[str, list[np.ndarray]] = {}
        self._reset()
        self.large_threshold = model.p.project.large_threshold_bn

    def _reset(self) -> None:
        L, S = self._shape
        self.inv = {c: np.zeros((L, S)) for c in ("new_projects", "licensed_projects",
                                                   "registered_bn", "disbursed_bn",
                                                   "capex_subsidy_bn", "large_modern_projects")}
        self.entered = np.zeros((L, S, N_STATES))
        self.jobs = np.zeros((L, S, 3))
        self.rev = np.zeros((L, S, 4, 3))  # collected, retained, tax expenditure
        self._moved: dict[int, list[np.ndarray]] = {}

    # ------------------------------------------------------------------ flows
    def _add(self, arr: np.ndarray, rows: np.ndarray, values: np.ndarray | float = 1.0) -> None:
        lg = self.m.ledger
        arr += grid(lg.loc[rows], lg.sector[rows], values, self._shape)

    def on_created(self, rows: np.ndarray) -> None:
        """New proposals."""
        self._add(self.inv["new_projects"], rows)
        self.on_transition(rows, 0)

    def on_licensed(self, rows: np.ndarray) -> None:
        """Projects licensed: registered capital, subsidies, large modern projects."""
        lg = self.m.ledger
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
        lg = self.m.ledger
        self.entered[:, :, new_state] += grid(lg.loc[rows], lg.sector[rows], 1.0, self._shape)
        self._moved.setdefault(new_state, []).append(rows)

    def moved(self, state: int) -> np.ndarray:
        """Rows that entered ``state`` this quarter."""
        parts = self._moved.get(state)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def opened_rows(self) -> np.ndarray:
        """Projects that started operating for the first time this quarter."""
        rows = self.moved(OPERATING)
        return rows[self.m.ledger.t_operating[rows] == self.m.quarter]

    def failed_rows(self) -> np.ndarray:
        """Projects terminated or revoked this quarter."""
        return self.moved(TERMINATED)

    def add_jobs(self, loc: np.ndarray, sec: np.ndarray, kind: int, jobs: np.ndarray) -> None:
        """Jobs of kind 0 direct, 1 local indirect, 2 HCMC-linked."""
        self.jobs[:, :, kind] += grid(loc, sec, jobs, self._shape)

    def add_revenue(self, loc: np.ndarray | int, sec: np.ndarray, tax: int,
                    collected: np.ndarray, retained: np.ndarray, expenditure: np.ndarray) -> None:
        """Revenue of one tax booked at a location."""
        L, S = self._shape
        idx = loc * S + sec
        for j, v in enumerate((collected, retained, expenditure)):
            self.rev[:, :, tax, j] += np.bincount(idx, weights=v, minlength=L * S).reshape(L, S)

    def operating_count(self) -> np.ndarray:
        """Operating projects per location × sector, in real units."""
        lg = self.m.ledger
        op = lg.view("state") == OPERATING
        return grid(lg.view("loc")[op], lg.view("sector")[op], self.m.scale, self._shape)

    # ------------------------------------------------------------------ end of quarter
    def end_quarter(self) -> None:
        """Add stocks and store the quarter's slice if it is recorded."""
        m = self.m
        if m.recorded[m.k]:
            lg = m.ledger
            L, S = self._shape
            state, loc, sec = lg.view("state"), lg.view("loc"), lg.view("sector")
            flat = (loc * S + sec) * N_STATES + state
            count = np.bincount(flat, minlength=L * S * N_STATES).reshape(L, S, N_STATES)
            valid = (state >= LICENSED) & (state <= PAUSED)
            ls = loc[valid] * S + sec[valid]
            reg = np.bincount(ls, weights=lg.view("capital")[valid], minlength=L * S)
            dis = np.bincount(ls, weights=lg.view("disbursed")[valid], minlength=L * S)
            s = m.scale
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
            self._store("ties", np.stack([m.W, m.levels.astype(float), m.activity], axis=-1))
            self._store("locations", np.stack([m.dx, m.promotion, m.land_available,
                                               m.congestion, m.human_capital], axis=-1))
            self._store("quarter", np.array(m.quarter_label))
        self._reset()

    def _store(self, name: str, arr: np.ndarray) -> None:
        self._slices.setdefault(name, []).append(np.array(arr, copy=True))

    # ------------------------------------------------------------------ tables
    def results(self, scenario: str, replication: int, seed: int, events: bool = False,
                projects: bool = False) -> records.Results:
        """The tidy tables of the run."""
        m = self.m
        q = [str(x) for x in self._slices.get("quarter", [])]
        locs, secs = m.location_codes, m.sector_codes
        keys = (scenario, replication, seed)

        def stacked(name: str) -> np.ndarray:
            return np.stack(self._slices[name])

        def table(name: str, axes: list, cols: list[str]) -> pd.DataFrame:
            arr = stacked(name)
            return records.frame({c: arr[..., i] for i, c in enumerate(cols)}, axes, *keys)

        qa, la, sa = ("quarter", q), ("location", locs), ("sector", secs)
        partners = [locs[i] for i in m.partners]
        ties_arr = stacked("ties")[:, m.partners]
        res = records.Results(
            investment=table("investment", [qa, la, sa], records.INVESTMENT),
            projects=table("projects", [qa, la, sa, ("state", list(STATE_NAMES))],
                           records.PROJECTS),
            jobs=table("jobs", [qa, la, sa], records.JOBS),
            revenue=table("revenue", [qa, la, sa, ("tax", records.TAXES)], records.REVENUE),
            ties=records.frame({c: ties_arr[..., i] for i, c in enumerate(records.TIES)},
                               [qa, ("location", partners), ("field", m.field_codes)], *keys),
            locations=table("locations", [qa, la], records.LOCATIONS),
        )
        if events:
            res.events = self._events(scenario, replication, seed)
        if projects:
            res.project_list = self._projects(scenario, replication, seed)
        return res

    def _events(self, scenario: str, replication: int, seed: int) -> pd.DataFrame:
        m, lg = self.m, self.m.ledger
        ev = lg.events()
        rows = ev[:, 0]
        first = int(m.schedule.quarters[0])
        names = ["created", *STATE_NAMES]  # from-state -1 is creation
        return pd.DataFrame({
            "scenario": pd.Categorical([scenario] * len(ev)),
            "replication": np.full(len(ev), replication, np.int32),
            "seed": np.full(len(ev), seed, np.int64),
            "quarter": pd.Categorical.from_codes(ev[:, 1] - first, m.quarter_labels),
            "project": rows,
            "location": pd.Categorical.from_codes(lg.loc[rows], m.location_codes),
            "sector": pd.Categorical.from_codes(lg.sector[rows], m.sector_codes),
            "from_state": pd.Categorical.from_codes(ev[:, 2] + 1, names),
            "to_state": pd.Categorical.from_codes(ev[:, 3], list(STATE_NAMES)),
        })

    def _projects(self, scenario: str, replication: int, seed: int) -> pd.DataFrame:
        m, lg = self.m, self.m.ledger
        n = lg.n
        return pd.DataFrame({
            "scenario": pd.Categorical([scenario] * n),
            "replication": np.full(n, replication, np.int32), "seed": np.full(n, seed, np.int64),
            "project": np.arange(n), "firm": lg.view("firm"),
            "location": pd.Categorical.from_codes(lg.view("loc"), m.location_codes),
            "sector": pd.Categorical.from_codes(lg.view("sector"), m.sector_codes),
            "state": pd.Categorical.from_codes(lg.view("state"), list(STATE_NAMES)),
            "capital_bn": lg.view("capital"), "disbursed_bn": lg.view("disbursed"),
            "land_ha": lg.view("land_ha"), "modern": lg.view("modern"),
            "subsidiary": lg.view("subsidiary"),
            "created": [m.quarter_labels[q - int(m.schedule.quarters[0])]
                        for q in lg.view("t_created")],
        })

