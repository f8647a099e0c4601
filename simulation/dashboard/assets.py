"""``python -m simulation.dashboard.assets [--check]``: install the dashboard's front-end files."""

from simulation.apps.dashboard.assets import main

if __name__ == "__main__":
    raise SystemExit(main())
