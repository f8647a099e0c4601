"""Write a comparison folder: tables, report, figures, configs, and the manifest last.

Every file is written atomically (temporary name, then rename), and ``manifest.json``, written
last, marks the folder complete; a failed comparison leaves ``failed.json`` instead.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from simulation.analysis.comparison import Plan
from simulation.config.compose import config_yaml, fingerprint
from simulation.config.schema import CompareConfig
from simulation.figures.report import report
from simulation.io import (
    atomic_write_text,
    git_commit,
    write_failure,
    write_manifest,
    write_parquet,
)

FILES = {
    "comparison.md": "the report: headline tables and province tables",
    "comparison.csv": "every scenario × boundary set × location × indicator × measure: "
                      "baseline level, scenario level, paired difference, interval, relative "
                      "change, number of replications",
    "comparison.parquet": "the same table as Parquet (typed)",
    "series.parquet": "quarterly indicators of every run (scenario × replication × seed × "
                      "quarter × model location); the figures are drawn from it",
    "sectors.parquet": "quarterly investment, jobs and retained revenue of every run by "
                       "location and sector (for `python -m simulation.plot`)",
    "ties.parquet": "quarterly tie strength and level of every run by partner and cooperation "
                    "field (for `python -m simulation.plot`)",
    "runs.csv": "every run with its scenario, replication, seed, fingerprint and wall time",
    "config.yaml": "the composed comparison config",
    "scenarios/": "the composed run config of each scenario (horizon applied)",
    "figures/": "difference bars with intervals and fan charts (PNG and SVG)",
    "manifest.json": "written last: the folder is complete when it exists",
}


def write_failed(out_dir: Path, cc: CompareConfig, error: BaseException) -> None:
    """Record a failed comparison (no manifest): the error, with scenario and seed."""
    write_failure(out_dir, error, OmegaConf.to_yaml(OmegaConf.structured(cc)),
                  scenario=getattr(error, "scenario", None), seed=getattr(error, "seed", None))


def write_comparison(out_dir: Path, cc: CompareConfig, plan: Plan, table: pd.DataFrame,
                     series: pd.DataFrame, runs: pd.DataFrame, figures: list[Path],
                     timings: dict[str, float], overrides: list[str],
                     details: dict[str, pd.DataFrame] | None = None) -> dict:
    """Write every file of the comparison folder, the manifest last; return the manifest."""
    out_dir = Path(out_dir)
    if (out_dir / "manifest.json").exists():
        raise FileExistsError(f"{out_dir} already holds a complete comparison; choose another "
                              "folder")
    commit = git_commit()
    runs = runs.assign(fingerprint=[
        fingerprint(plan.job_config(s, int(r)), commit)
        for s, r in zip(runs["scenario"], runs["replication"], strict=True)])
    write_parquet(out_dir / "comparison.parquet", table)
    atomic_write_text(out_dir / "comparison.csv", table.to_csv(index=False))
    write_parquet(out_dir / "series.parquet", series)
    for name, df in (details or {}).items():
        write_parquet(out_dir / f"{name}.parquet", df)
    atomic_write_text(out_dir / "runs.csv", runs.to_csv(index=False))
    atomic_write_text(out_dir / "config.yaml", OmegaConf.to_yaml(OmegaConf.structured(cc)))
    for name, rc in plan.configs.items():
        atomic_write_text(out_dir / "scenarios" / f"{name}.yaml", config_yaml(rc))
    scenarios = [s for s in plan.configs if s != plan.baseline]
    base_rc = plan.configs[plan.baseline]
    meta = {"baseline": plan.baseline, "scenarios": scenarios,
            "replications": cc.replications, "seed": cc.seed, "start": plan.start,
            "horizon": plan.horizon, "window_start": plan.window_start,
            "interval": cc.interval, "level": cc.level,
            "parameter_draws": plan.draws_source, "n_draws": len(plan.draws),
            "n_agents": base_rc.params.firms.n_agents,
            "represented": base_rc.params.firms.represented}
    descriptions = {s: rc.scenario.description for s, rc in plan.configs.items()}
    atomic_write_text(out_dir / "comparison.md", report(table, meta, descriptions, FILES))
    return write_manifest(out_dir / "manifest.json", {
        **meta,
        "seeds": plan.seeds,
        "interval_method": ("t-interval of the mean paired difference" if cc.interval == "t"
                            else "percentile interval of the paired differences"),
        "wall_time_s": {k: round(v, 3) for k, v in timings.items()},
        "row_counts": {"comparison": len(table), "series": len(series), "runs": len(runs),
                       **{name: len(df) for name, df in (details or {}).items()}},
        "data_year": plan.inputs.data_year,
        "files": sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*")
                        if p.is_file() and ".hydra" not in p.parts)
        + ["manifest.json"],
        "figures": [str(p.relative_to(out_dir)) for p in figures],
        "overrides": overrides,
    }, commit)
