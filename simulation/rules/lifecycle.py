"""Competing risks with one uniform draw per project per quarter (MODEL_SPEC §6)."""

import numpy as np

NONE = -1


def competing_risks(u: np.ndarray, hazards: np.ndarray) -> np.ndarray:
    """Pick at most one transition per row from quarterly hazard rates.

    The probability that any event happens is ``1 − exp(−H)`` with ``H = Σ_k h_k``; the event is
    k with probability ``(1 − exp(−H))·h_k / H``. One uniform per row decides both.

    Args:
        u: (n,) uniforms in (0, 1).
        hazards: (n, k) non-negative rates per quarter.

    Returns:
        (n,) index of the event in 0..k-1, or -1 for no event.
    """
    h = np.asarray(hazards, dtype=float)
    total = h.sum(axis=1)
    p_any = -np.expm1(-total)
    scale = np.divide(p_any, total, out=np.zeros_like(total), where=total > 0)
    cum = np.cumsum(h, axis=1) * scale[:, None]
    idx = (u[:, None] >= cum).sum(axis=1)
    return np.where(idx >= h.shape[1], NONE, idx)


def quarterly_decay(half_life_quarters: float) -> float:
    """Per-quarter decay factor for a half-life in quarters: 0.5 ** (1 / half_life)."""
    return 0.5 ** (1.0 / half_life_quarters)
