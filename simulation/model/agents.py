"""The Mesa side: the model of one run (:class:`CooperationModel`) and its agents.

Agents' state lives in arrays owned by the model; attributes are views. The hot decisions run
vectorised over all firms in the model's phases (:class:`~simulation.model.model.Phases`); a
:class:`Firm` is a readable handle on its row of :class:`~simulation.model.state.Firms`
(sector, capital, readiness, experience), useful in notebooks, the dashboard and tests.
:class:`Province` agents carry out the government phase (budgets, promotion, DX) each quarter.
Only this module imports Mesa, so batches of replications and the analysis never load it.
"""

from __future__ import annotations

import gc

import mesa
import numpy as np

from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model import government
from simulation.model.model import Phases, seed_streams


class Firm(mesa.Agent):
    """An HCMC enterprise that may invest outside the city."""

    def __init__(self, model: mesa.Model, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    @property
    def sector(self) -> str:
        """Sector code of the firm."""
        return self.model.world.sectors.codes[self.model.firms.sector[self.idx]]

    @property
    def capital(self) -> float:
        """Firm capital (bn VND)."""
        return float(self.model.firms.capital[self.idx])

    @property
    def readiness(self) -> float:
        """Digital readiness D_i in [0, 1]."""
        return float(self.model.firms.readiness[self.idx])

    @property
    def experience(self) -> np.ndarray:
        """Experience E_i,l in [0, 1] for every location (a view into the model's array)."""
        return self.model.state.experience[self.idx]

    @property
    def projects(self) -> np.ndarray:
        """Ledger rows of this firm's projects."""
        return np.flatnonzero(self.model.ledger.view("firm") == self.idx)


def register_firms(model: mesa.Model, n: int) -> None:
    """Create ``n`` :class:`Firm` agents with indices 0..n-1, registered with the model.

    The one place the project goes around Mesa's public API, for speed: it does in bulk what
    ``Agent.__init__`` does for each agent (a unique id, the model's agent set, the per-type
    agent set), about five times faster for large populations. It falls back to creating the
    agents one by one when anything observes agent registration (Mesa signals or data
    registries), so no observer ever misses an agent. ``tests/test_agents.py`` checks that the
    bookkeeping equals Mesa's own for the same population. Written against mesa==3.5.1.
    """
    if any(model.subscribers.values()) or Firm._datasets or n < 1:  # noqa: SLF001
        for i in range(n):
            Firm(model, i)
        return
    Firm(model, 0)  # the standard way: registers firm 0 and creates the per-type agent set
    new = Firm.__new__
    collecting = gc.isenabled()
    gc.disable()  # n objects that live as long as the model: no cyclic collection meanwhile
    try:
        agents = [new(Firm) for _ in range(n - 1)]
        first = model.agent_id_counter
        for i, a in enumerate(agents):
            a.__dict__.update(model=model, unique_id=first + i, pos=None, idx=i + 1)
        model.agent_id_counter += n - 1
        model._all_agents._agents.update(dict.fromkeys(agents))  # noqa: SLF001
        model._agents_by_type[Firm]._agents.update(dict.fromkeys(agents))  # noqa: SLF001
    finally:
        if collecting:
            gc.enable()


class Province(mesa.Agent):
    """An administrative unit: HCMC, a partner or other province, or a composite region.

    Partners decide how to spend their cooperation budget (MODEL_SPEC §8): once a year they
    revise the split of a discretionary share across the fields, promotion and DX by the
    adaptive rule of :mod:`simulation.model.rules.budget`; every quarter they spend, run
    promotion events and build their DX (:mod:`simulation.model.government`, which the model
    applies to every unit at once). The reform of 1 July 2025 removes the dissolved units'
    agents; their successors carry on with the combined state.
    """

    def __init__(self, model: mesa.Model, idx: int, code: str, role: str):
        super().__init__(model)
        self.idx = int(idx)
        self.code = code
        self.role = role

    @property
    def name_vi(self) -> str:
        """Vietnamese name with diacritics."""
        return str(self.model.inputs.locations.loc[self.code, "name_vi"])

    @property
    def dx(self) -> float:
        """Digital-transformation index in [0, 1]."""
        return float(self.model.state.dx[self.idx])

    @property
    def ties(self) -> np.ndarray:
        """Tie strength with HCMC per cooperation field (view)."""
        return self.model.state.W[self.idx]

    @property
    def partner(self) -> bool:
        """True while the unit has a cooperation programme with HCMC."""
        return bool(self.model.state.partner[self.idx])

    def plan(self) -> None:
        """Once a year: move the discretionary split toward the adaptive rule's target."""
        government.plan(self.model, np.array([self.idx]))

    def act(self) -> None:
        """Every quarter: spend the cooperation budget, run promotion, build DX."""
        government.act(self.model, np.array([self.idx]))


class CooperationModel(Phases, mesa.Model):
    """The cooperation ABM of one run: a Mesa model with firm and province agents.

    Build with a validated config and loaded inputs, then step (``run()`` steps to the end).
    Firms and provinces are Mesa agents whose attributes are views into the model's arrays.
    """

    def __init__(self, cfg: RunConfig, inputs: Inputs):
        world_ss, stream_key = seed_streams(cfg.seed)
        super().__init__(rng=np.random.default_rng(world_ss))
        self.build(cfg, inputs, [self.rng], [stream_key])
        register_firms(self, self.firms.n)
        self.firm_agents = self.agents_by_type[Firm]
        w = self.world
        for i, (code, role) in enumerate(zip(w.locations.codes, w.locations.roles,
                                             strict=True)):
            Province(self, i, code, str(role))
        self.province_agents = self.agents_by_type[Province]

    def run(self) -> None:
        """Step through every quarter of the schedule."""
        self.run_for(len(self.world.quarters) - self.k)
