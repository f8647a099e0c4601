"""Write a run directory: tables as Parquet, the composed config, a manifest, atomically.

A run directory is complete when its ``manifest.json`` exists; the manifest is written last, and
every file goes through a temporary name and ``os.replace`` so a crash never leaves a file that
looks complete. A failed run writes ``failed.json`` (the error) instead of a manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from simulation.config import RunConfig
from simulation.records import Results

PACKAGES = ("mesa", "hydra-core", "omegaconf", "numpy", "pandas", "pyarrow", "networkx",
            "matplotlib")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK  # what open() would give: mkstemp alone makes files 0600


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame as Parquet atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def git_commit() -> str:
    """The project's git commit (with ``-dirty`` if the work tree has changes), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, text=True,
                              capture_output=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_ROOT, text=True, capture_output=True,
                               timeout=10).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def package_versions() -> dict[str, str]:
    """Versions of Python and the main packages."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def config_yaml(cfg: RunConfig) -> str:
    """The composed config as YAML."""
    return OmegaConf.to_yaml(OmegaConf.structured(cfg))


def fingerprint(cfg: RunConfig, commit: str | None = None) -> str:
    """Hash of the composed config (seed included) and code version: equal ⇒ same results."""
    text = config_yaml(cfg) + "\n" + (commit if commit is not None else git_commit())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_run(run_dir: Path, results: Results, cfg: RunConfig, timings: dict[str, float],
              overrides: list[str] | None = None, extra: dict[str, Any] | None = None) -> dict:
    """Write tables, config and manifest (last) into ``run_dir``; return the manifest."""
    run_dir = Path(run_dir)
    if (run_dir / "manifest.json").exists():
        raise FileExistsError(f"{run_dir} already holds a complete run; choose another folder")
    tables_dir = run_dir / "tables"
    counts = {}
    for name, df in results.tables().items():
        write_parquet(tables_dir / f"{name}.parquet", df)
        counts[name] = len(df)
    atomic_write_text(run_dir / "config.yaml", config_yaml(cfg))
    atomic_write_text(run_dir / "overrides.yaml", "\n".join(f"- {o}" for o in overrides or [])
                      + "\n")
    commit = git_commit()
    manifest = {
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        "replication": cfg.replication,
        "quarters": [cfg.time.start, cfg.time.end],
        "n_agents": cfg.params.firms.n_agents,
        "fingerprint": fingerprint(cfg, commit),
        "git_commit": commit,
        "packages": package_versions(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_time_s": {k: round(v, 4) for k, v in timings.items()},
        "row_counts": counts,
        "tables": {name: f"tables/{name}.parquet" for name in counts},
        "overrides": list(overrides or []),
    }
    manifest.update(extra or {})
    atomic_write_text(run_dir / "manifest.json", json.dumps(manifest, indent=2,
                                                            ensure_ascii=False))
    return manifest


def write_failure(run_dir: Path, cfg_text: str, error: BaseException,
                  overrides: list[str] | None = None, extra: dict[str, Any] | None = None
                  ) -> None:
    """Record a failed run (no manifest): the error, the overrides and any ``extra`` fields."""
    record = {
        "error": f"{type(error).__name__}: {error}",
        "overrides": list(overrides or []),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": cfg_text,
    }
    record.update(extra or {})
    atomic_write_text(Path(run_dir) / "failed.json", json.dumps(record, indent=2,
                                                                ensure_ascii=False))


def read_tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the tables of a complete run directory."""
    run_dir = Path(run_dir)
    manifest = run_dir / "manifest.json"
    if not manifest.exists():
        raise FileNotFoundError(f"{run_dir} is not a complete run directory (no manifest.json)")
    info = json.loads(manifest.read_text(encoding="utf-8"))
    return {name: pd.read_parquet(run_dir / rel) for name, rel in info["tables"].items()}
