"""The network-layers figure: drawn from tables only, both languages, nothing clipped."""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
from matplotlib.figure import Figure

import simulation.figures.network as network_fig
from simulation.figures.labels import PHRASES, Labels
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


def test_new_phrases_exist_in_both_languages():
    for key in ("network title", "roads panel", "peer summary", "effective km note"):
        en, vi = PHRASES[key]
        assert en and vi and en != vi
    for lang in ("en", "vi"):
        assert Labels(lang).all_text()  # every placeholder has a dummy value
