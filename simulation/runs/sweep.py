"""Sweeps: the state of a sweep folder, and one resumable job of a ``--multirun``.

A sweep folder (``hydra.sweep.dir``) holds ``multirun.yaml`` (the sweep as last launched) and
one folder per job, named by :func:`simulation.config.compose.subdir_name` after the job's
overrides. A job is *complete* when its folder holds ``manifest.json`` and no ``failed.json``;
*failed* when it holds ``failed.json`` (the error, written by the job); *missing* when it was
asked for but has neither (never started, or stopped before the end). :func:`scan` reads that.

Inside a ``--multirun`` every job goes through :func:`run_sweep_job`:

- bad input for this job (out-of-range value, missing data) → ``failed.json`` in the job's
  folder and one line on stderr; the other jobs go on;
- the folder already holds a complete run (``manifest.json``) with the same fingerprint
  (composed config, seed and code version) → nothing is run, one line says it was skipped;
- a complete run with a *different* fingerprint (the code or the config changed since) → kept
  as it is, reported as failed, because mixing code versions in one sweep would be silent;
- otherwise the run goes ahead; any exception is recorded in ``failed.json`` (with the
  traceback) and reported in one line.
"""

from __future__ import annotations

import itertools
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from simulation.config.compose import (
    config_loader,
    config_yaml,
    fingerprint,
    subdir_name,
    to_run_config,
)
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.errors import ConfigError, DataError
from simulation.io import write_failure
from simulation.runs.folders import COLLECTED, read_json
from simulation.runs.runner import prepare

COMPLETE, FAILED, MISSING = "complete", "failed", "missing"


@dataclass
class Job:
    """One job of a sweep."""

    name: str  # folder name inside the sweep folder
    overrides: list[str]
    status: str
    error: str | None = None
    manifest: dict[str, Any] | None = None
    config_text: str | None = None  # the composed config, when the job got that far
    values: dict[str, Any] = field(default_factory=dict)  # key → typed override value


def _overrides_of(folder: Path, manifest: dict | None, failed: dict | None) -> list[str]:
    for record in (manifest, failed):
        if record and "overrides" in record:
            return list(record["overrides"])
    hydra_file = folder / ".hydra" / "overrides.yaml"
    if hydra_file.exists():
        return [str(o) for o in OmegaConf.load(hydra_file)]
    return []


def read_job(folder: Path) -> Job:
    """The state of one job folder."""
    manifest = read_json(folder / "manifest.json", missing_ok=True)
    failed = read_json(folder / "failed.json", missing_ok=True)
    overrides = _overrides_of(folder, manifest, failed)
    if failed is not None:
        return Job(folder.name, overrides, FAILED, failed.get("error"), manifest,
                   failed.get("config"))
    if manifest is not None:
        cfg = folder / "config.yaml"
        return Job(folder.name, overrides, COMPLETE, None, manifest,
                   cfg.read_text(encoding="utf-8") if cfg.exists() else None)
    return Job(folder.name, overrides, MISSING, "started but did not finish (no manifest.json "
               "and no failed.json)")


def sweep_spec(sweep_dir: Path) -> tuple[list[str], Any]:
    """Task overrides (with sweep syntax) and the Hydra node of ``multirun.yaml``."""
    spec = sweep_dir / "multirun.yaml"
    if not spec.exists():
        return [], None
    cfg = OmegaConf.load(spec)
    hydra = cfg.get("hydra")
    params = dict(hydra.sweeper.get("params") or {}) if hydra and "sweeper" in hydra else {}
    task = [str(o) for o in hydra.overrides.task] if hydra else []
    return [f"{k}={v}" for k, v in params.items()] + task, hydra


def expected_jobs(sweep_dir: Path) -> list[list[str]]:
    """Override lists of every job of the sweep as last launched (from ``multirun.yaml``)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    spec, _ = sweep_spec(sweep_dir)
    if not spec:
        return []
    parsed = OverridesParser.create(config_loader=config_loader()).parse_overrides(spec)
    choices: dict[str, list[str]] = {}  # as Hydra's basic sweeper: one list per key, in order
    for ov in parsed:
        key = ov.get_key_element()
        choices[key] = ([f"{key}={v}" for v in ov.sweep_string_iterator()]
                        if ov.is_sweep_override() else [f"{key}={ov.get_value_element_as_str()}"])
    return [list(job) for job in itertools.product(*choices.values())]


def folder_name(overrides: list[str], hydra: Any = None) -> str:
    """The folder Hydra gives a job with these overrides under the project's settings."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    conf = hydra.job.config.override_dirname if hydra is not None else None
    exclude = list(conf.exclude_keys) if conf else []
    item_sep, kv_sep = (conf.item_sep, conf.kv_sep) if conf else (",", "=")
    # as Hydra's ${hydra.job.override_dirname}: the overrides as typed, sorted and joined
    lines = sorted(ov.input_line for ov in OverridesParser.create().parse_overrides(overrides)
                   if ov.key_or_group not in exclude)
    return subdir_name(item_sep.join(lines).replace("=", kv_sep))


def scan(sweep_dir: str | Path) -> list[Job]:
    """Every job of a sweep folder: those found on disk and those asked for but missing.

    Raises:
        DataError: the folder does not exist or holds no sweep.
    """
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise DataError(f"sweep folder {sweep_dir} does not exist")
    found = {}
    for folder in sorted(p for p in sweep_dir.iterdir() if p.is_dir()):
        if folder.name == COLLECTED or folder.name.startswith("."):
            continue
        if any((folder / n).exists() for n in ("manifest.json", "failed.json", ".hydra")):
            job = read_job(folder)
            found[tuple(sorted(job.overrides))] = job
    if not found and not (sweep_dir / "multirun.yaml").exists():
        raise DataError(f"{sweep_dir} holds no sweep (no multirun.yaml and no job folders); "
                        "pass the hydra.sweep.dir of a --multirun")
    _, hydra = sweep_spec(sweep_dir)
    jobs = list(found.values())
    for overrides in expected_jobs(sweep_dir):
        if tuple(sorted(overrides)) not in found:
            jobs.append(Job(folder_name(overrides, hydra), overrides, MISSING,
                            "not started (no folder)"))
    return sorted(jobs, key=lambda j: j.name)


# --------------------------------------------------------------------------- one job

SKIPPED, RAN = "skipped", "ran"  # a job's outcome; FAILED as the status of a job folder
Execute = Callable[[RunConfig, Inputs, Path, list[str]], object]


class StaleRunError(RuntimeError):
    """A job folder holds a complete run made with another config or code version."""


def in_multirun() -> bool:
    """True inside a job launched by ``--multirun``."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN


def previous_fingerprint(run_dir: Path) -> str | None:
    """Fingerprint of the complete run already in ``run_dir``, or None."""
    try:
        manifest = read_json(Path(run_dir) / "manifest.json", missing_ok=True)
    except DataError:
        return "unreadable"
    return None if manifest is None else str(manifest.get("fingerprint"))


def run_sweep_job(cfg: DictConfig, run_dir: Path, overrides: list[str],
                  execute: Execute) -> str:
    """Run one sweep job into ``run_dir`` unless it is already complete.

    Args:
        cfg: the job's composed config (as Hydra passes it).
        run_dir: the job's folder.
        overrides: the job's task overrides (they identify the job).
        execute: runs the model and writes the run directory.

    Returns:
        ``"skipped"``, ``"ran"`` or ``"failed"``.
    """
    run_dir = Path(run_dir)
    label = " ".join(overrides) or "(no overrides)"
    try:
        rc = to_run_config(cfg)  # enough for the fingerprint: no data loaded to skip a job
    except ConfigError as exc:
        return _failed(run_dir, OmegaConf.to_yaml(cfg), exc, overrides, label)
    fp = fingerprint(rc)
    previous = previous_fingerprint(run_dir)
    if previous == fp:
        (run_dir / "failed.json").unlink(missing_ok=True)  # e.g. left by a stale check
        print(f"skipped, already complete: {label}", flush=True)
        return SKIPPED
    if previous is not None:
        exc = StaleRunError(
            f"{run_dir} holds a complete run with fingerprint {previous}, but this job's "
            f"config and code give {fp}; the old results are kept. Start a new sweep "
            "(another hydra.sweep.dir) or delete that folder to run the job again")
        return _failed(run_dir, config_yaml(rc), exc, overrides, label)
    try:
        rc, inputs = prepare(rc)
    except (ConfigError, DataError) as exc:
        return _failed(run_dir, config_yaml(rc), exc, overrides, label)
    (run_dir / "failed.json").unlink(missing_ok=True)
    t0 = time.perf_counter()
    try:
        execute(rc, inputs, run_dir, overrides)
    except Exception as exc:  # noqa: BLE001 - one job's failure must never stop the sweep
        return _failed(run_dir, config_yaml(rc), exc, overrides, label,
                       traceback.format_exc())
    print(f"done in {time.perf_counter() - t0:.1f} s: {label}", flush=True)
    return RAN


def _failed(run_dir: Path, cfg_text: str, exc: BaseException, overrides: list[str],
            label: str, trace: str | None = None) -> str:
    write_failure(run_dir, exc, cfg_text, overrides=overrides,
                  **({"traceback": trace} if trace else {}))
    print(f"error: job {label}: {exc}", file=sys.stderr, flush=True)
    return FAILED
