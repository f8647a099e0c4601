"""The road layer: capitals and junctions joined by road km; distances are shortest paths.

An expressway section shortens the road edge it parallels by ``km_saved`` (travel-time-equivalent
km) from its opening quarter on, so a transport lever moves edge lengths and every destination
whose shortest path uses the edge gains. The graph is held as arrays (edge endpoints and km) and
read as a symmetric ``scipy.sparse`` CSR matrix by :func:`scipy.sparse.csgraph.dijkstra`.

Indices: road nodes in ``road_nodes`` file order (``N`` nodes), edges in ``road_edges`` file
order (``E`` edges), sections in the order of the section table (``S`` rows), locations in model
order (``L``). Distances are in km.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from simulation.errors import DataError


@dataclass(frozen=True)
class RoadGraph:
    """Road nodes and edges as arrays, with the capital node of every model location.

    Attributes:
        nodes: Road node ids (``N``), in file order.
        index: Road node id → position in ``nodes``.
        a: First endpoint (node position) of each edge, shape (E,).
        b: Second endpoint of each edge, shape (E,).
        km: Road length of each edge, km, shape (E,).
        location_codes: Model locations in model order (``L``).
        capital: Road node position of each location's capital, shape (L,).
        origin: Position of the origin (HCMC) in ``location_codes``.
    """

    nodes: tuple[str, ...]
    index: dict[str, int]
    a: np.ndarray
    b: np.ndarray
    km: np.ndarray
    location_codes: tuple[str, ...]
    capital: np.ndarray
    origin: int

    @classmethod
    def from_tables(cls, road_nodes: pd.DataFrame, road_edges: pd.DataFrame,
                    locations: pd.DataFrame) -> RoadGraph:
        """Build the road graph from the input tables.

        Args:
            road_nodes: Indexed by node id; columns ``kind`` (capital|junction) and
                ``location`` (the location whose capital the node is).
            road_edges: Columns ``a, b, km``; one row per undirected edge.
            locations: Indexed by location code in model order; column ``role`` with exactly
                one ``origin``.

        Raises:
            DataError: a location without exactly one capital node, an unknown node, a
                duplicate or self-loop edge, a non-positive length, or a capital that the
                origin cannot reach.
        """
        nodes = tuple(str(n) for n in road_nodes.index)
        index = {n: i for i, n in enumerate(nodes)}
        for col in ("a", "b"):
            unknown = sorted(set(road_edges[col]) - set(index))
            if unknown:
                raise DataError(f"road edges: unknown node(s) {', '.join(unknown)}")
        a = np.array([index[x] for x in road_edges["a"]], dtype=np.int64)
        b = np.array([index[x] for x in road_edges["b"]], dtype=np.int64)
        km = road_edges["km"].to_numpy(dtype=float)
        if (a == b).any() or (km <= 0).any():
            raise DataError("road edges: every edge joins two different nodes with km > 0")
        pairs = np.sort(np.stack([a, b], axis=1), axis=1)
        if len(np.unique(pairs, axis=0)) != len(pairs):
            raise DataError("road edges: a pair of nodes is joined twice; keep one edge per pair")
        codes = tuple(str(c) for c in locations.index)
        caps = road_nodes[road_nodes["kind"] == "capital"]
        capital = []
        for code in codes:
            hits = [str(n) for n in caps.index[caps["location"] == code]]
            if len(hits) != 1:
                raise DataError(f"road nodes: location '{code}' needs exactly one capital node "
                                f"(found {len(hits)})")
            capital.append(index[hits[0]])
        origin = int(np.flatnonzero(locations["role"].to_numpy() == "origin")[0])
        road = cls(nodes, index, a, b, km, codes, np.array(capital, dtype=np.int64), origin)
        _, label = connected_components(road.matrix(), directed=False)
        cut = [c for c, n in zip(codes, road.capital, strict=True)
               if label[n] != label[road.capital[origin]]]
        if cut:
            raise DataError(f"road edges: no road from the origin to {', '.join(cut)}")
        return road

    @classmethod
    def of(cls, inputs: Any) -> RoadGraph:
        """The road graph of an ``Inputs`` bundle, kept for the next call with the same one.

        Every run of a process that shares its inputs (replications, the schedule and the
        network layers) then builds it once; it is never changed after it is built.
        """
        if not _LAST or _LAST[0] is not inputs:
            _LAST[:] = [inputs, cls.from_inputs(inputs)]
        return _LAST[1]

    @classmethod
    def from_inputs(cls, inputs: Any) -> RoadGraph:
        """Build from an ``Inputs`` bundle (its ``road_nodes``, ``road_edges``, ``locations``)."""
        return cls.from_tables(inputs.road_nodes, inputs.road_edges, inputs.locations)

    @property
    def n_nodes(self) -> int:
        """Number of road nodes ``N``."""
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Number of road edges ``E``."""
        return len(self.km)

    def matrix(self, edge_km: np.ndarray | None = None) -> csr_matrix:
        """Symmetric (N, N) CSR matrix of edge lengths (km; ``edge_km`` or the road km)."""
        w = self.km if edge_km is None else np.asarray(edge_km, dtype=float)
        rows = np.concatenate([self.a, self.b])
        cols = np.concatenate([self.b, self.a])
        return csr_matrix((np.concatenate([w, w]), (rows, cols)),
                          shape=(self.n_nodes, self.n_nodes))

    def edge_of(self, a: str, b: str) -> int:
        """Position of the edge joining road nodes ``a`` and ``b`` (either order).

        Raises:
            KeyError: no such edge.
        """
        i, j = self.index.get(a, -1), self.index.get(b, -1)
        hit = np.flatnonzero(((self.a == i) & (self.b == j)) | ((self.a == j) & (self.b == i)))
        if len(hit) == 0:
            raise KeyError(f"no road edge {a}–{b}")
        return int(hit[0])



_LAST: list = []  # the last inputs bundle and its road graph (RoadGraph.of)

def distances(edge_km: csr_matrix, source_node: int, target_nodes: np.ndarray | Sequence[int]
              ) -> np.ndarray:
    """Shortest-path km from one road node to several (Dijkstra on the symmetric CSR matrix).

    Args:
        edge_km: (N, N) symmetric CSR matrix of edge lengths, km (:meth:`RoadGraph.matrix`).
        source_node: Position of the source node.
        target_nodes: Positions of the target nodes, shape (K,).

    Returns:
        Shortest-path km to each target, shape (K,); ``inf`` where unreachable, 0 for the
        source itself.
    """
    d = dijkstra(edge_km, directed=False, indices=int(source_node))
    return d[np.asarray(target_nodes, dtype=np.int64)]


def section_edges(road: RoadGraph, sections: pd.DataFrame) -> np.ndarray:
    """Edge position shortened by each expressway section, shape (S,).

    Args:
        road: The road graph.
        sections: Section table with road-node columns ``a`` and ``b``.

    Raises:
        ValueError: a section lies on no road edge.
    """
    out = np.empty(len(sections), dtype=np.int64)
    for s, (a, b) in enumerate(zip(sections["a"], sections["b"], strict=True)):
        try:
            out[s] = road.edge_of(str(a), str(b))
        except KeyError:
            raise ValueError(f"expressway section {s} ({a}–{b}) shortens no road edge") from None
    return out


def savings(road: RoadGraph, sections: pd.DataFrame) -> np.ndarray:
    """(S, E) matrix of km each section saves on each edge (one non-zero per row)."""
    out = np.zeros((len(sections), road.n_edges))
    out[np.arange(len(sections)), section_edges(road, sections)] = (
        sections["km_saved"].to_numpy(dtype=float))
    return out


def effective_km(road: RoadGraph, sections: pd.DataFrame, open_mask: np.ndarray
                 ) -> np.ndarray:
    """Edge km minus the km saved by the open sections (travel-time-equivalent km).

    Args:
        road: The road graph.
        sections: Section table with ``a, b, km_saved`` (km).
        open_mask: Which sections are open, shape (S,), boolean.

    Returns:
        Effective km of each edge, shape (E,).

    Raises:
        ValueError: the open sections would make an edge 0 km or shorter.
    """
    return _effective(road.km, savings(road, sections), np.asarray(open_mask, dtype=bool))


def _effective(km: np.ndarray, saved: np.ndarray, open_mask: np.ndarray) -> np.ndarray:
    eff = km - open_mask.astype(float) @ saved
    if (eff <= 0).any():
        e = int(np.flatnonzero(eff <= 0)[0])
        raise ValueError(f"open expressway sections save {km[e] - eff[e]:g} km of road edge {e} "
                         f"({km[e]:g} km); sections on an edge must save less than its length")
    return eff


def open_masks(sections: pd.DataFrame, quarters: np.ndarray | Sequence[int]) -> np.ndarray:
    """Which sections are open in each quarter: ``opening_q <= quarter``, shape (T, S).

    Args:
        sections: Section table with ``opening_q`` (absolute quarter index,
            ``4·year + quarter − 1``).
        quarters: Absolute quarter indices, shape (T,).
    """
    q = np.asarray(quarters, dtype=np.int64)[:, None]
    return sections["opening_q"].to_numpy(dtype=np.int64)[None, :] <= q


def distance_path(inputs: Any, quarters: np.ndarray | Sequence[int],
                  sections: pd.DataFrame | None = None) -> np.ndarray:
    """Effective shortest-path km from the origin's capital to every location, per quarter.

    Dijkstra runs once per distinct set of open sections (a handful of times over a horizon),
    and quarters with the same set share the result.

    Args:
        inputs: An ``Inputs`` bundle or a :class:`RoadGraph`.
        quarters: Absolute quarter indices, shape (T,).
        sections: Expressway sections with ``a, b, km_saved, opening_q``; the scenario decides
            which exist and when they open. Default: ``inputs.expressway`` (needs an
            ``Inputs`` bundle).

    Returns:
        Effective km, shape (T, L), locations in model order; the origin's own entry is 0 (the
        model floors distances at its reference km).
    """
    road = inputs if isinstance(inputs, RoadGraph) else RoadGraph.of(inputs)
    if sections is None:
        if isinstance(inputs, RoadGraph):
            raise ValueError("distance_path needs the sections table with a RoadGraph")
        sections = inputs.expressway
    masks = open_masks(sections, quarters)
    saved = savings(road, sections)
    unique, which = np.unique(masks, axis=0, return_inverse=True)
    src = int(road.capital[road.origin])
    per_set = np.stack([distances(road.matrix(_effective(road.km, saved, m)), src, road.capital)
                        for m in unique]) if len(unique) else np.empty((0, len(road.capital)))
    return per_set[np.asarray(which).reshape(-1)]


def route_edges(road: RoadGraph, edge_km: np.ndarray | None = None) -> np.ndarray:
    """Which edges the shortest path from the origin to each location uses.

    Args:
        road: The road graph.
        edge_km: Edge lengths (E,), km; default the road km. Ties between equally short paths
            are broken by Dijkstra's visiting order (deterministic).

    Returns:
        Boolean matrix, shape (L, E): True where the path to the location uses the edge.
    """
    km = road.km if edge_km is None else np.asarray(edge_km, dtype=float)
    src = int(road.capital[road.origin])
    _, pred = dijkstra(road.matrix(km), directed=False, indices=src, return_predecessors=True)
    lookup = {}
    for e, (i, j) in enumerate(zip(road.a, road.b, strict=True)):
        lookup[(int(i), int(j))] = lookup[(int(j), int(i))] = e
    uses = np.zeros((len(road.capital), road.n_edges), dtype=bool)
    for loc, node in enumerate(road.capital):
        v = int(node)
        while v != src and pred[v] >= 0:
            uses[loc, lookup[(int(pred[v]), v)]] = True
            v = int(pred[v])
    return uses


def section_gains(road: RoadGraph, sections: pd.DataFrame, edge_km: np.ndarray | None = None
                  ) -> pd.DataFrame:
    """Which expressway sections each destination gains from, and how many km.

    Args:
        road: The road graph.
        sections: Section table with ``segment, a, b, km_saved, opening_q``.
        edge_km: Edge lengths that define the routes (E,), km; default the road km.

    Returns:
        Tidy table ``location, segment, opening_q, km_saved``: one row per destination and
        section row on its shortest path (a segment split over several edges gives one row per
        edge), origin excluded.
    """
    uses = route_edges(road, edge_km)
    edge = section_edges(road, sections)
    loc, sec = np.nonzero(uses[:, edge])
    out = pd.DataFrame({
        "location": [road.location_codes[i] for i in loc],
        "segment": sections["segment"].to_numpy()[sec] if "segment" in sections else sec,
        "opening_q": sections["opening_q"].to_numpy(dtype=np.int64)[sec],
        "km_saved": sections["km_saved"].to_numpy(dtype=float)[sec],
    })
    return out[out["location"] != road.location_codes[road.origin]].reset_index(drop=True)
