"""Typed schema of the ``calibrate`` app (configs/calibrate.yaml), with validation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from omegaconf import OmegaConf

from simulation.config import ModelParams, P, RunConfig
from simulation.errors import ConfigError

MAX_PARAMETERS = 6


@dataclass
class Bound:
    """One calibrated parameter (a key under ``params``) and its search interval."""

    key: str = "utility.xi_partner"
    low: float = 0.0
    high: float = 1.0


@dataclass
class CalibrateConfig:
    """Method of simulated moments over a few influential parameters, with CRN."""

    parameters: list[Bound] = field(default_factory=list)  # ≤ 6, picked by Morris screening
    targets: dict[str, float] = field(default_factory=dict)  # moment → value; {} = MODEL_SPEC §11
    replications: int = P(8, 1, 1000, "seeds per parameter vector", "the same seeds for every "
                          "vector: common random numbers make the objective smooth in θ")
    seed: int = P(11, 0, 2**63 - 1, "-", "master seed of the replication seeds")
    design_points: int = P(32, 4, 100_000, "parameter vectors", "scrambled Sobol design "
                           "(a power of 2 keeps its balance properties)")
    refine_iterations: int = P(40, 0, 10_000, "objective evaluations", "Nelder–Mead from the "
                               "best design point")
    accept_share: float = P(0.15, 0.01, 1.0, "-", "share of design points kept as parameter "
                            "draws (rejection ABC), for uncertainty propagation")
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    params: ModelParams = field(default_factory=ModelParams)  # fixed for every evaluation
    output_name: str = "calibrated"  # configs/params/<name>.yaml and <name>_draws.csv
    output_dir: str = "configs/params"
    report_dir: str = "experiments/calibration"
    progress: bool = True


def register_calibrate_config() -> None:
    """Register the schema as ``calibrate_schema`` in Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="calibrate_schema", node=CalibrateConfig)


def _param_meta(key: str, where_: str = "parameters") -> tuple[float | None, float | None]:
    """Allowed range of a numeric ``params`` key, from the schema metadata.

    Args:
        key: a key under ``params``, e.g. ``utility.xi_partner``.
        where_: what to name in error messages (the setting or file the key came from).
    """
    obj: object = ModelParams()
    parts = key.split(".")
    for i, part in enumerate(parts):
        fields = {f.name: f for f in dataclasses.fields(obj)} if dataclasses.is_dataclass(
            obj) else {}
        if part not in fields:
            where = ".".join(["params", *parts[:i]])
            raise ConfigError(f"{where_}: key '{key}' is not a parameter; allowed under "
                              f"'{where}': " + (", ".join(fields) or "(none)"))
        if i == len(parts) - 1:
            meta = fields[part].metadata
            value = getattr(obj, part)
            if not meta or isinstance(value, bool | dict) or dataclasses.is_dataclass(value):
                raise ConfigError(f"{where_}: '{key}' is not a numeric parameter")
            return meta["range"]
        obj = getattr(obj, part)
    raise ConfigError(f"{where_}: '{key}' is not a parameter")


def _default_at(parts: list[str]) -> object:
    obj: object = ModelParams()
    for p in parts:
        obj = getattr(obj, p)
    return obj


def validate_calibrate(cfg: CalibrateConfig, moments: list[str]) -> None:
    """Check parameters, bounds and targets; raise ConfigError with one clear line."""
    if not 1 <= len(cfg.parameters) <= MAX_PARAMETERS:
        raise ConfigError(f"parameters has {len(cfg.parameters)} entries; allowed: 1 to "
                          f"{MAX_PARAMETERS} (pick the influential ones by Morris screening)")
    seen = set()
    for i, b in enumerate(cfg.parameters):
        lo, hi = _param_meta(b.key)
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
    base = OmegaConf.structured(RunConfig)
    base.params = OmegaConf.structured(cfg.params)
    for key, v in values.items():
        OmegaConf.update(base, f"params.{key}", float(v) if not _is_int(key) else int(round(v)))
    base.output.events = True
    obj = OmegaConf.to_object(base)
    assert isinstance(obj, RunConfig)
    return obj


def _is_int(key: str) -> bool:
    parts = key.split(".")
    owner = _default_at(parts[:-1])
    return isinstance(getattr(owner, parts[-1]), int) and not isinstance(
        getattr(owner, parts[-1]), bool)
