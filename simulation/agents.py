"""Mesa agents. Their state lives in arrays owned by the model; attributes are views.

The hot decisions run vectorised over all firms in `CooperationModel`; a `Firm` is a readable
handle on its row (sector, capital, readiness, experience), useful in notebooks, the dashboard
and tests. `Province` agents carry out the government phase (budgets, promotion, DX) each quarter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from simulation.model import CooperationModel


class Firm(mesa.Agent):
    """An HCMC enterprise that may invest outside the city."""

    def __init__(self, model: CooperationModel, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    @classmethod
    def create_population(cls, model: CooperationModel, n: int) -> None:
        """Create ``n`` firms with indices 0..n-1, registered with the model.

        Does what ``Agent.__init__`` does for each agent (unique id, the model's agent sets) in
        bulk, about five times faster for large populations. Falls back to the per-agent path
        when anything observes agent registration (Mesa signals or data registries), so no
        observer ever misses an agent.
        """
        if any(model.subscribers.values()) or cls._datasets:
            for i in range(n):
                cls(model, i)
            return
        new = cls.__new__
        agents = [new(cls) for _ in range(n)]
        first = model.agent_id_counter
        for i, a in enumerate(agents):
            a.__dict__.update(model=model, unique_id=first + i, pos=None, idx=i)
        model.agent_id_counter += n
        model._all_agents._agents.update(dict.fromkeys(agents))  # noqa: SLF001 (mesa==3.5.1)
        if cls not in model._agents_by_type:  # noqa: SLF001
            cls(model, -1).remove()  # creates the per-type agent set the standard way
        model._agents_by_type[cls]._agents.update(dict.fromkeys(agents))  # noqa: SLF001

    @property
    def sector(self) -> str:
        """Sector code of the firm."""
        return self.model.sector_codes[self.model.firm_sector[self.idx]]

    @property
    def capital(self) -> float:
        """Firm capital (bn VND)."""
        return float(self.model.firm_capital[self.idx])

    @property
    def readiness(self) -> float:
        """Digital readiness D_i in [0, 1]."""
        return float(self.model.firm_readiness[self.idx])

    @property
    def experience(self) -> np.ndarray:
        """Experience E_i,l in [0, 1] for every location (a view into the model's array)."""
        return self.model.experience[self.idx]

    @property
    def projects(self) -> np.ndarray:
        """Ledger rows of this firm's projects."""
        return np.flatnonzero(self.model.ledger.view("firm") == self.idx)


class Province(mesa.Agent):
    """A location: HCMC, a partner province or a composite non-partner region."""

    def __init__(self, model: CooperationModel, idx: int, code: str, role: str):
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
        return float(self.model.dx[self.idx])

    @property
    def ties(self) -> np.ndarray:
        """Tie strength with HCMC per cooperation field (view)."""
        return self.model.W[self.idx]

    def act(self) -> None:
        """Government phase: spend the cooperation budget, run promotion, update DX."""
        m, i, k = self.model, self.idx, self.model.k
        sched = m.schedule
        if self.role == "partner":
            stretch = 1.0 + m.p.ties.dx_activity_boost * m.dx[i]
            m.activity[i] = np.minimum(1.0, sched.budget_bn[k, i] / m.p.ties.activity_cost_bn
                                       * stretch)
            m.promotion[i] = m.promotion[i] * m.promo_decay + sched.promo_events[k, i]
            m.human_capital[i] += sched.hc_gain[k, i] * (1.0 - m.human_capital[i])
        gain = m.p.government.dx_growth_per_year / 4.0 + sched.dx_gain[k, i]
        m.dx[i] += min(gain, 1.0) * (1.0 - m.dx[i])
