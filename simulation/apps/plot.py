"""``python -m simulation.plot <folder> [key=value ...]`` (``hcmc-plot``): the figure set.

Draws, without re-running anything, every figure of a run, comparison or sweep folder in one
presentation style (:mod:`simulation.figures.sets`), as PNG and SVG or PDF, plus an animated
GIF of flows and ties over the quarters: parse → read the folder → draw → write ``plots.json``
last. Settings use Hydra/OmegaConf override syntax (``formats=[png,pdf]``,
``animation=false``); bad input (unknown key, wrong value, missing or incomplete results
folder) is reported as one line on stderr with exit code 2, before any figure is written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from omegaconf import OmegaConf
from omegaconf.errors import GrammarParseError

from simulation.analysis.kpis import KPI_BY_NAME
from simulation.analysis.measures import BOUNDARIES
from simulation.apps.common import one_line_errors
from simulation.config.compose import to_config
from simulation.config.schema import PlotConfig
from simulation.config.validate import check_ranges
from simulation.errors import ConfigError
from simulation.figures.labels import LANGS
from simulation.figures.sets import draw
from simulation.figures.source import read_folder
from simulation.figures.style import FORMATS
from simulation.io import command_line, write_manifest

USAGE = ("usage: {prog} <results folder> [lang=en|vi] [formats=[png,svg]] "
         "[out=<folder>] [kpis=[...]] [boundaries=[pre2025,post2025]] [animation=true|false] "
         "[dpi=200]")


def usage() -> str:
    """The usage line, naming the command as it runs here."""
    return USAGE.format(prog=command_line("hcmc-plot"))


def parse(argv: list[str]) -> PlotConfig:
    """The settings from command-line arguments.

    Raises:
        ConfigError: no folder, an unknown key, a wrong type or a value out of range.
    """
    folders = [a for a in argv if "=" not in a]
    pairs = [a for a in argv if "=" in a]
    if len(folders) > 1:
        raise ConfigError(f"give one results folder, not {len(folders)} "
                          f"({', '.join(folders)}); {usage()}")
    try:
        given = OmegaConf.to_container(OmegaConf.from_dotlist(pairs))
    except GrammarParseError as exc:
        raise ConfigError(f"cannot parse {' '.join(pairs)}: {str(exc).splitlines()[0]}") \
            from None
    if folders:
        given["dir"] = folders[0]
    obj = to_config(given, PlotConfig)
    assert isinstance(obj, PlotConfig)
    validate(obj)
    return obj


def _subset(key: str, values: list[str], allowed: tuple[str, ...] | list[str]) -> None:
    for v in values:
        if v not in allowed:
            raise ConfigError(f"{key} contains unknown {v!r}; allowed: {', '.join(allowed)}")
    if not values:
        raise ConfigError(f"{key} is empty; allowed: {', '.join(allowed)}")


def validate(cfg: PlotConfig) -> None:
    """Check every setting (one line naming key, value and what is allowed)."""
    if not cfg.dir:
        raise ConfigError(f"no results folder given; {usage()}")
    if cfg.lang not in LANGS:
        raise ConfigError(f"lang={cfg.lang!r} is unknown; allowed: {', '.join(LANGS)}")
    _subset("formats", cfg.formats, FORMATS)
    _subset("kpis", cfg.kpis, list(KPI_BY_NAME))
    _subset("boundaries", cfg.boundaries, BOUNDARIES)
    check_ranges(cfg)


def output_dir(cfg: PlotConfig) -> Path:
    """Where the figures go: ``out``, or ``<folder>/plots/<lang>``."""
    return Path(cfg.out) if cfg.out else Path(cfg.dir) / "plots" / cfg.lang


def run(cfg: PlotConfig, argv: list[str] | None = None, verbose: bool = True) -> dict:
    """Read the folder, draw the figure set, write ``plots.json``; return its content.

    Raises:
        DataError: the folder is missing, incomplete or unreadable.
    """
    t0 = time.perf_counter()
    folder = read_folder(cfg.dir)
    out = output_dir(cfg)

    def progress(label: str) -> None:
        if verbose:
            print(f"  drawing {label}", file=sys.stderr, flush=True)

    if verbose:
        print(f"{folder.kind} folder {folder.path}: drawing into {out} (lang={cfg.lang}, "
              f"{', '.join(cfg.formats)})", file=sys.stderr)
    plotter = draw(folder, cfg, out, progress)
    files = sorted(str(p.relative_to(out)) for p in plotter.written)
    info = {
        "folder": str(folder.path),
        "kind": folder.kind,
        "command": command_line("hcmc-plot", *(argv or [cfg.dir])),
        "lang": cfg.lang,
        "formats": list(cfg.formats),
        "wall_time_s": round(time.perf_counter() - t0, 2),
        "files": files,
        "skipped": plotter.skipped,
    }
    return write_manifest(out / "plots.json", info)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m simulation.plot`` and ``hcmc-plot``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(usage())
        print("\nkeys (default):")
        for name, value in PlotConfig().__dict__.items():
            print(f"  {name}={value}")
        return
    with one_line_errors():
        cfg = parse(argv)
        info = run(cfg, argv)
    for line in info["skipped"]:
        print(f"skipped: {line}", file=sys.stderr)
    out = output_dir(cfg)
    print(f"{len(info['files'])} figure files written to {out} in {info['wall_time_s']:.0f} s "
          "(list in plots.json)")
