"""The 1 July 2025 reform (MODEL_SPEC §13): how merged provinces combine their state.

Places (the choice alternatives: land, distance, wages, potential) stay as they were; what
merges is the administration: cooperation ties and agreements, budgets, DX, administrative
capacity, the industrial-park land pool, promotion and revenue retention. Each rule below takes
the members' values and returns the successor's, so a merger is a documented, testable step.
"""

import numpy as np


def weighted(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean of the members' indices (e.g. DX by GRDP, human capital by labour force).

    Summed elementwise rather than with a BLAS dot product, whose result can differ in the last
    bit between processor kernels (same seed ⇒ identical tables on any machine).
    """
    w = np.asarray(weights, float)
    return float((np.asarray(values, float) * w).sum() / w.sum())


def strongest(values: np.ndarray) -> np.ndarray:
    """Per cooperation field, the strongest member tie (``values`` is (members, C)).

    The successor inherits every agreement and the best relationship any member had built.
    """
    return np.max(np.asarray(values, float), axis=0)


def pooled(values: np.ndarray) -> float:
    """Stocks that add up: park land available, promotion stock."""
    return float(np.sum(values))


def successor_map(codes: list[str], new_codes: list[str], roles: list[str]) -> np.ndarray:
    """Index of each place's administrative unit after the reform.

    A place whose post-reform unit is another place of the model joins that place (Bắc Kạn →
    Thái Nguyên, Hà Nam → Ninh Bình, Quảng Bình → Quảng Trị, Bình Dương and Bà Rịa–Vũng Tàu →
    HCMC); a place whose unit is not a model place (a renamed one, e.g. Thừa Thiên Huế → Huế, or
    a composite) stays its own unit.
    """
    index = {c: i for i, c in enumerate(codes)}
    return np.array([index.get(n, i) if n != c else i
                     for i, (c, n) in enumerate(zip(codes, new_codes, strict=True))], dtype=int)
