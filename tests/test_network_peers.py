"""Firm–firm peer layer: the random graph, peers' presence and added ties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from simulation.model.network import peers
from simulation.model.network.metrics import peer_stats

N = 20_000


def sectors(n=N, seed=0):
    # unequal sector sizes, like the opportunity shares of the seven sectors
    share = np.array([0.25, 0.1, 0.15, 0.15, 0.05, 0.2, 0.1])
    return np.random.default_rng(seed).choice(7, size=n, p=share)


def same(a, b):
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


def test_same_seed_same_graph_other_seed_other_graph():
    s = sectors()
    g1 = peers.peer_graph(s, 8, 1.25, 0.3, np.random.default_rng(42))
    g2 = peers.peer_graph(s, 8, 1.25, 0.3, np.random.default_rng(42))
    g3 = peers.peer_graph(s, 8, 1.25, 0.3, np.random.default_rng(43))
    assert same(g1, g2)
    assert not same(g1, g3)


@pytest.mark.parametrize("homophily", [0.0, 0.3, 0.7, 1.0])
def test_simple_symmetric_graph_with_target_mean_degree_and_homophily(homophily):
    s = sectors()
    g = peers.peer_graph(s, 8, 1.25, homophily, np.random.default_rng(1))
    assert g.shape == (N, N) and (g != g.T).nnz == 0
    assert g.diagonal().sum() == 0
    assert set(np.unique(g.data)) == {1.0}  # 0/1: no multi-edges
    stats = peer_stats(g, s)
    # self-loops and repeated pairs are dropped: the realised mean is 1–5 % below the target
    # (more when all ties stay inside the small sectors)
    assert 7.5 <= stats["mean_degree"] <= 8.0
    assert stats["max_degree"] <= peers.structural_cutoff(N, 8)
    assert stats["homophily"] == pytest.approx(homophily, abs=0.015)


def test_target_degrees_have_the_mean_and_the_ccdf_tail_asked_for():
    rng = np.random.default_rng(7)
    n = 1_000_000
    for alpha in (1.0, 1.5):
        k = peers.target_degrees(n, 8.0, alpha, rng)
        assert k.mean() == pytest.approx(8.0, rel=0.01)
        assert k.max() <= peers.structural_cutoff(n, 8.0)
        # CCDF slope between k = 20 and 400 (well inside the cutoff 2828) is −α
        grid = np.array([20, 40, 80, 160, 400])
        ccdf = np.array([(k >= g).mean() for g in grid])
        slope = np.polyfit(np.log(grid), np.log(ccdf), 1)[0]
        assert slope == pytest.approx(-alpha, abs=0.1)


def test_mean_degree_zero_gives_no_ties():
    g = peers.peer_graph(sectors(100), 0.0, 1.25, 0.3, np.random.default_rng(0))
    assert g.shape == (100, 100) and g.nnz == 0


def test_unreachable_parameters_fail():
    with pytest.raises(ValueError, match="homophily"):
        peers.peer_graph(sectors(100), 8, 1.25, 1.2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="mean_degree"):
        peers.peer_graph(sectors(100), 120, 1.25, 0.3, np.random.default_rng(0))  # > n − 1


def hand_graph():
    # ties 0–1, 0–2, 1–2, 2–3; firm 4 has no peers
    i, j = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    return csr_matrix((np.ones(8), (np.r_[i, j], np.r_[j, i])), shape=(5, 5))


def test_peer_share_against_the_closed_form():
    presence = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [1, 1]], dtype=bool)
    out = peers.peer_share(hand_graph(), np.array([0, 2, 3, 4]), presence)
    # firm 0: peers {1, 2}; firm 2: peers {0, 1, 3}; firm 3: peer {2}; firm 4: none
    np.testing.assert_allclose(out, [[2 / 2, 1 / 2], [1 / 3, 1 / 3], [1, 1], [0, 0]])
    sparse = peers.peer_share(hand_graph(), np.array([0, 2, 3, 4]), csr_matrix(presence))
    np.testing.assert_allclose(sparse, out)


def test_add_edges_adds_symmetric_ties_once():
    g = peers.add_edges(hand_graph(), np.array([0, 4, 1, 3]), np.array([1, 3, 1, 4]))
    # 0–1 existed, 4–3 added once (twice given), 1–1 ignored
    assert g.nnz == hand_graph().nnz + 2 and (g != g.T).nnz == 0
    assert g[3, 4] == 1 and g.diagonal().sum() == 0 and set(g.data) == {1.0}
    assert peers.degrees(g).tolist() == [2, 2, 3, 2, 1]


def test_block_diagonal_is_scipys():
    """A batch's peer graphs side by side: the arrays of scipy's block_diag, made faster."""
    from scipy import sparse

    from simulation.model.network.peers import block_diagonal

    rng = np.random.default_rng(3)
    blocks = [peers.peer_graph(rng.integers(0, 6, n), 6.0, 1.3, 0.5, rng)
              for n in (500, 800, 300)]
    got, want = block_diagonal(blocks), sparse.block_diag(blocks, format="csr")
    assert got.shape == want.shape and got.has_sorted_indices == want.has_sorted_indices
    for a in ("indptr", "indices", "data"):
        x, y = getattr(got, a), getattr(want, a)
        assert x.dtype == y.dtype and np.array_equal(x, y), a


@pytest.mark.parametrize("n, m", [(2, 0), (2, 10), (5, 25), (100, 500), (20000, 100000)])
def test_symmetric_matrix_is_scipys_of_the_same_pairs(n, m):
    """The peer matrix is built as CSR arrays directly: the same arrays and dtypes as scipy's
    conversion of both directions of the unique pairs (self-loops dropped), sorted."""
    from scipy.sparse import csr_matrix

    from simulation.model.network.peers import _symmetric

    rng = np.random.default_rng(n + m)
    i, j = rng.integers(0, n, m), rng.integers(0, n, m)
    got = _symmetric(i, j, n)
    keep = i != j
    key = np.unique(np.minimum(i[keep], j[keep]).astype(np.int64) * n
                    + np.maximum(i[keep], j[keep]))
    lo, hi = key // n, key % n
    want = csr_matrix((np.ones(2 * lo.size), (np.concatenate([lo, hi]),
                                              np.concatenate([hi, lo]))), shape=(n, n))
    want.sort_indices()
    for part in ("indptr", "indices", "data"):
        a, b = getattr(got, part), getattr(want, part)
        assert a.dtype == b.dtype and np.array_equal(a, b), part
    assert got.has_sorted_indices
