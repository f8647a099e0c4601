"""Figures drawn from tidy tables only (they never import the model). One style for talks."""

from simulation.plotting.figures import run_overview
from simulation.plotting.style import save_figure, talk_style

__all__ = ["run_overview", "save_figure", "talk_style"]
