"""Replications per minute inside a comparison, against one in-process run (the ensemble target).

Times the comparison command as a planner runs it (``.venv/bin/python -m simulation.compare``, two
scenarios × R replications, figures off, two worker processes: start-up, the runs, the
summary and the written folder included) and divides its wall time by the number of runs; in
the same script, one in-process run of the same configuration (``simulate`` of the baseline's
job configs, each replication's seed and posterior parameter draw as in the comparison, every
table built) as a median of repeats, and the same at the default parameters. Their ratio is the
speed-up of the replication path. With ``--against REV`` the same comparison is timed on
another git revision (a temporary checkout on ``PYTHONPATH``) for a before/after figure.

Usage: .venv/bin/python benchmarks/bench_ensemble.py [--replications 250] [--repeats 7]
       [--compare-repeats 3] [--against REV]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, Measure, child, record, revision, single, summary

from simulation.config.schema import CompareConfig

SCENARIOS = "[baseline,agreement_2025]"
DRAWS = CompareConfig().parameter_draws  # the comparison's default: posterior draws
SEED = 2023
WORKERS = 2

SERIAL = r"""
import json, os, sys, time
from hydra import compose, initialize_config_dir
from simulation.analysis import comparison
from simulation.apps.compare import to_compare_config
with initialize_config_dir(config_dir=os.path.abspath("configs"), version_base="1.3"):
    cfg = compose(config_name="compare", overrides=sys.argv[1:])
cc = to_compare_config(cfg)
t0, c0 = time.perf_counter(), time.process_time()
plan = comparison.plan(cc)
series, runs, _ = comparison.run(plan, 1, False)
comparison.summarise(series, plan, cc.level, cc.interval)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "runs": len(runs)}))
"""

SINGLE = r"""
import json, sys, time
from simulation.analysis import comparison
from simulation.apps.compare import compose_compare
from simulation.config.compose import compose
from simulation.runs.runner import prepare, simulate
repeats, which = int(sys.argv[1]), sys.argv[2]
if which == "default":  # the default parameters, seed 2023
    rc, inputs = prepare(compose(["seed=2023", "output.events=false", "output.projects=false"]))
    configs = [rc] * repeats
else:  # the comparison's own baseline jobs: replication r, its seed and its parameter draw
    plan = comparison.plan(compose_compare(sys.argv[3:]))
    inputs = plan.inputs
    configs = [plan.job_config(plan.baseline, r) for r in range(repeats)]
simulate(configs[0], inputs)  # warm-up: imports, caches
runs, cpu = [], []
for rc in configs:
    t0, c0 = time.perf_counter(), time.process_time()
    res, _ = simulate(rc, inputs)
    runs.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
print(json.dumps({"runs": runs, "cpu": cpu}))
"""


def overrides(replications: int) -> list[str]:
    """The comparison's settings (the command's arguments)."""
    return [f"scenarios={SCENARIOS}", f"replications={replications}", f"seed={SEED}",
            "figures=false", "progress=false"]


def serial_cpu(replications: int, path: Path | None = None) -> float:
    """CPU seconds per run of the comparison run in one process (one worker, this core)."""
    out = child(SERIAL, *overrides(replications), path=path, threads=1)
    return out["cpu"] / out["runs"]


def comparison(replications: int, path: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (the command and its worker processes) of one comparison."""
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as out:
        cmd = [sys.executable, "-m", "simulation.compare", f"scenarios={SCENARIOS}",
               f"replications={replications}", f"seed={SEED}", f"workers={WORKERS}",
               "figures=false", "progress=false", f"output_dir={out}"]
        env = None
        if path is not None:
            import os

            env = dict(os.environ, PYTHONPATH=str(path))
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=path or ROOT)
        wall = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=250, help="per scenario")
    ap.add_argument("--repeats", type=int, default=7, help="in-process runs (median)")
    ap.add_argument("--compare-repeats", type=int, default=3, help="comparisons (median)")
    ap.add_argument("--against", help="also time the comparison on this git revision")
    args = ap.parse_args()
    runs = 2 * args.replications
    measure = Measure(
        name="ensemble",
        description=(f"per-replication wall time inside a {runs}-run comparison (2 scenarios × "
                     f"{args.replications} replications, figures off, {WORKERS} workers) vs "
                     "one in-process run of the same configuration"),
        config={"compare": [".venv/bin/python -m simulation.compare", f"scenarios={SCENARIOS}",
                            f"replications={args.replications}", f"workers={WORKERS}",
                            "figures=false"],
                "parameter_draws": f"{DRAWS} (the comparison's default): replication r runs "
                                   "draw r mod n, every replication its own draw",
                "single": "simulate() of the comparison's baseline jobs, one per repeat "
                          "(replication r: its seed and its parameter draw; events and projects "
                          "list off as in the comparison), every table built; "
                          "single_run_default_params_s: the default parameters, seed 2023",
                "firms": 20000, "quarters": "2020Q1–2025Q4 + 24 spin-up"},
        seeds=[SEED], repeats=args.repeats,
        target="per-replication time ≥ 6× shorter than one in-process run; 10,000 "
               "replications < 5 min on 2 cores")
    # the run a comparison's replication is, alone in-process: the baseline with replication
    # r's seed and parameter draw (the comparison runs over posterior draws by default)
    jobs = [str(args.repeats), "jobs", *overrides(max(args.repeats, 1))]
    defaults = [str(args.repeats), "default"]
    first, first_default = child(SINGLE, *jobs, threads=1), child(SINGLE, *defaults, threads=1)
    done = [comparison(args.replications) for _ in range(args.compare_repeats)]
    again = child(SINGLE, *jobs, threads=1)  # paired: before and after
    again_default = child(SINGLE, *defaults, threads=1)
    one = summary(first["runs"] + again["runs"], "s")
    one_cpu = summary(first["cpu"] + again["cpu"], "s")
    one_default = summary(first_default["runs"] + again_default["runs"], "s")
    one_default_cpu = summary(first_default["cpu"] + again_default["cpu"], "s")
    per_run = summary([w / runs for w, _ in done], "s")
    per_run_cpu = summary([serial_cpu(args.replications)
                           for _ in range(args.compare_repeats)], "s")
    figures = {
        "single_run_s": one,
        "comparison_wall_s": summary([w for w, _ in done], "s"),
        "per_replication_s": per_run,
        "replications_per_minute": single(60.0 / per_run["median"], "runs/min", "higher"),
        "speedup_vs_single_run": single(one["median"] / per_run["median"], "×", "higher"),
        "ten_thousand_replications_min": single(10_000 * per_run["median"] / 60.0, "min"),
        # CPU seconds are steadier than wall times on a shared machine: the comparison run
        # in one process (one worker) costs this much CPU per run; on an idle 2-core machine
        # the wall time per run is about half of it
        "single_run_cpu_s": one_cpu,
        "per_replication_cpu_s": per_run_cpu,
        "speedup_cpu_on_2_cores": single(one_cpu["median"] / (per_run_cpu["median"] / WORKERS),
                                         "×", "higher"),
        # the same single run at the default parameters (the denominator before comparisons ran
        # over posterior draws; a draw's run costs a few per cent more on average)
        "single_run_default_params_s": one_default,
        "single_run_default_params_cpu_s": one_default_cpu,
        "speedup_vs_single_run_default_params": single(
            one_default["median"] / per_run["median"], "×", "higher"),
    }
    if args.against:
        with revision(args.against) as tree:
            before = [comparison(args.replications, tree) for _ in range(args.compare_repeats)]
            before_cpu = [serial_cpu(args.replications, tree)
                          for _ in range(args.compare_repeats)]
        figures["before_per_replication_s"] = summary([w / runs for w, _ in before], "s")
        figures["before_per_replication_cpu_s"] = summary(before_cpu, "s")
        figures["before_replications_per_minute"] = single(
            60.0 / figures["before_per_replication_s"]["median"], "runs/min", "higher")
        measure.config["before"] = args.against
    record(measure, figures)


if __name__ == "__main__":
    main()
