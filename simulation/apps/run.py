"""``python -m simulation [overrides]`` (``hcmc-run``): one run, or a sweep with ``--multirun``.

A thin Hydra face: validate → run → write → summarise. Bad input (unknown scenario or key, wrong
type, out-of-range value, missing or corrupt data) is reported as one line on stderr with exit
code 2, before any output folder is created; a ``--multirun`` is checked value by value first
(:mod:`simulation.apps.sweep`) and each of its jobs is resumable.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from omegaconf import DictConfig

from simulation.analysis.kpis import headline
from simulation.apps.common import (
    EXIT_RUN_FAILED,
    discard_if_empty,
    fail,
    file_error,
    hydra_app,
    hydra_job,
    one_line_errors,
)
from simulation.apps.sweep import LAST as SWEEP
from simulation.apps.sweep import absolute_sweep_dir, is_multirun, precheck_sweep
from simulation.config.compose import compose, config_yaml
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.report import format_headline
from simulation.io import write_failure
from simulation.model.records import Results
from simulation.runs.folders import write_run
from simulation.runs.runner import notes, prepare, simulate
from simulation.runs.sweep import FAILED, MISSING, in_multirun, run_sweep_job


def _is_plain_run(argv: list[str]) -> bool:
    """True for a single run given only key=value overrides (no Hydra flags, no sweeps)."""
    return not any(a.startswith("-") or "," in a.split("=", 1)[-1] for a in argv)


def precheck(argv: list[str]) -> None:
    """Compose and validate the overrides exactly as the app will, failing with one line."""
    with one_line_errors():
        prepare(compose(argv))


def run_task(cfg: DictConfig) -> str | None:
    """One run inside a Hydra job: tables, config, manifest, figure, summary.

    Inside ``--multirun`` the job is resumable and never stops the sweep
    (:func:`simulation.runs.sweep.run_sweep_job`).
    """
    run_dir, overrides = hydra_job()
    if in_multirun():
        return run_sweep_job(cfg, run_dir, overrides, execute)
    try:
        rc, inputs = prepare(cfg)
    except (ConfigError, DataError) as exc:
        discard_if_empty(run_dir)
        fail(str(exc))
    for note in notes(rc, inputs):
        print(f"note: {note}", file=sys.stderr)
    try:
        results, manifest = execute(rc, inputs, run_dir, overrides)
    except RunFailedError as exc:
        write_failure(run_dir, exc, config_yaml(rc), overrides=overrides)
        fail(str(exc), EXIT_RUN_FAILED)
    except OSError as exc:  # e.g. the output folder cannot be written
        fail(file_error(exc))
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


_hydra_main = hydra_app("config", run_task)


def main() -> None:
    """Entry point of ``python -m simulation`` and ``hcmc-run``."""
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
