"""Graph metrics: equal to networkx's own on small graphs, tidy rows, cheap calls."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix

from simulation.model.network import metrics, peers, province_matrix
from simulation.model.network.roads import RoadGraph


def nx_betweenness(M):
    g = nx.from_numpy_array(M)
    b = nx.betweenness_centrality(g, weight="weight")
    return np.array([b[i] for i in range(len(M))])


@pytest.mark.parametrize("seed", range(6))
def test_betweenness_equals_networkx(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 25))
    g = nx.gnm_random_graph(n, int(rng.integers(n - 1, 3 * n)), seed=seed)  # maybe disconnected
    M = nx.to_numpy_array(g)
    # integer lengths create many ties between equally short paths
    M = np.triu(M * rng.integers(1, 4, M.shape), 1)
    M = M + M.T
    np.testing.assert_allclose(metrics.betweenness(M), nx_betweenness(M), atol=1e-12)


def test_betweenness_of_a_star_and_a_path():
    star = np.zeros((5, 5))
    star[0, 1:] = star[1:, 0] = 2.0
    np.testing.assert_allclose(metrics.betweenness(star), [1, 0, 0, 0, 0])
    path = np.diag(np.ones(3), 1)
    path = path + path.T  # 0–1–2–3: node 1 lies between 0–2 and 0–3, i.e. 2 of 3 pairs
    np.testing.assert_allclose(metrics.betweenness(path), [0, 2 / 3, 2 / 3, 0])


def test_transitivity_equals_networkx():
    for g in (nx.powerlaw_cluster_graph(500, 4, 0.5, seed=1), nx.karate_club_graph(),
              nx.complete_graph(6), nx.path_graph(5)):
        A = csr_matrix(nx.to_scipy_sparse_array(g, weight=None, dtype=float))
        assert metrics.transitivity(A) == pytest.approx(nx.transitivity(g), abs=1e-12)
    s = np.random.default_rng(0).integers(0, 7, 3000)
    A = peers.peer_graph(s, 8, 1.25, 0.3, np.random.default_rng(0))
    assert metrics.transitivity(A) == pytest.approx(
        nx.transitivity(nx.from_scipy_sparse_array(A)), abs=1e-12)


def test_cooperation_rows_equal_networkx_on_a_toy_layer():
    # origin 0 with agreements to 1 (0.5) and 2 (0.25); province links 1–2 (1.0), 2–3 (2.0)
    province = csr_matrix(np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 2], [0, 0, 2, 0]],
                                   dtype=float))
    C = metrics.cooperation_matrix(np.array([0.9, 0.5, 0.25, 0.0]), province, origin=0)
    rows = metrics.location_rows("2024Q3", ["o", "a", "b", "c"], C, None)
    assert list(rows.columns) == list(metrics.COLUMNS)
    assert (rows["quarter"] == "2024Q3").all() and (rows["layer"] == "cooperation").all()
    val = rows.set_index(["node", "metric"])["value"]
    g = nx.from_numpy_array(C)
    for *_, d in g.edges(data=True):
        d["length"] = 1.0 / d["weight"]
    bet = nx.betweenness_centrality(g, weight="length")
    for i, code in enumerate("oabc"):
        assert val[(code, "degree")] == g.degree(i)
        assert val[(code, "strength")] == pytest.approx(g.degree(i, weight="weight"))
        assert val[(code, "betweenness")] == pytest.approx(bet[i])
    assert val[("b", "strength")] == 0.25 + 1.0 + 2.0


def test_cooperation_rows_of_units_after_a_merger_equal_networkx():
    # places o, a, b, c; b has merged into a's unit; links a–c (1) and b–c (2) → a–c 3
    province = np.zeros((4, 4))
    province[1, 3] = province[3, 1] = 1.0
    province[2, 3] = province[3, 2] = 2.0
    W = np.array([[0.0, 0.0], [0.4, 0.6], [0.9, 0.9], [0.25, 0.25]])
    partner = np.array([False, True, False, True])
    rows = metrics.cooperation(["o", "a", "b", "c"], W, partner, np.array([0, 1, 1, 3]),
                               csr_matrix(province))
    assert set(rows["node"]) == {"o", "a", "c"}
    val = rows.set_index(["layer", "node", "metric"])["value"]
    g = nx.Graph()
    g.add_weighted_edges_from([("o", "a", 0.5), ("o", "c", 0.25), ("a", "c", 3.0)])
    for *_, d in g.edges(data=True):
        d["length"] = 1.0 / d["weight"]
    bet = nx.betweenness_centrality(g, weight="length")
    for code in "oac":
        assert val[("cooperation", code, "degree")] == g.degree(code)
        assert val[("cooperation", code, "strength")] == pytest.approx(
            g.degree(code, weight="weight"))
        assert val[("cooperation", code, "betweenness")] == pytest.approx(bet[code])
    assert val[("agreement", "a", "tie_strength")] == 0.5
    assert val[("agreement", "o", "tie_strength")] == 0.0
    stamped = metrics.stamp(rows, 8101)
    assert list(stamped.columns) == list(metrics.COLUMNS) and stamped["quarter"][0] == "2025Q2"


def test_location_metrics_on_the_shipped_layers(inputs):
    road = RoadGraph.from_inputs(inputs)
    codes = inputs.location_codes
    lm = metrics.LocationMetrics(road)
    A = province_matrix(inputs.adjacency, codes, 1.0, 0.5)
    strength = np.linspace(0, 0.5, len(codes))
    rows = lm(8092, strength, A, road.km)
    assert rows["quarter"].iloc[0] == "2023Q1"
    assert len(rows) == 4 * len(codes) and not rows["value"].isna().any()
    assert lm.road_betweenness(road.km) is lm.road_betweenness(road.km.copy())  # cached
    assert lm.road_rows(road.km)["value"].tolist() == rows["value"].tolist()[-len(codes):]
    g = nx.Graph()
    for a, b, km in zip(road.a, road.b, road.km, strict=True):
        g.add_edge(int(a), int(b), weight=km)
    ref = nx.betweenness_centrality(g, weight="weight")
    got = rows[rows["layer"] == "road"].set_index("node")["value"]
    for code, node in zip(codes, road.capital, strict=True):
        assert got[code] == pytest.approx(ref[int(node)], abs=1e-12)
    assert got["ha_tinh"] > 0.2 and got["cao_bang"] == 0  # on the corridor / a dead end


def test_peer_rows_closed_form():
    i, j = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    adj = csr_matrix((np.ones(8), (np.r_[i, j], np.r_[j, i])), shape=(5, 5))
    presence = np.array([[0, 0], [0, 0], [1, 0], [0, 0], [0, 1]], dtype=bool)
    rows = metrics.peer_rows(8100, adj, presence, ["x", "y"])
    assert (rows["layer"] == "peers").all() and list(rows.columns) == list(metrics.COLUMNS)
    rows = rows.set_index(["node", "metric"])
    v = rows["value"]
    assert v[("all", "mean_degree")] == 8 / 5 and v[("all", "max_degree")] == 3
    # one triangle 0-1-2; connected triples: Σ k(k−1)/2 = 1 + 1 + 3 + 0 = 5
    assert v[("all", "clustering")] == pytest.approx(3 / 5)
    # firms with a peer in x: 0, 1, 3 (peers of firm 2); in y: nobody (firm 4 has no peers)
    assert v[("x", "share_with_peer_present")] == 3 / 5
    assert v[("y", "share_with_peer_present")] == 0.0
    assert isinstance(rows.reset_index(), pd.DataFrame)
