"""Throughput of replications: runs per second with 1 and more worker processes.

    python benchmarks/replications.py --runs 8 --n-agents 20000

Prints, for each number of workers, the wall time of the batch, runs per second, the mean
wall time of one run inside its worker, and the speed-up over one worker.
"""

from __future__ import annotations

import argparse
import time

from simulation import kpis
from simulation.replicate import default_workers, make_jobs, replication_seeds, run_jobs
from simulation.runner import compose, prepare


def main() -> None:
    """Time the same batch of runs with 1..N workers."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--n-agents", type=int, default=20000)
    ap.add_argument("--scenario", default="agreement_2025")
    args = ap.parse_args()
    rc, _ = prepare(compose([f"scenario={args.scenario}",
                             f"params.firms.n_agents={args.n_agents}"]))
    jobs = make_jobs({args.scenario: rc}, replication_seeds(1, args.runs))
    print(f"{args.runs} runs of {args.scenario}, {args.n_agents:,} agents, "
          f"{rc.time.start}–{rc.time.end} + {rc.time.spinup_quarters} spin-up quarters; "
          f"{default_workers()} cores available")
    print(f"{'workers':>8}{'wall s':>9}{'runs/s':>9}{'s per run':>11}{'speed-up':>10}")
    base = None
    for workers in sorted({1, 2, default_workers()}):
        t0 = time.perf_counter()
        _, seconds = run_jobs(jobs, kpis.run_series, workers=workers, progress=False)
        wall = time.perf_counter() - t0
        base = base or wall
        print(f"{workers:>8}{wall:>9.2f}{args.runs / wall:>9.2f}"
              f"{sum(seconds) / len(seconds):>11.2f}{base / wall:>10.2f}")


if __name__ == "__main__":
    main()
