"""``python -m simulation [overrides]``: run one scenario (or a sweep) and write a run directory."""

from simulation.apps.run import main

main()
