"""Files the project writes: atomic writes, Parquet, JSON, the one manifest format, commands.

Every file goes through a temporary name in the same folder and ``os.replace``, so a crash never
leaves a file that looks complete. A results folder (a run, a comparison, a study, a figure set)
is complete when its manifest exists; the manifest is written last and carries the provenance
of the results (code version, package versions, time). A failed job writes ``failed.json``
instead. :func:`command_line` writes the command a user runs next (printed, or kept as
provenance) so that it works verbatim in a fresh shell.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

PACKAGES = ("mesa", "hydra-core", "omegaconf", "numpy", "pandas", "pyarrow", "networkx",
            "matplotlib")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK  # what open() would give: mkstemp alone makes files 0600
# console script → the module that runs the same command (pyproject.toml [project.scripts])
SCRIPTS = {"hcmc-run": "simulation", "hcmc-compare": "simulation.compare",
           "hcmc-calibrate": "simulation.calibrate", "hcmc-collect": "simulation.collect",
           "hcmc-sensitivity": "simulation.sensitivity", "hcmc-plot": "simulation.plot",
           "hcmc-dashboard": "simulation.dashboard",
           "hcmc-dashboard-assets": "simulation.dashboard.assets"}


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path``; renamed onto ``path`` when the block succeeds.

    On an exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame as Parquet atomically (without its index)."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)


def write_json(path: Path, obj: Any) -> None:
    """Write an object as indented UTF-8 JSON atomically."""
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False))


def now_utc() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


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


def write_manifest(path: Path, fields: dict[str, Any], commit: str | None = None) -> dict:
    """Write a manifest: ``fields`` plus the provenance (commit, packages, time); return it.

    Args:
        path: the manifest file (written atomically, last of its folder).
        fields: what the folder holds (settings, row counts, files, wall times...).
        commit: the code version the results were made with (default: the work tree's now).
    """
    manifest = {**fields, "git_commit": git_commit() if commit is None else commit,
                "packages": package_versions(), "created_utc": now_utc()}
    write_json(path, manifest)
    return manifest


def write_failure(folder: Path, error: BaseException, config_text: str,
                  **extra: Any) -> None:
    """Record a failed job in ``<folder>/failed.json`` (no manifest): error, time, config."""
    record = {"error": f"{type(error).__name__}: {error}", **extra, "created_utc": now_utc(),
              "config": config_text}
    write_json(Path(folder) / "failed.json", record)


# --------------------------------------------------------------------------- commands


def shown_path(path: Path) -> str:
    """A path as a user types it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        rel = path.absolute().relative_to(Path.cwd())
    except ValueError:
        return str(path)
    text = str(rel)
    return text if "/" in text or text == "." else f"./{text}"


def command_line(script: str, *args: str | Path) -> str:
    """A command calling one of the project's commands that works verbatim in a fresh shell.

    No virtual environment needs to be active: the console script is named by its path next
    to the running Python (``.venv/bin/hcmc-plot`` when run from the project folder), or, when
    it is not installed there, that Python with ``-m`` and the module. Path arguments are
    shown relative to the current folder when inside it; every word is quoted for the shell.

    Args:
        script: a console script of :data:`SCRIPTS`, e.g. ``hcmc-plot``.
        args: its arguments (``Path`` objects are shortened as above).
    """
    bindir = Path(sys.executable).parent
    if (bindir / script).is_file():
        prog = [shown_path(bindir / script)]
    else:
        prog = [shown_path(Path(sys.executable)), "-m", SCRIPTS[script]]
    return shlex.join(prog + [shown_path(a) if isinstance(a, Path) else str(a) for a in args])
