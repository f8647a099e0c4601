"""Typed schema of the ``compare`` app (configs/compare.yaml), with validation.

The behavioural parameters (``params``), the calendar (``time``) and ``data_dir`` use the
schemas of a single run, so ``params.firms.n_agents=5000`` on the ``compare`` command line is
checked exactly as it would be for ``python -m simulation``; every scenario run of the comparison
gets those values.
"""

from __future__ import annotations

from simulation.config.schema import CompareConfig
from simulation.errors import ConfigError
from simulation.kpis import KPI_BY_NAME
from simulation.paired import INTERVALS
from simulation.timeline import parse_quarter

FIGURE_FORMATS = ("png", "svg", "pdf")


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
