"""The firm–firm peer layer: a configuration model with heavy-tailed degrees and homophily."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def target_degrees(n: int, mean: float, tail: float, rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed degrees: a discrete Pareto with CCDF exponent ``tail`` and the given mean,
    truncated at the structural cutoff ``sqrt(n · mean)``."""
    if mean <= 0 or n < 2:
        return np.zeros(n, np.int64)
    k_min = mean * (tail - 1.0) / tail
    raw = k_min * (1.0 - rng.random(n)) ** (-1.0 / tail)
    cutoff = max(np.sqrt(n * mean), 1.0)
    deg = np.minimum(raw, cutoff)
    deg *= mean / deg.mean()
    return np.floor(deg + rng.random(n)).astype(np.int64)


def _pair(stubs: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    stubs = rng.permutation(stubs)
    half = stubs.size // 2
    return stubs[:half], stubs[half:2 * half]


def peer_graph(sector: np.ndarray, mean_degree: float, tail_exponent: float,
               homophily: float, rng: np.random.Generator) -> sparse.csr_matrix:
    """(n, n) symmetric 0/1 adjacency, no self-loops or multi-edges.

    Each firm's stubs are matched within its own sector with probability ``homophily`` and
    with any firm otherwise (configuration model per block).
    """
    n = sector.size
    deg = target_degrees(n, mean_degree, tail_exponent, rng)
    stubs = np.repeat(np.arange(n), deg)
    within = rng.random(stubs.size) < homophily
    a_parts, b_parts = [], []
    inside = stubs[within]
    for s in np.unique(sector[inside]):
        a, b = _pair(inside[sector[inside] == s], rng)
        a_parts.append(a)
        b_parts.append(b)
    a, b = _pair(stubs[~within], rng)
    a_parts.append(a)
    b_parts.append(b)
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    return add_edges(sparse.csr_matrix((n, n)), a, b)


def add_edges(adj: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> sparse.csr_matrix:
    """The graph with the pairs (a, b) added (symmetric, deduplicated, no self-loops)."""
    keep = a != b
    a, b = a[keep], b[keep]
    n = adj.shape[0]
    new = sparse.csr_matrix((np.ones(2 * a.size), (np.concatenate([a, b]),
                                                   np.concatenate([b, a]))), shape=(n, n))
    out = (adj + new).tocsr()
    out.data[:] = 1.0
    return out


def peer_share(adj: sparse.csr_matrix, firms: np.ndarray, presence: sparse.csr_matrix,
               degree: np.ndarray) -> np.ndarray:
    """(len(firms), L) share of each firm's peers present in each place (0 without peers)."""
    counts = np.asarray((adj[firms] @ presence).todense())
    d = degree[firms][:, None]
    return np.divide(counts, d, out=np.zeros_like(counts), where=d > 0)
