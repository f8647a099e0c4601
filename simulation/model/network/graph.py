"""The cooperation graph in networkx: build once, sync from the working arrays each quarter.

Nodes are locations (with names, role, coordinates); edges join HCMC to each partner and carry,
per cooperation field, the tie strength and level. The dense array ``W[location, field]`` is the
working copy in the hot loop; the graph is the analysis and plotting view.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd


def build_graph(locations: pd.DataFrame, field_codes: list[str]) -> nx.Graph:
    """Graph with every location as a node and an HCMC–partner edge per partner."""
    g = nx.Graph()
    for code, row in locations.iterrows():
        g.add_node(code, name_en=row["name_en"], name_vi=row["name_vi"], role=row["role"],
                   lat=float(row["lat"]), lon=float(row["lon"]))
    origin = locations.index[locations["role"] == "origin"][0]
    for code in locations.index[locations["role"] == "partner"]:
        g.add_edge(origin, code, strength=dict.fromkeys(field_codes, 0.0),
                   level=dict.fromkeys(field_codes, 0))
    return g


def sync_graph(g: nx.Graph, location_codes: list[str], field_codes: list[str],
               w: np.ndarray, levels: np.ndarray) -> None:
    """Copy tie strengths and levels from the working arrays onto the edges."""
    origin = next(n for n, d in g.nodes(data=True) if d["role"] == "origin")
    for _, code, data in g.edges(origin, data=True):
        i = location_codes.index(code)
        data["strength"] = {f: float(w[i, c]) for c, f in enumerate(field_codes)}
        data["level"] = {f: int(levels[i, c]) for c, f in enumerate(field_codes)}
        data["mean_strength"] = float(w[i].mean())
