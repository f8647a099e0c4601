"""``python -m simulation.plot``: a name kept for :mod:`simulation.apps.plot`."""

from simulation.apps.plot import main

if __name__ == "__main__":
    main()
