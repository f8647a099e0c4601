"""Evaluate the model's KPIs at many parameter points, on the project's replication pool.

Every point runs with the same seeds (common random numbers), so differences between points
come from the parameters, not from different random draws; with several seeds the KPI is their
mean. The runs go through :func:`simulation.runs.replicate.run_jobs` (the one process pool of
the project), so results depend only on the point and the seeds, never on the number of workers.
"""

from __future__ import annotations

import functools
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from simulation.config.compose import compose
from simulation.config.keys import with_values
from simulation.model.records import Results
from simulation.runs.replicate import Job, default_workers, make_pool, run_jobs
from simulation.runs.runner import prepare
from simulation.sweeps.kpis import kpi_table, partner_codes


def kpi_values(results: Results, kpis: tuple[str, ...], partners: tuple[str, ...]
               ) -> np.ndarray:
    """What a worker sends back: the KPIs of one run, in the order of ``kpis``."""
    return kpi_table(results.tables(), list(partners))[list(kpis)].to_numpy(dtype=float)[0]


class ModelEvaluator:
    """Callable ``X (n × k), keys → Y (n × kpis)`` running the model at each row of ``X``.

    Use it as a context manager: the worker processes start once and serve every stage of a
    study. Every point is validated like a run before any of them starts.

    Args:
        overrides: Hydra-style overrides applied to every run (e.g. agent count).
        kpis: KPI names (see :data:`simulation.sweeps.kpis.KPIS`).
        seeds: seeds run at every point; the KPI is their mean.
        workers: worker processes (default: all cores).
        progress: show a progress bar on stderr.
    """

    def __init__(self, overrides: list[str], kpis: list[str], seeds: list[int],
                 workers: int | None = None, progress: bool = True):
        self.overrides = list(overrides)
        self.kpis = list(kpis)
        self.seeds = list(seeds)
        self.workers = workers or default_workers()
        self.progress = progress
        self.runs = 0
        rc, self.inputs = prepare(compose(self.overrides))
        rc.output.events = False
        rc.output.projects = False
        self.base = rc
        self.reduce = functools.partial(kpi_values, kpis=tuple(self.kpis),
                                        partners=tuple(partner_codes(self.inputs)))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ModelEvaluator:
        self._pool = make_pool(self.reduce, self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __call__(self, X: np.ndarray, keys: list[str], label: str = "runs") -> np.ndarray:
        """KPIs at every row of ``X`` (columns in the order of ``keys``)."""
        X = np.asarray(X, dtype=float)
        jobs = []
        # a point that sets the seed itself runs once with it; others run with every study seed
        seeds = [None] if "seed" in keys else self.seeds
        for i, row in enumerate(X):
            point = with_values(self.base, dict(zip(keys, (float(v) for v in row), strict=True)))
            for seed in seeds:
                rc = point if seed is None else with_values(point, {"seed": seed})
                rc, _ = prepare(rc, self.inputs)  # validates the point like any run
                jobs.append(Job(label, i, rc.seed, rc))
        values, _ = run_jobs(jobs, self.reduce, workers=self.workers, progress=self.progress,
                             desc=label, pool=self._pool)
        self.runs += len(jobs)
        n = len(seeds)
        return np.vstack([np.mean(values[i * n:(i + 1) * n], axis=0) for i in range(len(X))])
