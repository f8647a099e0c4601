"""Run the model: validate a config, build and step the model, return tables.

`run(cfg)` is pure (no Hydra, no paths): a config in, tidy tables out. A list of Hydra-style
overrides is composed first with :func:`simulation.config.compose.compose`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from omegaconf import DictConfig

from simulation.config.compose import compose, to_run_config
from simulation.config.schema import RunConfig
from simulation.config.validate import reform_notes, validate
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError, RunFailedError
from simulation.model.records import Results

logging.getLogger("MESA").setLevel(logging.WARNING)


def prepare(cfg: RunConfig | DictConfig | dict, inputs: Inputs | None = None
            ) -> tuple[RunConfig, Inputs]:
    """Typed, validated config and loaded inputs."""
    rc = to_run_config(cfg)
    if rc.data_dir is not None and not Path(rc.data_dir).is_dir():
        raise ConfigError(f"data_dir={rc.data_dir!r} is not a folder; allowed: a folder holding "
                          "the input tables (see simulation/data/README.md), or null for the "
                          "shipped data")
    inputs = with_network(rc, inputs if inputs is not None else load_inputs(rc.data_dir))
    loc = inputs.locations
    validate(rc, list(loc.index[loc["role"] == "partner"]), list(inputs.sectors.index),
             list(inputs.fields.index), list(loc.index),
             sorted(set(inputs.expressway["segment"])))
    return rc, inputs


def with_network(rc: RunConfig, inputs: Inputs) -> Inputs:
    """The inputs with the config's network file in place of the shipped links and roads."""
    if rc.network_file is None:
        return inputs
    if inputs.network_source == str(Path(rc.network_file).resolve()):
        return inputs
    from simulation.model.network.files import read_network

    return read_network(rc.network_file, inputs)


def notes(rc: RunConfig, inputs: Inputs, most: int | None = None) -> list[str]:
    """Notes on a valid config: levers naming a dissolved province (more than ``most``: one)."""
    loc = inputs.locations
    names = {**dict(zip(loc["new_code"], loc["new_name_vi"], strict=True)),
             **loc["name_vi"].to_dict()}  # a unit the reform creates (hue) has only a new name
    return reform_notes(rc, loc["new_code"].to_dict(), names, most)


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
    inputs = with_network(rc, inputs)
    try:
        t0 = time.perf_counter()
        model = CooperationModel(rc, inputs)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        res = model.recorder.results(rc.scenario.name, rc.replication, rc.seed,
                                     events=rc.output.events, projects=rc.output.projects)
        if rc.output.graph:
            res.graphs["network"] = model.graph
        if rc.output.peer_graph:
            res.graphs["peers"] = model.peer_graph()
        t3 = time.perf_counter()
    except (ConfigError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - re-raised with scenario and seed
        raise RunFailedError(rc.scenario.name, rc.seed, exc) from exc
    timings.update(setup_s=t1 - t0, step_s=t2 - t1, tables_s=t3 - t2)
    return res, timings
