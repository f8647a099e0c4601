"""Draw the network-layers figure for the shipped data with made-up tie strengths.

Roads, expressway sections and province links are the shipped data at 2025Q4; the agreement
strengths and levels are invented for the illustration (the model computes them), and the peer
graph is one draw of the default peer-network parameters for 20,000 firms.

    .venv/bin/python experiments/network_figure/demo.py [output folder]

writes ``network_layers_en`` and ``network_layers_vi`` as PNG and SVG (default folder
``results/network_figure``) and 1600-pixel-wide copies of the PNGs next to this script. The same
slide from a run's own network (with peer learning's reach as the third panel) is drawn by
``python -m simulation.plot <run folder>`` (see README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image

from simulation.data import load_inputs
from simulation.figures.labels import Labels
from simulation.figures.network import network_figure
from simulation.figures.style import save_figure
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
from simulation.model.network.roads import effective_km, open_masks
from simulation.timeline import parse_quarter

HERE = Path(__file__).resolve().parent
WIDTH = 1600  # pixels of the copies kept in the repository
QUARTER = "2025Q4"
PEERS = {"mean_degree": 8.0, "tail_exponent": 1.25, "homophily": 0.3}  # proposed defaults
FIRMS = 20_000


def main(out: Path) -> list[Path]:
    """Draw the figure in English and Vietnamese into ``out``; return the files written."""
    inputs = load_inputs()
    codes, fields = inputs.location_codes, inputs.field_codes
    q = parse_quarter(QUARTER)
    road = RoadGraph.from_inputs(inputs)
    eff = effective_km(road, inputs.expressway, open_masks(inputs.expressway, [q])[0])
    km = dict(zip(codes, distance_path(road, [q], inputs.expressway)[0], strict=True))
    A = province_matrix(inputs.adjacency, codes, border_weight=1.0, regional_weight=0.5)
    g = build_graph(inputs, fields, A, eff)
    rng = np.random.default_rng(2023)  # made-up ties: illustration only
    W = np.zeros((len(codes), len(fields)))
    partners = inputs.locations["role"].to_numpy() == "partner"
    scale = rng.uniform(0.05, 0.6, (partners.sum(), 1))
    W[partners] = scale * rng.uniform(0.2, 1.0, (partners.sum(), len(fields)))
    levels = np.digitize(W, [0.08, 0.3, 0.45]) * partners[:, None]
    sync_agreements(g, codes, fields, W, levels)
    share = inputs.sectors["opportunity_share"].to_numpy()
    sector = rng.choice(len(share), size=FIRMS, p=share / share.sum())
    adj = peer_graph(sector, PEERS["mean_degree"], PEERS["tail_exponent"], PEERS["homophily"],
                     rng)
    stats = peer_stats(adj, sector)
    t = tables(g)
    paths = []
    for lang in ("en", "vi"):
        lab = Labels(lang, inputs.locations, inputs.fields)
        fig = network_figure(t["nodes"], t["road"], t["province"], t["agreement"], km,
                             np.diff(adj.indptr), stats, lab,
                             lab.t("network title", when=QUARTER), lab.t("illustrative ties"),
                             tail_exponent=PEERS["tail_exponent"])
        paths += save_figure(fig, out / f"network_layers_{lang}", ("png", "svg"))
        with Image.open(out / f"network_layers_{lang}.png") as im:
            small = im.convert("RGB").resize((WIDTH, round(im.height * WIDTH / im.width)),
                                             Image.LANCZOS)
        small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(
            HERE / f"network_layers_{lang}.png", optimize=True)  # keeps small colour areas
    return paths


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/network_figure")):
        print(path)
