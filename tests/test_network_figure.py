"""The network-layers figure: drawn from tables only, both languages, nothing clipped; a run's
own network at its end, live or read back from its folder, with the units after the reform."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import simulation.figures.network as network_fig
from simulation.config.compose import compose
from simulation.figures import derive
from simulation.figures.labels import PHRASES, Labels
from simulation.figures.source import read_folder, run_folder
from simulation.model.network import (
    RoadGraph,
    build_graph,
    distance_path,
    peer_graph,
    peer_stats,
    province_matrix,
    sync_agreements,
)
from simulation.model.network.graph import tables
from simulation.runs.folders import write_run
from simulation.runs.runner import prepare, simulate

from .conftest import SMALL


@pytest.fixture(scope="module")
def parts(inputs):
    codes, fields = inputs.location_codes, inputs.field_codes
    road = RoadGraph.from_inputs(inputs)
    g = build_graph(inputs, fields, province_matrix(inputs.adjacency, codes, 1.0, 0.5))
    W = np.zeros((len(codes), len(fields)))
    W[1:10] = np.linspace(0.05, 0.5, 9)[:, None]  # made-up strengths for the drawing
    sync_agreements(g, codes, fields, W, (W > 0.2).astype(int) + (W > 0.4))
    km = dict(zip(codes, distance_path(road, [8103], inputs.expressway)[0], strict=True))
    sector = np.arange(3000) % 7
    adj = peer_graph(sector, 8, 1.25, 0.3, np.random.default_rng(0))
    return tables(g), km, np.diff(adj.indptr), peer_stats(adj, sector)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_draws_every_layer_in_both_languages_and_keeps_text_inside(inputs, parts, lang):
    t, km, degrees, stats = parts
    lab = Labels(lang, inputs.locations, inputs.fields)
    fig = network_fig.network_figure(t["nodes"], t["road"], t["province"], t["agreement"], km,
                                     degrees, stats, lab, lab.t("network title", when="2025Q4"),
                                     lab.t("illustrative ties"), tail_exponent=1.25)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()
             and t.get_visible()]
    shown = " ".join(t.get_text() for t in texts)
    for key in ("roads panel", "cooperation panel", "peers panel", "tie level 3",
                "province link", "peer degree"):
        first_word = lab.t(key).split()[0]
        assert first_word in shown, key
    assert lab.location("nghe_an") in shown and "Nghệ An" in shown
    # nothing drawn (labels, legends, titles) sticks out of the 16:9 canvas
    tight = fig.get_tightbbox(renderer)
    w, h = fig.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, tight
    assert tight.x1 <= w + 0.01 and tight.y1 <= h + 0.01, tight


def test_the_figure_module_never_imports_the_model():
    tree = ast.parse(inspect.getsource(network_fig))
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m and m.startswith("simulation.model")]


def test_units_after_the_reform_are_named_from_the_data(inputs):
    loc = inputs.locations
    for lang in ("en", "vi"):
        lab = Labels(lang, loc, inputs.fields)
        for code, row in loc.iterrows():  # a unit holding a partner keeps its Vietnamese name
            holds_partner = (loc.loc[loc["new_code"] == row["new_code"], "role"]
                             == "partner").any()
            want = row["new_name_vi"] if lang == "vi" or holds_partner else row["new_name_en"]
            assert lab.after_reform(code) == want, (lang, code)
        assert lab.after_reform("bac_kan") == lab.after_reform("thai_nguyen") == "Thái Nguyên"
    assert Labels("en", loc).after_reform("binh_duong") == "Ho Chi Minh City"


def test_new_phrases_exist_in_both_languages():
    for key in ("network title", "roads panel", "peer summary", "effective km note"):
        en, vi = PHRASES[key]
        assert en and vi and en != vi
    for lang in ("en", "vi"):
        assert Labels(lang).all_text()  # every placeholder has a dummy value


# --------------------------------------------------------------------------- a run's own network


@pytest.fixture(scope="module")
def saved_run(inputs, tmp_path_factory):
    """A small run to 2025Q4 (the reform merges three partners away), written to disk."""
    rc, _ = prepare(compose(SMALL + ["seed=3"]), inputs)
    res, timings = simulate(rc, inputs)
    path = tmp_path_factory.mktemp("run")
    write_run(path, res, rc, timings)
    return rc, res, path


def _live_folder(rc, res, inputs):
    return run_folder(Path("."), res, inputs, rc.scenario.name, rc.seed, rc.time.start,
                      rc.time.end)


def _sorted(t):
    if "u" not in t:  # nodes
        return t.sort_index()[sorted(t.columns)]
    return t.assign(pair=t["u"] + "|" + t["v"]).set_index("pair").sort_index()[
        sorted(t.columns)]


def test_a_saved_run_gives_the_figure_what_the_live_run_gives(inputs, saved_run):
    rc, res, path = saved_run
    live = derive.network_layers(_live_folder(rc, res, inputs))
    back = derive.network_layers(read_folder(path))  # network.graphml and the tables on disk
    for name in ("nodes", "road", "province", "agreement"):
        pd.testing.assert_frame_equal(_sorted(back[name]), _sorted(live[name]),
                                      check_dtype=False, obj=name)
    assert back["km"] == pytest.approx(live["km"])
    pd.testing.assert_series_equal(back["reach"].sort_index(), live["reach"].sort_index(),
                                   check_names=False, check_index_type=False)
    assert back["summary"] == pytest.approx(live["summary"])
    assert set(back["summary"]) == {"mean_degree", "max_degree", "clustering"}


def test_a_graph_written_before_units_were_recorded_gets_them_from_the_tables(saved_run):
    folder = read_folder(saved_run[2])
    full = derive.network_layers(folder)["nodes"]
    folder.network["nodes"] = folder.network["nodes"].drop(columns=["unit", "partner_now"])
    old = derive.network_layers(folder)["nodes"]
    places = full.index[full["kind"] == "location"]
    assert list(old.loc[places, "unit"]) == list(full.loc[places, "unit"])
    assert list(old.loc[places, "partner_now"].astype(bool)) == list(
        full.loc[places, "partner_now"].astype(bool))


def _texts(ax):
    return [t.get_text() for t in ax.findobj(lambda a: hasattr(a, "get_text"))
            if t.get_text() and t.get_visible()]


def _column(ax):
    """The label column of a map panel: name → value (``name  value``)."""
    return dict(t.rsplit("  ", 1) for t in _texts(ax) if "  " in t)


def _run_figure(folder, lang):
    parts = derive.network_layers(folder)
    lab = Labels(lang, folder.inputs.locations, folder.inputs.fields)
    fig = network_fig.network_figure(
        parts["nodes"], parts["road"], parts["province"], parts["agreement"], parts["km"], None,
        parts["summary"], lab, lab.t("network title", when=folder.meta["horizon"]), "note",
        reach=parts["reach"])
    return fig, parts, lab


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_run_figure_names_the_units_that_exist_at_the_end(inputs, saved_run, lang):
    rc, res, path = saved_run
    folder = read_folder(path)
    fig, parts, lab = _run_figure(folder, lang)
    roads, coop, reach = fig.axes
    # the partner units of the last quarter, from the ties table (not from the graph)
    last = res.ties[res.ties["quarter"].astype(str) == rc.time.end]
    units = set(last["location"].astype(str)) - {"hcmc"}
    loc = inputs.locations
    merged = {str(c): str(n) for c, n in zip(loc.index, loc["new_code"], strict=True)
              if n != c and n in loc.index and loc.at[c, "role"] == "partner"}
    assert merged == {"bac_kan": "thai_nguyen", "ha_nam": "ninh_binh",
                      "quang_binh": "quang_tri"}
    assert {"thai_nguyen", "ninh_binh"} <= units and not units & set(merged)
    names = {lab.after_reform(u): u for u in units}
    assert {"Thái Nguyên", "Ninh Bình", "Huế"} <= set(names)  # Vietnamese in both languages
    km, ties = _column(roads), _column(coop)
    assert set(km) == set(ties) == set(names)  # Bắc Kạn, Hà Nam, Quảng Bình: no entry
    # road km as the model measured them, and as the end-of-run road graph gives them
    road = nx.Graph()
    road.add_weighted_edges_from(zip(parts["road"]["u"], parts["road"]["v"],
                                     parts["road"]["effective_km"], strict=True))
    shortest = nx.single_source_dijkstra_path_length(road, "hcmc")
    sites = res.locations[res.locations["quarter"].astype(str) == rc.time.end]
    for name, unit in names.items():
        table = float(sites.loc[sites["site"].astype(str) == unit, "road_km"].iloc[0])
        assert km[name] == lab.number(table) == lab.number(shortest[unit]), name
        w = last[last["location"].astype(str) == unit]["strength"].mean()
        assert ties[name] == lab.number(float(w), 2), name
    # the merged partners: drawn and named on the maps, and as "+ name" under their unit
    for place in merged:
        assert lab.location(place) in _texts(roads) and lab.location(place) in _texts(coop)
    rows = [t.get_text() for t in reach.get_yticklabels()]
    for place, unit in merged.items():
        assert rows.index(f"+ {lab.location(place)}") > rows.index(lab.after_reform(unit))
    assert not any(lab.location(p) in rows for p in merged)
    # every place's share of firms with a peer there, from the network table
    shares = [t for t in _texts(reach) if t.endswith(" %")]
    assert len(shares) == len(parts["reach"]) == len(rows)
    nodes = parts["nodes"]
    top = parts["reach"].idxmax()
    assert network_fig._share(lab, parts["reach"][top]) in shares and top == "hcmc"
    assert nodes.loc[list(merged), "unit"].tolist() == list(merged.values())
    _inside(fig)


def test_without_the_reform_the_nine_partners_keep_their_names(inputs):
    rc, _ = prepare(compose(SMALL + ["seed=3", "params.reform.enabled=false"]), inputs)
    res, _ = simulate(rc, inputs)
    folder = _live_folder(rc, res, inputs)
    fig, _, lab = _run_figure(folder, "en")
    partners = inputs.locations.index[inputs.locations["role"] == "partner"]
    assert set(_column(fig.axes[0])) == {lab.location(c) for c in partners}
    assert "Thừa Thiên Huế" in _column(fig.axes[1])
    assert not any(t.startswith("+ ") for t in _texts(fig.axes[2]))


def _inside(fig):
    """Nothing drawn (labels, legends, titles) sticks out of the 16:9 canvas."""
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    w, h = fig.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, tight
    assert tight.x1 <= w + 0.01 and tight.y1 <= h + 0.01, tight
