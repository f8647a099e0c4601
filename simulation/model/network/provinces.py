"""The province–province layer: shared borders and regional agreements as a sparse matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse


def adjacency(table: pd.DataFrame, codes: list[str], border_weight: float,
              regional_weight: float) -> sparse.csr_matrix:
    """(L, L) symmetric weights: a border weighs ``border_weight``, a regional agreement
    ``regional_weight``; a pair with both takes the larger."""
    index = {c: i for i, c in enumerate(codes)}
    a = table["a"].map(index).to_numpy()
    b = table["b"].map(index).to_numpy()
    w = np.where(table["kind"].to_numpy() == "border", border_weight, regional_weight)
    dense = np.zeros((len(codes), len(codes)))
    np.maximum.at(dense, (a, b), w)
    dense = np.maximum(dense, dense.T)
    return sparse.csr_matrix(dense)


def row_normalised(weights: sparse.spmatrix) -> sparse.csr_matrix:
    """Rows scaled to sum to 1 (rows without links stay 0)."""
    w = sparse.csr_matrix(weights, dtype=float)
    total = np.asarray(w.sum(axis=1)).ravel()
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    return sparse.diags(scale) @ w
