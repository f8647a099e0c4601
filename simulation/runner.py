"""Run the model: compose a config, validate it, build and step the model, return tables.

`run(cfg)` is pure (no Hydra, no paths): a config in, tidy tables out. `compose(overrides)` builds
a config from the project's Hydra configs with Hydra-style overrides, turning every kind of bad
input into a `ConfigError` with one clear line.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

from simulation.config import RunConfig, register_configs, validate
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError, RunFailedError
from simulation.records import Results

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
logging.getLogger("MESA").setLevel(logging.WARNING)


def to_run_config(cfg: RunConfig | DictConfig | dict) -> RunConfig:
    """A typed RunConfig from a dataclass, DictConfig or plain dict (merged on the schema)."""
    if isinstance(cfg, RunConfig):
        return cfg
    try:
        base = OmegaConf.structured(RunConfig)
        merged = OmegaConf.merge(base, cfg)
        obj = OmegaConf.to_object(merged)
    except (ConfigAttributeError, ConfigKeyError, ValidationError) as exc:
        raise ConfigError(explain_omegaconf_error(exc)) from None
    assert isinstance(obj, RunConfig)
    return obj


def explain_omegaconf_error(exc: Exception) -> str:
    """One line naming the key, the value and what is allowed, from an OmegaConf error."""
    full_key = getattr(exc, "full_key", None) or ""
    msg = str(exc).splitlines()[0]
    m = re.search(r"Key '([^']+)' not in '(\w+)'", msg)
    if m:
        parent = full_key.rsplit(".", 1)[0] if "." in full_key else ""
        allowed = _keys_under(parent)
        where = f" under '{parent}'" if parent else ""
        return (f"unknown config key '{full_key or m.group(1)}'; allowed keys{where}: "
                + ", ".join(allowed))
    m = re.search(r"Value '(.*?)' (?:of type '(\w+)' )?could not be converted to (\w+)", msg)
    if m:
        return (f"{full_key}={m.group(1)!r} has the wrong type; expected {m.group(3).lower()}")
    return f"{full_key}: {msg}" if full_key else msg


def _keys_under(path: str) -> list[str]:
    node: Any = OmegaConf.structured(RunConfig)
    for part in [p for p in path.split(".") if p]:
        try:
            node = node[int(part)] if part.isdigit() else node[part]
        except Exception:  # noqa: BLE001 - best effort for the message
            return []
    return list(node.keys()) if isinstance(node, DictConfig) else []


def available_scenarios() -> list[str]:
    """Names of the scenario files in configs/scenario/."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def compose(overrides: list[str] | None = None) -> DictConfig:
    """Compose the project config with Hydra-style overrides (e.g. ``["seed=3"]``).

    Raises:
        ConfigError: unknown scenario or key, wrong type (one clear line).
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.errors import (
        ConfigCompositionException,
        MissingConfigException,
        OverrideParseException,
    )

    register_configs()
    overrides = list(overrides or [])
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=overrides)
    except MissingConfigException as exc:
        raise ConfigError(_missing_message(exc, overrides)) from None
    except OverrideParseException as exc:
        raise ConfigError(f"cannot parse override: {str(exc).splitlines()[0]}") from None
    except ConfigCompositionException as exc:
        cause = exc.__cause__
        if isinstance(cause, ConfigAttributeError | ConfigKeyError | ValidationError):
            raise ConfigError(explain_omegaconf_error(cause)) from None
        raise ConfigError(str(exc).splitlines()[0]) from None
    return cfg


def _missing_message(exc: Exception, overrides: list[str]) -> str:
    text = str(exc)
    for ov in overrides:
        if ov.split("=", 1)[0].lstrip("+~") == "scenario":
            name = ov.split("=", 1)[1]
            return (f"unknown scenario '{name}'; available scenarios: "
                    + ", ".join(available_scenarios()))
    return text.splitlines()[0]


def prepare(cfg: RunConfig | DictConfig | dict, inputs: Inputs | None = None
            ) -> tuple[RunConfig, Inputs]:
    """Typed, validated config and loaded inputs."""
    rc = to_run_config(cfg)
    inputs = inputs if inputs is not None else load_inputs(rc.data_dir)
    loc = inputs.locations
    validate(rc, list(loc.index[loc["role"] == "partner"]), list(inputs.sectors.index),
             list(inputs.fields.index), list(loc.index))
    return rc, inputs


def run(cfg: RunConfig | DictConfig | dict | list[str] | None = None,
        inputs: Inputs | None = None) -> Results:
    """Run one simulation and return its tidy tables.

    Args:
        cfg: a RunConfig, a composed DictConfig, a dict of overrides on the defaults, or a list
            of Hydra-style override strings (e.g. ``["scenario=baseline", "seed=3"]``).
        inputs: pre-loaded input data (default: load from ``cfg.data_dir`` or the package).
    """
    if cfg is None or isinstance(cfg, list):
        cfg = compose(cfg or [])
    rc, inputs = prepare(cfg, inputs)
    return simulate(rc, inputs)[0]


def simulate(rc: RunConfig, inputs: Inputs) -> tuple[Results, dict[str, float]]:
    """Build and step the model; return the tables and timings (seconds)."""
    from simulation.model import CooperationModel

    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        model = CooperationModel(rc, inputs)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        res = model.recorder.results(rc.scenario.name, rc.replication, rc.seed,
                                     events=rc.output.events, projects=rc.output.projects)
        t3 = time.perf_counter()
    except (ConfigError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - re-raised with scenario and seed
        raise RunFailedError(rc.scenario.name, rc.seed, exc) from exc
    timings.update(setup_s=t1 - t0, step_s=t2 - t1, tables_s=t3 - t2)
    return res, timings
