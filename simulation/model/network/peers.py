"""The firm–firm peer layer among HCMC firms: sector associations and supplier relations.

A configuration model with heavy-tailed target degrees and sector homophily, generated with
vectorised numpy (no loop over firms) and returned as a symmetric 0/1 ``scipy.sparse`` CSR
matrix without self-loops or multi-edges.

Construction (all steps are deterministic given the generator):

1. Target degrees ``K_i = ⌊X_i⌋`` where ``X`` follows a Pareto law with complementary-CDF
   ``P(X ≥ x) ∝ x^(−α)`` (``α`` = ``tail_exponent``) truncated to ``[x_m, k_c]``. The structural
   cutoff ``k_c = √(n·k̄)`` (Boguñá, Pastor-Satorras & Vespignani 2004) keeps hubs from needing
   more distinct partners than a random graph can give them; the scale ``x_m`` is solved so that
   ``E[K]`` equals ``mean_degree`` exactly under the truncation.
2. Each of firm i's ``K_i`` stubs is a within-sector stub with probability ``homophily``
   (binomial draw per firm), so a share ``homophily`` of all ties is expected to join firms of
   the same sector.
3. Within-sector stubs are shuffled and paired inside their sector; across-sector stubs are
   shuffled and paired at random, then pairs that happen to join one sector are rewired by
   swapping partners with randomly chosen cross-sector pairs (a few vectorised rounds). A stub
   left without a valid partner (odd counts; a sector holding more than half of the across pool)
   is dropped.
4. Self-loops are dropped and multi-edges merged, so the realised mean degree is slightly below
   the target (the report of :func:`peer_stats` shows by how much).

Literature: customer/supplier link counts of Japanese firms have power-law tails with CCDF
exponents ≈ 1.0 (customers) and ≈ 1.5 (suppliers) and ~6.5 listed links per firm (Mizuno,
Souma & Watanabe, RIETI DP 15-E-056); association ties are mostly within the sector, supplier
ties mostly across sectors (Mattsson et al. 2021).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.sparse import csr_matrix, issparse

SWAP_ROUNDS = 30  # rewiring rounds for same-sector pairs drawn in the across-sector pool


def structural_cutoff(n: int, mean_degree: float) -> float:
    """Largest target degree ``√(n·k̄)``, at most ``n − 1`` (ties per firm)."""
    return float(min(np.sqrt(n * mean_degree), n - 1))


def _mean_floor(x_m: float, alpha: float, cutoff: float) -> float:
    """``E[⌊X⌋]`` for X Pareto(x_m, α) truncated at ``cutoff``: ``Σ_{k≥1} P(X ≥ k)``."""
    k = np.arange(1, int(np.floor(cutoff)) + 1, dtype=float)
    lo, hi = x_m ** -alpha, cutoff ** -alpha
    ccdf = np.where(k <= x_m, 1.0, (k ** -alpha - hi) / (lo - hi))
    return float(ccdf.sum())


def pareto_scale(mean_degree: float, tail_exponent: float, cutoff: float) -> float:
    """Scale ``x_m`` of the truncated Pareto law whose floored mean is ``mean_degree``.

    Args:
        mean_degree: Target mean degree ``k̄`` (ties per firm), ``0 < k̄ < ⌊cutoff⌋``.
        tail_exponent: CCDF exponent ``α > 0``.
        cutoff: Upper truncation ``k_c`` (ties per firm).

    Raises:
        ValueError: the mean cannot be reached under the cutoff.
    """
    if tail_exponent <= 0:
        raise ValueError(f"tail_exponent={tail_exponent} must be > 0")
    if not 0 < mean_degree < np.floor(cutoff):
        raise ValueError(f"mean_degree={mean_degree} must be in (0, {np.floor(cutoff):g}) for "
                         f"a degree cutoff of {cutoff:g}")
    return float(brentq(lambda x: _mean_floor(x, tail_exponent, cutoff) - mean_degree,
                        1e-9, cutoff * (1 - 1e-12), xtol=1e-10))


def target_degrees(n: int, mean_degree: float, tail_exponent: float, rng: np.random.Generator,
                   cutoff: float | None = None) -> np.ndarray:
    """Heavy-tailed target degrees ``K_i = ⌊X_i⌋``, X truncated Pareto (see module docstring).

    Args:
        n: Number of firms.
        mean_degree: Expected degree ``E[K]`` (ties per firm); 0 gives no ties.
        tail_exponent: CCDF exponent α of the tail (1–1.5 in firm networks).
        rng: Random generator (one stream of the run's seed).
        cutoff: Largest degree; default :func:`structural_cutoff`.

    Returns:
        Integer degrees, shape (n,).
    """
    if mean_degree == 0:
        return np.zeros(n, dtype=np.int64)  # the layer switched off by its size
    c = structural_cutoff(n, mean_degree) if cutoff is None else float(cutoff)
    x_m = pareto_scale(mean_degree, tail_exponent, c)
    lo, hi = x_m ** -tail_exponent, c ** -tail_exponent
    x = (lo - rng.random(n) * (lo - hi)) ** (-1.0 / tail_exponent)
    return np.floor(np.minimum(x, c)).astype(np.int64)


def _pair_within(owners: np.ndarray, sector: np.ndarray, n_sectors: int,
                 rng: np.random.Generator) -> np.ndarray:
    """Pair stubs inside their sector at random; returns (m, 2) owner pairs."""
    s = owners[rng.permutation(len(owners))]
    # sectors contiguous, random order inside (a stable sort: small integer codes sort by
    # radix, in the same order)
    codes = sector[s].astype(np.int16) if n_sectors <= np.iinfo(np.int16).max else sector[s]
    s = s[np.argsort(codes, kind="stable")]
    sec = sector[s]
    counts = np.bincount(sec, minlength=n_sectors)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    keep = (np.arange(len(s)) - start[sec]) < 2 * (counts[sec] // 2)  # drop an odd last stub
    return s[keep].reshape(-1, 2)


def _pair_across(owners: np.ndarray, sector: np.ndarray, rng: np.random.Generator
                 ) -> np.ndarray:
    """Pair stubs across sectors: random pairing, then swaps that remove same-sector pairs."""
    s = owners[rng.permutation(len(owners))]
    pairs = s[: 2 * (len(s) // 2)].reshape(-1, 2).copy()
    bad = np.flatnonzero(sector[pairs[:, 0]] == sector[pairs[:, 1]])
    for _ in range(SWAP_ROUNDS):
        if len(bad) == 0 or len(bad) == len(pairs):
            break
        # a random partner pair for each same-sector pair; keep the first claim on each
        other = rng.integers(0, len(pairs), len(bad))
        _, first = np.unique(other, return_index=True)
        claimed = np.zeros(len(bad), dtype=bool)
        claimed[first] = True
        u, v = pairs[bad, 0], pairs[bad, 1]
        x, y = pairs[other, 0], pairs[other, 1]
        ok = (claimed & (sector[x] != sector[y])  # the partner pair is itself across
              & (sector[u] != sector[x]) & (sector[v] != sector[y]))  # (u,x), (v,y) across
        pairs[bad[ok], 1], pairs[other[ok], 0] = x[ok], v[ok]
        bad = bad[~ok]
    return pairs[sector[pairs[:, 0]] != sector[pairs[:, 1]]]


def _symmetric(i: np.ndarray, j: np.ndarray, n: int) -> csr_matrix:
    """Symmetric 0/1 CSR matrix from undirected pairs: self-loops dropped, duplicates merged."""
    keep = i != j
    i, j = i[keep], j[keep]
    lo, hi = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    key = np.sort(lo * n + hi)
    key = key[np.concatenate([key[:1] == key[:1], key[1:] != key[:-1]])]  # unique, by sorting
    lo, hi = key // n, key % n
    # both directions of every pair, in row-major order: the CSR arrays directly (what
    # scipy makes of these coordinates, sorted, without its conversions)
    both = np.sort(np.concatenate([key, hi * n + lo]))
    rows, cols = both // n, both % n
    index = np.int32 if max(n, both.size) <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    adj = csr_matrix((np.ones(both.size), cols.astype(index), indptr), shape=(n, n))
    adj.has_sorted_indices = True
    return adj


def block_diagonal(blocks: list[csr_matrix]) -> csr_matrix:
    """``scipy.sparse.block_diag(blocks, format="csr")`` of CSR blocks: the same arrays.

    Made by offsetting each block's arrays (scipy goes through COO and sorts again).
    """
    n = np.cumsum([0] + [b.shape[0] for b in blocks])
    nnz = np.cumsum([0] + [b.nnz for b in blocks])
    dtype = np.int32 if max(int(n[-1]), int(nnz[-1])) <= np.iinfo(np.int32).max else np.int64
    indptr = np.concatenate([blocks[0].indptr[:1].astype(dtype)]
                            + [b.indptr[1:].astype(dtype) + nnz[i] for i, b in enumerate(blocks)])
    indices = np.concatenate([b.indices.astype(dtype) + n[i] for i, b in enumerate(blocks)])
    out = csr_matrix((np.concatenate([b.data for b in blocks]), indices, indptr),
                     shape=(int(n[-1]), int(n[-1])))
    out.has_sorted_indices = all(b.has_sorted_indices for b in blocks)
    return out


def peer_graph(sector: np.ndarray, mean_degree: float, tail_exponent: float, homophily: float,
               rng: np.random.Generator, cutoff: float | None = None) -> csr_matrix:
    """Random peer network of HCMC firms with heavy-tailed degrees and sector homophily.

    Args:
        sector: Sector of each firm, shape (n,), any labels (codes or integers).
        mean_degree: Target mean number of peers per firm ``k̄`` (ties per firm; 4–12).
        tail_exponent: CCDF exponent α of the degree distribution (1–1.5).
        homophily: Expected share of ties within the firm's own sector, in [0, 1].
        rng: Random generator, seeded by the caller from the run's seed.
        cutoff: Largest target degree; default ``√(n·k̄)``.

    Returns:
        Symmetric (n, n) CSR matrix with 1.0 for a tie, no self-loops, no multi-edges.

    Raises:
        ValueError: homophily outside [0, 1] or an unreachable mean degree.
    """
    if not 0.0 <= homophily <= 1.0:
        raise ValueError(f"homophily={homophily} must be in [0, 1]")
    _, code = np.unique(np.asarray(sector), return_inverse=True)
    code = code.reshape(-1).astype(np.int64)
    n = len(code)
    if n < 2:
        return csr_matrix((n, n))
    k = target_degrees(n, mean_degree, tail_exponent, rng, cutoff)
    k_in = rng.binomial(k, homophily)
    firm = np.arange(n, dtype=np.int64)
    within = _pair_within(np.repeat(firm, k_in), code, int(code.max()) + 1, rng)
    across = _pair_across(np.repeat(firm, k - k_in), code, rng)
    pairs = np.concatenate([within, across])
    return _symmetric(pairs[:, 0], pairs[:, 1], n)


def degrees(adj: csr_matrix) -> np.ndarray:
    """Number of peers of every firm, shape (n,)."""
    return np.diff(adj.indptr)


def peer_share(adj: csr_matrix, rows: np.ndarray, presence: np.ndarray | csr_matrix,
               degree: np.ndarray | None = None) -> np.ndarray:
    """Share of each firm's peers present in each location.

    Args:
        adj: Symmetric (n, n) 0/1 peer matrix.
        rows: Firms asked about (positions), shape (m,).
        presence: (n, L) boolean or 0/1 matrix (dense or sparse): firm has an operating
            project in the location.
        degree: Peers per firm (n,), if already at hand; default from ``adj``.

    Returns:
        ``peers_ip`` in [0, 1], shape (m, L); 0 for firms without peers.
    """
    rows = np.asarray(rows, dtype=np.int64)
    sub = adj[rows]
    pres = presence.astype(float) if issparse(presence) else np.asarray(presence, dtype=float)
    counts = sub @ pres
    counts = counts.toarray() if issparse(counts) else np.asarray(counts)
    deg = (np.diff(sub.indptr) if degree is None else np.asarray(degree)[rows])
    deg = deg.astype(float)[:, None]
    return np.divide(counts, deg, out=np.zeros_like(counts, dtype=float), where=deg > 0)


def add_edges(adj: csr_matrix, a: np.ndarray, b: np.ndarray) -> csr_matrix:
    """The peer matrix with ties ``a[k]–b[k]`` added (business-association lever).

    Args:
        adj: Symmetric (n, n) 0/1 peer matrix.
        a: Firm positions, shape (m,).
        b: Firm positions, shape (m,).

    Returns:
        New symmetric 0/1 CSR matrix; existing ties and self-pairs are ignored.
    """
    coo = adj.tocoo()
    i = np.concatenate([coo.row, np.asarray(a, dtype=np.int64)])
    j = np.concatenate([coo.col, np.asarray(b, dtype=np.int64)])
    return _symmetric(i, j, adj.shape[0])
