"""Sweep throughput: seconds per job for the local launchers and per point for the SA evaluator.

Usage: .venv/bin/python benchmarks/sweep_throughput.py [N_JOBS] [N_AGENTS]
Runs N_JOBS seeds (default 8) at N_AGENTS firm agents (default 20000) through
``.venv/bin/hcmc-run --multirun`` with Hydra's basic (sequential) launcher and with
``hydra/launcher=parallel``, then the same points through the in-process sensitivity
evaluator, and prints wall time per job and the speed-up. Output goes to a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def sweep(launcher: list[str], n_jobs: int, n_agents: int, folder: Path) -> float:
    cmd = [sys.executable, "-m", "simulation", "--multirun", *launcher,
           f"hydra.sweep.dir={folder}", f"params.firms.n_agents={n_agents}",
           "output.figures=false", "output.events=false", f"seed=range(1,{n_jobs + 1})"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=folder.parent)
    return time.perf_counter() - t0


def main() -> None:
    n_jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    n_agents = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    cores = os.cpu_count()
    print(f"{n_jobs} jobs at {n_agents:,} firm agents on {cores} cores")
    with tempfile.TemporaryDirectory() as tmp:
        basic = sweep([], n_jobs, n_agents, Path(tmp) / "basic")
        print(f"basic launcher (sequential): {basic:6.1f} s  {basic / n_jobs:5.2f} s/job")
        par = sweep(["hydra/launcher=parallel"], n_jobs, n_agents, Path(tmp) / "parallel")
        print(f"parallel launcher (joblib):  {par:6.1f} s  {par / n_jobs:5.2f} s/job  "
              f"speed-up {basic / par:.2f}×")
        again = sweep(["hydra/launcher=parallel"], n_jobs, n_agents, Path(tmp) / "parallel")
        print(f"re-run, all jobs complete:   {again:6.1f} s  {again / n_jobs:5.2f} s/job "
              "(resume check only)")
    sys.path.insert(0, str(ROOT))
    from simulation.analysis.kpis import RUN_KPIS
    from simulation.analysis.sensitivity import ModelEvaluator

    with ModelEvaluator([f"params.firms.n_agents={n_agents}"], list(RUN_KPIS), [1]) as ev:
        t0 = time.perf_counter()
        ev(np.arange(1, 3, dtype=float)[:, None], ["seed"], "warm-up")
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        ev(np.arange(1, n_jobs + 1, dtype=float)[:, None], ["seed"], "points")
        pts = time.perf_counter() - t0
    print(f"sensitivity evaluator:       {pts:6.1f} s  {pts / n_jobs:5.2f} s/point "
          f"(after a {warm:.1f} s start of the worker processes)")


if __name__ == "__main__":
    main()
