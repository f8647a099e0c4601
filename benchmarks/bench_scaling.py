"""Wall time, throughput and peak memory for 1k–1M firms over 44 quarters.

Usage: python benchmarks/bench_scaling.py [sizes...]   (default 1000 10000 100000 1000000)
Each size runs in a fresh process so its peak resident memory is its own.
"""

import json
import subprocess
import sys

from harness import Measure, record, single

CHILD = r"""
import json, resource, sys, time
from simulation.config.compose import compose
from simulation.runs.runner import prepare, simulate
n = int(sys.argv[1])
rc, inputs = prepare(compose([f"params.firms.n_agents={n}", "time.start=2020Q1",
                              "time.end=2030Q4", "time.spinup_quarters=0",
                              "output.events=false"]))
import simulation.model  # noqa: F401  (imports are not part of the measured wall time)
simulate(rc, inputs) if n <= 10000 else None  # warm caches for small sizes
t0 = time.perf_counter()
res, tm = simulate(rc, inputs)
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "setup_s": tm["setup_s"], "step_s": tm["step_s"],
                  "tables_s": tm["tables_s"], "wall_s": wall, "peak_mib": peak,
                  "quarters": 44}))
"""


def measure(n: int) -> dict:
    """Run one size in a fresh single-threaded process and return its figures."""
    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(n)], capture_output=True, text=True,
                         check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000, 1_000_000]
    print(f"{'firms':>10} {'set-up s':>9} {'step s':>8} {'wall s':>8} {'firm-steps/s':>14} "
          f"{'µs/firm':>8} {'peak MiB':>9}")
    rows = []
    for n in sizes:
        r = measure(n)
        rows.append(r)
        fs = n * r["quarters"] / r["step_s"]
        print(f"{n:>10,} {r['setup_s']:>9.3f} {r['step_s']:>8.3f} {r['wall_s']:>8.3f} "
              f"{fs:>14,.0f} {1e6 * r['wall_s'] / n:>8.2f} {r['peak_mib']:>9.0f}", flush=True)
    figures = {}
    for r in rows:
        figures[f"firms_{r['n']}_wall_s"] = single(r["wall_s"], "s")
        figures[f"firms_{r['n']}_peak_mib"] = single(r["peak_mib"], "MiB")
    record(Measure("scaling", "firms × 44 quarters (2020Q1–2030Q4, no spin-up), one core, each "
                   "size in a fresh process: set-up + stepping + tables, peak memory",
                   {"sizes": sizes, "overrides": ["time.start=2020Q1", "time.end=2030Q4",
                                                  "time.spinup_quarters=0",
                                                  "output.events=false"]}, [2023], 1,
                   target="100k firms under 3 s and under 1 GiB"), figures)
    if len(rows) > 2:
        import numpy as np

        n = np.array([r["n"] for r in rows], float)
        for key in ("wall_s", "peak_mib"):
            y = np.array([r[key] for r in rows])
            b, a = np.polyfit(n, y, 1)
            r2 = 1 - ((y - (a + b * n)) ** 2).sum() / ((y - y.mean()) ** 2).sum()
            unit = "µs" if key == "wall_s" else "KiB"
            scale = 1e6 if key == "wall_s" else 1024
            print(f"linear fit {key}: {a:.3g} + {scale * b:.3g} {unit} per firm × n   "
                  f"(R² = {r2:.4f})")


if __name__ == "__main__":
    main()
