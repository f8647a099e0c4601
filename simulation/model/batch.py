"""Many replications of one configuration stepped together: the ensemble engine.

A run spends most of its time in the fixed cost of each numpy call of each phase, not in the
arithmetic: a quarter touches a few hundred firms with an opportunity and a few thousand
projects. :class:`Batch` steps R replications (same configuration, different seeds, and each
its own posterior draw of :data:`~simulation.model.members.MEMBER_PARAMS` if any) as one
model whose arrays have a block per replication (:class:`~simulation.model.tiling.Tiling`),
so each call does the work of R runs. It builds no Mesa agents (a run's agents are views into
the same arrays, and nothing here reads them).

Replication ``r`` of a batch gives exactly the tables of ``simulation.run`` with its seed: the
same phases run on the same numbers, each replication drawing from its own streams; sums over
projects add each replication's projects in the order of its own run; matrix products and
running sums are taken block by block in the shapes of one run (``tests/test_batch.py``).
Memory grows with R (a peak of about 17 MB per replication at 20,000 firms), so callers run
large ensembles in batches of a bounded size.
"""

from __future__ import annotations

import numpy as np

from simulation.config.params import ModelParams
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model.model import Phases, seed_streams
from simulation.model.records import Results


class Batch(Phases):
    """R replications of one configuration, one seed each, stepped together.

    Args:
        cfg: the configuration (its ``seed`` is ignored: ``seeds`` give each replication's).
        inputs: the loaded inputs.
        seeds: one seed per replication.
        params: each replication's parameters (default: ``cfg.params`` for all); they may
            differ only in :data:`~simulation.model.members.MEMBER_PARAMS` (posterior draws).
    """

    def __init__(self, cfg: RunConfig, inputs: Inputs, seeds: list[int],
                 params: list[ModelParams] | None = None):
        if not seeds:
            raise ValueError("a batch needs at least one seed")
        if params is not None and len(params) != len(seeds):
            raise ValueError(f"{len(params)} parameter sets for {len(seeds)} seeds")
        streams = [seed_streams(int(s)) for s in seeds]
        self.seeds = [int(s) for s in seeds]
        self.build(cfg, inputs, [_as_mesa_leaves_it(np.random.default_rng(ws))
                                 for ws, _ in streams], [key for _, key in streams], params)

    def run(self) -> None:
        """Step every replication through every quarter of the schedule."""
        while self.k < len(self.world.quarters):
            self.step()

    def results(self, r: int, scenario: str, replication: int, lazy: bool = True) -> Results:
        """The tables of replication ``r`` (built when first read, with ``lazy``)."""
        out = self.cfg.output
        return self.recorder.results(scenario, replication, self.seeds[r], events=out.events,
                                     projects=out.projects, rep=r, lazy=lazy)


def _as_mesa_leaves_it(rng: np.random.Generator) -> np.random.Generator:
    """The world generator in the state a Mesa model's initialisation leaves it.

    ``mesa.Model(rng=generator)`` (mesa 3.5) draws one integer from it to seed its
    ``random.Random``; a run's firms and peer graph are drawn after that draw.
    """
    rng.integers(np.iinfo(np.int32).max)
    return rng
