"""The dashboard's model: the cooperation model plus its paired baselines, stepped together.

:class:`DashboardModel` is what Mesa's SolaraViz builds from the controls (its keyword
arguments are the controls). It composes the scenario with the project's Hydra configs, builds
the scenario model and a baseline model with the same seed (common random numbers, so the
difference is the effect of the levers and not of different draws), and as many more such
pairs as ``paired_seeds`` asks for (the master seed, then seeds derived from it), so the page
can show means and the interval of each paired difference instead of one noisy draw. The
first pair are Mesa models (the page shows the scenario's agents); the other seeds' runs are
stepped together as two batches, one per arm (:class:`~simulation.model.batch.Batch`: each
replication's numbers are those of its own run, bit for bit). It warms every model up through
the spin-up quarters, then advances all of them by one quarter per step. Each recorded quarter
the province totals shown on the page are read off each model's recorder before it is reset.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import mesa
import numpy as np

from simulation.analysis.live import Track
from simulation.apps.dashboard.levers import (
    AUTO,
    BASELINE,
    DEFAULT_N_AGENTS,
    DEFAULT_PAIRED_SEEDS,
    DEFAULT_SEED,
    Levers,
    compose_cached,
)
from simulation.config.schema import RunConfig
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError, DataError
from simulation.model import CooperationModel
from simulation.model.batch import Batch
from simulation.model.state import World
from simulation.runs.replicate import replication_seeds
from simulation.runs.runner import prepare


@functools.cache
def shipped_inputs() -> Inputs:
    """The input tables shipped with the package, loaded once per process."""
    return load_inputs()


class TrackedModel(CooperationModel):
    """The cooperation model, keeping the province totals of every recorded quarter."""

    def __init__(self, cfg: RunConfig, inputs: Inputs):
        super().__init__(cfg, inputs)
        self.track = Track()

    def record(self) -> None:
        """Let the recorder store the quarter, then keep its totals."""
        super().record()
        if self.world.recorded[self.k]:
            self.track.capture(self.world.labels[self.k], self.recorder)


class TrackedBatch(Batch):
    """Replications of one configuration stepped together, keeping each one's totals."""

    def __init__(self, cfg: RunConfig, inputs: Inputs, seeds: list[int]):
        super().__init__(cfg, inputs, seeds)
        self.tracks = [Track() for _ in seeds]
        self.views = [Replication(dataclasses.replace(cfg, seed=s), self.world, t)
                      for s, t in zip(self.seeds, self.tracks, strict=True)]

    def record(self) -> None:
        """Let the recorder store the quarter, then keep every replication's totals."""
        super().record()
        if self.world.recorded[self.k]:
            for r, track in enumerate(self.tracks):
                track.capture(self.world.labels[self.k], self.recorder, r)


@dataclass(frozen=True)
class Replication:
    """One replication of a :class:`TrackedBatch` as the page reads a model."""

    cfg: RunConfig  # its configuration, with its own seed
    world: World
    track: Track


class DashboardModel(TrackedModel):
    """Scenario model with its paired baseline; the keyword arguments are the controls.

    Args:
        scenario_name: name of the scenario file (not ``scenario``: Mesa's SolaraViz passes
            a ``mesa`` Scenario object under that name to models that accept it).
        agreement_budget, incentive_regime, dx_gain, land_ha, n_agents, horizon, seed,
        scenario_dir: see :class:`simulation.apps.dashboard.levers.Levers`.
        paired_seeds: scenario/baseline pairs run side by side, the first with ``seed``.

    Attributes:
        levers: the controls.
        overrides: Hydra-style overrides of the scenario run (what the page prints).
        baseline_overrides: those of the paired baseline (same seed, population, horizon).
        baseline: the paired baseline model (``self`` when the scenario run is the baseline).
        pairs: every (scenario, baseline) pair, ``(self, baseline)`` first; the others are
            :class:`Replication` views of the two batches that run the other seeds.
        error: one line naming what is wrong when the controls do not give a valid
            configuration (then nothing else is built and the model does not run).
    """

    def __init__(self, scenario_name: str = BASELINE, agreement_budget: float = 0.0,
                 incentive_regime: str = "none", dx_gain: float = 0.0, land_ha: float = 0.0,
                 n_agents: int = DEFAULT_N_AGENTS, horizon: str = AUTO,
                 seed: int = DEFAULT_SEED, scenario_dir: str | None = None,
                 paired_seeds: int = DEFAULT_PAIRED_SEEDS):
        self.levers = Levers(str(scenario_name), float(agreement_budget), str(incentive_regime),
                             float(dx_gain), float(land_ha), int(n_agents), str(horizon),
                             int(seed), scenario_dir)
        self.error: str | None = None
        self.overrides: list[str] = []
        self.baseline_overrides: list[str] = []
        try:
            self.overrides, end = self.levers.overrides()
            inputs = shipped_inputs()
            rc, _ = prepare(compose_cached(tuple(self.overrides)), inputs)
            self.baseline_overrides = self.levers.baseline_overrides(end)
            rc_base, _ = prepare(compose_cached(tuple(self.baseline_overrides)), inputs)
        except (ConfigError, DataError) as exc:
            mesa.Model.__init__(self, rng=0)  # nothing is drawn: the model does not run
            self.error = str(exc)
            self.running = False
            return
        super().__init__(rc, inputs)
        self.baseline: TrackedModel = self if rc_base == rc else TrackedModel(rc_base, inputs)
        self.pairs: list[tuple] = [(self, self.baseline)]
        self.batches: list[TrackedBatch] = []
        extra = replication_seeds(self.levers.seed, max(1, int(paired_seeds)) - 1)
        if extra:
            self.batches.append(TrackedBatch(rc, inputs, extra))
            if rc_base != rc:
                self.batches.append(TrackedBatch(rc_base, inputs, extra))
            arms = [b.views for b in self.batches]
            self.pairs += list(zip(arms[0], arms[-1], strict=True))
        self.spinup_quarters = int(np.count_nonzero(~self.world.recorded))
        for _ in range(self.spinup_quarters):  # warm-up quarters are not recorded or shown
            self.step()

    @property
    def seeds(self) -> list[int]:
        """The seed of every pair, the master seed first."""
        return [a.cfg.seed for a, _ in self.pairs]

    def step(self) -> None:
        """One quarter of every scenario run and its paired baseline (none after the end)."""
        if not self.running:  # SolaraViz may ask for several quarters at once near the end
            return
        super().step()
        if self.baseline is not self:
            self.baseline.step()
        for batch in self.batches:
            batch.step()

    @property
    def horizon_quarters(self) -> list[str]:
        """Labels of every recorded quarter of the run."""
        return [q for q, r in zip(self.world.labels, self.world.recorded, strict=True) if r]
