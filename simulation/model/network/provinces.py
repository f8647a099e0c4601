"""The province–province layer: shared borders, regional cooperation and partner agreements.

Locations are linked by a symmetric sparse (L, L) weight matrix: a shared border contributes
``border_weight``, a regional cooperation link ``regional_weight``, and a partner–partner
agreement (a policy lever) ``extra_weight``; a pair linked several ways takes the largest weight
(``combine="max"``, the default) or their sum (``combine="sum"``: each channel counts). Tie
strength and investors' experience spill over along the row-normalised matrix with
:func:`spillover`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, diags, issparse

KINDS = ("border", "regional")

Matrix = csr_matrix | np.ndarray


def province_matrix(adjacency: pd.DataFrame, codes: Sequence[str], border_weight: float,
                    regional_weight: float, extra_pairs: Iterable[tuple[str, str]] = (),
                    extra_weight: float = 0.0, combine: str = "max") -> csr_matrix:
    """Symmetric (L, L) weight matrix of the province–province layer.

    Args:
        adjacency: Links ``a, b, kind`` with ``kind`` in ``border`` or ``regional``.
        codes: Location codes in model order (rows and columns).
        border_weight: Weight of a shared border (≥ 0, unitless).
        regional_weight: Weight of a regional cooperation link (≥ 0, unitless).
        extra_pairs: Partner–partner agreements (lever) as ``(a, b)`` location codes.
        extra_weight: Weight of each extra pair (≥ 0, unitless).
        combine: ``max`` or ``sum``: the weight of a pair linked several ways (e.g. a border
            and a regional agreement).

    Returns:
        CSR matrix with zero diagonal.

    Raises:
        ValueError: a negative weight, an unknown code, kind or ``combine``, or a self-link.
    """
    if combine not in ("max", "sum"):
        raise ValueError(f"combine={combine!r} must be 'max' or 'sum'")
    if min(border_weight, regional_weight, extra_weight) < 0:
        raise ValueError("province-layer weights must be ≥ 0")
    index = {str(c): i for i, c in enumerate(codes)}
    kinds = set(adjacency["kind"]) - set(KINDS)
    if kinds:
        raise ValueError(f"unknown link kind(s) {sorted(kinds)}; allowed: {', '.join(KINDS)}")
    weight = np.where(adjacency["kind"].to_numpy() == "border", border_weight, regional_weight)
    if "weight" in adjacency:  # explicit weights (a network read from a graph file) win
        given = pd.to_numeric(adjacency["weight"], errors="coerce").to_numpy(float)
        weight = np.where(np.isnan(given), weight, given)
    extra = list(extra_pairs)
    a = [*adjacency["a"], *(p[0] for p in extra)]
    b = [*adjacency["b"], *(p[1] for p in extra)]
    w = np.concatenate([weight, np.full(len(extra), float(extra_weight))])
    unknown = sorted({str(x) for x in (*a, *b)} - set(index))
    if unknown:
        raise ValueError(f"unknown location(s) {', '.join(unknown)} in the province layer")
    i = np.array([index[str(x)] for x in a], dtype=np.int64)
    j = np.array([index[str(x)] for x in b], dtype=np.int64)
    if (i == j).any():
        raise ValueError("a location cannot be linked to itself")
    dense = np.zeros((len(index), len(index)))
    (np.maximum if combine == "max" else np.add).at(dense, (np.r_[i, j], np.r_[j, i]),
                                                   np.r_[w, w])
    return csr_matrix(dense)


def adjacency(table: pd.DataFrame, codes: Sequence[str], border_weight: float,
              regional_weight: float) -> csr_matrix:
    """Weights of the data's borders and regional links, the larger one for a pair with both.

    The short form of :func:`province_matrix` that the model's layers call.
    """
    return province_matrix(table, codes, border_weight, regional_weight)


def row_normalised(A: Matrix) -> Matrix:
    """Each row divided by its sum (rows summing to 0 stay 0): a row-stochastic matrix.

    Args:
        A: Non-negative (L, L) weight matrix, sparse or dense.

    Returns:
        The same kind of matrix (CSR or ndarray).
    """
    rs = np.asarray(A.sum(axis=1)).reshape(-1)
    inv = np.divide(1.0, rs, out=np.zeros_like(rs, dtype=float), where=rs > 0)
    if issparse(A):
        return csr_matrix(diags(inv) @ A)
    return np.asarray(A, dtype=float) * inv[:, None]


def spillover(x: np.ndarray, A_norm: Matrix, sigma: float, location_axis: int = 0
              ) -> np.ndarray:
    """Spill a [0, 1] quantity over the province layer: ``x + σ·(Â x)·(1 − x)``.

    The neighbours' weighted mean ``Â x`` (``Â`` row-stochastic) closes a share ``σ`` of the gap
    ``1 − x``, so the result stays in [0, 1], never falls below ``x`` and is unchanged where a
    location has no neighbours or its neighbours are at 0.

    Args:
        x: Values in [0, 1]. With ``location_axis=0`` shape (L, C) (locations × fields or
            sectors, e.g. tie strength ``W``); with ``location_axis=1`` shape (n, L) (firms ×
            locations, e.g. experience), where the neighbours' mean is ``x Âᵀ``.
        A_norm: Row-normalised (L, L) matrix from :func:`row_normalised`.
        sigma: Spillover share σ in [0, 1].
        location_axis: Axis of ``x`` that indexes locations (0 or 1).

    Returns:
        The effective values, same shape as ``x``.

    Raises:
        ValueError: σ outside [0, 1], ``x`` outside [0, 1] or a bad axis.
    """
    if not 0.0 <= sigma <= 1.0:
        raise ValueError(f"spillover share sigma={sigma} must be in [0, 1]")
    x = np.asarray(x, dtype=float)
    if x.size and (x.min() < 0.0 or x.max() > 1.0):
        raise ValueError("spillover needs x in [0, 1]")
    if location_axis == 0:
        mean = A_norm @ x
    elif location_axis == 1:
        mean = (A_norm @ x.T).T
    else:
        raise ValueError(f"location_axis={location_axis} must be 0 or 1")
    out = x + sigma * np.asarray(mean) * (1.0 - x)
    return np.clip(out, 0.0, 1.0, out=out)  # rounding only: the algebra keeps [0, 1]
