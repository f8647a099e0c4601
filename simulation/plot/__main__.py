"""Entry point of ``python -m simulation.plot``."""

from simulation.plot.cli import main

if __name__ == "__main__":
    main()
