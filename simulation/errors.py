"""Typed errors that reach the user as one clear line.

Every kind of bad input has its own type, so a command line can turn it into one line on stderr
and an exit code, and a test can tell the kinds apart.
"""


class ConfigError(ValueError):
    """A configuration value is unknown, of the wrong type or out of range.

    The message names the key, the value given and what is allowed.
    """


class DataError(Exception):
    """Invalid or unreadable input data or saved results.

    The message is one line naming the file, the row (header = row 1, first data row = row 2)
    and the field or column concerned, and says what is allowed.
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
