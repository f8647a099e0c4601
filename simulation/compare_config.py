"""Typed schema of the ``compare`` app (configs/compare.yaml), with validation.

The behavioural parameters (``params``), the calendar (``time``) and ``data_dir`` use the
schemas of a single run, so ``params.firms.n_agents=5000`` on the ``compare`` command line is
checked exactly as it would be for ``python -m simulation``; every scenario run of the comparison
gets those values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.config import ModelParams, P
from simulation.errors import ConfigError
from simulation.kpis import KPI_BY_NAME
from simulation.paired import INTERVALS
from simulation.timeline import parse_quarter

FIGURE_FORMATS = ("png", "svg", "pdf")


@dataclass
class TimeOverride:
    """Calendar of every run; unset fields keep what each scenario composes."""

    start: str | None = None  # first recorded quarter (default 2020Q1)
    end: str | None = None  # horizon; None: the latest end among the scenarios
    spinup_quarters: int | None = None  # warm-up quarters before `start` (default 24)


@dataclass
class CompareConfig:
    """A comparison of scenarios against a baseline with paired replications."""

    scenarios: list[str] = field(default_factory=lambda: ["baseline", "agreement_2025"])
    baseline: str = "baseline"  # the reference; run even if not listed in `scenarios`
    replications: int = P(20, 2, 100_000, "runs per scenario", "≥ 2 for an interval")
    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed; replication seeds derive from it "
                  "with numpy SeedSequence and are the same for every scenario")
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    window_start: str = "2023Q2"  # first quarter of the cumulative measures
    interval: str = "t"  # t: confidence interval of the mean difference; or percentile
    level: float = P(0.90, 0.5, 0.999, "-", "coverage of the interval of the difference")
    scenario_overrides: dict[str, list[str]] = field(default_factory=dict)  # name → overrides
    params: ModelParams = field(default_factory=ModelParams)
    time: TimeOverride = field(default_factory=TimeOverride)
    data_dir: str | None = None  # None: the data shipped in the package
    # CSV of calibrated parameter draws (configs/params/<name>_draws.csv): replication r uses
    # draw r mod n, so intervals cover parameter uncertainty as well as chance; None: seeds only
    parameter_draws: str | None = None
    output_dir: str = "results/comparisons"  # comparison folders go under it
    figures: bool = True  # difference bars and fan charts
    figure_kpis: list[str] = field(default_factory=lambda: [
        "registered_bn", "total_jobs", "retained_bn"])  # each: bars and two fan charts
    figure_formats: list[str] = field(default_factory=lambda: ["png", "svg"])
    progress: bool = True  # progress bar on stderr


def register_compare_config() -> None:
    """Register the schema as ``compare_schema`` in Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="compare_schema", node=CompareConfig)


def _quarter(key: str, value: str) -> int:
    try:
        return parse_quarter(value)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def validate_compare(cfg: CompareConfig, available: list[str]) -> list[str]:
    """Check the comparison's own settings; return the scenarios to run, baseline first.

    Args:
        cfg: the typed comparison config.
        available: scenario names found in configs/scenario/.

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    listing = ", ".join(available)
    for key, names in (("baseline", [cfg.baseline]), ("scenarios", cfg.scenarios),
                       ("scenario_overrides", list(cfg.scenario_overrides))):
        for name in names:
            if name not in available:
                raise ConfigError(f"{key}: unknown scenario {name!r}; available scenarios: "
                                  f"{listing}")
    dupes = sorted({s for s in cfg.scenarios if cfg.scenarios.count(s) > 1})
    if dupes:
        raise ConfigError(f"scenarios lists {', '.join(dupes)} more than once")
    run = [cfg.baseline] + [s for s in cfg.scenarios if s != cfg.baseline]
    if len(run) < 2:
        raise ConfigError(f"scenarios={cfg.scenarios} holds only the baseline "
                          f"{cfg.baseline!r}; add a scenario to compare, e.g. "
                          f"scenarios=[{cfg.baseline},agreement_2025]")
    if cfg.interval not in INTERVALS:
        raise ConfigError(f"interval={cfg.interval!r} is unknown; allowed: "
                          + ", ".join(INTERVALS))
    unknown = [k for k in cfg.figure_kpis if k not in KPI_BY_NAME]
    if unknown:
        raise ConfigError(f"figure_kpis contains unknown {unknown[0]!r}; allowed: "
                          + ", ".join(KPI_BY_NAME))
    bad = [f for f in cfg.figure_formats if f not in FIGURE_FORMATS]
    if bad:
        raise ConfigError(f"figure_formats contains unknown {bad[0]!r}; allowed: "
                          + ", ".join(FIGURE_FORMATS))
    _quarter("window_start", cfg.window_start)
    for key in ("start", "end"):
        value = getattr(cfg.time, key)
        if value is not None:
            _quarter(f"time.{key}", value)
    return run


def check_window(window_start: str, start: str, horizon: str) -> None:
    """The cumulative window must lie inside the recorded quarters."""
    w, a, h = (parse_quarter(x) for x in (window_start, start, horizon))
    if not a <= w <= h:
        raise ConfigError(f"window_start={window_start} is outside the recorded quarters; "
                          f"allowed: {start} to {horizon}")
