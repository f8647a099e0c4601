"""Thin command line: parse → read the folder → draw → write ``plots.json`` last.

Bad input (unknown key, wrong value, missing or incomplete results folder) is reported as one
line on stderr with exit code 2, before any figure is written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from simulation.cli import EXIT_BAD_INPUT, fail
from simulation.config.schema import PlotConfig
from simulation.errors import ConfigError, DataError
from simulation.figures.sets import draw
from simulation.figures.source import read_folder
from simulation.io import write_manifest
from simulation.plot.config import USAGE, parse


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
        "command": "python -m simulation.plot " + " ".join(argv or [cfg.dir]),
        "lang": cfg.lang,
        "formats": list(cfg.formats),
        "wall_time_s": round(time.perf_counter() - t0, 2),
        "files": files,
        "skipped": plotter.skipped,
    }
    return write_manifest(out / "plots.json", info)


def main(argv: list[str] | None = None) -> None:
    """Console entry point of ``python -m simulation.plot``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(USAGE)
        print("\nkeys (default):")
        for name, value in PlotConfig().__dict__.items():
            print(f"  {name}={value}")
        return
    try:
        cfg = parse(argv)
        info = run(cfg, argv)
    except (ConfigError, DataError) as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    for line in info["skipped"]:
        print(f"skipped: {line}", file=sys.stderr)
    out = output_dir(cfg)
    print(f"{len(info['files'])} figure files written to {out} in {info['wall_time_s']:.0f} s "
          "(list in plots.json)")
