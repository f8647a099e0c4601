"""Configuration: typed schemas, range checks, dotted keys and the Hydra compose path.

- :mod:`~simulation.config.params`: behavioural parameters (what researchers sweep);
- :mod:`~simulation.config.scenario`: policy levers (what planners choose);
- :mod:`~simulation.config.schema`: the root schema of every command (run, compare, ...);
- :mod:`~simulation.config.validate`: range, name and calendar checks;
- :mod:`~simulation.config.keys`: dotted keys such as ``params.utility.theta_info``;
- :mod:`~simulation.config.compose`: Hydra compose and one-line error messages.
"""

from simulation.config.params import ModelParams
from simulation.config.scenario import ScenarioConfig
from simulation.config.schema import RunConfig
from simulation.config.validate import parameter_table

__all__ = ["ModelParams", "RunConfig", "ScenarioConfig", "parameter_table"]
