"""``python -m simulation.calibrate`` (``hcmc-calibrate``): a posterior, or a point estimate.

    python -m simulation.calibrate                       # ABC-SMC, configs/calibrate.yaml
    python -m simulation.calibrate abc.population=100    # a smaller run
    python -m simulation.calibrate method=msm replications=4 design_points=16

``method=abc`` (default): ABC-SMC over the screened parameters on the pre-2023 targets
(:func:`simulation.analysis.posterior.estimate`), resumable: re-running the same command reads
what ``abc.folder/history/`` already holds. Writes into ``abc.folder``: the final population
(``posterior.csv``), the per-parameter summary with identifiability (``summary.csv``), the
posterior correlations, the coverage check (``coverage.csv``, ``coverage_summary.csv``), the
report (``report.md``), figures and the model fingerprint; and ``abc.draws_file``, the
equally weighted posterior draws comparisons run over.

``method=msm``: the method of simulated moments
(:func:`simulation.analysis.calibration.calibrate`: Sobol design, Nelder–Mead); writes
``<output_dir>/<output_name>.yaml`` (a Hydra ``params`` config: ``+params=<output_name>``),
``<output_name>_draws.csv`` and a fit report in ``report_dir``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from simulation.analysis.calibration import MOMENTS, calibrate, validate_calibrate
from simulation.apps.calibrate_abc import run_abc
from simulation.apps.common import hydra_app, one_line_errors
from simulation.config.compose import to_config
from simulation.config.keys import nested
from simulation.config.schema import CalibrateConfig
from simulation.io import atomic_write_text
from simulation.runs.replicate import default_workers


def write_outputs(cfg: CalibrateConfig, fit: dict) -> list[Path]:
    """The calibrated params config, the parameter draws and the fit report."""
    today = date.today().isoformat()
    out_dir = Path(cfg.output_dir)
    rep_dir = Path(cfg.report_dir)
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
        f"Runtime: {fit['wall_s']:.0f} s for {fit['runs']} runs on "
        f"{cfg.workers or default_workers()} processes.\n\n"
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


def run_task(cfg: DictConfig) -> None:
    """Hydra task: validate, calibrate, write, summarise."""
    with one_line_errors():
        c = to_config(cfg, CalibrateConfig)
        validate_calibrate(c, MOMENTS)
        if c.method == "abc":
            run_abc(c)
            return
        fit = calibrate(c)
        paths = write_outputs(c, fit)
    print(f"\nJ = {fit['J']:.4g} after {fit['evaluations']} evaluations ({fit['runs']} runs, "
          f"{fit['wall_s']:.0f} s)")
    for k, v in fit["parameters"].items():
        print(f"  params.{k} = {v:.4g}")
    for k, v in fit["moments"].items():
        print(f"  {k:<26} model {v:10.4g}   target {fit['targets'].get(k, float('nan')):10.4g}")
    print("Calibration written to " + ", ".join(str(p) for p in paths))


_hydra_main = hydra_app("calibrate", run_task)


def main() -> None:
    """Entry point of ``python -m simulation.calibrate`` and ``hcmc-calibrate``."""
    _hydra_main()
