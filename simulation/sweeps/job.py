"""One job of a sweep: skip it if already complete, record any failure, never stop the sweep.

Inside a Hydra ``--multirun`` every job goes through :func:`run_sweep_job`:

- bad input for this job (out-of-range value, missing data) → ``failed.json`` in the job's
  folder and one line on stderr; the other jobs go on;
- the folder already holds a complete run (``manifest.json``) with the same fingerprint
  (composed config, seed and code version) → nothing is run, one line says it was skipped;
- a complete run with a *different* fingerprint (the code or the config changed since) → kept
  as it is, reported as failed, because mixing code versions in one sweep would be silent;
- otherwise the run goes ahead; any exception is recorded in ``failed.json`` (with the
  traceback) and reported in one line.

The job returns a short status string, which Hydra keeps as the job's return value.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from simulation.config.compose import config_yaml, fingerprint, to_run_config
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.errors import ConfigError, DataError
from simulation.io import write_failure
from simulation.runner import prepare

SKIPPED, RAN, FAILED = "skipped", "ran", "failed"
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
    manifest = Path(run_dir) / "manifest.json"
    if not manifest.exists():
        return None
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint"))
    except (OSError, ValueError):
        return "unreadable"


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
