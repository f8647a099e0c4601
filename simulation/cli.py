"""Thin Hydra entry points: validate → run → write → summarise.

Bad input (unknown scenario or key, wrong type, out-of-range value, missing or corrupt data)
is reported as one line on stderr with exit code 2, before any output folder is created.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import hydra
from omegaconf import DictConfig

from simulation.analysis.kpis import headline
from simulation.config.compose import CONFIG_DIR, compose, config_yaml, register_configs
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.report import format_headline
from simulation.io import write_failure
from simulation.model.records import Results
from simulation.runs.folders import write_run
from simulation.runs.runner import prepare, simulate
from simulation.runs.sweep import FAILED, MISSING, in_multirun, run_sweep_job
from simulation.sweeps.precheck import absolute_sweep_dir, is_multirun, precheck_sweep
from simulation.sweeps.summary import LAST as SWEEP

EXIT_BAD_INPUT = 2
EXIT_RUN_FAILED = 3


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print one clear line on stderr and exit."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _is_plain_run(argv: list[str]) -> bool:
    """True for a single run given only key=value overrides (no Hydra flags, no sweeps)."""
    return not any(a.startswith("-") or "," in a.split("=", 1)[-1] for a in argv)


def precheck(argv: list[str]) -> None:
    """Compose and validate the overrides exactly as the app will, failing with one line."""
    try:
        prepare(compose(argv))
    except (ConfigError, DataError) as exc:
        fail(str(exc))


def _hydra_run_dir() -> Path:
    from hydra.core.hydra_config import HydraConfig

    return Path(HydraConfig.get().runtime.output_dir)


def _overrides() -> list[str]:
    from hydra.core.hydra_config import HydraConfig

    return list(HydraConfig.get().overrides.task)


def run_task(cfg: DictConfig) -> str | None:
    """One run inside a Hydra job: tables, config, manifest, figure, summary.

    Inside ``--multirun`` the job is resumable and never stops the sweep
    (:func:`simulation.runs.sweep.run_sweep_job`).
    """
    run_dir = _hydra_run_dir()
    overrides = _overrides()
    if in_multirun():
        return run_sweep_job(cfg, run_dir, overrides, execute)
    try:
        rc, inputs = prepare(cfg)
    except (ConfigError, DataError) as exc:
        _discard_if_empty(run_dir)
        fail(str(exc))
    try:
        results, manifest = execute(rc, inputs, run_dir, overrides)
    except RunFailedError as exc:
        write_failure(run_dir, exc, config_yaml(rc), overrides=overrides)
        fail(str(exc), EXIT_RUN_FAILED)
    if rc.output.summary:
        names = inputs.locations["name_vi"].to_dict()
        model_s = manifest["wall_time_s"]["setup_s"] + manifest["wall_time_s"]["step_s"]
        print(f"\nScenario {rc.scenario.name}, seed {rc.seed}, {rc.time.start}–{rc.time.end}, "
              f"{rc.params.firms.n_agents:,} firm agents representing "
              f"{rc.params.firms.represented:,.0f} firms; "
              f"model {model_s:.2f} s")
        print(format_headline(headline(results, names)))
        print(f"\nResults written to {run_dir}")
        print(f"All figures (English or Vietnamese): python -m simulation.plot {run_dir} "
              "lang=vi")
    return None


def execute(rc: RunConfig, inputs: Inputs, run_dir: Path, overrides: list[str]
            ) -> tuple[Results, dict]:
    """Simulate, draw the figures and write the run directory; return tables and manifest."""
    t0 = time.perf_counter()
    results, timings = simulate(rc, inputs)
    fig_paths: list[Path] = []
    if rc.output.figures:
        from simulation.figures.sets import run_figures

        fig_paths = run_figures(run_dir, results, inputs, rc)
    timings["total_s"] = time.perf_counter() - t0
    manifest = write_run(run_dir, results, rc, timings, overrides,
                         extra={"figures": [str(p.relative_to(run_dir)) for p in fig_paths]})
    return results, manifest


def _discard_if_empty(run_dir: Path) -> None:
    """Remove a run folder that holds nothing but Hydra's own bookkeeping."""
    if run_dir.exists() and all(p.name == ".hydra" for p in run_dir.iterdir()):
        shutil.rmtree(run_dir, ignore_errors=True)


register_configs()
_hydra_main = hydra.main(config_path=str(CONFIG_DIR), config_name="config",
                         version_base="1.3")(run_task)


def run_main() -> None:
    """Console entry point of ``python -m simulation``."""
    argv = sys.argv[1:]
    if _is_plain_run(argv):
        precheck(argv)
    elif is_multirun(argv):
        errors = precheck_sweep(argv)
        for error in errors[:-1]:
            print(f"error: {error}", file=sys.stderr)
        if errors:
            fail(errors[-1])
        sys.argv[1:] = absolute_sweep_dir(argv)
    _hydra_main()
    if SWEEP.get(FAILED) or SWEEP.get(MISSING):
        raise SystemExit(EXIT_RUN_FAILED)
