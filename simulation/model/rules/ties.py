"""Cooperation-tie dynamics (MODEL_SPEC §8)."""

import numpy as np


def update_strength(
    w: np.ndarray, activity: np.ndarray, successes: np.ndarray, failures: np.ndarray,
    eta_activity: float, eta_success: float, eta_failure: float, decay: float,
) -> np.ndarray:
    """W' = w + η_A·a(1−w) + η_S·S/(1+S)(1−w) − η_F·F/(1+F)·w − δ·w·(1 − a).

    Ties decay in proportion to the lack of activity, so there is no threshold: a thin budget
    keeps a tie alive at a low strength ("stuck at information sharing"), a larger one lifts it
    with diminishing returns.

    Args:
        w: tie strengths in [0, 1].
        activity: cooperation activity in [0, 1) (:func:`activity`).
        successes: projects of mapped sectors that started operating last quarter.
        failures: projects of mapped sectors terminated last quarter.
        eta_activity, eta_success, eta_failure: learning rates per quarter.
        decay: per-quarter decay rate δ at zero activity.
    """
    gain = eta_activity * activity + eta_success * successes / (1.0 + successes)
    loss = eta_failure * failures / (1.0 + failures) + decay * (1.0 - activity)
    return np.clip(w + gain * (1.0 - w) - loss * w, 0.0, 1.0)


def steady_strength(activity: np.ndarray | float, eta_activity: float, decay: float
                    ) -> np.ndarray | float:
    """The strength :func:`update_strength` settles at with constant activity and no projects.

    ``w* = η_A·a / (η_A·a + δ·(1 − a))``.
    """
    a = np.asarray(activity, float)
    return eta_activity * a / (eta_activity * a + decay * (1.0 - a))


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


def activity(budget: np.ndarray, budget_scale: float, dx_boost: float,
             dx: np.ndarray | float) -> np.ndarray:
    """Cooperation activity per field in [0, 1): ``1 − exp(−budget·(1 + boost·DX)/b0)``.

    Diminishing returns to the budget, never a cap: doubling a budget always adds activity,
    less each time. Digital transformation stretches budgets (online meetings, shared
    platforms).

    Args:
        budget: cooperation budget per field and quarter (bn VND).
        budget_scale: b0, the budget that reaches 1 − 1/e of full activity.
        dx_boost: stretch per unit DX.
        dx: the province's DX index.
    """
    return -np.expm1(-budget * (1.0 + dx_boost * dx) / budget_scale)


def sector_strength(w: np.ndarray, sector_field: np.ndarray) -> np.ndarray:
    """(L, S) tie strength relevant to each sector: the mean over the fields it maps to."""
    return (w @ sector_field.T) / sector_field.sum(axis=1)


def level_share(levels: np.ndarray, at_least: int, sector_field: np.ndarray) -> np.ndarray:
    """(L, S) share of each sector's fields whose cooperation level is at least ``at_least``."""
    return ((levels >= at_least) @ sector_field.T) / sector_field.sum(axis=1)


def spillover(x: np.ndarray, neighbours: np.ndarray, sigma: float) -> np.ndarray:
    """Strength after spillover from neighbours: ``x + σ·(Ā x)(1 − x)``, stays in [0, 1].

    Args:
        x: (L, C) values in [0, 1] per place (rows).
        neighbours: (L, L) row-normalised province–province weights Ā (rows sum to 1 or 0).
        sigma: share of the neighbours' mean that spills over.
    """
    return x + sigma * (neighbours @ x) * (1.0 - x)
