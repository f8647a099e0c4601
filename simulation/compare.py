"""``python -m simulation.compare``: scenarios × paired replications → a comparison folder.

Example::

    python -m simulation.compare scenarios=[baseline,agreement_2025] replications=20 seed=2023

The app validates everything first (bad input: one line on stderr, exit code 2, no folder),
runs every scenario × replication in parallel with a progress bar, writes the comparison
(Markdown, CSV, Parquet, figures, manifest last) and ends with the folder it wrote. A failed
replication writes ``failed.json`` naming scenario and seed and exits with code 3.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import hydra
from omegaconf import DictConfig

from simulation.analysis import comparison
from simulation.cli import EXIT_RUN_FAILED, _discard_if_empty, fail
from simulation.compare_output import write_comparison, write_failed
from simulation.config.compose import CONFIG_DIR, compose, explain, register_configs, to_config
from simulation.config.schema import CompareConfig
from simulation.errors import ConfigError, DataError, RunFailedError


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


def _hydra_context() -> tuple[Path, list[str]]:
    from hydra.core.hydra_config import HydraConfig

    hc = HydraConfig.get()
    return Path(hc.runtime.output_dir), list(hc.overrides.task)


def compare_task(cfg: DictConfig) -> None:
    """The Hydra job: plan, run, summarise, draw, write."""
    out_dir, overrides = _hydra_context()
    if (out_dir / "manifest.json").exists():
        fail(f"{out_dir} already holds a complete comparison; nothing was overwritten. Start "
             "again in a second or set another output_dir")
    try:
        cc = to_compare_config(cfg)
        plan = _PRECHECKED[1] if _PRECHECKED and _PRECHECKED[0] == cc else comparison.plan(cc)
    except (ConfigError, DataError) as exc:
        _discard_if_empty(out_dir)
        fail(str(exc))
    n_runs = len(plan.configs) * cc.replications
    print(f"Comparing {', '.join(s for s in plan.configs if s != plan.baseline)} against "
          f"{plan.baseline}: {cc.replications} paired replications each, {n_runs} runs, "
          f"{plan.start}–{plan.horizon}", file=sys.stderr)
    t0 = time.perf_counter()
    try:
        series, runs, details = comparison.run(plan, cc.workers, cc.progress)
    except RunFailedError as exc:
        write_failed(out_dir, cc, exc)
        fail(f"{exc} (details in {out_dir / 'failed.json'})", EXIT_RUN_FAILED)
    t1 = time.perf_counter()
    table = comparison.summarise(series, plan, cc.level, cc.interval)
    figures = []
    if cc.figures:
        from simulation.figures.sets import comparison_figures

        figures = comparison_figures(out_dir, cc, plan, table, series)
    t2 = time.perf_counter()
    timings = {"runs_s": t1 - t0, "report_s": t2 - t1,
               "mean_run_s": float(runs["wall_time_s"].mean())}
    write_comparison(out_dir, cc, plan, table, series, runs, figures, timings, overrides,
                     details)
    _print_summary(table, plan)
    print(f"\nComparison written to {out_dir} (comparison.md, comparison.csv, "
          f"comparison.parquet, {len(figures)} figure files)")


def _print_summary(table, plan) -> None:
    """The partners' total, cumulative, for the headline indicators."""
    from simulation.analysis.kpis import KPI_BY_NAME
    from simulation.analysis.measures import PARTNERS
    from simulation.figures.text import percent
    from simulation.figures.text import readable as number

    sub = table[(table["boundaries"] == "pre2025") & (table["location"] == PARTNERS)
                & (table["measure"] == "cumulative")
                & table["kpi"].isin(["registered_bn", "total_jobs", "retained_bn"])]
    print(f"\nNine partner provinces, cumulated {plan.window_start}–{plan.horizon}, scenario − "
          f"{plan.baseline} [{sub['interval'].iloc[0]} interval]:")
    for r in sub.itertuples():
        print(f"  {r.scenario:<24} {KPI_BY_NAME[r.kpi].title:<22} {number(r.difference):>12} "
              f"[{number(r.diff_low)}, {number(r.diff_high)}] {r.unit}  "
              f"({percent(r.relative_change)})")


def _is_single_job(argv: list[str]) -> bool:
    """True unless Hydra flags or sweep overrides (``replications=10,20``) are given."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if any(a.startswith("-") for a in argv):
        return False
    try:
        return not any(o.is_sweep_override()
                       for o in OverridesParser.create().parse_overrides(argv))
    except Exception:  # noqa: BLE001 - the precheck reports the parse error in one line
        return True


def precheck(argv: list[str]) -> None:
    """Compose and validate as the app will, failing with one line before any folder exists."""
    global _PRECHECKED
    try:
        cc = compose_compare(argv)
        _PRECHECKED = (cc, comparison.plan(cc))
    except (ConfigError, DataError) as exc:
        fail(str(exc))


_PRECHECKED: tuple[CompareConfig, comparison.Plan] | None = None  # reused by the job
register_configs()
_hydra_main = hydra.main(config_path=str(CONFIG_DIR), config_name="compare",
                         version_base="1.3")(compare_task)


def main() -> None:
    """Console entry point of ``python -m simulation.compare``."""
    argv = sys.argv[1:]
    if _is_single_job(argv):
        precheck(argv)
    _hydra_main()


if __name__ == "__main__":
    main()
