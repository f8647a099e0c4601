"""Check the shipped defaults against the pre-2023 calibration targets (MODEL_SPEC §11).

Usage: .venv/bin/python experiments/calibration/check.py [--seeds 24] [overrides...]
Runs the baseline with the default parameters (the posterior median) at the default resolution,
pools the moments over the seeds and writes targets.md and fingerprint.json beside this script.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.analysis.moments import TARGETS, moment_parts, pool_moments
from simulation.config.compose import compose
from simulation.io import atomic_write_text, git_commit
from simulation.runs.replicate import Job, replication_seeds, run_jobs
from simulation.runs.runner import prepare

HERE = Path(__file__).resolve().parent
MASTER_SEED = 500  # neither the calibration's nor the validation's seeds


def main() -> None:  # noqa: D103
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=24)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("overrides", nargs="*")
    args = ap.parse_args()
    t0 = time.perf_counter()
    model, commit = current(), git_commit()
    rc, _ = prepare(compose([*args.overrides, "output.events=true"]))
    seeds = replication_seeds(MASTER_SEED, args.seeds)
    jobs = [Job("baseline", r, s, dataclasses.replace(rc, seed=s, replication=r))
            for r, s in enumerate(seeds)]
    parts, _ = run_jobs(jobs, moment_parts, workers=args.workers, desc="targets")
    pooled = pool_moments(parts)
    single = pd.DataFrame([pool_moments([p]) for p in parts])
    rows = []
    for t in TARGETS:
        lo, hi = np.nanpercentile(single[t.moment], [5, 95])
        v = pooled[t.moment]
        rows.append({"moment": t.moment, "target": t.central, "band": f"{t.low:g} to {t.high:g}",
                     "model (pooled)": v, "single runs 5–95 %": f"{lo:.3g} to {hi:.3g}",
                     "in band": bool(t.low <= v <= t.high), "source": t.source})
    table = pd.DataFrame(rows)
    wall = time.perf_counter() - t0
    text = (f"Baseline at the shipped defaults, {len(seeds)} seeds (master seed {MASTER_SEED}), "
            f"{rc.params.firms.n_agents:,} agents, overrides: {' '.join(args.overrides) or 'none'}"
            f"; {wall:.0f} s; commit {commit[:10]}.\n\n"
            + table.to_markdown(index=False, floatfmt=".3g") + "\n")
    atomic_write_text(HERE / "targets.md", text)
    write_fingerprint(HERE, model, commit, seeds=len(seeds), master_seed=MASTER_SEED,
                      command=".venv/bin/python experiments/calibration/check.py --seeds "
                      f"{len(seeds)} {' '.join(args.overrides)}".strip())
    print(text)


if __name__ == "__main__":
    main()
