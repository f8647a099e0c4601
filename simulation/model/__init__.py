"""The model: Mesa agents and the phases of a quarter over explicit state, and pure rules.

``model.py`` holds the phases, ``state.py`` the world/state/firm dataclasses, ``rules/`` every
formula, ``recorder.py`` and ``records.py`` the tidy output tables.
"""

from simulation.model.agents import Firm, Province
from simulation.model.model import CooperationModel

__all__ = ["CooperationModel", "Firm", "Province"]
