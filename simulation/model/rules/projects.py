"""A new project (MODEL_SPEC §5): its size, modern-technology flag and construction time.

Each takes the project's own uniform draws (counter-based, so the same firm in the same quarter
draws the same numbers in every scenario).
"""

import numpy as np


def size(firm_capital: np.ndarray, size_factor: np.ndarray, size_scale: float, sigma: float,
         z: np.ndarray, size_max: np.ndarray) -> np.ndarray:
    """Registered capital ``K_j = K_i · κ_s · scale · lognormal``, truncated at the sector maximum.

    The lognormal factor ``exp(σ·z − σ²/2)`` has mean 1, so ``σ`` spreads sizes without moving
    the mean (before truncation).

    Args:
        firm_capital: capital of the investing firms (bn VND).
        size_factor: κ of each project's sector.
        size_scale: calibrated overall scale.
        sigma: log-scale dispersion.
        z: one standard normal draw per project.
        size_max: sector maximum (bn VND).
    """
    k = firm_capital * size_factor * size_scale * np.exp(sigma * z - 0.5 * sigma**2)
    return np.minimum(k, size_max)


def modern_probability(info: np.ndarray, human_capital: np.ndarray, st_ties: np.ndarray,
                       base: float, info_effect: float, human_effect: float, st_effect: float
                       ) -> np.ndarray:
    """Logistic probability that a new project uses modern technology.

    It rises with information access, human capital and science-and-technology ties, so few
    large modern projects emerge.
    """
    z = base + info_effect * info + human_effect * human_capital + st_effect * st_ties
    return 1.0 / (1.0 + np.exp(-z))


def build_quarters(mean: np.ndarray, sigma: float, z: np.ndarray) -> np.ndarray:
    """Construction time in whole quarters, at least 1: ``rint(mean · exp(σ·z))``."""
    return np.maximum(1, np.rint(mean * np.exp(sigma * z))).astype(np.int64)
