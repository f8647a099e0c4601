"""Project lifecycle (MODEL_SPEC §6): quarterly hazards and competing risks.

Each state's hazards are functions of the project's location (ties, DX, administrative
capacity) and of its *uninformed* distance; one uniform draw per project and quarter decides
which transition, if any, happens (:func:`competing_risks`).
"""

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
    return pick(u, thresholds(hazards))


def thresholds(hazards: np.ndarray) -> np.ndarray:
    """The uniform's cut points of :func:`competing_risks`: ``(1 − exp(−H))·Σ_{j≤k} h_j / H``.

    Rows with the same hazards have the same cut points, so they can be computed once per
    group of rows and gathered (:func:`pick`).

    Args:
        hazards: (n, k) non-negative rates per quarter.

    Returns:
        (n, k) increasing cut points in [0, 1).
    """
    h = np.asarray(hazards, dtype=float)
    total = h.sum(axis=1)
    p_any = -np.expm1(-total)
    scale = np.divide(p_any, total, out=np.zeros_like(total), where=total > 0)
    return np.cumsum(h, axis=1) * scale[:, None]


def pick(u: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """The event of each row from its uniform and its cut points (:func:`thresholds`).

    Returns:
        (n,) index of the event in 0..k-1, or -1 for no event.
    """
    idx = (u[:, None] >= cuts).sum(axis=1)
    return np.where(idx >= cuts.shape[1], NONE, idx)


def uninformed_distance(info: np.ndarray, log_rel_distance: np.ndarray) -> np.ndarray:
    """The part of distance information does not bridge: ``(1 − I) · ln(d/d0)``."""
    return (1.0 - info) * log_rel_distance


def licensing(admin: np.ndarray, ties: np.ndarray, dx: np.ndarray, implemented: np.ndarray,
              rate: float, ties_effect: float, dx_effect: float, level3_effect: float
              ) -> np.ndarray:
    """0→1 hazard: ``rate · admin · (1 + a_W·w + a_D·DX + a_L3·L3)``.

    ``implemented`` is the share of the sector's fields where cooperation reached implemented
    projects (level 3).
    """
    return rate * admin * (1.0 + ties_effect * ties + dx_effect * dx
                           + level3_effect * implemented)


def waiting_dropout(waited: np.ndarray, base: float, slope: float) -> np.ndarray:
    """1→5 hazard of a licensed project waiting for land: rises with the quarters waited."""
    return base + slope * waited


def site_clearance(needs_park_land: np.ndarray, rate: float) -> np.ndarray:
    """1→2 hazard outside industrial parks; park projects get land by allocation instead."""
    return np.where(needs_park_land, 0.0, rate)


def pause(uninformed: np.ndarray, ties: np.ndarray, base: float, distance_effect: float,
          ties_effect: float) -> np.ndarray:
    """2,3→4 hazard: ``base · exp(b_d·uninformed distance − b_W·w)``."""
    return base * np.exp(distance_effect * uninformed - ties_effect * ties)


def exit_(operating: np.ndarray, uninformed: np.ndarray, base: float, distance_effect: float
          ) -> np.ndarray:
    """3→6 hazard of operating projects: ``base · exp(b_d·uninformed distance)``; 0 otherwise."""
    return np.where(operating, base * np.exp(distance_effect * uninformed), 0.0)


def resumption(ties: np.ndarray, dx: np.ndarray, implemented: np.ndarray, rate: float,
               ties_effect: float, dx_effect: float, level3_effect: float) -> np.ndarray:
    """4→2/3 hazard: ``rate · (1 + r_W·w + r_D·DX + r_L3·L3)`` (the cooperation channel)."""
    return rate * (1.0 + ties_effect * ties + dx_effect * dx + level3_effect * implemented)


def disbursement(capital: np.ndarray, realisation_share: float, build_quarters: np.ndarray
                 ) -> np.ndarray:
    """Capital disbursed in one quarter of construction (evenly over the build time)."""
    return capital * realisation_share / build_quarters
