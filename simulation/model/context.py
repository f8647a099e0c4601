"""What the phase modules read and write: the model seen as a bundle of its state.

The phases of :class:`~simulation.model.model.CooperationModel` live in several modules
(investment, lifecycle, accounts, structure, the network layers); each takes the model through
this protocol, so they depend on the state's dataclasses and never import the model back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import mesa
    import numpy as np

    from simulation.config.params import ModelParams
    from simulation.data import Inputs
    from simulation.model.members import Members
    from simulation.model.network.layers import Layers
    from simulation.model.policy import Schedule
    from simulation.model.projects import ProjectLedger
    from simulation.model.recorder import Recorder
    from simulation.model.state import Firms, State, World
    from simulation.model.tiling import Tiling


class ModelContext(Protocol):
    """The parts of a running model the phases use."""

    p: ModelParams
    inputs: Inputs
    world: World
    schedule: Schedule
    firms: Firms
    state: State
    ledger: ProjectLedger
    recorder: Recorder
    layers: Layers
    province_agents: mesa.agent.AgentSet  # a Mesa model's (a batch has none)
    agents_by_type: dict  # Mesa's agent sets by type
    stream_keys: list[int]  # one counter-based stream key per replication
    tiling: Tiling  # how the replications of a batch share the arrays (one: identity)
    members: Members  # each replication's parameters (the values a batch's draws vary)
    xi: np.ndarray | None  # (R, L) each replication's place constants when they differ
    k: int

    @property
    def quarter(self) -> int:
        """Absolute index of the quarter being simulated."""
        ...
