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

from simulation.analysis.summary import headline, units_at_end
from simulation.apps.common import (
    EXIT_RUN_FAILED,
    check_output,
    discard_if_empty,
    fail,
    hydra_app,
    hydra_job,
    one_line_errors,
    staged,
)
from simulation.apps.sweep import LAST as SWEEP
from simulation.apps.sweep import absolute_sweep_dir, is_multirun, precheck_sweep
from simulation.config.compose import compose, config_yaml, run_folder
from simulation.config.schema import RunConfig
from simulation.config.validate import inert_levers
from simulation.data import Inputs
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.report import format_headline, format_units
from simulation.io import command_line, shown_path, write_failure
from simulation.model.records import Results
from simulation.runs.folders import write_run
from simulation.runs.runner import notes, prepare, simulate
from simulation.runs.sweep import FAILED, MISSING, in_multirun, run_sweep_job


def _is_plain_run(argv: list[str]) -> bool:
    """True for a single run given only key=value overrides (no Hydra flags, no sweeps)."""
    return not any(a.startswith("-") or "," in a.split("=", 1)[-1] for a in argv)


def precheck(argv: list[str]) -> None:
    """Validate the overrides as the app will and check the run folder can be written.

    Fails with one line (exit 2) before anything runs or any folder is made.
    """
    global _OUTPUT_ROOT
    with one_line_errors():
        prepare(compose(argv))
        folder, key = run_folder(argv)
    _OUTPUT_ROOT = check_output(folder, key)


_OUTPUT_ROOT: Path | None = None  # the nearest existing folder of the run folder (precheck)


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
    for warning in inert_levers(rc, inputs.expressway):
        print(f"warning: {warning}", file=sys.stderr)
    if (run_dir / "manifest.json").exists():
        fail(f"{shown_path(run_dir)} already holds a complete run; nothing was overwritten. "
             "Start again in a second or set another hydra.run.dir")
    with staged(run_dir, _OUTPUT_ROOT) as work:  # renamed to run_dir when complete
        try:
            results, manifest = execute(rc, inputs, work, overrides)
        except RunFailedError as exc:
            write_failure(work, exc, config_yaml(rc), overrides=overrides)
            fail(f"{exc} (details in {shown_path(run_dir / 'failed.json')})", EXIT_RUN_FAILED)
    if rc.output.summary:
        print_summary(rc, inputs, results, manifest, run_dir, overrides)
    return None


def parameter_set(overrides: list[str]) -> str:
    """The parameter set of a run: the ``+params=<name>`` file or the defaults, and overrides.

    The number of firm agents is left out: the summary's title names it.
    """
    name, changed = "default", []
    for ov in overrides:
        key, _, value = ov.partition("=")
        key = key.lstrip("+~")
        if key == "params":
            name = value
        elif key.startswith("params.") and key != "params.firms.n_agents":
            changed.append(ov.lstrip("+~"))
    return name + (f" with {', '.join(changed)}" if changed else "")


def unit_names(inputs: Inputs) -> dict[str, str]:
    """Unit code after the 2025 reform → its Vietnamese name.

    A place keeping its code but not its name (Thừa Thiên Huế → Huế) is included.
    """
    loc = inputs.locations
    out = dict(zip(loc["new_code"], loc["new_name_vi"], strict=True))
    out.update({c: n for c, n in loc["new_name_vi"].items() if c not in out})
    return out


def print_summary(rc: RunConfig, inputs: Inputs, results: Results, manifest: dict,
                  run_dir: Path, overrides: list[str]) -> None:
    """The run's summary table under a title, where it was written and what to run next."""
    names = inputs.locations["name_vi"].to_dict()
    heading = (f"Scenario {rc.scenario.name} · parameter set {parameter_set(overrides)} · "
               f"{rc.time.start}–{rc.time.end} · seed {rc.seed} · "
               f"{rc.params.firms.n_agents:,} firm agents for "
               f"{rc.params.firms.represented:,.0f} HCMC firms")
    print("\n" + format_headline(headline(results, names), heading))
    units = format_units(units_at_end(results), names, unit_names(inputs), rc.time.end,
                         rc.params.reform.quarter)
    if units:
        print(units)
    wall = manifest["wall_time_s"]
    model_s = wall["setup_s"] + wall["step_s"]
    print(f"\nResults written to {shown_path(run_dir)} (model {model_s:.2f} s, in all "
          f"{wall['total_s']:.1f} s): tables/ (Parquet)"
          + "".join(f", {path}" for path in manifest.get("graphs", {}).values())
          + (", figures/" if manifest.get("figures") else ""))
    print("All figures (English; add lang=vi for Vietnamese): "
          + command_line("hcmc-plot", run_dir))


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
