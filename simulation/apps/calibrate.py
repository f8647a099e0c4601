"""``hcmc-calibrate`` (``python -m simulation.calibrate``): a posterior, or a point estimate.

From the project folder::

    .venv/bin/hcmc-calibrate                       # ABC-SMC, configs/calibrate.yaml
    .venv/bin/hcmc-calibrate abc.population=100    # a smaller run
    .venv/bin/hcmc-calibrate method=msm replications=4 design_points=16
    .venv/bin/hcmc-calibrate method=msm output_name=recal_2027 install=true
    .venv/bin/hcmc-calibrate output_name=posterior install=true   # the draws compare uses

``method=abc`` (default): ABC-SMC over the screened parameters on the pre-2023 targets
(:func:`simulation.analysis.posterior.estimate`), resumable: re-running the same command reads
what ``abc.folder/history/`` already holds. Writes into ``abc.folder``: the final population
(``posterior.csv``), the per-parameter summary with identifiability (``summary.csv``), the
posterior correlations, the coverage check (``coverage.csv``, ``coverage_summary.csv``), the
report (``report.md``), figures and the model fingerprint; and ``abc.draws_file``, the
equally weighted posterior draws comparisons run over.

``method=msm``: the method of simulated moments
(:func:`simulation.analysis.calibration.calibrate`: Sobol design, Nelder–Mead, common random
numbers). It writes under ``results/``, never into the source tree by default:
``<output_dir>/<output_name>/`` holds ``<output_name>.yaml`` (a Hydra ``params`` config),
``<output_name>_draws.csv`` and the fit report ``fit_<output_name>.md`` (or in ``report_dir``).
``install=true`` also copies the parameter set and its draws into ``configs/params/`` so that
``+params=<output_name>`` finds it (the folder is made if needed); it refuses, before anything
runs, to overwrite a parameter set there.
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from simulation.analysis.calibration import MOMENTS, calibrate, validate_calibrate
from simulation.apps.calibrate_abc import run_abc
from simulation.apps.common import check_output, hydra_app, one_line_errors
from simulation.config.compose import CONFIG_DIR, to_config
from simulation.config.keys import nested
from simulation.config.schema import CalibrateConfig
from simulation.errors import ConfigError
from simulation.io import atomic_write_bytes, atomic_write_text, command_line, shown_path
from simulation.runs.replicate import default_workers

PARAMS_DIR = CONFIG_DIR / "params"  # where +params=<name> looks


def folders(cfg: CalibrateConfig) -> tuple[Path, Path]:
    """The folder of the parameter set and draws, and the folder of the fit report."""
    out = Path(cfg.output_dir) / cfg.output_name
    return out, Path(cfg.report_dir) if cfg.report_dir else out


def check_install(cfg: CalibrateConfig) -> None:
    """Refuse an install that would overwrite a parameter set in configs/params/."""
    if not cfg.install:
        return
    for name in (f"{cfg.output_name}.yaml", f"{cfg.output_name}_draws.csv"):
        if (PARAMS_DIR / name).exists():
            raise ConfigError(f"install=true would overwrite {shown_path(PARAMS_DIR / name)}; "
                              "allowed: a new output_name (or remove that file first)")


def write_outputs(cfg: CalibrateConfig, fit: dict) -> list[Path]:
    """The calibrated params config, the parameter draws and the fit report."""
    today = date.today().isoformat()
    out_dir, rep_dir = folders(cfg)
    report_path = rep_dir / f"fit_{cfg.output_name}.md"
    draws_path = out_dir / f"{cfg.output_name}_draws.csv"
    targets = ", ".join(f"{k}={v:g}" for k, v in fit["targets"].items())
    header = (f"# @package params\n# Calibrated by the method of simulated moments on {today}\n"
              f"# targets: {targets}\n# fit: J={fit['J']:.4g} over {fit['evaluations']} "
              f"evaluations × {len(fit['seeds'])} seeds; report: {report_path}\n"
              f"# use (once in configs/params/): "
              f"{command_line('hcmc-run', f'+params={cfg.output_name}')}\n")
    yaml_path = out_dir / f"{cfg.output_name}.yaml"
    atomic_write_text(yaml_path, header + OmegaConf.to_yaml(OmegaConf.create(nested(
        {k: round(v, 6) for k, v in fit["parameters"].items()}))))
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
        f"(rejection ABC), in `{draws_path}`; comparisons can run over them "
        "(`parameter_draws=` in the compare app).\n\n"
        + fit["draws"].describe().loc[["mean", "std", "min", "max"]].to_markdown(floatfmt=".4g")
        + "\n")
    atomic_write_text(report_path, report)
    paths = [yaml_path, draws_path, report_path]
    if cfg.install:
        PARAMS_DIR.mkdir(exist_ok=True)
        for path in (yaml_path, draws_path):
            atomic_write_bytes(PARAMS_DIR / path.name, path.read_bytes())
            paths.append(PARAMS_DIR / path.name)
    return paths


def run_task(cfg: DictConfig) -> None:
    """Hydra task: validate, calibrate, write, summarise."""
    with one_line_errors():
        c = to_config(cfg, CalibrateConfig)
        validate_calibrate(c, MOMENTS)
        check_install(c)  # either method: never over a parameter set in configs/params/
        if c.method == "abc":
            run_abc(c)
            return
    for folder in dict.fromkeys(folders(c)):
        check_output(folder, "output_dir")
    with one_line_errors():
        fit = calibrate(c)
        paths = write_outputs(c, fit)
    print(f"\nJ = {fit['J']:.4g} after {fit['evaluations']} evaluations ({fit['runs']} runs, "
          f"{fit['wall_s']:.0f} s)")
    for k, v in fit["parameters"].items():
        print(f"  params.{k} = {v:.4g}")
    for k, v in fit["moments"].items():
        print(f"  {k:<26} model {v:10.4g}   target {fit['targets'].get(k, float('nan')):10.4g}")
    print("Calibration written to " + ", ".join(shown_path(p) for p in paths))
    draws = shown_path(paths[1])
    print("Compare with its parameter draws: "
          + command_line("hcmc-compare", f"parameter_draws={draws}"))
    if c.install:
        print("Use the parameter set: " + command_line("hcmc-run", f"+params={c.output_name}"))
    elif any((PARAMS_DIR / p.name).exists() for p in paths[:2]):
        print(f"Not installed: configs/params/ already has a parameter set {c.output_name!r}")
    else:
        print(f"Not installed in configs/params/ (install=true does it); to use it as "
              f"+params={c.output_name}: "
              + shlex.join(["mkdir", "-p", shown_path(PARAMS_DIR)]) + " && "
              + shlex.join(["cp", *(shown_path(p) for p in paths[:2]), shown_path(PARAMS_DIR)]))


_hydra_main = hydra_app("calibrate", run_task)


def main() -> None:
    """Entry point of ``python -m simulation.calibrate`` and ``hcmc-calibrate``."""
    _hydra_main()
