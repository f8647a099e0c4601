"""The model: Mesa agents and the phases of a quarter over explicit state, and pure rules.

``model.py`` holds the phases, ``agents.py`` the Mesa model of one run and its agents,
``state.py`` the world/state/firm dataclasses, ``rules/`` every formula, ``recorder.py`` and
``records.py`` the tidy output tables. Mesa is imported only when the Mesa model or its agents
are first used (batches of replications and the analysis do without it).
"""

from typing import Any

__all__ = ["CooperationModel", "Firm", "Province"]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - the Mesa model or an agent class
    if name in __all__:
        from simulation.model import agents

        return getattr(agents, name)
    raise AttributeError(f"module 'simulation.model' has no attribute {name!r}")
