"""``python -m simulation.compare`` (``hcmc-compare``): scenarios × paired replications → a folder.

Example (from the project folder)::

    .venv/bin/hcmc-compare scenarios=[baseline,agreement_2025] replications=20 seed=2023

The app validates everything first (bad input: one line on stderr, exit code 2, no folder),
runs every scenario × replication in parallel with a progress bar, writes the comparison
(Markdown, CSV, Parquet, figures, manifest last) and ends with the folder it wrote. A failed
replication writes ``failed.json`` naming scenario and seed and exits with code 3. The folder
holds :data:`FILES`; ``manifest.json``, written last, marks it complete.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig

from simulation.analysis import comparison, kpis
from simulation.analysis.comparison import Plan
from simulation.analysis.kpis import KPI_BY_NAME
from simulation.analysis.measures import PARTNERS
from simulation.apps.common import (
    EXIT_RUN_FAILED,
    check_output,
    discard_if_empty,
    fail,
    hydra_app,
    hydra_job,
    is_single_job,
    one_line_errors,
    staged,
)
from simulation.config.compose import (
    compose,
    config_yaml,
    explain,
    fingerprints,
    run_folder,
    to_config,
)
from simulation.config.schema import CompareConfig
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.report import report
from simulation.figures.text import percent
from simulation.figures.text import readable as number
from simulation.io import (
    atomic_write_text,
    command_line,
    git_commit,
    shown_path,
    write_failure,
    write_manifest,
    write_parquet,
)
from simulation.runs.replicate import default_workers, start_early
from simulation.runs.runner import notes


def to_compare_config(cfg: DictConfig | dict) -> CompareConfig:
    """A typed CompareConfig from a composed config (unknown keys and wrong types rejected)."""
    return to_config(cfg, CompareConfig, _explain)


def _explain(exc: Exception) -> str:
    key = getattr(exc, "full_key", "") or ""
    if key.startswith("scenario_overrides.") and "Key '" in str(exc):
        name = key.split(".", 1)[1]
        return (f"{key} is not set yet: add a scenario's overrides with a leading '+', e.g. "
                f"'+scenario_overrides.{name}=[\"scenario.agreements.0.budget_bn_per_year=4\"]'")
    return explain(exc, CompareConfig)


def compose_compare(overrides: list[str] | None = None) -> CompareConfig:
    """Compose configs/compare.yaml with command-line overrides, as the app does."""
    return to_compare_config(compose(overrides, "compare", _explain))


def compare_task(cfg: DictConfig) -> None:
    """The Hydra job: plan, run, summarise, draw, write."""
    out_dir, overrides = hydra_job()
    if (out_dir / "manifest.json").exists():
        fail(f"{shown_path(out_dir)} already holds a complete comparison; nothing was "
             "overwritten. Start again in a second or set another output_dir")
    try:
        cc = to_compare_config(cfg)
        plan = _PRECHECKED[1] if _PRECHECKED and _PRECHECKED[0] == cc else comparison.plan(cc)
    except (ConfigError, DataError) as exc:
        discard_if_empty(out_dir)
        fail(str(exc))
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    n_runs = len(plan.configs) * cc.replications
    print(f"Comparing {', '.join(s for s in plan.configs if s != plan.baseline)} against "
          f"{plan.baseline}: {cc.replications} paired replications each, {n_runs} runs, "
          f"{plan.start}–{plan.horizon}", file=sys.stderr)
    for name, rc in plan.configs.items():
        for note in notes(rc, plan.inputs, most=3):
            print(f"note: {name}: {note}", file=sys.stderr)
    with staged(out_dir, _OUTPUT_ROOT) as work:  # renamed to out_dir when complete
        t0 = time.perf_counter()
        try:
            series, runs, details = comparison.run(plan, cc.workers, cc.progress)
        except RunFailedError as exc:
            write_failed(work, cc, exc)
            fail(f"{exc} (details in {shown_path(out_dir / 'failed.json')})", EXIT_RUN_FAILED)
        t1 = time.perf_counter()
        table = comparison.summarise(series, plan, cc.level, cc.interval)
        benefits = comparison.cost_benefit(series, plan, cc.discount_rate, cc.level,
                                           cc.interval, details.get("costs"))
        figures = []
        if cc.figures:
            from simulation.figures.sets import comparison_figures

            figures = comparison_figures(work, cc, plan, table, series, benefits)
        t2 = time.perf_counter()
        timings = {"runs_s": t1 - t0, "report_s": t2 - t1,
                   "mean_run_s": float(runs["wall_time_s"].mean())}
        write_comparison(work, cc, plan, table, series, runs, figures, timings, overrides,
                         details, benefits)
    _print_summary(table, plan, benefits)
    print(f"\nComparison written to {shown_path(out_dir)} (comparison.md, comparison.csv, "
          f"comparison.parquet, {len(figures)} figure files)")
    print("All figures (English; add lang=vi for Vietnamese): "
          + command_line("hcmc-plot", out_dir))


def _print_summary(table: pd.DataFrame, plan: Plan, benefits: pd.DataFrame) -> None:
    """The partners' total, cumulative, for the headline indicators; costs and benefits."""
    sub = table[(table["boundaries"] == "pre2025") & (table["location"] == PARTNERS)
                & (table["measure"] == "cumulative")
                & table["kpi"].isin(["registered_bn", "total_jobs", "retained_bn"])]
    print(f"\nNine partner provinces, cumulated {plan.window_start}–{plan.horizon}, scenario − "
          f"{plan.baseline} [{sub['interval'].iloc[0]} interval]:")
    for r in sub.itertuples():
        print(f"  {r.scenario:<24} {KPI_BY_NAME[r.kpi].title:<22} {number(r.difference):>12} "
              f"[{number(r.diff_low)}, {number(r.diff_high)}] {r.unit}  "
              f"({percent(r.relative_change)})")
    shown = ["partner_direct_jobs", "national_direct_jobs", "programme_cost_bn",
             "net_fiscal_national_pv_bn", "cost_per_job_m", "benefit_cost_ratio"]
    rows = benefits[benefits["quantity"].isin(shown)]
    print("\nCosts and benefits (scenario − baseline; see comparison.md):")
    for r in rows.itertuples():
        print(f"  {r.scenario:<24} {r.quantity:<26} {number(r.estimate):>12} "
              f"[{number(r.low)}, {number(r.high)}] {r.unit}")


# --------------------------------------------------------------------------- the comparison folder

FILES = {
    "comparison.md": "the report: headline tables and province tables",
    "comparison.csv": "every scenario × boundary set × location × indicator × measure: "
                      "baseline level, scenario level, paired difference, interval, relative "
                      "change, number of replications",
    "comparison.parquet": "the same table as Parquet (typed)",
    "series.parquet": "quarterly indicators of every run (scenario × replication × seed × "
                      "quarter × model location); the figures are drawn from it",
    "sectors.parquet": "quarterly investment, jobs and retained revenue of every run by "
                       "location and sector (for the plot command, `hcmc-plot`)",
    "ties.parquet": "quarterly tie strength and level of every run by partner and cooperation "
                    "field (for the plot command, `hcmc-plot`)",
    "cost_benefit.csv": "costs and benefits of every scenario: programme cost by item and payer, "
                        "net fiscal effect per budget level (sum and present value), fiscal "
                        "benefit–cost ratio, cost per job, and the partners' gain next to the "
                        "national net effect (mean paired difference, interval, replications)",
    "cost_benefit.parquet": "the same table as Parquet",
    "costs.parquet": "quarterly programme costs of every run by location, item and payer (when "
                     "the model records them)",
    "runs.csv": "every run with its scenario, replication, seed, fingerprint and wall time",
    "config.yaml": "the composed comparison config",
    "scenarios/": "the composed run config of each scenario (horizon applied)",
    "figures/": "difference bars with intervals and fan charts (PNG and SVG)",
    "manifest.json": "written last: the folder is complete when it exists",
}


def write_failed(out_dir: Path, cc: CompareConfig, error: BaseException) -> None:
    """Record a failed comparison (no manifest): the error, with scenario and seed."""
    write_failure(out_dir, error, config_yaml(cc),
                  scenario=getattr(error, "scenario", None), seed=getattr(error, "seed", None))


def write_comparison(out_dir: Path, cc: CompareConfig, plan: Plan, table: pd.DataFrame,
                     series: pd.DataFrame, runs: pd.DataFrame, figures: list[Path],
                     timings: dict[str, float], overrides: list[str],
                     details: dict[str, pd.DataFrame] | None = None,
                     benefits: pd.DataFrame | None = None) -> dict:
    """Write every file of the comparison folder, the manifest last; return the manifest."""
    out_dir = Path(out_dir)
    if (out_dir / "manifest.json").exists():
        raise FileExistsError(f"{out_dir} already holds a complete comparison; choose another "
                              "folder")
    commit = git_commit()
    runs = runs.assign(fingerprint=fingerprints(
        [plan.job_config(s, int(r))
         for s, r in zip(runs["scenario"], runs["replication"], strict=True)], commit))
    write_parquet(out_dir / "comparison.parquet", table)
    atomic_write_text(out_dir / "comparison.csv", table.to_csv(index=False))
    write_parquet(out_dir / "series.parquet", series)
    if benefits is not None:
        write_parquet(out_dir / "cost_benefit.parquet", benefits)
        atomic_write_text(out_dir / "cost_benefit.csv", benefits.to_csv(index=False))
    for name, df in (details or {}).items():
        write_parquet(out_dir / f"{name}.parquet", df)
    atomic_write_text(out_dir / "runs.csv", runs.to_csv(index=False))
    atomic_write_text(out_dir / "config.yaml", config_yaml(cc))
    for name, rc in plan.configs.items():
        atomic_write_text(out_dir / "scenarios" / f"{name}.yaml", config_yaml(rc))
    scenarios = [s for s in plan.configs if s != plan.baseline]
    base_rc = plan.configs[plan.baseline]
    meta = {"baseline": plan.baseline, "scenarios": scenarios,
            "replications": cc.replications, "seed": cc.seed, "start": plan.start,
            "horizon": plan.horizon, "window_start": plan.window_start,
            "interval": cc.interval, "level": cc.level, "discount_rate": cc.discount_rate,
            "parameter_draws": plan.draws_source, "n_draws": len(plan.draws),
            "uncertainty": comparison.uncertainty(plan),
            "n_agents": base_rc.params.firms.n_agents,
            "represented": base_rc.params.firms.represented}
    descriptions = {s: rc.scenario.description for s, rc in plan.configs.items()}
    atomic_write_text(out_dir / "comparison.md", report(table, meta, descriptions, FILES,
                                                        benefits))
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


# --------------------------------------------------------------------------- the command line


def precheck(argv: list[str]) -> None:
    """Validate as the app will and check the folder can be written, before any folder exists."""
    global _PRECHECKED, _OUTPUT_ROOT
    with one_line_errors():
        cc = compose_compare(argv)
        _PRECHECKED = (cc, comparison.plan(cc))
        folder, key = run_folder(argv, "compare")
    _OUTPUT_ROOT = check_output(folder, key)


_PRECHECKED: tuple[CompareConfig, comparison.Plan] | None = None  # reused by the job
_OUTPUT_ROOT: Path | None = None  # the nearest existing folder of the comparison's (precheck)
_hydra_main = hydra_app("compare", compare_task)


def main() -> None:
    """Entry point of ``python -m simulation.compare`` and ``hcmc-compare``."""
    argv = sys.argv[1:]
    if is_single_job(argv):
        if default_workers() > 1:  # the workers' imports run while the comparison is checked
            start_early(kpis.run_rows)
        precheck(argv)
    _hydra_main()
