"""Sweeps on the command line: check a ``--multirun`` before any job starts, summarise it after.

Hydra composes every job's config in the launching process before it starts the jobs, and one
unknown key, wrong type or unknown scenario anywhere stops the whole sweep with a long message.
:func:`precheck_sweep` composes the sweep once per swept value instead and reports every bad
value as one line (exit code 2), before anything runs. Out-of-range values are left to the jobs:
each such job records its error and the others go on.

A cluster launcher is checked too (:mod:`simulation.apps.launchers`): a Ray cluster that does
not answer or a machine without SLURM is one line, after a wait of a few seconds at most.

It also makes a relative ``hydra.sweep.dir`` absolute, because launchers that run jobs on other
machines or in other working directories (Ray) would otherwise write somewhere else.

:class:`SweepSummary`, a Hydra callback (``configs/config.yaml``), ends every ``--multirun``
with one summary of its jobs: it reads the sweep folder (the same scan as
``python -m simulation.collect``) and prints how many jobs are complete (run now or already
complete before), failed or missing, one line per failed or missing job, and the command that
collects the sweep. The result is kept in :data:`LAST`, so the command line can exit non-zero
when a job failed.
"""

from __future__ import annotations

import copy
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import OmegaConfBaseException

from simulation.apps.launchers import RAY_CLUSTER, launcher_error
from simulation.config.compose import (
    CONFIG_DIR,
    compose,
    config_loader,
    explain,
    hydra_arguments,
    unknown_key,
)
from simulation.errors import ConfigError, DataError
from simulation.io import command_line
from simulation.runs.sweep import COMPLETE, FAILED, MISSING, Job, scan


def is_multirun(argv: list[str]) -> bool:
    """True if the command line asks for ``--multirun``/``-m``."""
    try:
        return bool(hydra_arguments(argv).multirun)
    except SystemExit:
        return False


def absolute_sweep_dir(argv: list[str]) -> list[str]:
    """The command line with a relative ``hydra.sweep.dir=`` made absolute."""
    out = []
    for arg in argv:
        key, sep, value = arg.partition("=")
        if sep and key.lstrip("+") == "hydra.sweep.dir" and value and not os.path.isabs(value):
            arg = f"{key}={os.path.abspath(value)}"
        out.append(arg)
    return out


def _is_group(key: str) -> bool:
    return (CONFIG_DIR / key).is_dir() or "/" in key


def _apply(base: DictConfig, override) -> None:
    """Apply one parsed value override to a copy of a composed config (raises on bad input)."""
    cfg = copy.deepcopy(base)
    key = override.key_or_group
    if override.is_add() or override.is_force_add():
        with open_dict(cfg):
            OmegaConf.update(cfg, key, override.value(), merge=True, force_add=True)
    else:
        if OmegaConf.select(cfg, key, default="__absent__") == "__absent__":
            raise ConfigError(_unknown_key(cfg, key))
        OmegaConf.update(cfg, key, override.value(), merge=True)


def _unknown_key(cfg: DictConfig, key: str) -> str:
    parent = key.rsplit(".", 1)[0] if "." in key else ""
    node = OmegaConf.select(cfg, parent) if parent else cfg
    allowed = list(node.keys()) if isinstance(node, DictConfig) else ["none"]
    return unknown_key(key, allowed, f" under '{parent}'" if parent else "")


def sweep_errors(task_overrides: list[str]) -> list[str]:
    """One message per bad swept value (or one for a bad fixed override); empty if all compose."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    try:
        parsed = OverridesParser.create(config_loader=config_loader()).parse_overrides(
            task_overrides)
    except HydraException as exc:
        return [f"cannot parse override: {str(exc).splitlines()[0]}"]
    fixed, sweeps = [], []
    for ov in parsed:
        if ov.is_sweep_override():
            if not ov.is_discrete_sweep():
                return [f"{ov.input_line}: only lists, range() and glob() sweeps are supported"]
            values = [f"{ov.get_key_element()}={v}" for v in ov.sweep_string_iterator()]
            if not values:
                return [f"{ov.input_line} matches no value: the sweep would run no job"]
            sweeps.append((ov, values))
        else:
            fixed.append(ov.input_line)
    try:
        base = compose(fixed)
    except ConfigError as exc:
        return [str(exc)]
    errors = []
    for ov, values in sweeps:
        for value in values:
            try:
                if _is_group(ov.key_or_group):
                    compose(fixed + [value])
                else:
                    _apply(base, OverridesParser.create().parse_override(value))
            except ConfigError as exc:
                errors.append(str(exc))
            except OmegaConfBaseException as exc:
                errors.append(explain(exc))
    return list(dict.fromkeys(errors))  # an unknown key is reported once, not per value


def precheck_sweep(argv: list[str]) -> list[str]:
    """Errors of a ``--multirun`` command line (empty if it may launch)."""
    try:
        args = hydra_arguments(argv)
    except SystemExit:
        return []  # Hydra reports its own usage errors
    if args.help or args.hydra_help or args.cfg or args.info or args.config_name \
            or args.config_path or args.config_dir or args.shell_completion:
        return []
    overrides = list(args.overrides)
    hydra_part = [o for o in overrides if o.lstrip("+~").startswith("hydra")]
    task = [o for o in overrides if o not in hydra_part]
    errors = sweep_errors(task)
    launcher = [o.split("=", 1)[1] for o in hydra_part if o.startswith("hydra/launcher=")]
    if launcher == [RAY_CLUSTER] and not any(
            o.lstrip("+").startswith("hydra.sweep.dir=") for o in hydra_part):
        errors.append("hydra/launcher=ray_cluster needs hydra.sweep.dir=<folder on a file "
                      "system every node can reach>, so all jobs write to the same place")
    if not errors:  # is the cluster there? (a bounded wait)
        errors += [e for e in [launcher_error(hydra_part)] if e]
    return errors


# --------------------------------------------------------------------------- after the sweep

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
        print(f"Collect with: {command_line('hcmc-collect', Path(sweep_dir))}", flush=True)

    def _is_new(self, job: Job) -> bool:
        created = (job.manifest or {}).get("created_utc")
        if self.started is None or not created:
            return True
        return datetime.fromisoformat(created) >= self.started
