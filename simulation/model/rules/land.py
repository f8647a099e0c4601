"""Industrial-park land (MODEL_SPEC §6): supply, first-come allocation, congestion.

Amounts are in hectares of real land: an agent project stands for ``scale`` real projects, so
its need is multiplied by ``scale`` before it is compared with a province's land.
"""

import numpy as np


def supply(available: np.ndarray, added: np.ndarray, initial: np.ndarray,
           growth_per_year: float, absorption_per_year: float) -> np.ndarray:
    """Land available after one quarter: new land opens, other investors take a share.

    ``(available + added + growth/4 · initial) · (1 − absorption/4)``.
    """
    return (available + added + growth_per_year / 4.0 * initial) * (
        1.0 - absorption_per_year / 4.0)


def held(loc: np.ndarray, land_ha: np.ndarray, scale: float, n_locations: int) -> np.ndarray:
    """Real hectares held (or needed) by projects, summed per location."""
    return np.bincount(loc, weights=land_ha, minlength=n_locations) * scale


def returned(land_ha: np.ndarray, drawn_from_pool: np.ndarray, accessible_share: float
             ) -> np.ndarray:
    """Hectares (per agent project) that go back to the HCMC-accessible pool on release.

    A project that drew its land from the pool returns all of it. Land that a project of the
    initial stock occupied was never in the pool: once vacant, HCMC firms can reach only the
    accessible share of it, as of any vacant park land.
    """
    return np.where(drawn_from_pool, land_ha, land_ha * accessible_share)


def first_come(loc: np.ndarray, key: np.ndarray, licensed: np.ndarray, land_ha: np.ndarray,
               available: np.ndarray, scale: float) -> np.ndarray:
    """Projects granted land, first come first served, while each location's land lasts.

    Within a location, projects queue by licensing quarter (then by key); a project is granted
    land when the needs of everyone before it plus its own fit in what is available. A project
    that does not fit blocks the rest of the queue.

    Args:
        loc, key, licensed, land_ha: the waiting projects' location, entity key, licensing
            quarter and land need (ha per agent project).
        available: real hectares available per location.
        scale: real projects per agent project.

    Returns:
        Indices into the arguments of the projects granted land, in queue order.
    """
    order = np.lexsort((key, licensed, loc))
    where, need = loc[order], land_ha[order] * scale
    csum = np.cumsum(need)
    start = np.searchsorted(where, where, side="left")
    within = csum - (csum[start] - need[start])  # cumulative need within each location
    return order[within <= available[where]]


def congestion(claimed: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Share of a land pool held or queued for, in [0, 1]: ``claimed / (claimed + available)``.

    0 with free land and no queue, rising to 1 as the pool fills and projects wait (0 where
    there is no land at all).
    """
    total = claimed + np.maximum(available, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, claimed / total, 0.0)
