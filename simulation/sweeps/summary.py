"""A Hydra callback that ends every ``--multirun`` with one summary of its jobs.

It reads the sweep folder (the same scan as ``python -m simulation.collect``) and prints how
many jobs are complete (run now or already complete before), failed or missing, one line per
failed or missing job, and the command that collects the sweep. The result is kept in
:data:`LAST`, so the command line can exit non-zero when a job failed.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from simulation.errors import DataError
from simulation.runs.sweep import COMPLETE, FAILED, MISSING, Job, scan

LAST: dict[str, Any] = {}  # counts of the last sweep run in this process


class SweepSummary(Callback):
    """Print a summary of the sweep's jobs when the multirun ends."""

    def __init__(self) -> None:
        self.started: datetime | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Remember when the sweep started (to tell jobs run now from earlier ones)."""
        self.started = datetime.now(UTC).replace(microsecond=0)
        LAST.clear()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Scan the sweep folder and print the summary."""
        sweep_dir = str(config.hydra.sweep.dir)
        try:
            jobs = scan(sweep_dir)
        except DataError as exc:
            print(f"warning: cannot summarise the sweep: {exc}", file=sys.stderr)
            return
        if not any(j.manifest or j.status == FAILED for j in jobs):
            return  # not a sweep of this project's run command
        counts = {s: sum(j.status == s for j in jobs) for s in (COMPLETE, FAILED, MISSING)}
        new = sum(1 for j in jobs if j.status == COMPLETE and self._is_new(j))
        LAST.update(counts, total=len(jobs), sweep_dir=sweep_dir)
        print(f"\nSweep {sweep_dir}: {len(jobs)} jobs, {counts[COMPLETE]} complete "
              f"({new} run now, {counts[COMPLETE] - new} already complete before), "
              f"{counts[FAILED]} failed, {counts[MISSING]} missing", flush=True)
        for job in jobs:
            if job.status != COMPLETE:
                print(f"  {job.status}: {' '.join(job.overrides)}: {job.error}", flush=True)
        if counts[FAILED] or counts[MISSING]:
            print("  Fix the cause and run the same command again: complete jobs are skipped.")
        print(f"Collect with: python -m simulation.collect {sweep_dir}", flush=True)

    def _is_new(self, job: Job) -> bool:
        created = (job.manifest or {}).get("created_utc")
        if self.started is None or not created:
            return True
        return datetime.fromisoformat(created) >= self.started
