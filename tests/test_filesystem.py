"""File-system faults give one line and exit code 2, and leave nothing that looks like a result.

Real faults, no mocks: a regular file in the output path, a read-only file system (a tmpfs
mounted here and remounted read-only, which stops root too) and a full disk (a 512 KiB tmpfs,
full before the command starts, or filling up while it writes).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulation.apps.common import check_output, staged

from .conftest import run_cli

SMALL_RUN = ["params.firms.n_agents=2000", "time.spinup_quarters=4"]
SMALL_COMPARE = [*SMALL_RUN, "replications=2", "workers=1", "progress=false"]
COMMANDS = {"simulation": ("output.dir", SMALL_RUN),
            "simulation.compare": ("output_dir", SMALL_COMPARE)}


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "512k", read_only: bool = False) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'not root'}); "
                    "the file-system fault tests need mount rights (CI runs as root)")
    try:
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> None:
    """Write zeros until the file system is full."""
    with open(folder / "filler", "wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(bytes(64 * 1024))
            f.flush()


def _one_line(proc: subprocess.CompletedProcess, *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0] == proc.stderr.strip().splitlines()[-1], proc.stderr
    for word in words:
        assert word in errors[0], (word, errors[0])
    return errors[0]


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.cli
@pytest.mark.parametrize("module", list(COMMANDS))
def test_an_output_folder_under_a_regular_file(module, tmp_path):
    key, args = COMMANDS[module]
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    proc = run_cli([*args, f"{key}={tmp_path / 'notes.txt' / 'results'}"], cwd=tmp_path,
                   module=module)
    _one_line(proc, key, "notes.txt is a file, not a folder")
    assert _listing(tmp_path) == ["notes.txt"]


@pytest.mark.cli
@pytest.mark.parametrize("module", list(COMMANDS))
def test_a_read_only_file_system(module, tmp_path):
    key, args = COMMANDS[module]
    with tmpfs(tmp_path / "ro", read_only=True) as ro:
        proc = run_cli([*args, f"{key}={ro / 'results'}"], cwd=tmp_path, module=module)
        _one_line(proc, key, "Read-only file system", "ro")
        assert _listing(ro) == []


@pytest.mark.cli
@pytest.mark.parametrize("module", list(COMMANDS))
def test_a_full_disk_before_the_command_starts(module, tmp_path):
    key, args = COMMANDS[module]
    with tmpfs(tmp_path / "full") as full:
        fill(full)
        proc = run_cli([*args, f"{key}={full / 'results'}"], cwd=tmp_path, module=module)
        _one_line(proc, key, "No space left on device")
        assert _listing(full) == ["filler"]


@pytest.mark.cli
@pytest.mark.parametrize("module", list(COMMANDS))
def test_a_disk_that_fills_while_the_results_are_written(module, tmp_path):
    key, args = COMMANDS[module]
    with tmpfs(tmp_path / "small") as small:
        proc = run_cli([*args, f"{key}={small / 'results'}"], cwd=tmp_path, module=module)
        _one_line(proc, "No space left on device", "nothing was kept", "results/")
        assert _listing(small) == []  # no partial folder, no empty parent folders


# --------------------------------------------------------------------------- the helpers


def test_check_output_accepts_a_new_folder_and_leaves_nothing(tmp_path):
    assert check_output(tmp_path / "a" / "b", "output.dir") == tmp_path
    assert _listing(tmp_path) == []


def _hydra_folder(path: Path) -> Path:
    (path / ".hydra").mkdir(parents=True)
    (path / ".hydra" / "config.yaml").write_text("seed: 1\n")
    return path


def test_staged_names_the_folder_only_when_complete(tmp_path):
    final = _hydra_folder(tmp_path / "runs" / "r1")
    with staged(final, tmp_path) as work:
        assert not final.exists() and work.name == ".r1.partial"
        (work / "manifest.json").write_text("{}")
    assert _listing(tmp_path / "runs") == ["r1", "r1/.hydra", "r1/.hydra/config.yaml",
                                           "r1/manifest.json"]


def test_staged_removes_everything_on_a_file_system_fault(tmp_path, capsys):
    final = _hydra_folder(tmp_path / "runs" / "baseline" / "r1")
    with pytest.raises(SystemExit) as exc, staged(final, tmp_path) as work:
        (work / "tables").mkdir()
        raise OSError(28, "No space left on device", str(work / "tables" / "x.parquet"))
    assert exc.value.code == 2
    assert _listing(tmp_path) == []  # the empty parents made for it went too
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "runs/baseline/r1: No space left on device" in err


def test_staged_keeps_the_record_of_a_failed_run(tmp_path):
    final = _hydra_folder(tmp_path / "r1")
    with pytest.raises(SystemExit), staged(final, tmp_path) as work:
        (work / "failed.json").write_text("{}")
        raise SystemExit(3)
    assert (final / "failed.json").exists() and not (final / "manifest.json").exists()
