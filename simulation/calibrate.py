"""The ``calibrate`` app: method of simulated moments with common random numbers.

    python -m simulation.calibrate                      # configs/calibrate.yaml
    python -m simulation.calibrate replications=4 design_points=16 refine_iterations=10

Moments are the MODEL_SPEC §11 calibration moments pooled over ``replications`` seeds; every
parameter vector is run with the *same* seeds, so the simulated objective changes with θ, not
with the draws. The objective is ``J(θ) = Σ_k ((m_k(θ) − target_k) / h_k)²`` with ``h_k`` half the
width of the target's band (a diagonal weighting by the stated precision of each target). A
scrambled Sobol design over the bounds is evaluated first (in parallel processes); Nelder–Mead
refines from the best design point. The best ``accept_share`` of the design points are kept as
parameter draws (rejection ABC) for propagating parameter uncertainty into comparisons.

Writes ``<output_dir>/<output_name>.yaml`` (a Hydra ``params`` config: use it with
``+params=<output_name>``), ``<output_name>_draws.csv`` and a fit report in ``report_dir``.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import hydra
import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf
from scipy.optimize import minimize
from scipy.stats import qmc

from simulation.analysis import moment_parts, pool_moments
from simulation.calibrate_config import run_config, validate_calibrate
from simulation.calibration_targets import TARGETS
from simulation.config.compose import CONFIG_DIR, register_configs
from simulation.config.keys import nested
from simulation.config.schema import CalibrateConfig
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.io import atomic_write_text
from simulation.model.records import Results
from simulation.runs.replicate import Job, make_pool, replication_seeds, run_jobs
from simulation.runs.runner import prepare

MOMENTS = [t.moment for t in TARGETS]


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


def _with_seed(rc, seed: int, replication: int):
    import dataclasses

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


def write_outputs(cfg: CalibrateConfig, fit: dict) -> list[Path]:
    """The calibrated params config, the parameter draws and the fit report."""
    today = date.today().isoformat()
    out_dir = _resolve(cfg.output_dir)
    rep_dir = _resolve(cfg.report_dir)
    targets = ", ".join(f"{k}={v:g}" for k, v in fit["targets"].items())
    header = (f"# @package params\n# Calibrated by the method of simulated moments on {today}\n"
              f"# targets: {targets}\n# fit: J={fit['J']:.4g} over {fit['evaluations']} "
              f"evaluations × {len(fit['seeds'])} seeds; report: {cfg.report_dir}/"
              f"fit_{cfg.output_name}.md\n# use: python -m simulation +params={cfg.output_name}\n")
    yaml_path = out_dir / f"{cfg.output_name}.yaml"
    atomic_write_text(yaml_path, header + OmegaConf.to_yaml(OmegaConf.create(nested(
        {k: round(v, 6) for k, v in fit["parameters"].items()}))))
    draws_path = out_dir / f"{cfg.output_name}_draws.csv"
    atomic_write_text(draws_path, fit["draws"].to_csv(index=False))
    rows = [{"moment": k, "target": fit["targets"].get(k, np.nan),
             "half_band": fit["scales"][k], "model": fit["moments"].get(k, np.nan)}
            for k in MOMENTS]
    report = (
        f"# Calibration fit: {cfg.output_name}\n\nDate: {today}. Method of simulated moments "
        f"with common random numbers: {len(fit['seeds'])} seeds per parameter vector (the same "
        f"for every vector), scrambled Sobol design of {cfg.design_points} points, then "
        f"Nelder–Mead ({cfg.refine_iterations} evaluations at most). Objective "
        "J = Σ ((moment − target) / half band)².\n\n"
        f"Runtime: {fit['wall_s']:.0f} s for {fit['runs']} runs on {_cores(cfg)} processes.\n\n"
        "## Parameters\n\n" + pd.DataFrame(
            [{"parameter": f"params.{b.key}", "low": b.low, "high": b.high,
              "calibrated": fit["parameters"][b.key]} for b in cfg.parameters]
        ).to_markdown(index=False, floatfmt=".4g")
        + f"\n\n## Moments at the optimum (J = {fit['J']:.3g})\n\n"
        + pd.DataFrame(rows).to_markdown(index=False, floatfmt=".4g")
        + f"\n\n## Parameter draws\n\nThe best {len(fit['draws'])} design points by J "
        f"(rejection ABC), in `{cfg.output_dir}/{cfg.output_name}_draws.csv`; comparisons can "
        "run over them (`parameter_draws=` in the compare app).\n\n"
        + fit["draws"].describe().loc[["mean", "std", "min", "max"]].to_markdown(floatfmt=".4g")
        + "\n")
    report_path = rep_dir / f"fit_{cfg.output_name}.md"
    atomic_write_text(report_path, report)
    return [yaml_path, draws_path, report_path]


def _cores(cfg: CalibrateConfig) -> int:
    from simulation.runs.replicate import default_workers

    return cfg.workers or default_workers()


def _resolve(path: str) -> Path:
    return Path(path)


def run_task(cfg: DictConfig) -> None:
    """Hydra task: validate, calibrate, write, summarise."""
    try:
        c = OmegaConf.to_object(cfg)
        assert isinstance(c, CalibrateConfig)
        validate_calibrate(c, MOMENTS)
        fit = calibrate(c)
        paths = write_outputs(c, fit)
    except (ConfigError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except RunFailedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(3) from None
    print(f"\nJ = {fit['J']:.4g} after {fit['evaluations']} evaluations ({fit['runs']} runs, "
          f"{fit['wall_s']:.0f} s)")
    for k, v in fit["parameters"].items():
        print(f"  params.{k} = {v:.4g}")
    for k, v in fit["moments"].items():
        print(f"  {k:<26} model {v:10.4g}   target {fit['targets'].get(k, float('nan')):10.4g}")
    print("Calibration written to " + ", ".join(str(p) for p in paths))


register_configs()
_hydra_main = hydra.main(config_path=str(CONFIG_DIR), config_name="calibrate",
                         version_base="1.3")(run_task)


def main() -> None:
    """Console entry point."""
    _hydra_main()


if __name__ == "__main__":
    main()
