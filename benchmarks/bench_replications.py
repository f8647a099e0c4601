"""Replications of the default configuration per minute, through the project's replication runner.

Uses ``simulation.runs.replicate`` exactly as ``compare`` does (seeds from one master seed,
forkserver worker processes, results in job order); each run's tables are reduced to their row
count in the worker. Also reports the speed-up of N workers over one on a short batch.

Usage: python benchmarks/bench_replications.py [replications] [workers]   (default 1000 2)
"""

import sys
import time

from harness import Measure, record, single

from simulation.config.compose import compose
from simulation.model.records import Results
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare


def rows(res: Results) -> int:
    """What a worker sends back: the number of table rows of its run."""
    return sum(len(df) for df in res.tables().values())


def timed(n: int, workers: int) -> tuple[float, int]:
    """Wall time and table rows of ``n`` default replications on ``workers`` processes."""
    rc, _ = prepare(compose(["output.events=false"]))
    jobs = make_jobs({"baseline": rc}, replication_seeds(2023, n))
    t0 = time.perf_counter()
    values, _ = run_jobs(jobs, rows, workers=workers, progress=False)
    return time.perf_counter() - t0, sum(values)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    short = min(n, 40)
    one, _ = timed(short, 1)
    many, _ = timed(short, workers)
    print(f"speed-up of {workers} workers over 1 on {short} runs: {one / many:.2f}x "
          f"({one:.1f} s vs {many:.1f} s)")
    wall, total = timed(n, workers)
    print(f"{n} replications of the default configuration (20,000 firms, 2020Q1–2025Q4 + 24 "
          f"spin-up quarters) on {workers} processes: {wall:.1f} s wall")
    print(f"  {60 * n / wall:.0f} replications per minute; 1,000 replications take "
          f"{1000 * wall / n / 60:.2f} min; {total:,} table rows returned")
    record(Measure("replications", "default replications through the replication runner "
                   "(run_jobs, every table read in the worker), no comparison around them",
                   {"replications": n, "workers": workers, "speed-up on": short},
                   [2023], 1),
           {"wall_s": single(wall, "s"),
            "replications_per_minute": single(60 * n / wall, "runs/min", "higher"),
            "speedup_workers": single(one / many, "×", "higher")})


if __name__ == "__main__":
    main()
