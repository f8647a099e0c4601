"""The project ledger: one row per project in columnar numpy arrays with capacity doubling.

A ledger may hold the projects of several replications of a batch (:mod:`simulation.model.
batch`): ``rep`` names each row's replication and ``row`` its index within that replication
(the project number of its tables and the entity key of the initial stock), so every
replication sees the rows it would have in a run of its own, in the same order.
"""

from __future__ import annotations

import numpy as np

from simulation.model.rules.lifecycle import disbursement

# Lifecycle states (MODEL_SPEC §6)
PROPOSAL, LICENSED, CONSTRUCTION, OPERATING, PAUSED, TERMINATED, EXITED = range(7)
STATE_NAMES = ("proposal", "licensed", "construction", "operating", "paused", "terminated",
               "exited")
N_STATES = len(STATE_NAMES)

# Keys of the initial stock's projects (installed from data, never drawn by a firm's choice)
# start here, above every (quarter << 32) | firm key of a chosen project.
STOCK_KEY = np.uint64(1) << np.uint64(62)


def from_stock(key: np.ndarray) -> np.ndarray:
    """True for projects of the initial stock (by their reserved key range)."""
    return np.asarray(key, dtype=np.uint64) >= STOCK_KEY

_COLUMNS: dict[str, type] = {
    "key": np.uint64,  # entity key of the project's random draws: (quarter << 32) | firm
    "firm": np.int64,
    "loc": np.int64,
    "sector": np.int64,
    "state": np.int8,
    "capital": np.float64,  # registered capital, bn VND
    "disbursed": np.float64,  # capital disbursed so far, bn VND
    "land_ha": np.float64,  # land need / held
    "has_land": np.bool_,
    "modern": np.bool_,  # modern-technology flag
    "subsidiary": np.bool_,  # legal form: subsidiary (True) or dependent unit (False)
    "regime": np.int8,  # CIT regime code, fixed at licensing
    "subsidy_pct": np.float64,
    "build_quarters": np.int64,  # construction duration
    "built": np.int64,  # construction quarters completed
    "t_created": np.int64,  # absolute quarter indices
    "t_licensed": np.int64,
    "t_state": np.int64,  # quarter the current state was entered
    "t_operating": np.int64,
    "paused_from": np.int8,
    "rep": np.int64,  # replication of the batch (0 in a single run)
    "row": np.int64,  # row within the replication (the project number)
}


class ProjectLedger:
    """Columnar store of projects; ``ledger.state[:ledger.n]`` etc. are the live rows."""

    def __init__(self, capacity: int = 1024, replications: int = 1):
        self.n = 0
        self.counts = np.zeros(replications, dtype=np.int64)  # rows per replication
        self._cap = capacity
        for name, dtype in _COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        self._events: list[np.ndarray] = []

    def _grow(self, needed: int) -> None:
        cap = self._cap
        while cap < needed:
            cap *= 2
        for name in _COLUMNS:
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        self._cap = cap

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append projects; every column not given is zero. Returns the new row indices.

        ``rep`` (default 0) must be sorted; each replication's new rows are numbered on from
        its last one (``row``).
        """
        k = len(next(iter(columns.values())))
        if self.n + k > self._cap:
            self._grow(self.n + k)
        rows = np.arange(self.n, self.n + k)
        for name, values in columns.items():
            getattr(self, name)[rows] = values
        rep = self.rep[rows]
        per = np.bincount(rep, minlength=len(self.counts))
        start = np.cumsum(per) - per  # first new row of each replication
        self.row[rows] = self.counts[rep] + np.arange(k) - start[rep]
        self.counts += per
        self.n += k
        return rows

    def next_rows(self, rep: int, k: int) -> np.ndarray:
        """The ``row`` numbers the next ``k`` projects of replication ``rep`` will get."""
        return np.arange(self.counts[rep], self.counts[rep] + k)

    def view(self, name: str) -> np.ndarray:
        """The live rows of a column (a view, not a copy)."""
        return getattr(self, name)[: self.n]

    def transition(self, rows: np.ndarray, new_state: int, quarter: int) -> None:
        """Move projects to a new state and log the event."""
        if len(rows) == 0:
            return
        old = self.state[rows].copy()
        self.state[rows] = new_state
        self.t_state[rows] = quarter
        self._events.append(np.stack([rows, np.full(len(rows), quarter), old,
                                      np.full(len(rows), new_state)], axis=1))

    def log_created(self, rows: np.ndarray, quarter: int) -> None:
        """Log the creation of new projects (from-state -1)."""
        self._events.append(np.stack([rows, np.full(len(rows), quarter),
                                      np.full(len(rows), -1), self.state[rows]], axis=1))

    def license(self, rows: np.ndarray, quarter: int, regime: np.ndarray, subsidy_pct: np.ndarray
                ) -> None:
        """Licensing fixes the quarter, the CIT regime and the capex subsidy of projects."""
        self.t_licensed[rows] = quarter
        self.regime[rows] = regime
        self.subsidy_pct[rows] = subsidy_pct

    def disburse(self, rows: np.ndarray, realisation_share: float | np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        """One quarter of construction: capital disbursed evenly over the build time.

        ``realisation_share``: one number, or each row's own (a batch's drawn values).

        Returns:
            The capital disbursed per row and the rows whose construction is now complete.
        """
        spend = disbursement(self.capital[rows], realisation_share, self.build_quarters[rows])
        self.disbursed[rows] += spend
        self.built[rows] += 1
        return spend, rows[self.built[rows] >= self.build_quarters[rows]]

    def events_since(self, i: int) -> tuple[np.ndarray, int]:
        """Transitions logged since the ``i``-th log entry, and the next entry's number."""
        new = self._events[i:]
        out = (np.concatenate(new) if new else np.zeros((0, 4), dtype=np.int64))
        return out, len(self._events)

    def events(self) -> np.ndarray:
        """All logged transitions as an (n, 4) int array: row, quarter, from, to."""
        if not self._events:
            return np.zeros((0, 4), dtype=np.int64)
        return np.concatenate(self._events).astype(np.int64)
