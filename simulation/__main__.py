"""``python -m simulation [overrides]``: run one scenario and write a run directory."""

from simulation.cli import run_main

run_main()
