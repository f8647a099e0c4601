"""Gather a sweep into one tidy Parquet dataset keyed by the swept values.

Writes, into ``<sweep dir>/collected/`` (or another folder):

- ``<table>.parquet`` for each output table (investment, projects, jobs, revenue, ties,
  locations; events on request): the rows of every complete job, with a ``job`` column (the
  job's folder) and one column per swept key (e.g. ``params.utility.theta_info``) in front.
  Keys that the tables already carry (``scenario``, ``seed``, ``replication``) are not repeated.
- ``sweep_jobs.parquet`` and ``sweep_jobs.csv``: one row per job with its status (complete,
  failed, missing), swept values, error, fingerprint, code version and wall time.

Each table is streamed job by job into a temporary file that is renamed when complete, so memory
stays small and an interrupted collect never leaves a file that looks complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from omegaconf import OmegaConf

from simulation.errors import DataError
from simulation.io import atomic_path, atomic_write_text, write_parquet
from simulation.model.records import TABLES
from simulation.runs.sweep import COLLECTED, COMPLETE, Job, scan, sweep_spec

TABLE_KEYS = {"scenario", "seed", "replication"}  # already columns of every table


@dataclass
class Collected:
    """What collect found and wrote."""

    jobs: list[Job]
    swept: list[str]  # swept keys, in command-line order
    out_dir: Path
    tables: dict[str, int]  # table → rows written

    def count(self, status: str) -> int:
        """Number of jobs with this status."""
        return sum(j.status == status for j in self.jobs)


def _parse_value(text: str) -> Any:
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        value = OverridesParser.create().parse_override(f"k={text}").value()
    except Exception:  # noqa: BLE001 - keep the text as it was written
        return text
    return value if isinstance(value, bool | int | float | str) or value is None else str(value)


def swept_keys(sweep_dir: Path, jobs: list[Job]) -> list[str]:
    """Keys swept in the command (``a=1,2``, ``range()``...) or differing between jobs."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    spec, _ = sweep_spec(sweep_dir)
    keys: list[str] = []
    for ov in OverridesParser.create().parse_overrides(spec) if spec else []:
        if ov.is_sweep_override():
            keys.append(ov.get_key_element().lstrip("+~"))
    seen: dict[str, set[str]] = {}
    for job in jobs:
        for o in job.overrides:
            k, _, v = o.partition("=")
            seen.setdefault(k.lstrip("+~"), set()).add(v)
    for job in jobs:
        present = {o.partition("=")[0].lstrip("+~") for o in job.overrides}
        for k in seen:
            if k not in present:
                seen[k].add("\0absent")
    keys += [k for k, vals in seen.items() if len(vals) > 1 and k not in keys]
    return keys


def _fill_values(jobs: list[Job], keys: list[str]) -> None:
    for job in jobs:
        given = {}
        for o in job.overrides:
            k, _, v = o.partition("=")
            given[k.lstrip("+~")] = v
        cfg = None
        for key in keys:
            if key in given:
                job.values[key] = _parse_value(given[key])
                continue
            if cfg is None and job.config_text:
                cfg = OmegaConf.create(job.config_text)
            node = OmegaConf.select(cfg, key, default=None) if cfg is not None else None
            if OmegaConf.is_config(node):
                node = node.get("name", str(node)) if OmegaConf.is_dict(node) else str(node)
            job.values[key] = node


def _arrow_type(values: list[Any]) -> pa.DataType:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.float64()
    return pa.string()


def _job_table(jobs: list[Job], keys: list[str]) -> pd.DataFrame:
    rows = []
    for job in jobs:
        m = job.manifest or {}
        row = {"job": job.name, "status": job.status}
        row.update({k: job.values.get(k) for k in keys})
        row.update({
            "error": job.error,
            "overrides": " ".join(job.overrides),
            "fingerprint": m.get("fingerprint"),
            "git_commit": m.get("git_commit"),
            "created_utc": m.get("created_utc"),
            "wall_time_s": (m.get("wall_time_s") or {}).get("total_s"),
        })
        rows.append(row)
    df = pd.DataFrame(rows, columns=["job", "status", *keys, "error", "overrides",
                                     "fingerprint", "git_commit", "created_utc",
                                     "wall_time_s"])
    for key in keys:
        typ = _arrow_type(list(df[key]))
        if typ == pa.string():
            df[key] = df[key].map(lambda v: None if v is None else str(v))
    return df


def _write_table(name: str, jobs: list[Job], keys: list[str], sweep_dir: Path,
                 target: Path) -> int:
    """Stream one table of every complete job into ``target``; return the rows written."""
    extra = [k for k in keys if k not in TABLE_KEYS]
    types = {k: _arrow_type([j.values.get(k) for j in jobs]) for k in extra}
    writer, schema, rows = None, None, 0
    with atomic_path(target) as tmp:  # a table with no rows is removed by the caller
        try:
            for job in jobs:
                rel = (job.manifest or {}).get("tables", {}).get(name)
                if job.status != COMPLETE or rel is None:
                    continue
                table = pq.read_table(sweep_dir / job.name / rel).replace_schema_metadata(None)
                n = table.num_rows
                cols = [pa.array([job.name] * n, pa.string())]
                for k in extra:
                    v = job.values.get(k)
                    v = None if v is None else (str(v) if types[k] == pa.string() else v)
                    cols.append(pa.array([v] * n, types[k]))
                table = pa.Table.from_arrays(cols + list(table.columns),
                                             names=["job", *extra, *table.column_names])
                if writer is None:
                    schema = table.schema
                    writer = pq.ParquetWriter(tmp, schema)
                elif table.schema != schema:
                    try:
                        table = table.cast(schema)
                    except (pa.ArrowInvalid, ValueError, TypeError):
                        raise DataError(f"{sweep_dir / job.name / rel}: columns differ from "
                                        f"the other jobs' {name} table "
                                        f"({table.schema.names})") from None
                writer.write_table(table)
                rows += n
        finally:
            if writer is not None:
                writer.close()
    return rows


def collect(sweep_dir: str | Path, out_dir: str | Path | None = None,
            tables: list[str] | None = None) -> Collected:
    """Gather the complete jobs of a sweep into Parquet; list failed and missing jobs.

    Args:
        sweep_dir: the sweep folder (``hydra.sweep.dir`` of the ``--multirun``).
        out_dir: where to write (default ``<sweep_dir>/collected``).
        tables: table names to gather (default: the six keyed tables).

    Raises:
        DataError: no such sweep folder, unknown table name, or tables that do not match.
    """
    sweep_dir = Path(sweep_dir)
    jobs = scan(sweep_dir)
    names = list(tables or TABLES)
    allowed = [*TABLES, "events", "project_list"]
    for name in names:
        if name not in allowed:
            raise DataError(f"unknown table {name!r}; allowed: {', '.join(allowed)}")
    keys = swept_keys(sweep_dir, jobs)
    _fill_values(jobs, keys)
    out = Path(out_dir) if out_dir is not None else sweep_dir / COLLECTED
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in names:
        target = out / f"{name}.parquet"
        written[name] = _write_table(name, jobs, keys, sweep_dir, target)
        if written[name] == 0:
            target.unlink(missing_ok=True)  # no complete job: no stale file either
    index = _job_table(jobs, keys)
    write_parquet(out / "sweep_jobs.parquet", index)
    atomic_write_text(out / "sweep_jobs.csv", index.to_csv(index=False))
    return Collected(jobs, keys, out, written)
