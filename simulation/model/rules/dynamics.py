"""Slow variables that move a share of the way each quarter: decay, gaps closing, learning."""

import numpy as np


def quarterly_decay(half_life_quarters: float) -> float:
    """Per-quarter decay factor for a half-life in quarters: ``0.5 ** (1 / half_life)``."""
    return 0.5 ** (1.0 / half_life_quarters)


def close_gap(x: np.ndarray | float, share: np.ndarray | float) -> np.ndarray | float:
    """Move an index in [0, 1] a share of the way to 1: ``x + share · (1 − x)``."""
    return x + share * (1.0 - x)


def stock(previous: np.ndarray | float, decay: float, inflow: np.ndarray | float
          ) -> np.ndarray | float:
    """A decaying stock (e.g. promotion): ``previous · decay + inflow``."""
    return previous * decay + inflow


def learn(experience: np.ndarray, decay: np.floating, firm: np.ndarray, loc: np.ndarray,
          gain: float, out: np.ndarray | None = None) -> np.ndarray:
    """Firms' experience after a quarter: decayed, plus what the projects that opened teach.

    A firm whose project opened in a location gains ``E' = 1 − (1 − E)(1 − gain)`` there.

    Args:
        experience: (firms, locations) experience in [0, 1].
        decay: per-quarter decay factor (of the array's dtype).
        firm, loc: the firm and location of every project that opened this quarter.
        gain: share of the remaining gap closed by one opening.
        out: write the result here (may be ``experience`` itself); default a new array.
    """
    out = np.multiply(experience, decay, out=out)
    out[firm, loc] = 1.0 - (1.0 - out[firm, loc]) * (1.0 - gain)
    return out


def backcast_index(value: np.ndarray, quarters_back: np.ndarray | int, share_per_quarter: float
                   ) -> np.ndarray:
    """An index in [0, 1] some quarters before its data date, under a gap-closing trend.

    The inverse of :func:`close_gap` applied ``quarters_back`` times with the same share:
    ``1 − x_t = (1 − x_Y) / (1 − share)^(Y − t)``, floored at 0. A 2022 DX index thus becomes
    the lower value the province had when the run starts (MODEL_SPEC §3: dated inputs at their
    dates).
    """
    back = (1.0 - np.asarray(value, float)) / (1.0 - share_per_quarter) ** np.asarray(
        quarters_back, float)
    return np.maximum(1.0 - back, 0.0)
