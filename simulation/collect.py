"""``python -m simulation.collect``: a name kept for :mod:`simulation.apps.collect`."""

from simulation.apps.collect import main

if __name__ == "__main__":
    raise SystemExit(main())
