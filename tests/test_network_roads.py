"""Road layer: shortest paths, expressway sections and the distance path over quarters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.errors import DataError
from simulation.model.network import roads
from simulation.timeline import parse_quarter

Q = parse_quarter("2023Q1")


@pytest.fixture
def toy():
    """O (origin) –10– J –5– A –8– B –4– C, and J –20– B: a cycle J–A–B.

    Shortest paths from O: A = 15 (O-J-A), B = 23 (O-J-A-B, not 30 via J-B), C = 27.
    """
    nodes = pd.DataFrame({"kind": ["capital", "junction", "capital", "capital", "capital"],
                          "location": ["o", "", "a", "b", "c"]},
                         index=pd.Index(["O", "J", "A", "B", "C"], name="node"))
    edges = pd.DataFrame({"a": ["O", "J", "J", "A", "B"], "b": ["J", "A", "B", "B", "C"],
                          "km": [10.0, 5.0, 20.0, 8.0, 4.0]})
    locations = pd.DataFrame({"role": ["origin", "partner", "partner", "partner"]},
                             index=pd.Index(["o", "a", "b", "c"], name="code"))
    return roads.RoadGraph.from_tables(nodes, edges, locations)


def sections(rows):
    return pd.DataFrame(rows, columns=["segment", "a", "b", "km_saved", "opening_q"])


def test_shortest_paths_on_a_toy_graph(toy):
    d = roads.distances(toy.matrix(), toy.capital[toy.origin], toy.capital)
    assert d.tolist() == [0.0, 15.0, 23.0, 27.0]
    uses = roads.route_edges(toy)
    assert uses.tolist() == [[False] * 5,
                             [True, True, False, False, False],
                             [True, True, False, True, False],
                             [True, True, False, True, True]]


def test_a_section_shortens_exactly_the_destinations_whose_path_uses_it(toy):
    s = sections([("JA", "J", "A", 3.0, Q), ("AB", "A", "B", 2.0, Q), ("BC", "C", "B", 1.5, Q),
                  ("JB", "J", "B", 2.0, Q)])
    base = roads.distances(toy.matrix(), 0, toy.capital)
    for k in range(len(s)):
        mask = np.arange(len(s)) == k
        eff = roads.effective_km(toy, s, mask)
        d = roads.distances(toy.matrix(eff), 0, toy.capital)
        on_path = roads.route_edges(toy)[:, roads.section_edges(toy, s)[k]]
        np.testing.assert_allclose(base - d, np.where(on_path, s["km_saved"][k], 0.0))
    # J-B saves 2 km but stays longer (18) than J-A-B (13): nobody gains
    assert roads.section_gains(toy, s)["segment"].tolist() == ["JA", "JA", "AB", "JA", "AB",
                                                               "BC"]


def test_distance_path_changes_only_at_openings_and_reruns_dijkstra_per_change(toy,
                                                                             monkeypatch):
    s = sections([("JA", "J", "A", 3.0, Q + 2), ("AB", "A", "B", 2.0, Q + 4),
                  ("JA2", "A", "J", 1.0, Q + 4)])
    calls = []
    real = roads.dijkstra
    monkeypatch.setattr(roads, "dijkstra", lambda *a, **k: calls.append(1) or real(*a, **k))
    quarters = np.arange(Q, Q + 7)
    d = roads.distance_path(toy, quarters, s)
    assert d.shape == (7, 4)
    expected = {Q: [0, 15, 23, 27], Q + 1: [0, 15, 23, 27], Q + 2: [0, 12, 20, 24],
                Q + 3: [0, 12, 20, 24], Q + 4: [0, 11, 17, 21], Q + 5: [0, 11, 17, 21],
                Q + 6: [0, 11, 17, 21]}
    np.testing.assert_allclose(d, [expected[q] for q in quarters])
    assert len(calls) == 3  # three distinct sets of open sections


def test_scenarios_move_or_remove_sections(toy):
    s = sections([("JA", "J", "A", 3.0, Q + 2)])
    quarters = np.arange(Q, Q + 4)
    earlier = roads.distance_path(toy, quarters, s.assign(opening_q=Q))
    assert (earlier[:, 1] == 12).all()
    none = roads.distance_path(toy, quarters, s.iloc[:0])
    assert (none[:, 1] == 15).all()
    with pytest.raises(ValueError, match="sections table"):
        roads.distance_path(toy, quarters)


def test_sections_that_save_the_whole_edge_or_miss_the_graph_fail(toy):
    with pytest.raises(ValueError, match="save less than"):
        roads.effective_km(toy, sections([("x", "J", "A", 5.0, Q)]), np.array([True]))
    with pytest.raises(ValueError, match="shortens no road edge"):
        roads.section_edges(toy, sections([("x", "O", "C", 1.0, Q)]))


def test_bad_road_tables_fail_with_one_line(toy):
    nodes = pd.DataFrame({"kind": ["capital", "capital"], "location": ["o", "a"]},
                         index=pd.Index(["O", "A"], name="node"))
    loc = pd.DataFrame({"role": ["origin", "partner"]}, index=["o", "a"])
    twice = pd.DataFrame({"a": ["O", "A"], "b": ["A", "O"], "km": [1.0, 2.0]})
    with pytest.raises(DataError, match="joined twice"):
        roads.RoadGraph.from_tables(nodes, twice, loc)
    cut = pd.DataFrame({"a": ["O"], "b": ["O"], "km": [1.0]})
    with pytest.raises(DataError, match="different nodes"):
        roads.RoadGraph.from_tables(nodes, cut, loc)
    far = pd.DataFrame({"kind": ["capital", "capital", "junction"], "location": ["o", "a", ""]},
                       index=["O", "A", "X"])
    with pytest.raises(DataError, match="no road from the origin to a"):
        roads.RoadGraph.from_tables(far, pd.DataFrame({"a": ["O"], "b": ["X"], "km": [1.0]}),
                                    loc)
    with pytest.raises(DataError, match="exactly one capital"):
        roads.RoadGraph.from_tables(nodes.iloc[:1], pd.DataFrame(columns=["a", "b", "km"]), loc)


# ------------------------------------------------------------------------ the shipped data


def test_each_shipped_section_shortens_only_the_routes_that_use_it(inputs):
    road = roads.RoadGraph.from_inputs(inputs)
    s = inputs.expressway
    base = roads.distances(road.matrix(), road.capital[road.origin], road.capital)
    uses = roads.route_edges(road)[:, roads.section_edges(road, s)]
    for k in range(len(s)):
        eff = roads.effective_km(road, s, np.arange(len(s)) == k)
        d = roads.distances(road.matrix(eff), road.capital[road.origin], road.capital)
        np.testing.assert_allclose(base - d, np.where(uses[:, k], s["km_saved"].iloc[k], 0.0),
                                   atol=1e-9, err_msg=s["segment"].iloc[k])


def test_shipped_distance_path_around_the_2023q2_openings(inputs):
    codes = inputs.location_codes
    quarters = np.arange(parse_quarter("2020Q1"), parse_quarter("2030Q4") + 1)
    d = pd.DataFrame(roads.distance_path(inputs, quarters), index=quarters, columns=codes)
    assert (d["hcmc"] == 0).all()
    assert (d.diff().iloc[1:] <= 1e-9).all().all()  # sections only open: never longer
    before, after = d.loc[parse_quarter("2023Q1")], d.loc[parse_quarter("2023Q2")]
    # 2023Q2: Dầu Giây–Phan Thiết 57.7, Phan Thiết–Vĩnh Hảo 37.8, Cam Lâm–Nha Trang 18.4 on
    # the way to the central composite (via Nha Trang); QL45–Mai Sơn 37.0 only further north
    assert before["central"] - after["central"] == pytest.approx(57.7 + 37.8 + 18.4)
    assert before["ha_nam"] - after["ha_nam"] == pytest.approx(57.7 + 37.8 + 18.4 + 37.0)
    assert before["thanh_hoa"] - after["thanh_hoa"] == pytest.approx(57.7 + 37.8 + 18.4)
    for code in ("binh_duong", "ba_ria_vung_tau", "south_near"):
        assert (d[code] == d[code].iloc[0]).all()  # no section on these routes
    # plain road km (no section) = the sum of the QL1A km along the coast, e.g. Thanh Hóa
    plain = roads.distance_path(inputs, quarters[:1], inputs.expressway.iloc[:0])[0]
    assert plain[codes.index("thanh_hoa")] == pytest.approx(
        70 + 118 + 147 + 104 + 121 + 97 + 178 + 63 + 62 + 105 + 74 + 92 + 148 + 49 + 138)
