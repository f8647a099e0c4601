"""Read a sweep folder: which jobs were asked for, which are complete, failed or missing.

A sweep folder (``hydra.sweep.dir``) holds ``multirun.yaml`` (the sweep as last launched) and
one folder per job. A job is *complete* when its folder holds ``manifest.json`` and no
``failed.json``; *failed* when it holds ``failed.json`` (the error, written by the job);
*missing* when it was asked for but has neither (never started, or stopped before the end).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from simulation.config.compose import config_loader, subdir_name
from simulation.errors import DataError

COMPLETE, FAILED, MISSING = "complete", "failed", "missing"
COLLECTED = "collected"  # the folder collect writes into


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


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None


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
    manifest = _read_json(folder / "manifest.json")
    failed = _read_json(folder / "failed.json")
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
