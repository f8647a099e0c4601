"""Calibration by the method of simulated moments with common random numbers (MODEL_SPEC §11).

Moments are the §11 calibration moments (:mod:`simulation.analysis.moments`) pooled over
``replications`` seeds; every parameter vector is run with the *same* seeds, so the simulated
objective changes with θ, not with the draws. The objective is
``J(θ) = Σ_k ((m_k(θ) − target_k) / h_k)²`` with ``h_k`` half the width of the target's band
(a diagonal weighting by the stated precision of each target). A scrambled Sobol design over
the bounds is evaluated first (in parallel processes); Nelder–Mead refines from the best design
point. The best ``accept_share`` of the design points are kept as parameter draws (rejection
ABC) for propagating parameter uncertainty into comparisons.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import qmc

from simulation.analysis.moments import TARGETS, moment_parts, pool_moments
from simulation.config.keys import parameter_range, with_values
from simulation.config.schema import MAX_PARAMETERS, CalibrateConfig, OutputConfig, RunConfig
from simulation.errors import ConfigError
from simulation.model.records import Results
from simulation.runs.replicate import Job, make_pool, replication_seeds, run_jobs
from simulation.runs.runner import prepare

MOMENTS = [t.moment for t in TARGETS]
METHODS = ("abc", "msm")  # ABC-SMC posterior (simulation.analysis.posterior); simulated moments


def reduce_parts(res: Results) -> dict[str, float]:
    """What a worker sends back: the sums behind the moments."""
    return moment_parts(res)


class Objective:
    """Simulated moments and the MSM objective, with a cache and a log of evaluations."""

    def __init__(self, cfg: CalibrateConfig, seeds: list[int], targets: dict[str, float],
                 scales: dict[str, float]):
        self.cfg, self.seeds, self.targets, self.scales = cfg, seeds, targets, scales
        self.keys = [b.key for b in cfg.parameters]
        self.log: list[dict[str, float]] = []
        self.pool = make_pool(reduce_parts, cfg.workers)

    def evaluate(self, points: np.ndarray, label: str) -> list[float]:
        """Run every point with every seed (in parallel); return J of each point."""
        jobs = []
        for i, x in enumerate(points):
            rc = run_config(self.cfg, dict(zip(self.keys, x, strict=True)))
            prepare(rc)  # validates every candidate before anything runs
            for r, s in enumerate(self.seeds):
                jobs.append(Job(f"{label}{i}", r, s, _with_seed(rc, s, r)))
        parts, _ = run_jobs(jobs, reduce_parts, workers=self.cfg.workers,
                            progress=self.cfg.progress, desc=label.strip(":"), pool=self.pool)
        out = []
        R = len(self.seeds)
        for i, x in enumerate(points):
            m = pool_moments(parts[i * R:(i + 1) * R])
            j = self.j(m)
            self.log.append({"stage": label.strip(":"), **dict(zip(self.keys, x, strict=True)),
                             **m, "J": j})
            out.append(j)
        return out

    def j(self, m: dict[str, float]) -> float:
        """MSM objective of a moment vector (NaN moments count as far off)."""
        total = 0.0
        for k, target in self.targets.items():
            v = m.get(k, np.nan)
            total += 1e6 if not np.isfinite(v) else ((v - target) / self.scales[k]) ** 2
        return float(total)


def _with_seed(rc: RunConfig, seed: int, replication: int) -> RunConfig:
    return dataclasses.replace(rc, seed=int(seed), replication=replication)


def calibrate(cfg: CalibrateConfig) -> dict:
    """Run the calibration; return the fit (parameters, moments, J, draws, timings)."""
    t0 = time.perf_counter()
    targets = dict(cfg.targets) or {t.moment: t.central for t in TARGETS}
    scales = {t.moment: (t.high - t.low) / 2 for t in TARGETS}
    seeds = replication_seeds(cfg.seed, cfg.replications)
    obj = Objective(cfg, seeds, targets, scales)
    try:
        return _search(cfg, obj, t0)
    finally:
        obj.pool.shutdown(wait=True, cancel_futures=True)


def _search(cfg: CalibrateConfig, obj: Objective, t0: float) -> dict:
    """Sobol design, Nelder–Mead refinement, draws."""
    targets, scales, seeds = obj.targets, obj.scales, obj.seeds
    lo = np.array([b.low for b in cfg.parameters])
    hi = np.array([b.high for b in cfg.parameters])
    sob = qmc.Sobol(d=len(lo), scramble=True, seed=cfg.seed)
    design = qmc.scale(sob.random(cfg.design_points), lo, hi)
    j_design = obj.evaluate(design, "design:")
    best = int(np.argmin(j_design))
    x_best, j_best = design[best], j_design[best]
    if cfg.refine_iterations > 0:
        def f(x: np.ndarray) -> float:
            return obj.evaluate(np.clip(x, lo, hi)[None, :], "refine:")[0]

        span = (hi - lo) * 0.15
        simplex = np.vstack([x_best] + [np.clip(x_best + np.eye(len(lo))[i] * span[i], lo, hi)
                                        for i in range(len(lo))])
        res = minimize(f, x_best, method="Nelder-Mead", bounds=list(zip(lo, hi, strict=True)),
                       options={"maxfev": cfg.refine_iterations, "initial_simplex": simplex,
                                "xatol": 1e-3, "fatol": 1e-3})
        if res.fun < j_best:
            x_best, j_best = np.clip(res.x, lo, hi), float(res.fun)
    log = pd.DataFrame(obj.log)
    best_row = log.iloc[int(log["J"].idxmin())]
    n_keep = max(2, int(round(cfg.accept_share * len(design))))
    draws = log[log["stage"] == "design"].nsmallest(n_keep, "J")
    return {"parameters": dict(zip(obj.keys, (float(best_row[k]) for k in obj.keys),
                                   strict=True)),
            "J": float(best_row["J"]), "moments": {k: float(best_row[k]) for k in MOMENTS
                                                    if k in best_row},
            "targets": targets, "scales": scales, "seeds": seeds, "log": log,
            "draws": draws[obj.keys + ["J"]].reset_index(drop=True),
            "evaluations": len(log), "runs": len(log) * len(seeds),
            "wall_s": time.perf_counter() - t0}


def validate_calibrate(cfg: CalibrateConfig, moments: list[str]) -> None:
    """Check method, parameters, bounds and targets; raise ConfigError with one clear line."""
    if cfg.method not in METHODS:
        raise ConfigError(f"method={cfg.method!r} is unknown; allowed: " + ", ".join(METHODS))
    if not 1 <= len(cfg.parameters) <= MAX_PARAMETERS:
        raise ConfigError(f"parameters has {len(cfg.parameters)} entries; allowed: 1 to "
                          f"{MAX_PARAMETERS} (pick the influential ones by Morris screening)")
    seen = set()
    for i, b in enumerate(cfg.parameters):
        lo, hi = parameter_range(b.key)
        if b.key in seen:
            raise ConfigError(f"parameters.{i}.key={b.key!r} is listed twice")
        seen.add(b.key)
        if not b.low < b.high:
            raise ConfigError(f"parameters.{i}: low={b.low} must be below high={b.high}")
        if (lo is not None and b.low < lo) or (hi is not None and b.high > hi):
            raise ConfigError(f"parameters.{i} ({b.key}): [{b.low}, {b.high}] leaves the "
                              f"allowed range [{lo}, {hi}]")
    for name in cfg.targets:
        if name not in moments:
            raise ConfigError(f"targets has unknown moment {name!r}; allowed: "
                              + ", ".join(moments))


def run_config(cfg: CalibrateConfig, values: dict[str, float]) -> RunConfig:
    """A run config with the fixed params of ``cfg`` and the candidate ``values``."""
    rc = RunConfig(params=cfg.params, output=OutputConfig(events=True))
    return with_values(rc, {f"params.{key}": v for key, v in values.items()})
