"""Typed errors that reach the user as one clear line.

`DataError` lives with the data loader (`simulation.data.loader`) and is re-exported here so
callers can catch every kind of bad input from one module.
"""

from simulation.data.loader import DataError


class ConfigError(ValueError):
    """A configuration value is unknown, of the wrong type or out of range.

    The message names the key, the value given and what is allowed.
    """


class RunFailedError(RuntimeError):
    """A model run failed; the message names the scenario and seed."""

    def __init__(self, scenario: str, seed: int, cause: BaseException):
        self.scenario = scenario
        self.seed = seed
        self.cause = cause
        super().__init__(
            f"run failed for scenario={scenario!r} seed={seed}: {type(cause).__name__}: {cause}"
        )


__all__ = ["ConfigError", "DataError", "RunFailedError"]
