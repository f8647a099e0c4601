"""Replications of the default configuration per minute on 2 worker processes.

Each worker composes and validates the default configuration once, then runs seeds; a run's
tidy tables travel back to the parent (as in a real replication set), which keeps them.

Usage: python benchmarks/bench_replications.py [replications] [workers]   (default 1000 2)
"""

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

_STATE: dict = {}


def _init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from simulation.runner import compose, prepare

    _STATE["rc"], _STATE["inputs"] = prepare(compose(["output.events=false"]))


def _run(seed: int) -> int:
    from simulation.runner import simulate

    rc = _STATE["rc"]
    rc.seed, rc.replication = seed, seed
    res, _ = simulate(rc, _STATE["inputs"])
    return sum(len(df) for df in res.tables().values())


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    t0 = time.perf_counter()
    rows = 0
    with ProcessPoolExecutor(workers, initializer=_init) as pool:
        for r in pool.map(_run, range(n), chunksize=4):
            rows += r
    wall = time.perf_counter() - t0
    print(f"{n} replications of the default configuration (20,000 firms, 2020Q1–2025Q4 + 24 "
          f"spin-up quarters) on {workers} processes: {wall:.1f} s wall")
    print(f"  {60 * n / wall:.0f} replications per minute; 1,000 replications take "
          f"{1000 * wall / n / 60:.2f} min; {rows:,} table rows returned")


if __name__ == "__main__":
    main()
