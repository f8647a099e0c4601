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
