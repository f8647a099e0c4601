"""Cooperation-tie dynamics (MODEL_SPEC §8)."""

import numpy as np


def update_strength(
    w: np.ndarray, activity: np.ndarray, successes: np.ndarray, failures: np.ndarray,
    eta_activity: float, eta_success: float, eta_failure: float, decay: float,
    activity_threshold: float,
) -> np.ndarray:
    """W' = w + η_A·a(1−w) + η_S·S/(1+S)(1−w) − η_F·F/(1+F)·w − δ·w·[a < threshold].

    Args:
        w: tie strengths in [0, 1].
        activity: cooperation activity in [0, 1] (budget- and DX-limited).
        successes: projects of mapped sectors that started operating this quarter.
        failures: projects of mapped sectors terminated this quarter.
        eta_activity, eta_success, eta_failure: learning rates per quarter.
        decay: per-quarter decay rate δ applied when there is no real activity.
        activity_threshold: activity below which ties decay.
    """
    gain = eta_activity * activity + eta_success * successes / (1.0 + successes)
    loss = eta_failure * failures / (1.0 + failures) + decay * (activity < activity_threshold)
    return np.clip(w + gain * (1.0 - w) - loss * w, 0.0, 1.0)


def levels(w: np.ndarray, agreement: np.ndarray, operating: np.ndarray,
           level1: float, level2: float, level3: float) -> np.ndarray:
    """Cooperation level: 0 none, 1 agreement / information sharing, 2 joint, 3 implemented.

    Args:
        w: tie strengths.
        agreement: True where an agreement is in force.
        operating: operating projects of mapped sectors (counts).
        level1, level2, level3: strength thresholds.
    """
    lvl = np.where(agreement | (w >= level1), 1, 0)
    lvl = np.where((lvl >= 1) & (w >= level2), 2, lvl)
    return np.where((lvl >= 2) & (w >= level3) & (operating > 0), 3, lvl)


def activity(budget: np.ndarray, cost_full: float, dx_boost: float, dx: float) -> np.ndarray:
    """Cooperation activity per field in [0, 1]: the budget over the cost of full activity.

    Digital transformation stretches budgets (online meetings, shared platforms).
    """
    return np.minimum(1.0, budget / cost_full * (1.0 + dx_boost * dx))


def sector_strength(w: np.ndarray, sector_field: np.ndarray) -> np.ndarray:
    """(L, S) tie strength relevant to each sector: the mean over the fields it maps to."""
    return (w @ sector_field.T) / sector_field.sum(axis=1)
