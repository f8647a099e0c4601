"""The road layer: effective road distances from HCMC as shortest paths on the road graph."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from simulation.data import Inputs


def _shortest(n: int, a: np.ndarray, b: np.ndarray, km: np.ndarray, source: int) -> np.ndarray:
    graph = csr_matrix((km, (a, b)), shape=(n, n))
    return dijkstra(graph, directed=False, indices=source)


def distance_path(inputs: Inputs, quarters: np.ndarray, sections: pd.DataFrame) -> np.ndarray:
    """(T, L) effective road km from HCMC's capital node to each place's capital node.

    An expressway section shortens its edge by its travel-time-equivalent km from its opening
    quarter on; Dijkstra runs again only when the set of open sections changes.
    """
    nodes, edges = inputs.road_nodes, inputs.road_edges
    index = {n: i for i, n in enumerate(nodes.index)}
    a = edges["a"].map(index).to_numpy()
    b = edges["b"].map(index).to_numpy()
    km = edges["km"].to_numpy(float)
    edge_of = {frozenset((x, y)): i for i, (x, y) in enumerate(zip(edges["a"], edges["b"],
                                                                     strict=True))}
    sec_edge = np.array([edge_of[frozenset((x, y))] for x, y in zip(sections["a"],
                                                                     sections["b"], strict=True)],
                        dtype=int)
    saved = sections["km_saved"].to_numpy(float)
    opening = sections["opening_q"].to_numpy(int)
    capitals = nodes[nodes["kind"] == "capital"]
    target = capitals.reset_index().set_index("location")["node"].reindex(inputs.locations.index)
    tgt = target.map(index).to_numpy()
    src = index[target[inputs.locations.index[inputs.locations["role"] == "origin"][0]]]
    out = np.zeros((len(quarters), len(tgt)))
    last_key, last = None, None
    for t, q in enumerate(quarters):
        open_ = opening <= q
        key = open_.tobytes()
        if key != last_key:
            eff = km.copy()
            np.subtract.at(eff, sec_edge[open_], saved[open_])
            last = _shortest(len(index), a, b, eff, src)[tgt]
            last_key = key
        out[t] = last
    return out
