"""Named outcomes of a policy and the paired evaluator that the searches run on.

An :class:`Outcome` is one number per run, read through the indicator registry
(:mod:`simulation.analysis.kpis`) and the comparison's measures
(:mod:`simulation.analysis.measures`), e.g. direct jobs in the partners at the horizon or the
revenue they retain over the window. A policy's outcome is always a paired difference: the
mean over replications of (policy − baseline), replication ``r`` of both run with the same seed
(common random numbers), so two packages or two futures are compared like with like.

:class:`PairedEvaluator` runs any list of run configs at the shared seeds on the project's one
process pool (:mod:`simulation.runs.replicate`) and returns the outcomes of every run; the
policy search (:mod:`simulation.analysis.optimise`) and scenario discovery
(:mod:`simulation.analysis.discovery`) both use it.
"""

from __future__ import annotations

import dataclasses
import functools
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import kpis, measures
from simulation.analysis.costs import programme_cost
from simulation.config.schema import RunConfig
from simulation.errors import ConfigError
from simulation.model import records
from simulation.model.records import Results
from simulation.runs.replicate import Job, default_workers, make_pool, run_jobs

MAXIMISE, MINIMISE = "max", "min"


@dataclass(frozen=True)
class Outcome:
    """One number per run: an indicator and measure at the partners' or the national total.

    Attributes:
        name: the outcome's name in configs and tables.
        label: plain-language name (tables, figure axes).
        kpi: the indicator (:data:`simulation.analysis.kpis.INDICATORS`); ``None`` for the
            programme cost, read from the model's ``costs`` table.
        measure: ``horizon`` or ``cumulative`` (:data:`simulation.analysis.kpis.MEASURES`).
        where: :data:`~simulation.analysis.measures.PARTNERS` or
            :data:`~simulation.analysis.measures.NATIONAL`.
        sense: ``max`` (more is better) or ``min``.
    """

    name: str
    label: str
    kpi: str | None
    measure: str
    where: str
    sense: str

    @property
    def unit(self) -> str:
        """Unit of the outcome (of its paired difference)."""
        if self.kpi is None:
            return "bn VND"
        return kpis.INDICATORS[self.kpi].unit_of(self.measure)


P, N = measures.PARTNERS, measures.NATIONAL
OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("partner_direct_jobs", "Direct jobs in the partners at the horizon", "direct_jobs",
            "horizon", P, MAXIMISE),
    Outcome("partner_total_jobs", "Total jobs in the partners at the horizon", "total_jobs",
            "horizon", P, MAXIMISE),
    Outcome("partner_job_years", "Direct job-years in the partners over the window",
            "direct_jobs", "cumulative", P, MAXIMISE),
    Outcome("partner_retained_bn", "Revenue retained by the partners, cumulated",
            "retained_bn", "cumulative", P, MAXIMISE),
    Outcome("partner_registered_bn", "Investment registered in the partners, cumulated",
            "registered_bn", "cumulative", P, MAXIMISE),
    Outcome("partner_tax_expenditure_bn", "Tax expenditure in the partners, cumulated",
            "tax_expenditure_bn", "cumulative", P, MINIMISE),
    Outcome("national_direct_jobs", "Direct jobs in the whole country at the horizon",
            "direct_jobs", "horizon", N, MAXIMISE),
    Outcome("national_collected_bn", "Budget revenue collected in the whole country, cumulated",
            "collected_bn", "cumulative", N, MAXIMISE),
    Outcome("programme_cost_bn", "Programme cost (outlays and tax expenditure), cumulated",
            None, "cumulative", N, MINIMISE),
)}


def has_costs() -> bool:
    """True when the model records the programme's costs (a ``costs`` table)."""
    return "costs" in getattr(records, "TABLES", {})


def check_outcome(key: str, name: str) -> Outcome:
    """The one outcome named in a config (one line naming key, value and what is allowed)."""
    if name not in OUTCOMES:
        raise ConfigError(f"{key}={name!r} is unknown; allowed: {', '.join(OUTCOMES)}")
    return check_outcomes(key, [name])[0]


def check_outcomes(key: str, names: list[str]) -> list[Outcome]:
    """The outcomes named in a config (one line naming key, value and what is allowed).

    Raises:
        ConfigError: an unknown name, a repeated one, or the programme cost without the
            model's costs table.
    """
    if not names:
        raise ConfigError(f"{key} is empty; allowed: one or more of {', '.join(OUTCOMES)}")
    for n in names:
        if n not in OUTCOMES:
            raise ConfigError(f"{key} contains unknown {n!r}; allowed: {', '.join(OUTCOMES)}")
        if OUTCOMES[n].kpi is None and not has_costs():
            raise ConfigError(f"{key} contains {n!r}, but this model version records no costs "
                              "table; allowed: " + ", ".join(o.name for o in OUTCOMES.values()
                                                             if o.kpi is not None))
    if len(set(names)) < len(names):
        raise ConfigError(f"{key}={names} names an outcome twice")
    return [OUTCOMES[n] for n in names]


# --------------------------------------------------------------------------- one run


def run_values(res: Results, names: tuple[str, ...], units: pd.DataFrame, window_start: str,
               horizon: str) -> np.ndarray:
    """The outcomes of one run, in the order of ``names`` (what a worker sends back).

    Args:
        res: the run's tables.
        names: outcome names.
        units: reporting units of the pre-2025 boundaries (:func:`measures.locations`).
        window_start: first quarter of the cumulative window.
        horizon: the last recorded quarter.
    """
    agg = measures.aggregate(kpis.run_series(res), units)
    m = measures.measures(agg, window_start, horizon)
    m = m.set_index(["location", "kpi", "measure"])["value"]
    out = []
    for n in names:
        o = OUTCOMES[n]
        if o.kpi is None:
            out.append(programme_cost(res.costs, window_start, horizon))
        else:
            out.append(float(m[(o.where, o.kpi, o.measure)]))
    return np.asarray(out, dtype=float)


# --------------------------------------------------------------------------- many runs, paired


class PairedEvaluator:
    """Runs configs at shared seeds and returns their outcomes (a context manager).

    Every config given to :meth:`values` runs once per seed; replication ``r`` of every config
    uses ``seeds[r]``, so the outcomes of two configs (a package and the baseline, or a policy
    and the baseline in one future) pair replication by replication.

    Args:
        names: outcome names (checked with :func:`check_outcomes`).
        units: reporting units (:func:`measures.locations` on pre-2025 boundaries).
        seeds: the replication seeds.
        window_start, horizon: the window of the cumulative measures and the horizon.
        workers: processes (``None``: one per core; 1 runs in this process).
        progress: a progress bar on stderr.
    """

    def __init__(self, names: list[str], units: pd.DataFrame, seeds: list[int],
                 window_start: str, horizon: str, workers: int | None = None,
                 progress: bool = True):
        self.names = list(names)
        self.seeds = [int(s) for s in seeds]
        self.workers = workers or default_workers()
        self.progress = progress
        self.runs = 0
        self.reduce = functools.partial(run_values, names=tuple(self.names), units=units,
                                        window_start=window_start, horizon=horizon)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PairedEvaluator:
        if self.workers > 1:
            self._pool = make_pool(self.reduce, self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def values(self, configs: list[tuple[str, RunConfig]], desc: str = "runs") -> np.ndarray:
        """Outcomes of every (label, config) at every seed.

        Returns:
            Array of shape ``(len(configs), len(seeds), len(names))``.

        Raises:
            RunFailedError: a run failed (names its label and seed).
        """
        jobs = []
        for i, (label, rc) in enumerate(configs):
            for r, seed in enumerate(self.seeds):
                jobs.append(Job(label, i * len(self.seeds) + r, seed,
                                dataclasses.replace(rc, seed=seed, replication=r)))
        values, _ = run_jobs(jobs, self.reduce, workers=self.workers, progress=self.progress,
                             desc=desc, pool=self._pool)
        self.runs += len(jobs)
        return np.asarray(values, dtype=float).reshape(len(configs), len(self.seeds),
                                                      len(self.names))
