"""Network metrics per quarter as tidy rows: ``layer, node, metric, value``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse


def _rows(layer: str, nodes: list[str], metric: str, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"layer": layer, "node": nodes, "metric": metric,
                         "value": np.asarray(values, float)})


def cooperation(codes: list[str], W: np.ndarray, partner: np.ndarray, unit: np.ndarray,
                province_weights: sparse.spmatrix) -> pd.DataFrame:
    """Strength (sum of mean tie strength with HCMC and province links) and degree of each
    active unit on the cooperation layer (agreements + province links)."""
    units = np.unique(unit)
    agree = np.where(partner, W.mean(axis=1), 0.0)
    pw = sparse.csr_matrix(province_weights)
    strength = agree + np.asarray(pw.sum(axis=1)).ravel()
    degree = (agree > 0).astype(float) + np.diff(pw.indptr)
    names = [codes[u] for u in units]
    return pd.concat([_rows("cooperation", names, "strength", strength[units]),
                      _rows("cooperation", names, "degree", degree[units]),
                      _rows("agreement", names, "tie_strength", agree[units])],
                     ignore_index=True)


def peer_structure(adj: sparse.csr_matrix) -> pd.DataFrame:
    """Mean degree and global clustering (transitivity) of the peer graph.

    Transitivity ``3 × triangles / connected triples`` from sparse algebra: the triangles are
    ``Σ (A² ∘ A) / 6``, the triples ``Σ k(k − 1) / 2``.
    """
    n = adj.shape[0]
    deg = np.asarray(adj.sum(axis=1)).ravel()
    clustering = 0.0
    if n and adj.nnz:
        triangles = (adj @ adj).multiply(adj).sum() / 6.0
        triples = float((deg * (deg - 1)).sum() / 2.0)
        clustering = 3.0 * triangles / triples if triples > 0 else 0.0
    return pd.concat([_rows("peers", ["all"], "mean_degree", [deg.mean() if n else 0.0]),
                      _rows("peers", ["all"], "clustering", [clustering])], ignore_index=True)


def peer_reach(codes: list[str], adj: sparse.csr_matrix, presence: sparse.csr_matrix
               ) -> pd.DataFrame:
    """Per place, the share of firms with at least one peer operating there."""
    n = adj.shape[0]
    reach = (np.asarray(((adj @ presence) > 0).sum(axis=0)).ravel() / n if n and adj.nnz
             else np.zeros(len(codes)))
    return _rows("peers", codes, "share_with_peer_present", reach)
