"""``python -m simulation.sensitivity``: a name kept for :mod:`simulation.apps.sensitivity`."""

from simulation.apps.sensitivity import main

if __name__ == "__main__":
    raise SystemExit(main())
