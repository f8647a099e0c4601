"""What the figures need from a saved run, comparison or sweep folder.

:func:`read_folder` reads the folder's files (:func:`simulation.runs.folders.read_saved`) and
derives the per-run quarterly indicator series the figures draw (:mod:`simulation.analysis.kpis`).
A run folder's network at the end (``network.graphml``, read back into the graph's tables) and
its network and locations tables are read too when the folder has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis import kpis, measures
from simulation.data import Inputs
from simulation.errors import DataError
from simulation.model.network.graph import GRAPH_FILES, read_graphml, tables
from simulation.model.records import Results
from simulation.runs.folders import COMPARISON, RUN, SWEEP, Saved, read_parquet, read_saved


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
        series: quarterly indicators per run (:func:`simulation.analysis.kpis.run_series` rows).
        sectors: quarterly values per run, location and sector, if the folder has them.
        ties: quarterly tie strength per run, partner and field, if the folder has them.
        table: the comparison table (comparisons only).
        sweep: one row per job × indicator × measure with the swept values (sweeps only).
        missing: what the folder lacks for some figures (reported, not fatal).
        network: a run's network at its end: the graph's tables (``nodes``, ``road``,
            ``province``, ``agreement``: :func:`simulation.model.network.graph.tables`) and the
            run's ``metrics`` (network table) and ``locations`` tables; None when the run has
            no graph (``network_missing`` says why).
        network_missing: why a run folder has no ``network`` (None when it has one).
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
    network: dict[str, pd.DataFrame] | None = None
    network_missing: str | None = None
    cache: dict[str, pd.DataFrame] = field(default_factory=dict)  # derived tables, by name


def read_folder(path: str | Path) -> Folder:
    """Read what the figures need from a run, comparison or sweep folder."""
    saved = read_saved(path)
    return {RUN: _run, COMPARISON: _comparison, SWEEP: _sweep}[saved.kind](saved)


def _run(saved: Saved) -> Folder:
    info, tables = saved.info, saved.tables
    res = Results(locations=pd.DataFrame(), **tables)
    try:
        folder = run_folder(saved.path, res, saved.inputs, info["scenario"], info["seed"],
                            *info["quarters"])
    except (KeyError, IndexError) as exc:
        raise DataError(f"{saved.path / 'tables'}: a table lacks column or rows {exc}; the run "
                        "was written by another version, run it again") from None
    folder.network, folder.network_missing = _saved_network(saved)
    return folder


def _saved_network(saved: Saved) -> tuple[dict[str, pd.DataFrame] | None, str | None]:
    """The run's network at its end from ``network.graphml`` and its tables, or why not."""
    graph = saved.path / GRAPH_FILES["network"]
    if not graph.exists():
        return None, (f"the folder has no {graph.name} (a run made before runs wrote it, or "
                      "with output.graph=false)")
    names = {"metrics": "network", "locations": "locations"}
    lacking = [t for t in names.values() if t not in saved.info["tables"]]
    if lacking:
        return None, f"the folder has no {' and '.join(lacking)} table"
    out = tables(read_graphml(graph))
    for key, name in names.items():
        out[key] = read_parquet(saved.path / saved.info["tables"][name], f"table {name!r}")
    return out, None


def run_folder(path: Path, res: Results, inputs: Inputs, scenario: str, seed: int, start: str,
               horizon: str) -> Folder:
    """The :class:`Folder` of a run still in memory (the run command's own figures)."""
    meta = {"scenarios": [scenario], "baseline": None, "replications": 1, "seed": seed,
            "start": start, "horizon": horizon, "window_start": start,
            "data_year": inputs.data_year}
    folder = Folder(RUN, Path(path), inputs, meta, kpis.run_series(res),
                    kpis.run_sectors(res), kpis.run_ties(res))
    graph = res.graphs.get("network")
    if graph is None:
        folder.network_missing = "the run kept no network graph (output.graph=false)"
    else:
        folder.network = {**tables(graph), "metrics": res.network, "locations": res.locations}
    return folder


def _comparison(saved: Saved) -> Folder:
    info, t, inputs = saved.info, saved.tables, saved.inputs
    keys = ("replications", "seed", "start", "horizon", "window_start", "level", "interval",
            "n_draws")
    meta = {k: info[k] for k in keys if k in info}
    meta.update(scenarios=[info["baseline"], *info["scenarios"]], baseline=info["baseline"],
                data_year=info.get("data_year") or inputs.data_year)
    series = t["series"].astype({"scenario": str, "quarter": str, "location": str})
    return Folder(COMPARISON, saved.path, inputs, meta, series, t.get("sectors"), t.get("ties"),
                  t["comparison"], missing=saved.missing)


def _sweep(saved: Saved) -> Folder:
    done, params, inputs = saved.tables["job_index"], saved.info["params"], saved.inputs
    series = []
    for job in done["job"]:
        parts = {name: df[df["job"] == job] for name, df in saved.tables.items()
                 if name != "job_index"}
        if any(p.empty for p in parts.values()):
            raise DataError(f"{saved.info['collected']}: job {job} is complete but has no "
                            "rows; collect the sweep again")
        res = Results(ties=pd.DataFrame(), locations=pd.DataFrame(), **parts)
        series.append(kpis.run_series(res).assign(job=job))
    series = pd.concat(series, ignore_index=True)
    quarters = sorted(series["quarter"].unique())
    by_job = series.drop(columns="job").assign(replication=series["job"])
    agg = measures.aggregate(by_job, measures.locations(inputs, "pre2025"))
    per_job = measures.measures(agg, quarters[0], quarters[-1])
    per_job = per_job.rename(columns={"replication": "job"}).merge(
        done[["job", *params]], on="job")
    seeds = per_job.drop_duplicates("job").groupby(params, dropna=False).size()
    meta = {"scenarios": sorted(series["scenario"].unique()), "baseline": None,
            "replications": int(seeds.min()), "start": quarters[0],
            "horizon": quarters[-1], "window_start": quarters[0], "params": params,
            "jobs": int(len(done)), "seeds": int(seeds.min()), "data_year": inputs.data_year}
    return Folder(SWEEP, saved.path, inputs, meta, series, sweep=per_job)
