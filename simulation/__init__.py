"""Agent-based model of Ho Chi Minh City firms investing in nine partner provinces.

Quick use from Python or a notebook::

    import simulation
    res = simulation.run(["scenario=baseline", "seed=3"])
    res.investment.head()      # tidy pandas DataFrames

See README.md for the command line and docs/ODD.md for the model.
"""

from simulation.config.compose import compose
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.model.records import Results
from simulation.runs.runner import run

__all__ = ["ConfigError", "DataError", "Inputs", "Results", "RunFailedError", "compose",
           "load_inputs", "run"]
__version__ = "0.1.0"
