"""Recognise and read a saved results folder: a run, a comparison or a collected sweep.

A folder is recognised by its marker files:

- run (``python -m simulation``): ``manifest.json`` with a ``tables`` entry, the tables under
  ``tables/``;
- comparison (``python -m simulation.compare``): ``manifest.json`` with a ``baseline`` entry,
  ``series.parquet`` and ``comparison.parquet`` (``sectors.parquet`` and ``ties.parquet`` too
  since the plot command exists);
- sweep (a ``--multirun`` of ``python -m simulation``): ``multirun.yaml``; its collected
  dataset ``collected/sweep_jobs.parquet`` plus ``collected/<table>.parquet`` (written by
  ``python -m simulation.collect``). The collected folder itself is accepted too.

Anything missing or unreadable raises :class:`~simulation.errors.DataError` with one line that
names the folder, the file and what to do.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation import kpis
from simulation.compare_output import inputs_data_year
from simulation.data import Inputs, load_inputs
from simulation.errors import DataError
from simulation.model.records import Results

RUN, COMPARISON, SWEEP = "run", "comparison", "sweep"
RUN_TABLES = ("investment", "projects", "jobs", "revenue", "ties")
DETAIL_FILES = ("sectors.parquet", "ties.parquet")
SWEEP_TABLES = ("investment", "projects", "jobs", "revenue")


@dataclass
class Folder:
    """What the figures need from a results folder.

    Attributes:
        kind: ``run``, ``comparison`` or ``sweep``.
        path: the folder.
        inputs: the model inputs the results were made with (names, coordinates, boundaries).
        meta: ``scenarios`` (display order, baseline first), ``baseline`` (None for a run),
            ``replications``, ``seed``, ``start``, ``horizon``, ``window_start``,
            ``data_year``; comparisons add ``level``, ``interval``; sweeps add ``params``,
            ``jobs``, ``seeds``.
        series: quarterly indicators per run (:func:`simulation.kpis.run_series` rows).
        sectors: quarterly values per run, location and sector, if the folder has them.
        ties: quarterly tie strength per run, partner and field, if the folder has them.
        table: the comparison table (comparisons only).
        sweep: one row per job × indicator × measure with the swept values (sweeps only).
        missing: what the folder lacks for some figures (reported, not fatal).
        cache: tables derived once and reused by several figures.
    """

    kind: str
    path: Path
    inputs: Inputs
    meta: dict[str, Any]
    series: pd.DataFrame
    sectors: pd.DataFrame | None = None
    ties: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    sweep: pd.DataFrame | None = None
    missing: list[str] = field(default_factory=list)
    cache: dict[str, pd.DataFrame] = field(default_factory=dict)  # derived tables, by name


def detect(path: Path) -> str:
    """The kind of results folder at ``path`` (run, comparison or sweep)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"results folder {path} does not exist")
    if not path.is_dir():
        raise DataError(f"{path} is a file; give the results folder that holds manifest.json")
    if (path / "multirun.yaml").exists() or (path / "sweep_jobs.parquet").exists():
        return SWEEP
    manifest = path / "manifest.json"
    if not manifest.exists():
        failed = path / "failed.json"
        if failed.exists():
            error = _json(failed).get("error", "see failed.json")
            raise DataError(f"{path} holds a failed run, nothing to plot ({error})")
        raise DataError(f"{path} is not a complete results folder: no manifest.json (the run "
                        "is unfinished, or this is not a run, comparison or sweep folder)")
    info = _json(manifest)
    if "baseline" in info:
        return COMPARISON
    if "tables" in info:
        return RUN
    raise DataError(f"{manifest} describes neither a run (no 'tables') nor a comparison "
                    "(no 'baseline')")


def read_folder(path: str | Path) -> Folder:
    """Read what the figures need from a run, comparison or sweep folder."""
    path = Path(path)
    kind = detect(path)
    return {RUN: _read_run, COMPARISON: _read_comparison, SWEEP: _read_sweep}[kind](path)


def _json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None


def _parquet(path: Path, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise DataError(f"{path.parent}: {what} ({path.name}) is missing; the folder is "
                        "incomplete, produce it again")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for bad files
        raise DataError(f"{path}: cannot read Parquet ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0]})") from None


def _inputs(path: Path) -> Inputs:
    """The inputs named by the folder's config.yaml (``data_dir``), else the shipped data."""
    data_dir = None
    cfg = path / "config.yaml"
    if cfg.exists():
        from omegaconf import OmegaConf

        data_dir = OmegaConf.load(cfg).get("data_dir")
    if data_dir and not Path(data_dir).is_dir():
        print(f"warning: data_dir {data_dir} of {cfg} is gone; names and coordinates come from "
              "the shipped data", file=sys.stderr)
        data_dir = None
    return load_inputs(data_dir)


def _read_run(path: Path) -> Folder:
    info = _json(path / "manifest.json")
    tables = {}
    for name in RUN_TABLES:
        rel = info["tables"].get(name)
        if rel is None:
            raise DataError(f"{path / 'manifest.json'} lists no {name!r} table; the run was "
                            "written by another version, run it again")
        tables[name] = _parquet(path / rel, f"table {name!r}")
    res = Results(locations=pd.DataFrame(), **tables)
    inputs = _inputs(path)
    try:
        return run_folder(path, res, inputs, info["scenario"], info["seed"], *info["quarters"])
    except (KeyError, IndexError) as exc:
        raise DataError(f"{path / 'tables'}: a table lacks column or rows {exc}; the run was "
                        "written by another version, run it again") from None


def run_folder(path: Path, res: Results, inputs: Inputs, scenario: str, seed: int, start: str,
               horizon: str) -> Folder:
    """The :class:`Folder` of a run still in memory (the run command's own figures)."""
    meta = {"scenarios": [scenario], "baseline": None, "replications": 1, "seed": seed,
            "start": start, "horizon": horizon, "window_start": start,
            "data_year": inputs_data_year(inputs)}
    return Folder(RUN, Path(path), inputs, meta, kpis.run_series(res), kpis.run_sectors(res),
                  kpis.run_ties(res))


def _read_comparison(path: Path) -> Folder:
    info = _json(path / "manifest.json")
    series = _parquet(path / "series.parquet", "the quarterly series")
    table = _parquet(path / "comparison.parquet", "the comparison table")
    details = {}
    missing = []
    for name in DETAIL_FILES:
        if (path / name).exists():
            details[name] = _parquet(path / name, name)
        else:
            missing.append(name)
    inputs = _inputs(path)
    keys = ("replications", "seed", "start", "horizon", "window_start", "level", "interval")
    meta = {k: info[k] for k in keys if k in info}
    meta.update(scenarios=[info["baseline"], *info["scenarios"]], baseline=info["baseline"],
                data_year=info.get("data_year") or inputs_data_year(inputs))
    series = series.astype({"scenario": str, "quarter": str, "location": str})
    return Folder(COMPARISON, path, inputs, meta, series, details.get("sectors.parquet"),
                  details.get("ties.parquet"), table, missing=missing)


def _read_sweep(path: Path) -> Folder:
    collected = path if (path / "sweep_jobs.parquet").exists() else path / "collected"
    if not (collected / "sweep_jobs.parquet").exists():
        raise DataError(f"{path} is a sweep folder that is not collected yet; run: python -m "
                        f"simulation.collect {path}")
    jobs = _parquet(collected / "sweep_jobs.parquet", "the job index")
    cols = list(jobs.columns)
    if "status" not in cols or "error" not in cols:
        raise DataError(f"{collected / 'sweep_jobs.parquet'} lacks the status and error "
                        "columns; collect the sweep again")
    keys = cols[cols.index("status") + 1: cols.index("error")]
    params = [k for k in keys if k not in ("seed", "replication")]
    if not params:
        raise DataError(f"{path}: the sweep varies no parameter besides the seed; nothing to "
                        "draw against")
    done = jobs[jobs["status"] == "complete"]
    if done.empty:
        raise DataError(f"{path}: no complete job in the sweep; see sweep_jobs.csv")
    tables = {name: _parquet(collected / f"{name}.parquet", f"collected table {name!r}")
              for name in SWEEP_TABLES}
    series = []
    for job in done["job"]:
        parts = {name: df[df["job"] == job] for name, df in tables.items()}
        if any(p.empty for p in parts.values()):
            raise DataError(f"{collected}: job {job} is complete but has no rows; collect the "
                            "sweep again")
        res = Results(ties=pd.DataFrame(), locations=pd.DataFrame(), **parts)
        series.append(kpis.run_series(res).assign(job=job))
    series = pd.concat(series, ignore_index=True)
    quarters = sorted(series["quarter"].unique())
    inputs = _inputs(path)
    by_job = series.drop(columns="job").assign(replication=series["job"])
    agg = kpis.aggregate(by_job, kpis.locations(inputs, "pre2025"))
    per_job = kpis.measures(agg, quarters[0], quarters[-1])
    per_job = per_job.rename(columns={"replication": "job"}).merge(
        done[["job", *params]], on="job")
    seeds = per_job.drop_duplicates("job").groupby(params, dropna=False).size()
    meta = {"scenarios": sorted(series["scenario"].unique()), "baseline": None,
            "replications": int(seeds.min()), "start": quarters[0],
            "horizon": quarters[-1], "window_start": quarters[0], "params": params,
            "jobs": int(len(done)), "seeds": int(seeds.min()),
            "data_year": inputs_data_year(inputs)}
    return Folder(SWEEP, path, inputs, meta, series, sweep=per_job)
