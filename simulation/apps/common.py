"""What every command line shares: exit codes, one-line errors, Hydra's run folder.

Bad input (unknown key or scenario, wrong type, out-of-range value, missing or corrupt data or
results, a folder that cannot be written) reaches the user as one line on stderr starting with
``error:`` and exit code 2; a failed model run as one line naming scenario and seed and exit
code 3. Never a bare traceback for bad input.

A results folder (a run, a comparison) is checked before anything runs (:func:`check_output`:
the nearest existing folder on its path must take a file) and written under a temporary name,
renamed to its own only when complete (:func:`staged`); a file-system fault on the way (a
full disk) removes what was written and ends with one line naming the folder and the cause.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from omegaconf import DictConfig

from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.io import shown_path

EXIT_INCOMPLETE = 1  # a sweep with failed or missing jobs
EXIT_BAD_INPUT = 2
EXIT_RUN_FAILED = 3


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print one clear line on stderr and exit."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def file_error(exc: OSError) -> str:
    """One line for a file-system fault: the file and the reason."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn bad input, file-system faults and failed runs into one line and an exit code."""
    try:
        yield
    except (ConfigError, DataError) as exc:
        fail(str(exc))
    except RunFailedError as exc:
        fail(str(exc), EXIT_RUN_FAILED)
    except OSError as exc:
        fail(file_error(exc))


def hydra_job() -> tuple[Path, list[str]]:
    """The running Hydra job's output folder and its task overrides."""
    from hydra.core.hydra_config import HydraConfig

    hc = HydraConfig.get()
    return Path(hc.runtime.output_dir), list(hc.overrides.task)


def hydra_app(config_name: str, task: Callable[[DictConfig], Any]) -> Callable[[], Any]:
    """A Hydra command over ``configs/<config_name>.yaml`` running ``task`` (schemas registered)."""
    import hydra

    from simulation.config.compose import CONFIG_DIR, register_configs

    register_configs()
    return hydra.main(config_path=str(CONFIG_DIR), config_name=config_name,
                      version_base="1.3")(task)


class Prechecked:
    """A command whose configuration is composed and checked before Hydra starts.

    On bad input the command fails with one line before any folder exists; the checked
    configuration and what its check built (a plan, a setup) are kept for the job, which reuses
    them when it receives the same configuration (:meth:`setup_for`).

    Args:
        config_name: the command's ``configs/<config_name>.yaml``.
        to_config: Hydra's composed config → the command's typed config (raises ConfigError).
        check: the typed config → what the job needs (raises ConfigError or DataError).
    """

    def __init__(self, config_name: str, to_config: Callable[[Any], Any],
                 check: Callable[[Any], Any]) -> None:
        self.config_name, self.to_config, self.check = config_name, to_config, check
        self.checked: tuple[Any, Any] | None = None

    def precheck(self, argv: list[str]) -> None:
        """Compose and check as the job will, failing with one line before anything is written."""
        from simulation.config.compose import compose

        with one_line_errors():
            config = self.to_config(compose(argv, self.config_name))
            self.checked = (config, self.check(config))

    def setup_for(self, config: Any) -> Any:  # noqa: ANN401 - the command's own type
        """What the check built for ``config``: the precheck's if it checked the same config."""
        if self.checked is not None and self.checked[0] == config:
            return self.checked[1]
        return self.check(config)

    def main(self, task: Callable[[DictConfig], Any]) -> Callable[[], None]:
        """The console entry point: precheck a single job, then run ``task`` under Hydra."""
        hydra_main = hydra_app(self.config_name, task)

        def main() -> None:
            argv = sys.argv[1:]
            if is_single_job(argv):
                self.precheck(argv)
            hydra_main()

        return main


def is_single_job(argv: list[str]) -> bool:
    """True unless Hydra flags or sweep overrides (``replications=10,20``) are given."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if any(a.startswith("-") for a in argv):
        return False
    try:
        return not any(o.is_sweep_override()
                       for o in OverridesParser.create().parse_overrides(argv))
    except Exception:  # noqa: BLE001 - the precheck reports the parse error in one line
        return True


def console_script(name: str) -> str:
    """How to call one of the project's console scripts verbatim from this folder.

    ``.venv/bin/<name>`` from the project folder; elsewhere the absolute path of the script
    next to the running Python (so a printed command works in a fresh shell).
    """
    script = Path(sys.executable).parent / name
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def discard_if_empty(folder: Path) -> None:
    """Remove an output folder that holds nothing but Hydra's own bookkeeping."""
    if folder.exists() and all(p.name == ".hydra" for p in folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- results folders

PROBE_BYTES = 64 * 1024  # written (and removed) to check that a folder takes a file
PARTIAL = ".partial"  # suffix of a results folder being written


def check_output(folder: Path, key: str) -> Path:
    """Fail with one line (exit 2) unless a results folder can be written at ``folder``.

    The nearest folder on the path that exists must be a folder (not a file) in which a file
    of :data:`PROBE_BYTES` can be written: this catches a path under a regular file, a
    read-only file system and a full disk before anything runs, and leaves nothing behind.

    Args:
        folder: the results folder (it need not exist yet).
        key: the setting that chose it, named in the message (e.g. ``output.dir``).

    Returns:
        The nearest existing folder (folders below it are created by the command).
    """
    folder = Path(folder).absolute()
    base = folder
    while not base.exists() and base != base.parent:
        base = base.parent
    where = f"{key}: cannot write {shown_path(folder)}"
    if not base.is_dir():
        fail(f"{where}: {shown_path(base)} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(dir=base, prefix=".write-check-")
        try:
            os.write(fd, bytes(PROBE_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        fail(f"{where}: {exc.strerror or exc} ({shown_path(base)})")
    return base


def _prune(folder: Path, keep: Path | None) -> None:
    """Remove ``folder`` and its empty parents up to (not including) ``keep``."""
    shutil.rmtree(folder, ignore_errors=True)
    if keep is None:
        return
    keep = keep.absolute()
    parent = folder.absolute().parent
    while parent != keep and keep in parent.parents:
        try:
            parent.rmdir()  # only when empty
        except OSError:
            break
        parent = parent.parent


@contextlib.contextmanager
def staged(final: Path, keep: Path | None = None) -> Iterator[Path]:
    """Write a results folder under a temporary name; give it its name only when complete.

    Hydra has already created ``final`` (with its ``.hydra`` record and log): it is moved
    aside at once to ``.<name>.partial`` and the block writes there, so no folder under the
    final name exists until the block succeeds. Then:

    - success: the folder is renamed to ``final``;
    - a failed run that wrote ``failed.json``: renamed too (a record of the failure, with no
      manifest, so nothing reads it as a result);
    - a file-system fault (``OSError``: a full disk...): the folder is removed, and with it
      any empty parent folder made for it below ``keep``; one line names the folder and the
      cause (exit 2);
    - anything else (bad input, Ctrl+C): the folder is removed and the exception goes on.

    Args:
        final: the results folder.
        keep: the nearest folder that existed before the command (:func:`check_output`).
    """
    final = Path(final)
    work = final.with_name(f".{final.name}{PARTIAL}")
    try:
        shutil.rmtree(work, ignore_errors=True)
        final.rename(work)
    except OSError as exc:
        fail(f"cannot write {shown_path(final)}: {exc.strerror or exc}")
    try:
        yield work
    except OSError as exc:
        _prune(work, keep)
        fail(f"cannot write {shown_path(final)}: {exc.strerror or exc}; nothing was kept")
    except BaseException:
        if (work / "failed.json").exists():
            work.rename(final)
        else:
            _prune(work, keep)
        raise
    try:
        work.rename(final)
    except OSError as exc:
        _prune(work, keep)
        fail(f"cannot write {shown_path(final)}: {exc.strerror or exc}; nothing was kept")
