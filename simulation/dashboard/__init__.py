"""``python -m simulation.dashboard``: a name kept for :mod:`simulation.apps.dashboard`."""
