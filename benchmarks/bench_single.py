"""One default run in-process, paired with another git revision; 100,000 firms × 44 quarters.

The default run (20,000 firms, 2020Q1–2025Q4 after 24 spin-up quarters, every table built:
``simulate``) is timed as the median of repeats in a fresh single-threaded process. With
``--against REV`` the same is timed on that revision (a temporary checkout on ``PYTHONPATH``),
alternating rounds A B A B…, and the ratio is taken round by round (pairing keeps it
meaningful on a noisy machine). The large run is 100,000 firms over 2020Q1–2030Q4 without
spin-up (as ``bench_scaling.py``).

Usage: python benchmarks/bench_single.py [--repeats 5] [--rounds 3] [--against REV]
"""

from __future__ import annotations

import argparse
import statistics

from harness import Measure, child, record, revision, summary

RUN = r"""
import json, sys, time
try:
    from simulation.config.compose import compose
    from simulation.runs.runner import prepare, simulate
except ImportError:  # the package layout before the restructuring
    from simulation.runner import compose, prepare, simulate
repeats, overrides = int(sys.argv[1]), sys.argv[2:]
rc, inputs = prepare(compose(overrides))
simulate(rc, inputs)  # warm-up: imports, caches
runs, cpu = [], []
for _ in range(repeats):
    t0, c0 = time.perf_counter(), time.process_time()
    simulate(rc, inputs)
    runs.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"runs": runs, "cpu": cpu}))
"""

DEFAULT = ["seed=2023"]
LARGE = ["seed=2023", "params.firms.n_agents=100000", "time.start=2020Q1", "time.end=2030Q4",
         "time.spinup_quarters=0", "output.events=false"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="runs per round (median)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    ap.add_argument("--against", help="git revision to pair the default run with")
    args = ap.parse_args()
    measure = Measure(
        name="single_run",
        description="one run in-process (simulate: set-up, stepping, every table), median of "
                    "repeats in a fresh single-threaded process",
        config={"default": DEFAULT + ["(20,000 firms, 2020Q1–2025Q4 + 24 spin-up, events on)"],
                "large": LARGE, "against": args.against},
        seeds=[2023], repeats=args.repeats * args.rounds,
        target="default run within 1.5× of the pre-rewrite model; 100k × 44 quarters < 3 s")
    new, old, ratios, new_cpu, old_cpu, cpu_ratios = [], [], [], [], [], []
    with revision(args.against) if args.against else _nothing() as tree:
        for _ in range(args.rounds):
            a = child(RUN, str(args.repeats), *DEFAULT, threads=1)
            new += a["runs"]
            new_cpu += a["cpu"]
            if tree is not None:
                b = child(RUN, str(args.repeats), *DEFAULT, path=tree, threads=1)
                old += b["runs"]
                old_cpu += b["cpu"]
                ratios.append(statistics.median(a["runs"]) / statistics.median(b["runs"]))
                cpu_ratios.append(statistics.median(a["cpu"]) / statistics.median(b["cpu"]))
    large = child(RUN, str(max(1, args.repeats // 2)), *LARGE, threads=1)
    figures = {"default_run_s": summary(new, "s"), "default_run_cpu_s": summary(new_cpu, "s")}
    if old:
        figures["before_default_run_s"] = summary(old, "s")
        figures["before_default_run_cpu_s"] = summary(old_cpu, "s")
        figures["ratio_to_before"] = summary(ratios, "×")
        figures["cpu_ratio_to_before"] = summary(cpu_ratios, "×")
    figures["firms_100k_44q_s"] = summary(large["runs"], "s")
    figures["firms_100k_44q_cpu_s"] = summary(large["cpu"], "s")
    record(measure, figures)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
