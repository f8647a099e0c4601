"""Evaluate the model's KPIs at many parameter points, in parallel worker processes.

Every point runs with the same seeds (common random numbers), so differences between points
come from the parameters, not from different random draws; with several seeds the KPI is their
mean. Results depend only on the point and the seeds, never on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
from tqdm import tqdm

from simulation.config.compose import compose
from simulation.config.keys import with_values
from simulation.runner import prepare, simulate
from simulation.sweeps.kpis import kpi_table, partner_codes

_STATE: dict[str, Any] = {}  # per worker process: base config, inputs, partners, keys


def _init(overrides: list[str], kpis: list[str], seeds: list[int]) -> None:
    rc, inputs = prepare(compose(overrides))
    rc.output.events = False
    rc.output.projects = False
    _STATE.update(rc=rc, inputs=inputs, partners=partner_codes(inputs), kpis=kpis,
                  seeds=seeds)


def _evaluate_row(task: tuple[list[str], np.ndarray]) -> np.ndarray:
    keys, row = task
    s = _STATE
    values = []
    # a point that sets the seed itself runs once with it; others run with every study seed
    for seed in [None] if "seed" in keys else s["seeds"]:
        rc = with_values(s["rc"], dict(zip(keys, (float(v) for v in row), strict=True)))
        if seed is not None:
            rc.seed = int(seed)
        rc, _ = prepare(rc, s["inputs"])  # validates the point like any run
        results, _ = simulate(rc, s["inputs"])
        k = kpi_table(results.tables(), s["partners"])
        values.append(k[s["kpis"]].to_numpy(dtype=float)[0])
    return np.mean(values, axis=0)


class ModelEvaluator:
    """Callable ``X (n × k), keys → Y (n × kpis)`` running the model at each row of ``X``.

    Use it as a context manager: the worker processes start once (loading the data and
    composing the base config) and serve every stage of a study.

    Args:
        overrides: Hydra-style overrides applied to every run (e.g. agent count).
        kpis: KPI names (see :data:`simulation.sweeps.kpis.KPIS`).
        seeds: seeds run at every point; the KPI is their mean.
        workers: worker processes (default: all cores).
    """

    def __init__(self, overrides: list[str], kpis: list[str], seeds: list[int],
                 workers: int | None = None):
        self.overrides = list(overrides)
        self.kpis = list(kpis)
        self.seeds = list(seeds)
        self.workers = workers or os.cpu_count() or 1
        self.runs = 0
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ModelEvaluator:
        ctx = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init,
                                         initargs=(self.overrides, self.kpis, self.seeds))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __call__(self, X: np.ndarray, keys: list[str], label: str = "runs") -> np.ndarray:
        """KPIs at every row of ``X`` (columns in the order of ``keys``)."""
        if self._pool is None:
            with self:
                return self(X, keys, label)
        X = np.asarray(X, dtype=float)
        chunk = max(1, min(16, len(X) // (self.workers * 8)))  # small: steady progress
        tasks = [(list(keys), row) for row in X]
        out = list(tqdm(self._pool.map(_evaluate_row, tasks, chunksize=chunk), total=len(X),
                        desc=label, unit="point", mininterval=5))
        self.runs += len(X) * (1 if "seed" in keys else len(self.seeds))
        return np.vstack(out)
