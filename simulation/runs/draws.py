"""Parameter draws: calibrated parameter vectors that comparisons run over with the seeds.

A draws file is a CSV with one column per parameter key under ``params`` (e.g.
``utility.xi_partner``) and one row per draw, as written by the ``calibrate`` app
(``configs/params/<name>_draws.csv``; extra columns such as ``J`` are ignored). Replication ``r``
of every scenario uses draw ``r mod n`` and seed ``r``, so parameter uncertainty and chance both
enter the interval while scenario differences stay paired.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.config.keys import parameter_range, with_values
from simulation.config.schema import RunConfig
from simulation.errors import ConfigError

IGNORED = ("J", "stage")


def load_draws(path: str) -> list[dict[str, float]]:
    """Read and validate a draws file; one dict (parameter key → value) per draw.

    Raises:
        ConfigError: missing or unreadable file, unknown parameter, non-numeric or out-of-range
            value (one line naming the file, row and column).
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"parameter_draws={path!r} is not a file; allowed: a CSV of parameter "
                          "draws such as configs/params/calibrated_draws.csv, or null")
    try:
        df = pd.read_csv(p)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise ConfigError(f"parameter_draws={path!r} cannot be read as CSV: {exc}") from None
    cols = [c for c in df.columns if c not in IGNORED]
    if not cols or df.empty:
        raise ConfigError(f"parameter_draws={path!r} has no parameter columns or no rows")
    for c in cols:
        lo, hi = parameter_range(c, f"parameter_draws ({p.name})")  # unknown keys: names allowed
        v = pd.to_numeric(df[c], errors="coerce")
        for i in np.flatnonzero(~np.isfinite(v.to_numpy(float))):
            raise ConfigError(f"{p.name}, row {i + 2}, column {c!r}: {df[c].iloc[i]!r} is not "
                              "a number")
        bad = ((lo is not None) & (v < lo)) | ((hi is not None) & (v > hi))
        for i in np.flatnonzero(bad.to_numpy()):
            raise ConfigError(f"{p.name}, row {i + 2}, column {c!r}: {v.iloc[i]} is outside "
                              f"the allowed range [{lo}, {hi}]")
    return [{c: float(row[c]) for c in cols} for _, row in df.iterrows()]


def with_params(rc: RunConfig, values: dict[str, float]) -> RunConfig:
    """A copy of ``rc`` with parameter keys (under ``params``) set to ``values``."""
    if not values:
        return rc
    return with_values(rc, {f"params.{key}": v for key, v in values.items()})
