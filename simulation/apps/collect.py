"""``python -m simulation.collect <sweep dir>`` (``hcmc-collect``): a sweep into one dataset.

Prints what was written and one line per failed or missing job (its overrides and error).
Exit code 0 when every job is complete, 1 when some failed or are missing (the dataset still
holds the complete ones), 2 for bad input (no such sweep folder, unknown table).
"""

from __future__ import annotations

import argparse
import sys

from simulation.apps.common import EXIT_INCOMPLETE, one_line_errors
from simulation.io import command_line
from simulation.runs.collect import collect
from simulation.runs.sweep import COMPLETE, FAILED, MISSING


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code."""
    parser = argparse.ArgumentParser(
        prog=command_line("hcmc-collect"),
        description="Gather the jobs of a sweep (a --multirun's hydra.sweep.dir) into tidy "
                    "Parquet tables keyed by the swept values.")
    parser.add_argument("sweep_dir", help="the sweep folder, e.g. results/sweeps/my_sweep")
    parser.add_argument("--out", help="output folder (default: <sweep_dir>/collected)")
    parser.add_argument("--tables", nargs="+", metavar="TABLE",
                        help="tables to gather (default: investment projects jobs revenue "
                             "ties locations; 'events' on request)")
    args = parser.parse_args(argv)
    with one_line_errors():
        res = collect(args.sweep_dir, args.out, args.tables)
    n = len(res.jobs)
    print(f"{n} jobs in {args.sweep_dir}: {res.count(COMPLETE)} complete, "
          f"{res.count(FAILED)} failed, {res.count(MISSING)} missing")
    print("swept: " + (", ".join(res.swept) if res.swept else "(nothing varies)"))
    for job in res.jobs:
        if job.status != COMPLETE:
            print(f"{job.status}: {' '.join(job.overrides) or job.name}: {job.error}",
                  file=sys.stderr)
    commits = sorted({str(j.manifest.get("git_commit")) for j in res.jobs
                      if j.status == COMPLETE and j.manifest})
    if len(commits) > 1:
        print(f"warning: complete jobs come from {len(commits)} code versions: "
              + ", ".join(commits), file=sys.stderr)
    rows = ", ".join(f"{t} {r:,}" for t, r in res.tables.items())
    print(f"wrote {res.out_dir}: sweep_jobs.parquet/.csv; rows: {rows}")
    return EXIT_INCOMPLETE if res.count(COMPLETE) < n else 0
