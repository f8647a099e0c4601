"""The dashboard's controls as Hydra-style overrides on top of a scenario.

A presenter picks a scenario and may add a few extra levers. Each extra lever is appended to
the scenario's own lever list (it does not replace what the scenario already does) and applies
to every partner province from :data:`LEVER_START` to the end of the run; 0 or ``"none"`` adds
nothing. The result is a list of override strings that :func:`simulation.runs.runner.compose`
accepts and that the page prints, so any state of the dashboard can be re-run from the command
line (``python -m simulation <overrides>``).
"""

from __future__ import annotations

import copy
import functools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from simulation.config.compose import CONFIG_DIR, available_scenarios, compose
from simulation.config.scenario import CIT_REGIMES
from simulation.errors import ConfigError

LEVER_START = "2023Q2"  # the March 2023 cooperation agreements take effect from this quarter
AUTO = "auto"  # horizon: the scenario's own (2025Q4 unless its file sets time.end)
HORIZONS = (AUTO, "2025Q4", "2030Q4")  # last recorded quarter a presenter can choose
N_AGENTS_CHOICES = (2000, 5000, 10000, 20000)
# choices offered for the extra levers (the first adds nothing; the schema defaults are 2 bn
# VND, 0.08 and 20 ha)
AGREEMENT_BUDGETS = (0.0, 1.0, 2.0, 4.0, 8.0)
DX_GAINS = (0.0, 0.04, 0.08, 0.16)
LAND_HA = (0, 20, 50, 100, 200)
DEFAULT_N_AGENTS = 5000  # small population: a step takes milliseconds (20000 is the default)
# paired seeds the page runs: means over them, and the 90 % interval of each mean difference;
# at 5,000 agents 8 pairs take 0.41 s to Reset (1 pair: 0.20 s) and 20 ms of model time per
# quarter (6 ms), against about 0.35 s to draw the three figures (benchmarks/bench_dashboard.py)
PAIRED_SEEDS_CHOICES = (1, 4, 8, 16)
DEFAULT_PAIRED_SEEDS = 8
DEFAULT_SEED = 2023  # the schema's default master seed
BASELINE = "baseline"
_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMPOSE_LOCK = threading.Lock()  # Hydra's compose API keeps global state


@functools.lru_cache(maxsize=64)
def _compose(overrides: tuple[str, ...]) -> DictConfig:
    return compose(list(overrides))


def compose_cached(overrides: tuple[str, ...]) -> DictConfig:
    """:func:`simulation.runs.runner.compose`, serialised across threads and memoised (a copy)."""
    with _COMPOSE_LOCK:
        return copy.deepcopy(_compose(tuple(overrides)))


@dataclass(frozen=True)
class Levers:
    """What the dashboard controls set.

    Attributes:
        scenario: name of a scenario file (``configs/scenario/<name>.yaml`` or the extra
            scenario folder).
        agreement_budget: extra cooperation agreement with every partner in every field,
            bn VND per province per field per year (0: none).
        incentive_regime: extra CIT incentive regime for projects licensed from
            :data:`LEVER_START` on, one of ``none, park, difficult, special`` (none: none).
        dx_gain: extra digital-transformation programme, share of the DX gap closed per year
            (0: none).
        land_ha: extra industrial-park land opened per province per year, ha (0: none).
        n_agents: firm agents (model resolution; outputs are scaled to the represented firms).
        horizon: last recorded quarter, or ``auto`` for the scenario's own.
        seed: master seed, shared by the scenario and its paired baseline.
        scenario_dir: extra folder of ``scenario/<name>.yaml`` files (relative to the working
            folder or absolute) or None.
    """

    scenario: str = BASELINE
    agreement_budget: float = 0.0
    incentive_regime: str = "none"
    dx_gain: float = 0.0
    land_ha: float = 0.0
    n_agents: int = DEFAULT_N_AGENTS
    horizon: str = AUTO
    seed: int = DEFAULT_SEED
    scenario_dir: str | None = None

    def _common(self, end: str | None) -> list[str]:
        out = [f"seed={int(self.seed)}", f"params.firms.n_agents={int(self.n_agents)}"]
        if end is not None:
            out.append(f"time.end={end}")
        if self.scenario_dir:
            out.insert(0, f"hydra.searchpath=[{hydra_value('file://' + self.scenario_dir)}]")
        return out

    def scenario_file(self) -> list[str]:
        """Overrides of the scenario file alone: population, seed and chosen horizon."""
        return [f"scenario={self.scenario}",
                *self._common(None if self.horizon == AUTO else self.horizon)]

    def extra_levers(self, end: str) -> dict[str, dict[str, Any]]:
        """The lever entries the controls add, by scenario list name.

        Args:
            end: last quarter of the run (the levers last until then).
        """
        if self.incentive_regime not in CIT_REGIMES:
            raise ConfigError(f"incentive_regime={self.incentive_regime!r} is not allowed; "
                              f"allowed: {', '.join(CIT_REGIMES)}")
        window = {"provinces": ["all"], "start": LEVER_START, "end": end}
        out: dict[str, dict[str, Any]] = {}
        if self.agreement_budget > 0:
            out["agreements"] = {**window, "fields": ["all"],
                                 "budget_bn_per_year": float(self.agreement_budget)}
        if self.incentive_regime != "none":
            out["incentives"] = {**window, "sectors": ["all"],
                                 "cit_regime": self.incentive_regime}
        if self.dx_gain > 0:
            out["digital"] = {**window, "dx_gain_per_year": float(self.dx_gain)}
        if self.land_ha > 0:
            out["land"] = {**window, "hectares_per_year": float(self.land_ha)}
        return out

    def overrides(self) -> tuple[list[str], str]:
        """Overrides of the scenario run (the file's levers kept, the extra ones appended).

        Returns:
            The overrides and the run's last quarter (the scenario's own with ``auto``).
        """
        out = self.scenario_file()
        cfg = compose_cached(tuple(out))
        end = str(cfg.time.end)
        for name, entry in self.extra_levers(end).items():
            existing = OmegaConf.to_container(cfg.scenario[name], resolve=True)
            assert isinstance(existing, list)
            out.append(f"scenario.{name}={hydra_value([*existing, entry])}")
        return out, end

    def baseline_overrides(self, end: str) -> list[str]:
        """Overrides of the paired baseline: same seed and population, horizon ``end``."""
        return [f"scenario={BASELINE}", *self._common(end)]


def scenario_names(scenario_dir: str | None = None) -> list[str]:
    """Scenario files the dashboard offers: the project's and those of an extra folder.

    Args:
        scenario_dir: a folder holding ``scenario/<name>.yaml`` files (a Hydra search path).
    """
    names = set(available_scenarios())
    if scenario_dir:
        names |= {p.stem for p in (Path(scenario_dir) / "scenario").glob("*.yaml")}
    first = [BASELINE] if BASELINE in names else []
    return first + sorted(names - {BASELINE})


def check_scenario_dir(path: str) -> str:
    """An extra scenario folder as given (relative to the working folder or absolute).

    Raises:
        ConfigError: the folder has no ``scenario`` subfolder.
    """
    p = os.path.normpath(os.path.expanduser(path))
    if not (Path(p) / "scenario").is_dir():
        raise ConfigError(f"--scenario-dir={path!r} has no 'scenario' subfolder; allowed: a "
                          "folder holding scenario/<name>.yaml files, laid out like "
                          f"{CONFIG_DIR.name}/")
    return p


def hydra_value(obj: Any) -> str:
    """Render a value in Hydra's override grammar (``[...]``, ``{k:v}``, ``"strings"``).

    Raises:
        ValueError: a string holds a quote or backslash, or a dict key is not an identifier.
    """
    if isinstance(obj, bool):
        return "true" if obj else "false"
    if obj is None:
        return "null"
    if isinstance(obj, int | float):
        return repr(obj)
    if isinstance(obj, str):
        if '"' in obj or "\\" in obj:
            raise ValueError(f"cannot write {obj!r} as a Hydra override value")
        return f'"{obj}"'
    if isinstance(obj, list | tuple):
        return "[" + ",".join(hydra_value(v) for v in obj) + "]"
    if isinstance(obj, dict):
        for k in obj:
            if not _BARE.match(str(k)):
                raise ValueError(f"cannot write key {k!r} in a Hydra override")
        return "{" + ",".join(f"{k}:{hydra_value(v)}" for k, v in obj.items()) + "}"
    raise ValueError(f"cannot write {type(obj).__name__} as a Hydra override value")
