"""Does pairing pay? Interval width of scenario − baseline, paired vs unpaired, at the same R.

Runs the baseline and a scenario R times with the comparison's common seeds (paired), and the
scenario R more times with an independent family of seeds (unpaired), then prints, for a few
indicators of the nine partners together, the 90 % interval of the mean difference: the paired
t-interval and the Welch interval an unpaired comparison would report.

    .venv/bin/python experiments/pairing/pairing.py --scenario agreement_2025 --replications 20
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis import kpis, measures
from simulation.analysis.comparison import plan
from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.analysis.paired import interval, welch_interval
from simulation.config.schema import CompareConfig
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs

HERE = Path(__file__).resolve().parent
INDICATORS = [("registered_bn", "cumulative"), ("total_jobs", "horizon"),
              ("retained_bn", "cumulative")]


def main() -> None:
    """Run the three arms and print the interval widths."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="agreement_2025")
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--n-agents", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--level", type=float, default=0.90)
    args = ap.parse_args()

    model = current()
    cfg = CompareConfig(scenarios=["baseline", args.scenario], replications=args.replications,
                        seed=args.seed)
    cfg.params.firms.n_agents = args.n_agents
    p = plan(cfg)
    common = p.seeds
    independent = replication_seeds(args.seed, args.replications, stream=1)
    jobs = (make_jobs({"baseline": p.configs["baseline"]}, common)
            + make_jobs({"paired": p.configs[args.scenario]}, common)
            + make_jobs({"unpaired": p.configs[args.scenario]}, independent))
    values, _ = run_jobs(jobs, kpis.run_series, workers=args.workers)
    series = pd.concat(values, ignore_index=True)
    units = measures.locations(p.inputs, "pre2025")
    m = measures.measures(measures.aggregate(series, units), p.window_start, p.horizon)
    m = m[m["location"] == measures.PARTNERS]

    print(f"\n{args.scenario} − baseline, nine partners, R = {args.replications} per arm, "
          f"{args.n_agents:,} agents, {p.start}–{p.horizon}, window from {p.window_start}, "
          f"{args.level:.0%} intervals")
    print(f"{'indicator':<28}{'difference':>12}{'paired width':>15}{'unpaired width':>16}"
          f"{'ratio':>8}{'corr(b, s)':>12}")
    for kpi, measure in INDICATORS:
        sel = m[(m["kpi"] == kpi) & (m["measure"] == measure)]

        def arm(name: str, sel: pd.DataFrame = sel) -> np.ndarray:
            return sel[sel["scenario"] == name].sort_values("replication")["value"].to_numpy()

        b, s, u = arm("baseline"), arm("paired"), arm("unpaired")
        lo, hi = interval((s - b)[None, :], args.level, "t")
        ulo, uhi = welch_interval(u, b, args.level)
        paired_w, unpaired_w = float(hi[0] - lo[0]), uhi - ulo
        corr = float(np.corrcoef(b, s)[0, 1]) if b.std() > 0 and s.std() > 0 else float("nan")
        print(f"{kpi + ' (' + measure + ')':<28}{(s - b).mean():>12,.0f}{paired_w:>15,.0f}"
              f"{unpaired_w:>16,.0f}{unpaired_w / paired_w:>8.1f}{corr:>12.2f}")
    print("\nwidth = upper − lower bound of the interval of the mean difference; ratio = "
          "unpaired / paired (how many times wider the interval is without common seeds)",
          file=sys.stdout)
    write_fingerprint(HERE, model, command=".venv/bin/python experiments/pairing/pairing.py "
                      + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
