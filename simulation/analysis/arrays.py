"""A comparison's series of one replication summed straight from its recorded arrays.

:func:`simulation.analysis.kpis.run_series` and :func:`~simulation.analysis.kpis.run_sectors`
group a run's tables with pandas. A replication of a batch carries its recorded arrays
(``Results.grids``, :class:`simulation.model.recorder.RunGrids`), and these functions sum
them without building the tables: a comparison's workers spent a sixth of their time
building tables and grouping them. The sums are those pandas' grouped sum takes over the
tables' rows, in their order, so the numbers are the same to the bit (tests/test_batch.py
compares both ways, on runs and on random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.model import records
from simulation.model.projects import STATE_NAMES
from simulation.model.records import Results


def grouped_sum(x: np.ndarray, contiguous: bool = True) -> np.ndarray:
    """Sum over the first axis as pandas' ``groupby().sum()`` adds a group's rows.

    Args:
        x: (rows of a group, groups...) in the table's row order.
        contiguous: the groups are runs of consecutive rows of the table (pandas then takes
            ``np.add.reduceat``); otherwise pandas' grouped kernel adds them with Kahan's
            compensation.
    """
    if contiguous:
        items = np.ascontiguousarray(np.moveaxis(x, 0, -1)).reshape(-1, x.shape[0])
        return np.add.reduceat(items.ravel(), np.arange(0, items.size, x.shape[0])
                               ).reshape(x.shape[1:])
    total, comp = np.zeros(x.shape[1:]), np.zeros(x.shape[1:])
    for v in x:
        y = v - comp
        t = total + y
        comp = t - total - y
        comp[comp != comp] = 0.0  # the kernel resets a NaN compensation (infinite sums)
        total = t
    return total


def _keyed(keys: tuple, names: dict[str, pd.Series], values: dict[str, np.ndarray]
           ) -> pd.DataFrame:
    """A frame with the run keys, label columns (str) and value columns of equal length."""
    scenario, replication, seed = keys
    n = len(next(iter(values.values())))
    cols: dict[str, object] = {
        "scenario": _cached(("scenario", scenario, n),
                            lambda: np.full(n, scenario, dtype=object)),
        "replication": np.full(n, replication, dtype=np.int32),
        "seed": np.full(n, seed, dtype=np.int64)}
    cols.update(names)
    cols.update(values)
    return pd.DataFrame(cols)


@dataclass(frozen=True)
class Rows:
    """One run's rows of a table as arrays: what a comparison's worker sends back.

    The rows are those of :meth:`frame`: the run keys, one label column (str) per axis of a
    grid, over the grid's cells in C order (those ``keep`` marks, all when None), then the
    value columns. Sent between processes they are the value arrays alone (a table's labels
    are the same for every run), and the parent builds every run's frame at once
    (:func:`join`): building and pickling a frame of strings per run was a fifth of a
    comparison's time outside the model.
    """

    keys: tuple[str, int, int]  # scenario, replication, seed
    axes: tuple[tuple[str, tuple[str, ...]], ...]  # label column → the axis' labels
    keep: np.ndarray | None
    values: dict[str, np.ndarray]

    def frame(self) -> pd.DataFrame:
        """The rows as a frame (label columns str, as the tables' reducers give them)."""
        return _keyed(self.keys, _labels({a: list(v) for a, v in self.axes}, self.keep),
                      self.values)

    def codes(self) -> list[np.ndarray]:
        """Each axis' label of every row, as its position among the axis' labels."""
        return _codes(tuple(len(v) for _, v in self.axes), self.keep)


def _codes(shape: tuple[int, ...], keep: np.ndarray | None) -> list[np.ndarray]:
    """Each axis' position of the cells of a grid of ``shape`` in C order (``keep``'s only)."""
    key = (shape, None if keep is None else keep.tobytes())
    if key not in _CODES:
        if len(_CODES) > 256:
            _CODES.clear()
        grid = np.indices(shape, dtype=np.int32).reshape(len(shape), -1)
        _CODES[key] = list(grid if keep is None else grid[:, keep])
    return _CODES[key]


_CODES: dict[tuple, list[np.ndarray]] = {}  # cells' positions already made, by grid and kept

#: the label columns of the comparison's tables, categorical once joined
LABELS = ("scenario", "quarter", "location", "sector", "field", "item", "payer")


def join(parts: list[Rows | pd.DataFrame]) -> pd.DataFrame:
    """Every run's rows in one frame, in the runs' order, the :data:`LABELS` categorical.

    The frame is the concatenation of the runs' frames (:meth:`Rows.frame`) with the label
    columns then made categorical (categories: the labels present, sorted), built from the
    runs' arrays without making a frame per run. Runs given as frames (a model that recorded
    tables rather than arrays) are concatenated as such.
    """
    if not parts:
        raise ValueError("no runs to join")
    first = parts[0]
    if not all(isinstance(p, Rows) and p.axes == first.axes
               and list(p.values) == list(first.values) for p in parts):
        df = pd.concat([p.frame() if isinstance(p, Rows) else p for p in parts],
                       ignore_index=True)
        for col in LABELS:
            if col in df:
                df[col] = df[col].astype("category")
        return df
    sizes = np.array([len(next(iter(p.values.values()))) for p in parts])
    scenarios = [p.keys[0] for p in parts]
    names = sorted(set(scenarios))
    at = {s: i for i, s in enumerate(names)}
    cols: dict[str, object] = {
        "scenario": _categorical(names, np.repeat([at[s] for s in scenarios], sizes)),
        "replication": np.repeat(np.array([p.keys[1] for p in parts], dtype=np.int32), sizes),
        "seed": np.repeat(np.array([p.keys[2] for p in parts], dtype=np.int64), sizes)}
    codes = [p.codes() for p in parts]
    for i, (axis, labels) in enumerate(first.axes):
        cols[axis] = _categorical(list(labels), np.concatenate([c[i] for c in codes]))
    for name in first.values:
        cols[name] = np.concatenate([p.values[name] for p in parts])
    return pd.DataFrame(cols)


def _categorical(labels: list[str], codes: np.ndarray) -> pd.Categorical:
    """A column of ``labels[codes]`` as ``astype("category")`` makes it of the str column."""
    present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
    dtype = pd.Series([labels[i] for i in present], dtype=str).astype("category").dtype
    where = dtype.categories.get_indexer([labels[i] for i in present])
    recode = np.full(len(labels), -1, dtype=np.int32)
    recode[present] = where
    return pd.Categorical.from_codes(recode[codes], dtype=dtype)


#: label columns already made (str Series), by their labels and rows: every replication of a
#: process has the same ones, and making string columns was most of what a reducer cost
_COLUMNS_MADE: dict[tuple, pd.Series] = {}


def _cached(key: tuple, labels) -> pd.Series:  # noqa: ANN001 - () → object array
    if key not in _COLUMNS_MADE:
        if len(_COLUMNS_MADE) > 256:
            _COLUMNS_MADE.clear()
        _COLUMNS_MADE[key] = pd.Series(labels(), dtype=object).astype(str)
    return _COLUMNS_MADE[key]


def _labels(axes: dict[str, list[str]], keep: np.ndarray | None = None
            ) -> dict[str, pd.Series]:
    """Label columns (str) of a grid over ``axes`` (name → labels), in C order.

    ``keep``: the grid's cells kept (a mask over the flattened grid), None for all.
    """
    shape = tuple(len(v) for v in axes.values())
    where = None if keep is None else keep.tobytes()
    sig = tuple((a, tuple(v)) for a, v in axes.items())

    def column(i: int, labels: list[str]) -> np.ndarray:
        return np.asarray(labels, dtype=object)[_codes(shape, keep)[i]]

    return {a: _cached((sig, i, where), lambda i=i, v=v: column(i, v))
            for i, (a, v) in enumerate(axes.items())}


#: what a series sums: output column → (table, table column, project state or None)
Wanted = dict[str, tuple[str, str, str | None]]


def series(res: Results, wanted: Wanted) -> Rows:
    """:func:`simulation.analysis.kpis.run_series` of a replication that carries ``grids``."""
    g = res.grids
    inv, pr, jobs, rev = (g(n) for n in ("investment", "projects", "jobs", "revenue"))
    Q, L, S = inv.shape[:3]
    by_site = {  # (Q, L, ...) sums over sectors (and taxes), in the tables' row order
        "investment": grouped_sum(np.moveaxis(inv, 2, 0)),
        "projects": grouped_sum(np.moveaxis(pr, 2, 0), contiguous=False),  # by state
        "jobs": grouped_sum(np.moveaxis(jobs, 2, 0)),
        "revenue": grouped_sum(np.moveaxis(rev.reshape(Q, L, -1, rev.shape[-1]), 2, 0)),
    }
    values = {}
    for name, (table, column, state) in wanted.items():
        if table == "projects":
            v = by_site[table][:, :, list(STATE_NAMES).index(state),
                               records.PROJECTS.index(column)]
        else:
            v = by_site[table][..., _COLUMNS[table].index(column)]
        values[name] = v.reshape(Q * L)
    return _rows(g, {"quarter": g.quarters, "location": g.places}, None, values)


def sectors(res: Results, wanted: Wanted) -> Rows:
    """:func:`simulation.analysis.kpis.run_sectors` of a replication that carries ``grids``."""
    g = res.grids
    inv, jobs, rev = (g(n) for n in ("investment", "jobs", "revenue"))
    Q, L, S = inv.shape[:3]
    one = {"investment": grouped_sum(inv[None]), "jobs": grouped_sum(jobs[None]),
           "revenue": grouped_sum(np.moveaxis(rev, 3, 0))}  # revenue: summed over taxes
    values = {name: one[table][..., _COLUMNS[table].index(column)].reshape(Q * L * S)
              for name, (table, column, _) in wanted.items()}
    return _rows(g, {"quarter": g.quarters, "location": g.places, "sector": g.sectors},
                 None, values)


def ties(res: Results, columns: list[str]) -> Rows:
    """:func:`simulation.analysis.kpis.run_ties` of a replication that carries ``grids``.

    The ties table's rows of the units shown (``ties_shown``), ``columns`` of its values.
    """
    g = res.grids
    arr, shown = g("ties"), g("ties_shown")  # (Q, L, C, values), (Q, L)
    Q, L, C = arr.shape[:3]
    keep = np.repeat(shown.reshape(Q * L), C)
    values = {}
    for c in columns:
        v = arr[..., records.TIES.index(c)].reshape(Q * L * C)[keep]
        values[c] = v.astype(np.int8 if c == "level" else np.float64)  # as the table's
    return _rows(g, {"quarter": g.quarters, "location": g.places, "field": g.fields}, keep,
                 values)


def costs(res: Results) -> Rows:
    """:func:`simulation.analysis.kpis.run_costs` of a replication that carries ``grids``.

    The costs table has one row per quarter, active unit, item and payer, so the grouped sum
    keeps each row as it is (``grouped_sum`` of groups of one row: pandas' result).
    """
    g = res.grids
    arr, active = g("costs"), g("active")  # (Q, L, items, payers, 1), (Q, L)
    Q, L, items, payers = arr.shape[:4]
    keep = np.repeat(active.reshape(Q * L), items * payers)
    spent = grouped_sum(arr[None, ..., records.COSTS.index("spent_bn")]).reshape(-1)[keep]
    return _rows(g, {"quarter": g.quarters, "location": g.places,
                     "item": records.COST_ITEMS, "payer": records.PAYERS}, keep,
                 {"spent_bn": spent})


def _rows(g, axes: dict[str, list[str]], keep: np.ndarray | None,  # noqa: ANN001 - RunGrids
          values: dict[str, np.ndarray]) -> Rows:
    return Rows(tuple(g.keys), tuple((a, tuple(v)) for a, v in axes.items()), keep, values)


_COLUMNS = {"investment": records.INVESTMENT, "jobs": records.JOBS, "revenue": records.REVENUE}
