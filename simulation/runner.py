"""Run the model: compose a config, validate it, build and step the model, return tables.

`run(cfg)` is pure (no Hydra, no paths): a config in, tidy tables out. `compose(overrides)` builds
a config from the project's Hydra configs with Hydra-style overrides, turning every kind of bad
input into a `ConfigError` with one clear line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf
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
        # merge a plain container: keys added with Hydra's `+` must still match the schema
        plain = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else cfg
        merged = OmegaConf.merge(base, plain)
        obj = OmegaConf.to_object(merged)
    except (ConfigAttributeError, ConfigKeyError, ValidationError) as exc:
        raise ConfigError(explain_omegaconf_error(exc)) from None
    assert isinstance(obj, RunConfig)
    return obj


def explain_omegaconf_error(exc: Exception, schema: type = RunConfig) -> str:
    """One line naming the key, the value and what is allowed, from an OmegaConf error.

    Args:
        exc: the OmegaConf error.
        schema: the dataclass at the root of the config (lists the allowed keys).
    """
    full_key = getattr(exc, "full_key", None) or ""
    msg = str(exc).splitlines()[0]
    m = re.search(r"Key '([^']+)' (?:not in|is not in struct)", msg)
    if m:
        key = full_key or m.group(1)
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        allowed = _keys_under(parent, schema)
        where = f" under '{parent}'" if parent else ""
        owner = getattr(exc, "object_type", None)
        if not parent and dataclasses.is_dataclass(owner) and owner is not schema:
            allowed = [f.name for f in dataclasses.fields(owner)]  # e.g. inside a lever list
            where = f" in {owner.__name__}"
        return f"unknown config key '{key}'; allowed keys{where}: " + ", ".join(allowed)
    m = re.search(r"Value '(.*?)' (?:of type '(\w+)' )?could not be converted to (\w+)", msg)
    if m:
        return (f"{full_key}={m.group(1)!r} has the wrong type; expected {m.group(3).lower()}")
    m = re.fullmatch(r"(.+)\[(\d+)\]", full_key)
    if m and "Invalid type assigned" in msg:
        return (f"{m.group(1)} has no element {m.group(2)} to override; give the whole list "
                f"instead, e.g. '{m.group(1)}=[{{...}}]' (see configs/scenario/README.md)")
    return f"{full_key}: {msg}" if full_key else msg


def _keys_under(path: str, schema: type = RunConfig) -> list[str]:
    node: Any = OmegaConf.structured(schema)
    for part in [p for p in re.split(r"[.\[\]]", path) if p]:
        try:
            if part.isdigit() and isinstance(node, ListConfig):
                item = node._metadata.element_type  # noqa: SLF001 - the list's dataclass
                node = OmegaConf.structured(item)
            else:
                node = node[part]
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
        with _isolated_hydra(), initialize_config_dir(config_dir=str(CONFIG_DIR),
                                                      version_base="1.3"):
            cfg = hydra_compose(config_name="config", overrides=overrides)
    except MissingConfigException as exc:
        raise ConfigError(_missing_message(exc, overrides)) from None
    except OverrideParseException as exc:
        raise ConfigError(f"cannot parse override: {str(exc).splitlines()[0]}") from None
    except ConfigCompositionException as exc:
        cause = exc.__cause__ or exc.__context__  # a bad key in a config file: the context
        if isinstance(cause, ConfigAttributeError | ConfigKeyError | ValidationError):
            where = re.match(r"In '([^']+)'", str(exc))
            msg = explain_omegaconf_error(cause)
            raise ConfigError(f"{where.group(1)}.yaml: {msg}" if where else msg) from None
        raise ConfigError(str(exc).splitlines()[0]) from None
    return cfg


@contextlib.contextmanager
def _isolated_hydra() -> Iterator[None]:
    """Let :func:`compose` run inside a running Hydra app (e.g. ``simulation.compare``)."""
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig

    gh = GlobalHydra.instance()
    saved, saved_cfg = gh.hydra, HydraConfig.instance().cfg
    gh.clear()
    try:
        yield
    finally:
        gh.hydra = saved
        HydraConfig.instance().cfg = saved_cfg


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
    if rc.data_dir is not None and not Path(rc.data_dir).is_dir():
        raise ConfigError(f"data_dir={rc.data_dir!r} is not a folder; allowed: a folder holding "
                          "the input tables (see simulation/data/README.md), or null for the "
                          "shipped data")
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
