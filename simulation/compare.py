"""``python -m simulation.compare``: a name kept for :mod:`simulation.apps.compare`."""

from simulation.apps.compare import main

if __name__ == "__main__":
    main()
