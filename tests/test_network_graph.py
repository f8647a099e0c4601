"""The multilayer networkx view: layers, syncing from arrays, GraphML round trips."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix

from simulation.errors import DataError
from simulation.model.network import (
    build_graph,
    peers_to_graphml,
    province_matrix,
    sync_agreements,
    sync_graph,
    sync_roads,
    to_graphml,
)
from simulation.model.network.graph import layer_view, read_graphml, tables


def layer_edges(g, layer):
    return [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == layer]


@pytest.fixture
def g(inputs):
    return build_graph(inputs, inputs.field_codes)


def test_nodes_and_the_three_layers(inputs, g):
    junctions = (inputs.road_nodes["kind"] == "junction").sum()
    assert g.number_of_nodes() == len(inputs.locations) + junctions
    assert g.nodes["nghe_an"]["road_node"] == "vinh" and g.nodes["nghe_an"]["role"] == "partner"
    assert g.nodes["da_nang"]["kind"] == "junction"
    partners = set(inputs.locations.index[inputs.locations["role"] == "partner"])
    assert {v for _, v, _ in layer_edges(g, "agreement")} == partners
    pairs = {frozenset(p) for p in zip(inputs.adjacency["a"], inputs.adjacency["b"],
                                       strict=True)}
    assert {frozenset((u, v)) for u, v, _ in layer_edges(g, "province")} == pairs
    assert g.edges["thanh_hoa", "nghe_an", "province"]["kind"] == "border+regional"
    assert g.edges["thanh_hoa", "nghe_an", "province"]["weight"] == 1.0  # the larger of two
    road = layer_edges(g, "road")
    assert len(road) == len(inputs.road_edges)
    assert g.edges["nghe_an", "thanh_hoa", "road"]["km"] == 138.0  # Vinh–Thanh Hóa
    assert all(d["layer"] == k for _, _, k, d in g.edges(keys=True, data=True))


def test_the_former_interface_still_builds_the_agreement_layer(inputs):
    old = build_graph(inputs.locations, inputs.field_codes)
    assert old.number_of_edges() == 9 and sync_graph is sync_agreements
    assert set(old.edges["hcmc", "nghe_an", "agreement"]["strength"]) == set(inputs.field_codes)


def test_sync_copies_arrays_and_adds_successor_units(inputs, g):
    codes, fields = inputs.location_codes, inputs.field_codes
    W = np.zeros((len(codes), len(fields)))
    levels = np.zeros_like(W, dtype=int)
    W[codes.index("nghe_an")] = np.linspace(0, 0.7, len(fields))
    levels[codes.index("nghe_an"), 2] = 3
    W[codes.index("thai_nguyen"), 0] = 0.2  # a successor unit gains a tie after 2025
    sync_agreements(g, codes, fields, W, levels)
    edge = g.edges["hcmc", "nghe_an", "agreement"]
    assert edge["strength"] == dict(zip(fields, np.linspace(0, 0.7, len(fields)), strict=True))
    assert edge["level"][fields[2]] == 3 and edge["mean_strength"] == pytest.approx(0.35)
    assert g.edges["hcmc", "thai_nguyen", "agreement"]["strength"][fields[0]] == 0.2
    assert len(layer_edges(g, "agreement")) == 10
    eff = inputs.road_edges["km"].to_numpy() - 1.0
    sync_roads(g, eff)
    assert g.edges["nghe_an", "thanh_hoa", "road"]["effective_km"] == 137.0


def _merged(inputs):
    """Places the 2025 reform dissolves into another model location: place → successor."""
    loc = inputs.locations
    return {str(c): str(n) for c, n in zip(loc.index, loc["new_code"], strict=True)
            if n != c and n in loc.index}


def _after_reform(inputs, g):
    """Sync the graph as the model does after the reform: partner units' ties, merged gone."""
    codes, fields = inputs.location_codes, inputs.field_codes
    merged = _merged(inputs)
    exists = np.array([c not in merged for c in codes])
    partner_units = {merged.get(c, c) for c in inputs.locations.index[
        inputs.locations["role"] == "partner"]}
    rng = np.random.default_rng(1)
    W = np.zeros((len(codes), len(fields)))
    rows = [codes.index(c) for c in partner_units]
    W[rows] = rng.uniform(0.05, 0.6, (len(rows), len(fields)))
    levels = (W > 0.3).astype(int) + (W > 0.5)
    sync_agreements(g, codes, fields, W, levels, exists)
    return merged, partner_units


def test_sync_marks_each_place_with_its_unit_and_whether_it_is_a_partner_now(inputs, g):
    partners = set(inputs.locations.index[inputs.locations["role"] == "partner"])
    assert {n for n, d in g.nodes(data=True) if d.get("partner_now")} == partners  # before
    merged, partner_units = _after_reform(inputs, g)
    assert merged["bac_kan"] == "thai_nguyen" and merged["binh_duong"] == "hcmc"
    for code in inputs.location_codes:
        node = g.nodes[code]
        assert node["unit"] == merged.get(code, code), code
        assert node["successor"] == merged.get(code, code), code
        assert node["partner_now"] == (code in partner_units), code
    assert g.nodes["thai_nguyen"]["partner_now"] and not g.nodes["bac_kan"]["partner_now"]
    assert {v for _, v, _ in layer_edges(g, "agreement")} == partner_units
    assert g.nodes["thua_thien_hue"]["unit"] == "thua_thien_hue"  # renamed, not merged


def _sorted(t):
    if "u" not in t:  # nodes
        return t.sort_index()[sorted(t.columns)]
    return (t.assign(pair=t["u"] + "|" + t["v"]).set_index("pair").sort_index()
            [sorted(t.columns)])


def test_tables_of_the_graph_read_back_from_graphml_equal_the_live_ones(inputs, g, tmp_path):
    A = province_matrix(inputs.adjacency, inputs.location_codes, 1.0, 0.5)
    g = build_graph(inputs, inputs.field_codes, A, inputs.road_edges["km"].to_numpy() * 0.9)
    _after_reform(inputs, g)
    live = tables(g)
    back = tables(read_graphml(to_graphml(g, tmp_path / "network.graphml")))
    assert set(back) == set(live) == {"nodes", "road", "province", "agreement"}
    for name in live:
        pd.testing.assert_frame_equal(_sorted(back[name]), _sorted(live[name]),
                                      check_dtype=False, obj=name)
    agreement = live["agreement"].set_index("v")
    for v, d in ((v, d) for _, v, k, d in g.edges(keys=True, data=True) if k == "agreement"):
        assert agreement.at[v, "level_max"] == max(d["level"].values())
    assert live["agreement"]["u"].eq("hcmc").all()


def test_a_file_that_is_not_graphml_is_one_clear_error(tmp_path):
    bad = tmp_path / "network.graphml"
    bad.write_text("not xml")
    with pytest.raises(DataError, match="network.graphml: cannot read GraphML"):
        read_graphml(bad)


def test_graphml_round_trip_keeps_nodes_edges_and_attributes(inputs, g, tmp_path):
    codes, fields = inputs.location_codes, inputs.field_codes
    rng = np.random.default_rng(0)
    sync_agreements(g, codes, fields, rng.random((len(codes), len(fields))) * 0.5,
                    rng.integers(0, 4, (len(codes), len(fields))))
    path = to_graphml(g, tmp_path / "network.graphml")
    assert path.read_text().count('<edge ') == g.number_of_edges()
    back = nx.read_graphml(path)
    assert isinstance(back, nx.MultiGraph)
    assert set(back.nodes) == set(g.nodes)
    ids = [k for *_, k in back.edges(keys=True)]
    assert len(set(ids)) == len(ids)  # unique edge ids, one layer per id
    got = {(frozenset((u, v)), d["layer"]): d for u, v, d in back.edges(data=True)}
    assert set(got) == {(frozenset((u, v)), k) for u, v, k in g.edges(keys=True)}
    for n, d in g.nodes(data=True):
        assert back.nodes[n] == d
    for u, v, k, d in g.edges(keys=True, data=True):
        edge = got[(frozenset((u, v)), k)]
        if k == "agreement":
            for f in fields:
                assert edge[f"strength_{f}"] == d["strength"][f]
                assert edge[f"level_{f}"] == d["level"][f]
            assert edge["mean_strength"] == d["mean_strength"]
        else:
            assert edge == d
    roads_only = nx.read_graphml(to_graphml(g, tmp_path / "roads.graphml", layers=["road"]))
    assert roads_only.number_of_edges() == len(inputs.road_edges)
    assert back.graph["origin"] == "hcmc"


def test_peer_graphml_reads_back_with_networkx(tmp_path):
    adj = csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]],
                              dtype=float))
    path = peers_to_graphml(adj, ["agri_food", "r&d <x>"], np.array([0, 1, 1, 0]),
                            tmp_path / "peers.graphml")
    back = nx.read_graphml(path, node_type=int)
    assert sorted(back.edges) == [(0, 1), (0, 2), (2, 3)]
    assert back.nodes[1] == {"sector": "r&d <x>", "degree": 1}
    assert back.nodes[2]["degree"] == 2


def test_a_junction_with_a_location_id_is_refused(inputs):
    # Bình Dương's capital node is "thu_dau_mot": a junction called "binh_duong" would merge
    clash = dataclasses.replace(
        inputs, road_nodes=inputs.road_nodes.rename(index={"da_nang": "binh_duong"}),
        road_edges=inputs.road_edges.replace({"da_nang": "binh_duong"}))
    with pytest.raises(DataError, match="junction 'binh_duong'"):
        build_graph(clash, inputs.field_codes)


def test_tables_and_layer_views(inputs, g):
    A = province_matrix(inputs.adjacency, inputs.location_codes, 1.0, 0.5)
    g = build_graph(inputs, inputs.field_codes, A)
    t = tables(g)
    assert set(t) == {"nodes", "road", "province", "agreement"}
    assert len(t["road"]) == len(inputs.road_edges) and len(t["agreement"]) == 9
    assert {"u", "v", "weight", "kind"} <= set(t["province"].columns)
    assert {"mean_strength", "level_max"} <= set(t["agreement"].columns)
    assert layer_view(g, "province").number_of_edges() == len(t["province"])


def test_a_run_folder_holds_the_final_graph_as_graphml(inputs, tmp_path):
    """The run writes network.graphml (agreement strengths as in the last quarter's ties) and,
    when asked, peers.graphml with every firm agent; the manifest lists both."""
    import json

    from simulation.config.compose import compose
    from simulation.runs.folders import write_run
    from simulation.runs.runner import prepare, simulate

    rc, _ = prepare(compose(["params.firms.n_agents=3000", "time.spinup_quarters=8",
                             "scenario=agreement_2025", "output.peer_graph=true"]), inputs)
    res, timings = simulate(rc, inputs)
    write_run(tmp_path, res, rc, timings)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["graphs"] == {"network": "network.graphml", "peers": "peers.graphml"}
    g = nx.read_graphml(tmp_path / "network.graphml", force_multigraph=True)
    layers = {d["layer"] for *_, d in g.edges(data=True)}
    assert layers == {"agreement", "province", "road"}
    last = res.ties[res.ties["quarter"].astype(str) == rc.time.end]
    # agreement edges: HCMC – each partner unit at the end (the reform merged three away)
    agreement = {v if u == "hcmc" else u: d for u, v, d in g.edges(data=True)
                 if d["layer"] == "agreement"}
    units = set(last["location"].astype(str))
    assert set(agreement) == units - {"hcmc"}
    field = str(last["field"].iloc[0])
    for unit, d in agreement.items():
        w = last[(last["location"].astype(str) == unit) & (last["field"].astype(str) == field)]
        assert d[f"strength_{field}"] == pytest.approx(float(w["strength"].iloc[0]))
    peers = nx.read_graphml(tmp_path / "peers.graphml")
    assert peers.number_of_nodes() == 3000 and peers.number_of_edges() > 0
    # without output.graph nothing is written
    rc2, _ = prepare(compose(["params.firms.n_agents=3000", "time.spinup_quarters=8",
                              "output.graph=false"]), inputs)
    res2, t2 = simulate(rc2, inputs)
    write_run(tmp_path / "b", res2, rc2, t2)
    assert not (tmp_path / "b" / "network.graphml").exists()
