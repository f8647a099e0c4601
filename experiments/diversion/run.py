"""Where a scenario's gain for the partners comes from: paired differences by destination.

Every firm gets the same opportunities in every scenario (common random numbers; policy never
creates opportunities), so a scenario's extra projects in the partners are either taken from
another destination (home in HCMC, the industrial belt, the composite regions, the other
provinces) or come from opportunities that would otherwise have been declined. The sum of the
differences over all destinations is the change in opportunities taken, i.e. minus the change in
declines.

    .venv/bin/python experiments/diversion/run.py [scenario ...] [--replications N]

writes ``results/diversion/diversion.csv`` (one row per scenario × replication × destination
group) and ``experiments/diversion/report.md`` (means with 90 % t intervals).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from simulation.config.compose import compose, to_run_config
from simulation.data import load_inputs
from simulation.model.records import Results
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare
from simulation.timeline import parse_quarter

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WINDOW = ("2023Q2", "2025Q4")  # the agreements' window, up to the default horizon
MASTER_SEED = 2023
VALUES = ["new_projects", "registered_bn"]


def groups(inputs) -> dict[str, str]:
    """Destination group of every place, from the roles in the data."""
    loc = inputs.locations
    out = {}
    for code, role in loc["role"].items():
        if role == "partner":
            out[code] = "partners"
        elif role == "origin":
            out[code] = "home (HCMC)"
        elif role == "composite":
            out[code] = str(loc.at[code, "name_en"])
        elif str(loc.at[code, "new_code"]) == "hcmc":
            out[code] = "industrial belt (Bình Dương, Bà Rịa–Vũng Tàu)"
        else:
            out[code] = "other provinces (Thái Nguyên, Nam Định–Ninh Bình)"
    return out




def reduce(res: Results) -> pd.DataFrame:
    """New projects and registered capital of the window by place."""
    inv = res.investment
    q = inv["quarter"].astype(str).map(parse_quarter)
    w = inv[(q >= parse_quarter(WINDOW[0])) & (q <= parse_quarter(WINDOW[1]))]
    return w.groupby(w["site"].astype(str))[VALUES].sum()


def main(argv: list[str] | None = None) -> None:
    """Run baseline and the scenarios with paired seeds; write the CSV and the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", default=["agreement_2025", "promotion",
                                                      "networking", "full_package"])
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    inputs = load_inputs()
    group = groups(inputs)
    names = ["baseline", *args.scenarios]
    configs = {}
    for name in names:
        rc = to_run_config(compose([f"scenario={name}", f"time.end={WINDOW[1]}",
                                    "output.events=false", "output.graph=false"]))
        prepare(rc, inputs)
        configs[name] = rc
    seeds = replication_seeds(MASTER_SEED, args.replications)
    jobs = make_jobs(configs, seeds)
    values, seconds = run_jobs(jobs, reduce, args.workers, desc="runs")
    rows = []
    for job, v in zip(jobs, values, strict=True):
        g = v.groupby(v.index.map(group)).sum()
        for dest, r in g.iterrows():
            rows.append({"scenario": job.scenario, "replication": job.replication,
                         "seed": job.seed, "destination": dest, **r.to_dict()})
    df = pd.DataFrame(rows)
    out = ROOT / "results" / "diversion"
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / "diversion.csv", index=False)
    (HERE / "report.md").write_text(report(df, args.scenarios, args.replications,
                                           sum(seconds)), encoding="utf-8")
    print(f"wrote {out / 'diversion.csv'} and {HERE / 'report.md'}")


def _ci(x: np.ndarray) -> tuple[float, float, float]:
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    h = float(stats.t.ppf(0.95, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return m, m - h, m + h


def report(df: pd.DataFrame, scenarios: list[str], replications: int, cpu_s: float) -> str:
    """The Markdown report: one table of paired differences per scenario."""
    base = df[df["scenario"] == "baseline"].set_index(["replication", "destination"])
    lines = ["# Where the partners' gain comes from", "",
             f"Paired differences scenario − baseline, {WINDOW[0]}–{WINDOW[1]} (summed over the "
             f"window), {replications} replications (master seed {MASTER_SEED}), mean and 90 % "
             "t interval. Destinations on the 2023 map. *Opportunities taken* is the sum over "
             "all destinations: opportunities that the baseline's firms declined. Generated by "
             "`experiments/diversion/run.py`.", ""]
    order = ["partners", "home (HCMC)", "industrial belt (Bình Dương, Bà Rịa–Vũng Tàu)",
             "Southern neighbours", "South-central coast and Central Highlands",
             "Rest of the North", "other provinces (Thái Nguyên, Nam Định–Ninh Bình)"]
    for sc in scenarios:
        s = df[df["scenario"] == sc].set_index(["replication", "destination"])
        d = (s[VALUES] - base[VALUES]).reset_index()
        dests = [x for x in order if x in set(d["destination"])] + sorted(
            set(d["destination"]) - set(order))
        lines += [f"## {sc}", "", "| destination | Δ new projects | Δ registered, VND bn (2023) |",
                  "|---|---:|---:|"]
        for dest in dests:
            sub = d[d["destination"] == dest]
            cells = []
            for col, nd in (("new_projects", 1), ("registered_bn", 0)):
                m, lo, hi = _ci(sub[col].to_numpy(float))
                cells.append(f"{m:+,.{nd}f} [{lo:+,.{nd}f}, {hi:+,.{nd}f}]")
            lines.append(f"| {dest} | {cells[0]} | {cells[1]} |")
        tot = d.groupby("replication")[VALUES].sum()
        cells = []
        for col, nd in (("new_projects", 1), ("registered_bn", 0)):
            m, lo, hi = _ci(tot[col].to_numpy(float))
            cells.append(f"{m:+,.{nd}f} [{lo:+,.{nd}f}, {hi:+,.{nd}f}]")
        lines.append(f"| **opportunities taken (all destinations)** | {cells[0]} | {cells[1]} |")
        gain = d[d["destination"] == "partners"].set_index("replication")["new_projects"]
        others = d[d["destination"] != "partners"].groupby("replication")["new_projects"].sum()
        if abs(gain.mean()) > 0:
            share = float(-others.mean() / gain.mean())
            lines += ["", f"Of the partners' extra projects, {100 * share:.0f} % were taken from "
                      f"other destinations and {100 * (1 - share):.0f} % are opportunities "
                      "the baseline declined."]
        lines.append("")
    lines.append(f"CPU time of the runs: {cpu_s:.0f} s.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
