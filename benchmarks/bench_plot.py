"""Time of the presenters' figures: reading a run folder and drawing each kind of figure.

    python benchmarks/bench_plot.py [--formats png,svg]

Makes one default run (20,000 agents, 2020Q1–2025Q4) in a temporary folder with the real
command line, then times, in this process, reading the folder and each step of the plot
command's figure set (both boundary sets, English), and prints seconds per step and per file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import Measure, record, single

from simulation.config.schema import PlotConfig
from simulation.figures.plotter import Plotter
from simulation.figures.sets import steps
from simulation.figures.source import read_folder


def main() -> None:
    """Run once, then time every figure step."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", default="png,svg")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        subprocess.run([sys.executable, "-m", "simulation", f"hydra.run.dir={run}",
                        "output.figures=false", "output.summary=false"], check=True)
        t0 = time.perf_counter()
        folder = read_folder(run)
        read = time.perf_counter() - t0
        print(f"{'read the run folder':<32} {read:6.2f} s")
        cfg = PlotConfig(dir=str(run), formats=args.formats.split(","))
        plotter = Plotter(folder, cfg, Path(tmp) / "plots")
        total, figures = 0.0, {"read_s": single(read, "s")}
        for label, step in steps(plotter):
            before = len(plotter.written)
            t = time.perf_counter()
            step()
            sec = time.perf_counter() - t
            total += sec
            files = len(plotter.written) - before
            print(f"{label:<32} {sec:6.2f} s  {files:3d} files  {sec / max(files, 1):5.2f} s/file")
            figures[f"{label}_s".replace(" ", "_")] = single(sec, "s")
        print(f"{'all figures':<32} {total:6.2f} s  {len(plotter.written):3d} files")
        figures["all_figures_s"] = single(total, "s")
        record(Measure("plot", "the plot command's figure set of one default run: reading the "
                       "folder and each kind of figure", {"formats": args.formats},
                       [2023], 1), figures)


if __name__ == "__main__":
    main()
