"""``python -m simulation.dashboard [--port 8765]``: serve the live dashboard."""

from simulation.apps.dashboard.serve import main

main()
