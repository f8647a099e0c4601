"""Checks of the ``calibrate`` app's settings and the run config of a candidate parameter vector."""

from __future__ import annotations

from simulation.config.keys import parameter_range, with_values
from simulation.config.schema import MAX_PARAMETERS, CalibrateConfig, OutputConfig, RunConfig
from simulation.errors import ConfigError


def validate_calibrate(cfg: CalibrateConfig, moments: list[str]) -> None:
    """Check parameters, bounds and targets; raise ConfigError with one clear line."""
    if not 1 <= len(cfg.parameters) <= MAX_PARAMETERS:
        raise ConfigError(f"parameters has {len(cfg.parameters)} entries; allowed: 1 to "
                          f"{MAX_PARAMETERS} (pick the influential ones by Morris screening)")
    seen = set()
    for i, b in enumerate(cfg.parameters):
        lo, hi = parameter_range(b.key)
        if b.key in seen:
            raise ConfigError(f"parameters.{i}.key={b.key!r} is listed twice")
        seen.add(b.key)
        if not b.low < b.high:
            raise ConfigError(f"parameters.{i}: low={b.low} must be below high={b.high}")
        if (lo is not None and b.low < lo) or (hi is not None and b.high > hi):
            raise ConfigError(f"parameters.{i} ({b.key}): [{b.low}, {b.high}] leaves the "
                              f"allowed range [{lo}, {hi}]")
    for name in cfg.targets:
        if name not in moments:
            raise ConfigError(f"targets has unknown moment {name!r}; allowed: "
                              + ", ".join(moments))


def run_config(cfg: CalibrateConfig, values: dict[str, float]) -> RunConfig:
    """A run config with the fixed params of ``cfg`` and the candidate ``values``."""
    rc = RunConfig(params=cfg.params, output=OutputConfig(events=True))
    return with_values(rc, {f"params.{key}": v for key, v in values.items()})
