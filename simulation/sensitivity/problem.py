"""A sensitivity study read from YAML, checked against the config schema.

The file names the uncertain parameters (``params.*`` keys with a ``[low, high]`` range), the
KPIs, the common overrides, the seeds and the sample sizes; see
``experiments/sensitivity/study.yaml`` for an annotated example. Every bad entry is refused
with one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulation.config.keys import KeyNotFound, resolve
from simulation.config.schema import RunConfig
from simulation.errors import ConfigError
from simulation.sweeps.kpis import KPIS


@dataclass
class Study:
    """A Morris-then-Sobol study."""

    parameters: dict[str, tuple[float, float]]  # key → (low, high)
    kpis: list[str] = field(default_factory=lambda: list(KPIS))
    overrides: list[str] = field(default_factory=list)  # applied to every run
    seeds: list[int] = field(default_factory=lambda: [2023])  # same seeds for every sample
    morris_trajectories: int = 10
    morris_levels: int = 4
    threshold: float = 0.25  # keep a parameter if μ*/max μ* ≥ this for some KPI
    max_selected: int = 8
    sobol_n: int = 128  # base sample size (a power of 2)
    resamples: int = 1000  # bootstrap resamples for the confidence intervals
    confidence: float = 0.95
    sampling_seed: int = 12345

    def problem(self, keys: list[str] | None = None) -> dict[str, Any]:
        """The SALib problem dict for all parameters or a subset."""
        keys = list(keys or self.parameters)
        return {"num_vars": len(keys), "names": keys,
                "bounds": [list(self.parameters[k]) for k in keys]}


def _field_meta(key: str) -> tuple[Any, tuple[float | None, float | None]]:
    """Default value and allowed range of a schema key such as ``params.utility.theta_info``."""
    try:
        obj, meta = resolve(RunConfig(), key)
    except KeyNotFound as exc:
        if not exc.allowed:
            raise ConfigError(f"{key}: not a parameter of the schema") from None
        raise ConfigError(f"unknown parameter '{key}'; allowed under "
                          f"'{key.rsplit('.', 1)[0]}': {', '.join(exc.allowed)}") from None
    if isinstance(obj, bool) or not isinstance(obj, int | float):
        raise ConfigError(f"{key}: not a numeric parameter (default {obj!r})")
    return obj, meta.get("range", (None, None))


def check_parameter(key: str, bounds: Any) -> tuple[float, float]:
    """Validate one uncertain parameter and its range; return ``(low, high)``."""
    if key.startswith("scenario."):
        raise ConfigError(f"{key} is a policy lever; a sensitivity study varies the uncertain "
                          "parameters params.* only")
    if not key.startswith("params."):
        raise ConfigError(f"{key}: uncertain parameters live under params.*")
    _, (lo, hi) = _field_meta(key)
    if (not isinstance(bounds, list | tuple) or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)):
        raise ConfigError(f"{key}: range {bounds!r} must be [low, high] numbers")
    low, high = float(bounds[0]), float(bounds[1])
    if not low < high:
        raise ConfigError(f"{key}: range [{low}, {high}] must have low < high")
    if (lo is not None and low < lo) or (hi is not None and high > hi):
        raise ConfigError(f"{key}: range [{low}, {high}] leaves the allowed [{lo}, {hi}]")
    return low, high


def load_study(path: str | Path) -> Study:
    """Read and check a study file.

    Raises:
        ConfigError: unreadable file, unknown key, lever, bad range or unknown KPI.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read study file {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ConfigError(f"{path}: needs a 'parameters' mapping of params.* keys to "
                          "[low, high]")
    allowed = {f.name for f in dataclasses.fields(Study)}
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"{path}: unknown entry '{key}'; allowed: "
                              + ", ".join(sorted(allowed)))
    raw["parameters"] = {k: check_parameter(k, v) for k, v in raw["parameters"].items()}
    for kpi in raw.get("kpis", []):
        if kpi not in KPIS:
            raise ConfigError(f"{path}: unknown KPI '{kpi}'; allowed: {', '.join(KPIS)}")
    study = Study(**raw)
    if study.sobol_n < 2 or study.sobol_n & (study.sobol_n - 1):
        raise ConfigError(f"{path}: sobol_n={study.sobol_n} must be a power of 2")
    return study
