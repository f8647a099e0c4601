"""``python -m simulation.calibrate``: a name kept for :mod:`simulation.apps.calibrate`."""

from simulation.apps.calibrate import main

if __name__ == "__main__":
    main()
