"""What every command line shares: exit codes, one-line errors, Hydra's run folder.

Bad input (unknown key or scenario, wrong type, out-of-range value, missing or corrupt data or
results, a folder that cannot be written) reaches the user as one line on stderr starting with
``error:`` and exit code 2; a failed model run as one line naming scenario and seed and exit
code 3. Never a bare traceback for bad input.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from omegaconf import DictConfig

from simulation.errors import ConfigError, DataError, RunFailedError

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
