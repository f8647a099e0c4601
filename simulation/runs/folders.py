"""Results folders on disk: write a run directory, recognise a saved folder and read its files.

Three kinds of folder, recognised by their marker files:

- run (``python -m simulation``): ``manifest.json`` with a ``tables`` entry, the tables under
  ``tables/`` (:func:`write_run` writes it; the manifest last, so a folder without one is
  incomplete);
- comparison (``python -m simulation.compare``): ``manifest.json`` with a ``baseline`` entry,
  ``series.parquet`` and ``comparison.parquet`` (``sectors.parquet`` and ``ties.parquet`` too
  since the plot command exists);
- sweep (a ``--multirun``): ``multirun.yaml``; its collected dataset
  ``collected/sweep_jobs.parquet`` plus ``collected/<table>.parquet`` (written by
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

from simulation.config.compose import config_yaml, fingerprint
from simulation.config.schema import RunConfig
from simulation.data import Inputs, load_inputs
from simulation.errors import DataError
from simulation.io import atomic_write_text, git_commit, write_manifest, write_parquet
from simulation.model.network.graph import write_graphs
from simulation.model.records import Results

RUN, COMPARISON, SWEEP = "run", "comparison", "sweep"
RUN_TABLES = ("investment", "projects", "jobs", "revenue", "ties")  # what the figures read
DETAIL_FILES = ("sectors.parquet", "ties.parquet")  # of a comparison, since the plot command
SWEEP_TABLES = ("investment", "projects", "jobs", "revenue")
COLLECTED = "collected"  # the folder collect writes into


# --------------------------------------------------------------------------- a run directory


def write_run(run_dir: Path, results: Results, cfg: RunConfig, timings: dict[str, float],
              overrides: list[str] | None = None, extra: dict[str, Any] | None = None) -> dict:
    """Write tables, config and manifest (last) into ``run_dir``; return the manifest."""
    run_dir = Path(run_dir)
    if (run_dir / "manifest.json").exists():
        raise FileExistsError(f"{run_dir} already holds a complete run; choose another folder")
    counts = {}
    for name, df in results.tables().items():
        write_parquet(run_dir / "tables" / f"{name}.parquet", df)
        counts[name] = len(df)
    graphs = write_graphs(results.graphs, run_dir)
    atomic_write_text(run_dir / "config.yaml", config_yaml(cfg))
    atomic_write_text(run_dir / "overrides.yaml", "\n".join(f"- {o}" for o in overrides or [])
                      + "\n")
    commit = git_commit()
    return write_manifest(run_dir / "manifest.json", {
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        "replication": cfg.replication,
        "quarters": [cfg.time.start, cfg.time.end],
        "n_agents": cfg.params.firms.n_agents,
        "fingerprint": fingerprint(cfg, commit),
        "wall_time_s": {k: round(v, 4) for k, v in timings.items()},
        "row_counts": counts,
        "tables": {name: f"tables/{name}.parquet" for name in counts},
        "graphs": graphs,
        "overrides": list(overrides or []),
        **(extra or {}),
    }, commit)


def read_tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    """Read every table of a complete run directory."""
    info = read_json(Path(run_dir) / "manifest.json")
    return {name: read_parquet(Path(run_dir) / rel, f"table {name!r}")
            for name, rel in info["tables"].items()}


# --------------------------------------------------------------------------- reading files


def read_json(path: Path, missing_ok: bool = False) -> dict[str, Any] | None:
    """A JSON file as a dict (None for a missing file when ``missing_ok``)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return None
        raise DataError(f"{path}: cannot read (no such file)") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None


def read_parquet(path: Path, what: str) -> pd.DataFrame:
    """A Parquet file, or a DataError naming ``what`` is missing or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path.parent}: {what} ({path.name}) is missing; the folder is "
                        "incomplete, produce it again")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for bad files
        raise DataError(f"{path}: cannot read Parquet ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0]})") from None


def saved_inputs(path: Path) -> Inputs:
    """The inputs named by the folder's config.yaml (``data_dir``), else the shipped data."""
    data_dir = None
    cfg = Path(path) / "config.yaml"
    if cfg.exists():
        from omegaconf import OmegaConf

        data_dir = OmegaConf.load(cfg).get("data_dir")
    if data_dir and not Path(data_dir).is_dir():
        print(f"warning: data_dir {data_dir} of {cfg} is gone; names and coordinates come from "
              "the shipped data", file=sys.stderr)
        data_dir = None
    return load_inputs(data_dir)


# --------------------------------------------------------------------------- saved folders


@dataclass
class Saved:
    """The files of a saved results folder, read but not yet interpreted.

    Attributes:
        kind: ``run``, ``comparison`` or ``sweep``.
        path: the folder.
        info: the manifest (a sweep: ``{"params": [swept keys other than the seed]}``).
        tables: name → table (a run: its tables; a comparison: ``series``, ``comparison``,
            ``sectors``, ``ties``; a sweep: ``job_index`` (complete jobs only) and its tables).
        inputs: the inputs the results were made with.
        missing: optional files the folder lacks (reported, not fatal).
    """

    kind: str
    path: Path
    info: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    inputs: Inputs
    missing: list[str] = field(default_factory=list)


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
            error = read_json(failed).get("error", "see failed.json")
            raise DataError(f"{path} holds a failed run, nothing to plot ({error})")
        raise DataError(f"{path} is not a complete results folder: no manifest.json (the run "
                        "is unfinished, or this is not a run, comparison or sweep folder)")
    info = read_json(manifest)
    if "baseline" in info:
        return COMPARISON
    if "tables" in info:
        return RUN
    raise DataError(f"{manifest} describes neither a run (no 'tables') nor a comparison "
                    "(no 'baseline')")


def read_saved(path: str | Path) -> Saved:
    """Read the files of a run, comparison or (collected) sweep folder."""
    path = Path(path)
    kind = detect(path)
    return {RUN: _read_run, COMPARISON: _read_comparison, SWEEP: _read_sweep}[kind](path)


def _read_run(path: Path) -> Saved:
    info = read_json(path / "manifest.json")
    tables = {}
    for name in RUN_TABLES:
        rel = info["tables"].get(name)
        if rel is None:
            raise DataError(f"{path / 'manifest.json'} lists no {name!r} table; the run was "
                            "written by another version, run it again")
        tables[name] = read_parquet(path / rel, f"table {name!r}")
    return Saved(RUN, path, info, tables, saved_inputs(path))


def _read_comparison(path: Path) -> Saved:
    info = read_json(path / "manifest.json")
    tables = {"series": read_parquet(path / "series.parquet", "the quarterly series"),
              "comparison": read_parquet(path / "comparison.parquet", "the comparison table")}
    missing = []
    for name in DETAIL_FILES:
        if (path / name).exists():
            tables[name.removesuffix(".parquet")] = read_parquet(path / name, name)
        else:
            missing.append(name)
    return Saved(COMPARISON, path, info, tables, saved_inputs(path), missing)


def _read_sweep(path: Path) -> Saved:
    collected = path if (path / "sweep_jobs.parquet").exists() else path / COLLECTED
    if not (collected / "sweep_jobs.parquet").exists():
        raise DataError(f"{path} is a sweep folder that is not collected yet; run: python -m "
                        f"simulation.collect {path}")
    jobs = read_parquet(collected / "sweep_jobs.parquet", "the job index")
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
    tables = {name: read_parquet(collected / f"{name}.parquet", f"collected table {name!r}")
              for name in SWEEP_TABLES}
    return Saved(SWEEP, path, {"params": params, "collected": str(collected)},
                 {"job_index": done, **tables}, saved_inputs(path))
