"""Validation report: out-of-sample facts after March 2023, the patterns, the coverage check.

Usage: .venv/bin/python experiments/validation/run.py [--replications 100]
           [--draws configs/params/posterior_draws.csv | --draws none] [--workers N]

Every replication r runs the baseline and the factual scenario (agreement_2025) with the same
seed and posterior draw r (parameters × chance); writes report.md, facts.csv, patterns.csv,
targets.csv, backcast.png and fingerprint.json beside this script.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import pandas as pd

from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.analysis.moments import TARGETS, pool_moments
from simulation.analysis.validation import (
    BASELINE,
    FACTUAL,
    facts_table,
    patterns_table,
    run_values,
)
from simulation.config.compose import compose
from simulation.figures.posterior import facts_figure
from simulation.figures.style import save_figure
from simulation.io import PROJECT_ROOT, atomic_write_text, git_commit
from simulation.runs.draws import load_draws, with_params
from simulation.runs.replicate import Job, replication_seeds, run_jobs
from simulation.runs.runner import prepare

HERE = Path(__file__).resolve().parent
MASTER_SEED = 1000  # not the calibration's seeds


def main() -> None:  # noqa: D103
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=100)
    ap.add_argument("--draws", default="configs/params/posterior_draws.csv")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    model, commit = current(), git_commit()
    draws = [] if args.draws == "none" else load_draws(str(PROJECT_ROOT / args.draws))
    seeds = replication_seeds(MASTER_SEED, args.replications)
    jobs = []
    for scenario in (BASELINE, FACTUAL):
        rc, _ = prepare(compose([f"scenario={scenario}", "output.events=true"]))
        for r, seed in enumerate(seeds):
            cfg = with_params(rc, draws[r % len(draws)]) if draws else rc
            jobs.append(Job(scenario, r, seed, dataclasses.replace(cfg, seed=seed,
                                                                   replication=r)))
    values, _ = run_jobs(jobs, run_values, workers=args.workers, desc="validation")
    n = len(seeds)
    base, factual = values[:n], values[n:]
    facts, patterns = facts_table(factual), patterns_table(base, factual)
    parts = [{k[5:]: v for k, v in r.items() if k.startswith("part:")} for r in base]
    pooled = pool_moments(parts)
    targets = pd.DataFrame([{"moment": t.moment, "target": t.central, "band_low": t.low,
                             "band_high": t.high, "model": pooled.get(t.moment),
                             "in_band": bool(t.low <= pooled.get(t.moment, float("nan"))
                                             <= t.high)} for t in TARGETS])
    wall = time.perf_counter() - t0
    for name, df in (("facts", facts), ("patterns", patterns), ("targets", targets)):
        atomic_write_text(HERE / f"{name}.csv", df.to_csv(index=False))
    uncertainty = (f"posterior draws ({len(draws)} in {args.draws}) × seeds" if draws
                   else "seeds only (parameters at their defaults)")
    note = (f"agreement_2025, {n} replications: {uncertainty}; 5–95 % across replications; "
            f"commit {commit[:10]}")
    save_figure(facts_figure(facts, note), HERE / "backcast", ("png",))
    atomic_write_text(HERE / "report.md", report(facts, patterns, targets, n, uncertainty,
                                                 wall, commit))
    write_fingerprint(HERE, model, commit, replications=n, master_seed=MASTER_SEED,
                      draws=args.draws, command=".venv/bin/python experiments/validation/run.py "
                      f"--replications {n}")
    print((HERE / "report.md").read_text(encoding="utf-8"))


def _md(df: pd.DataFrame) -> str:
    return df.to_markdown(index=False, floatfmt=".4g")


def report(facts: pd.DataFrame, patterns: pd.DataFrame, targets: pd.DataFrame, n: int,
           uncertainty: str, wall: float, commit: str) -> str:
    """The validation report (Markdown)."""
    coverage = PROJECT_ROOT / "experiments" / "posterior" / "coverage_summary.csv"
    cov_text = (_md(pd.read_csv(coverage)) if coverage.is_file()
                else "(no coverage check found: run `.venv/bin/python -m simulation.calibrate`)")
    return "\n".join([
        "# Validation report", "",
        f"{n} replications of the baseline and of the factual scenario (`agreement_2025`), "
        f"paired by seed (master seed {MASTER_SEED}, not the calibration's); uncertainty: "
        f"{uncertainty}. {wall:.0f} s; commit {commit[:10]}.", "",
        "## Out of sample: facts after the March 2023 agreements", "",
        "Model mean and 5–95 % range across replications (the posterior predictive), under "
        "`agreement_2025`; a fact passes when the mean lies in the band.", "",
        _md(facts.drop(columns=["key"])), "", "![back-cast](backcast.png)", "",
        "## Patterns (MODEL_SPEC §1) and scenario-level patterns", "",
        "Each band excludes what the model would show without the pattern; `margin_share` is "
        "the distance of the value to the nearer edge of the band as a share of the band's "
        "width (small: nearly fails).", "",
        _md(patterns.drop(columns=["key", "value"])), "",
        "## In-sample: the calibration targets (pre-2023) on these replications", "",
        "Pooled over the baseline replications.", "", _md(targets), "",
        "## Coverage check of the posterior", "",
        "From `experiments/posterior/` (simulation-based calibration on synthetic datasets).",
        "", cov_text, ""])


if __name__ == "__main__":
    main()
