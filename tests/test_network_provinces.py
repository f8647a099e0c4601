"""Province–province layer: the weight matrix, row normalisation and spillover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix

from simulation.model.network import provinces

CODES = ["a", "b", "c"]


@pytest.mark.parametrize("combine", ["max", "sum"])
def test_weights_are_symmetric_and_combined_over_link_kinds(inputs, combine):
    codes = inputs.location_codes
    A = provinces.province_matrix(inputs.adjacency, codes, 1.0, 0.25,
                                  extra_pairs=[("bac_kan", "nghe_an")], extra_weight=0.5,
                                  combine=combine)
    D = A.toarray()
    np.testing.assert_array_equal(D, D.T)
    assert (np.diag(D) == 0).all()
    i = {c: k for k, c in enumerate(codes)}
    # border and regional
    assert D[i["thanh_hoa"], i["nghe_an"]] == (1.0 if combine == "max" else 1.25)
    assert D[i["thanh_hoa"], i["thua_thien_hue"]] == 0.25  # regional only
    assert D[i["bac_kan"], i["cao_bang"]] == 1.0  # border only
    assert D[i["nghe_an"], i["bac_kan"]] == 0.5  # the lever
    assert D[i["hcmc"], i["nghe_an"]] == 0.0
    if combine == "max":  # the model's short form
        base = provinces.adjacency(inputs.adjacency, codes, 1.0, 0.25).toarray()
        D[i["nghe_an"], i["bac_kan"]] = D[i["bac_kan"], i["nghe_an"]] = 0.0
        np.testing.assert_array_equal(base, D)


def test_bad_links_fail():
    adj = pd.DataFrame({"a": ["a"], "b": ["z"], "kind": ["border"]})
    with pytest.raises(ValueError, match="unknown location"):
        provinces.province_matrix(adj, CODES, 1, 1)
    with pytest.raises(ValueError, match="itself"):
        provinces.province_matrix(adj.assign(b="a"), CODES, 1, 1)
    with pytest.raises(ValueError, match="kind"):
        provinces.province_matrix(adj.assign(b="b", kind="river"), CODES, 1, 1)
    with pytest.raises(ValueError, match="≥ 0"):
        provinces.province_matrix(adj.assign(b="b"), CODES, -1, 1)
    with pytest.raises(ValueError, match="combine"):
        provinces.province_matrix(adj.assign(b="b"), CODES, 1, 1, combine="mean")


def test_row_normalised_rows_sum_to_one_or_zero():
    A = np.array([[0, 1, 3], [1, 0, 0], [3, 0, 0]], dtype=float)
    for M in (A, csr_matrix(A)):
        N = provinces.row_normalised(M)
        dense = N.toarray() if hasattr(N, "toarray") else N
        np.testing.assert_allclose(dense.sum(axis=1), [1, 1, 1])
        np.testing.assert_allclose(dense[0], [0, 0.25, 0.75])
    iso = provinces.row_normalised(csr_matrix(np.zeros((2, 2))))
    assert iso.toarray().sum() == 0


def test_spillover_equals_the_hand_computation_on_three_nodes():
    # a –1– b –2– c: Â rows a = (0, 1, 0), b = (1/3, 0, 2/3), c = (0, 1, 0)
    A = csr_matrix(np.array([[0, 1, 0], [1, 0, 2], [0, 2, 0]], dtype=float))
    An = provinces.row_normalised(A)
    x = np.array([[0.2, 0.0], [0.5, 1.0], [1.0, 0.0]])
    out = provinces.spillover(x, An, 0.5)
    # a: 0.2 + 0.5·0.5·0.8 ; b: 0.5 + 0.5·(0.2/3 + 2/3)·0.5 ; c: 1 (no gap left)
    np.testing.assert_allclose(out[:, 0], [0.4, 0.5 + 0.5 * (11 / 15) * 0.5, 1.0])
    # second column: a and c gain half their gap times b's value 1; b has no gap
    np.testing.assert_allclose(out[:, 1], [0.5, 1.0, 0.5])
    # firms × locations: same numbers along the other axis
    np.testing.assert_allclose(provinces.spillover(x.T, An, 0.5, location_axis=1), out.T)


def test_spillover_stays_in_the_unit_interval_and_never_lowers_x():
    rng = np.random.default_rng(5)
    W = rng.random((12, 12)) * (rng.random((12, 12)) < 0.4)
    An = provinces.row_normalised(csr_matrix(W + W.T))
    for sigma in (0.0, 0.3, 1.0):
        x = rng.random((12, 8)) ** 3
        x[rng.random(x.shape) < 0.2] = 1.0
        out = provinces.spillover(x, An, sigma)
        assert out.min() >= 0 and out.max() <= 1 and (out >= x).all()
    assert (provinces.spillover(x, An, 0.0) == x).all()
    with pytest.raises(ValueError, match="sigma"):
        provinces.spillover(x, An, 1.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        provinces.spillover(x + 1, An, 0.5)
