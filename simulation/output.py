"""Write a run directory: tables as Parquet, the composed config, a manifest, atomically.

A run directory is complete when its ``manifest.json`` exists; the manifest is written last, and
every file goes through a temporary name and ``os.replace`` so a crash never leaves a file that
looks complete. A failed run writes ``failed.json`` (the error) instead of a manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.config.compose import config_yaml, fingerprint
from simulation.config.schema import RunConfig
from simulation.io import atomic_write_text, git_commit, write_manifest, write_parquet
from simulation.model.records import Results


def write_run(run_dir: Path, results: Results, cfg: RunConfig, timings: dict[str, float],
              overrides: list[str] | None = None, extra: dict[str, Any] | None = None) -> dict:
    """Write tables, config and manifest (last) into ``run_dir``; return the manifest."""
    run_dir = Path(run_dir)
    if (run_dir / "manifest.json").exists():
        raise FileExistsError(f"{run_dir} already holds a complete run; choose another folder")
    tables_dir = run_dir / "tables"
    counts = {}
    for name, df in results.tables().items():
        write_parquet(tables_dir / f"{name}.parquet", df)
        counts[name] = len(df)
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
        "overrides": list(overrides or []),
        **(extra or {}),
    }, commit)


def read_tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the tables of a complete run directory."""
    run_dir = Path(run_dir)
    manifest = run_dir / "manifest.json"
    if not manifest.exists():
        raise FileNotFoundError(f"{run_dir} is not a complete run directory (no manifest.json)")
    info = json.loads(manifest.read_text(encoding="utf-8"))
    return {name: pd.read_parquet(run_dir / rel) for name, rel in info["tables"].items()}
