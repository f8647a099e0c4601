"""Local labour supply (MODEL_SPEC §7): hiring limited by a pool, wages rising as it tightens.

A place's pool is a share of its labour force that HCMC firms' projects can recruit (locals not
yet employed by them, plus in-migrants). Projects hire the soft minimum of what they want and
the pool; the local wage rises with the pool's tightness.
"""

import numpy as np


def fill_rate(demand: np.ndarray, pool: np.ndarray, sharpness: float) -> np.ndarray:
    """Share of wanted jobs filled: ``(1 + (demand/pool)^k)^(−1/k)`` in (0, 1].

    Hiring is then ``demand / (1 + (demand/pool)^k)^(1/k)``: close to ``demand`` while the pool
    is large, tending to ``pool`` as demand exceeds it; ``k`` sets how abrupt the transition is
    (k → ∞ is the hard minimum).

    Args:
        demand: (L,) direct jobs operating projects want, persons.
        pool: (L,) recruitable labour, persons (> 0).
        sharpness: k ≥ 1.
    """
    return (1.0 + (np.asarray(demand, float) / pool) ** sharpness) ** (-1.0 / sharpness)


def local_wage(base_wage: np.ndarray, demand: np.ndarray, pool: np.ndarray, response: float
               ) -> np.ndarray:
    """The local wage: ``w0·(1 + ω·demand/pool)``."""
    return base_wage * (1.0 + response * np.asarray(demand, float) / pool)
