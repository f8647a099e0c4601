"""The model as a function of its parameters: a matrix of points in, one row of outputs each.

:class:`ModelEvaluator` runs the model at every row of ``X`` with every seed of a fixed list
(common random numbers: every point sees the same seeds) on the project's process pool
(:func:`simulation.runs.replicate.run_jobs`) and returns, per point, one of three kinds of
output:

- ``kpis`` (levels): the partner KPIs of :data:`simulation.analysis.kpis.RUN_KPIS`, averaged
  over the seeds;
- ``kpis`` with ``scenarios`` (differences): for each scenario, the paired difference scenario −
  baseline of every KPI, seed by seed, averaged over the seeds (what planners read);
- ``moments``: the calibration moments and the distance elasticity
  (:mod:`simulation.analysis.moments`), pooled over the seeds as ratios of sums.

Sensitivity studies, the ABC-SMC calibration and the coverage check all use it.
"""

from __future__ import annotations

import functools
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from simulation.analysis.kpis import kpi_table, partner_codes
from simulation.analysis.moments import TARGETS, moment_parts, pool_moments
from simulation.config.compose import compose
from simulation.config.keys import with_values
from simulation.config.schema import RunConfig
from simulation.model.records import Results
from simulation.runs.replicate import Job, default_workers, make_pool, run_jobs
from simulation.runs.runner import prepare

OUTPUT_KINDS = ("kpis", "moments")
MOMENTS = [t.moment for t in TARGETS]


def kpi_values(results: Results, kpis: tuple[str, ...], partners: tuple[str, ...]
               ) -> np.ndarray:
    """What a worker sends back for KPIs: the KPIs of one run, in the order of ``kpis``."""
    return kpi_table(results.tables(), list(partners))[list(kpis)].to_numpy(dtype=float)[0]


def moment_values(results: Results) -> dict[str, float]:
    """What a worker sends back for moments: the sums behind them (pooled in the parent)."""
    return moment_parts(results)


def difference_names(kpis: list[str], scenarios: list[str], baseline: str) -> list[str]:
    """Output names of a differences study: ``<kpi>: <scenario> − <baseline>``."""
    return [f"{k}: {s} − {baseline}" for s in scenarios for k in kpis]


class ModelEvaluator:
    """Callable ``X (n × k), keys → Y (n × outputs)`` running the model at each row of ``X``.

    Use it as a context manager: the worker processes start once and serve every call. Every
    point is validated like a run before any of them starts.

    Args:
        overrides: Hydra-style overrides applied to every run (e.g. agent count).
        kpis: KPI names (``kind="kpis"``; see :data:`simulation.analysis.kpis.RUN_KPIS`).
        seeds: seeds run at every point (common random numbers).
        workers: worker processes (default: all cores).
        progress: show a progress bar on stderr.
        scenarios: scenarios whose paired difference from ``baseline`` is the output (none:
            the KPI levels of the composed scenario).
        baseline: the reference scenario of the differences.
        kind: ``kpis`` or ``moments``.
    """

    def __init__(self, overrides: list[str], kpis: list[str], seeds: list[int],
                 workers: int | None = None, progress: bool = True,
                 scenarios: list[str] | None = None, baseline: str = "baseline",
                 kind: str = "kpis"):
        if kind not in OUTPUT_KINDS:
            raise ValueError(f"kind={kind!r}; allowed: {', '.join(OUTPUT_KINDS)}")
        self.overrides = list(overrides)
        self.kpis = list(kpis)
        self.seeds = list(seeds)
        self.workers = workers or default_workers()
        self.progress = progress
        self.scenarios = list(scenarios or [])
        self.baseline = baseline
        self.kind = kind
        self.runs = 0
        names = [baseline, *self.scenarios] if self.scenarios else [None]
        self.bases: dict[str | None, RunConfig] = {}
        for name in names:
            extra = [] if name is None else [f"scenario={name}"]
            rc, self.inputs = prepare(compose(self.overrides + extra))
            rc.output.events = kind == "moments"
            rc.output.projects = False
            self.bases[name] = rc
        if kind == "moments":
            self.reduce: Any = moment_values
        else:
            self.reduce = functools.partial(kpi_values, kpis=tuple(self.kpis),
                                            partners=tuple(partner_codes(self.inputs)))
        self._pool: ProcessPoolExecutor | None = None

    @property
    def outputs(self) -> list[str]:
        """Names of the output columns, in order."""
        if self.kind == "moments":
            return list(MOMENTS)
        if self.scenarios:
            return difference_names(self.kpis, self.scenarios, self.baseline)
        return list(self.kpis)

    def __enter__(self) -> ModelEvaluator:
        self._pool = make_pool(self.reduce, self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def values(self, X: np.ndarray, keys: list[str], label: str = "runs"
               ) -> tuple[list[Any], list[int], list[str | None]]:
        """Run every point × scenario × seed; return the reduced values in job order.

        Returns:
            The reduced value of every run, the seeds and the scenario of each block (a point's
            runs are consecutive: scenario-major, then seed).
        """
        X = np.asarray(X, dtype=float)
        jobs = []
        seeds = [None] if "seed" in keys else self.seeds
        for i, row in enumerate(X):
            values = dict(zip(keys, (float(v) for v in row), strict=True))
            for name, base in self.bases.items():
                point = with_values(base, values)
                for seed in seeds:
                    rc = point if seed is None else with_values(point, {"seed": seed})
                    rc, _ = prepare(rc, self.inputs)  # validates the point like any run
                    jobs.append(Job(name or label, i, rc.seed, rc))
        values_, _ = run_jobs(jobs, self.reduce, workers=self.workers, progress=self.progress,
                              desc=label, pool=self._pool)
        self.runs += len(jobs)
        return values_, seeds, list(self.bases)

    def __call__(self, X: np.ndarray, keys: list[str], label: str = "runs") -> np.ndarray:
        """Outputs at every row of ``X`` (columns in the order of ``keys``)."""
        values, seeds, names = self.values(X, keys, label)
        n, m = len(seeds), len(names)
        rows = []
        for i in range(len(np.atleast_2d(X))):
            block = values[i * n * m:(i + 1) * n * m]
            rows.append(self.combine(block, n))
        return np.vstack(rows)

    def combine(self, block: list[Any], n_seeds: int) -> np.ndarray:
        """One point's outputs from its runs (scenario-major, ``n_seeds`` each)."""
        if self.kind == "moments":
            pooled = pool_moments(block[:n_seeds])
            return np.array([pooled.get(k, np.nan) for k in MOMENTS], dtype=float)
        if not self.scenarios:
            return np.mean(block, axis=0)
        base = np.asarray(block[:n_seeds])
        diffs = [np.mean(np.asarray(block[(j + 1) * n_seeds:(j + 2) * n_seeds]) - base, axis=0)
                 for j in range(len(self.scenarios))]
        return np.concatenate(diffs)
