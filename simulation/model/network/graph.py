"""The multilayer networkx view of the cooperation network, for analysis, export and figures.

One :class:`networkx.MultiGraph` holds every layer; each edge's key and ``layer`` attribute name
its layer:

- ``agreement``: HCMC – each partner unit, with per-field ``strength`` (dict field → [0, 1]),
  ``level`` (dict field → 0–3) and ``mean_strength``;
- ``province``: province–province links with ``weight`` (unitless) and ``kind`` (``border``,
  ``regional``, ``agreement`` or several joined by ``+``);
- ``road``: road edges with ``km``, ``effective_km`` (km after open expressway sections),
  ``road`` (route name) and ``edge_index`` (position in the road table).

Nodes:

- model locations (``kind="location"``): ``name_vi, name_en``, ``role`` (the role in the data:
  the nine partners are those before the reform), ``lat, lon``, ``road_node`` (the id of their
  capital in the road table; a location's capital node *is* the location node), ``successor``
  (the location whose unit the place joins at the 1 July 2025 reform, e.g. ``thai_nguyen`` for
  ``bac_kan``; itself if it stays a unit) and two attributes :func:`sync_agreements` keeps
  current: ``unit`` (the location whose administrative unit the place belongs to now: itself,
  or its successor once merged) and ``partner_now`` (a partner unit now: it holds an agreement
  edge);
- road junctions (``kind="junction"``): ``name_vi, lat, lon``.

The hot loop never reads this graph: it works on arrays and sparse matrices, and
:func:`sync_agreements` / :func:`sync_roads` copy their state here when recorded.

:func:`tables` turns the graph into plain tables, for the graph built here and for one read
back from GraphML (:func:`read_graphml`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, issparse

from simulation.errors import DataError
from simulation.io import atomic_path, atomic_write_text
from simulation.model.network.provinces import province_matrix
from simulation.model.rules.reform import successor_map

LAYERS = ("agreement", "province", "road")
_ORIGIN = "origin"


def build_graph(inputs: Any, field_codes: Sequence[str], province: csr_matrix | None = None,
                effective_km: np.ndarray | None = None) -> nx.MultiGraph:
    """Build the multilayer graph: locations, junctions and the three layers' edges.

    Args:
        inputs: An ``Inputs`` bundle. A bare ``locations`` table is also accepted (the
            interface of the former single-layer graph): then only the location nodes and the
            agreement layer are built.
        field_codes: Cooperation fields (keys of ``strength`` and ``level``).
        province: (L, L) province-layer weights in model order (the model's matrix from
            :func:`~simulation.model.network.provinces.province_matrix`); default weight 1 for
            every border or regional link of ``inputs.adjacency``.
        effective_km: Effective km of each road edge (E,); default the road km.

    Returns:
        The graph; agreement edges start at strength 0 and level 0.

    Raises:
        DataError: a junction id equals a location code.
    """
    locations = inputs if isinstance(inputs, pd.DataFrame) else inputs.locations
    g = nx.MultiGraph(origin=str(locations.index[locations["role"] == _ORIGIN][0]),
                      layers=",".join(LAYERS))
    codes = [str(c) for c in locations.index]
    new = list(locations["new_code"].astype(str)) if "new_code" in locations else codes
    after = successor_map(codes, new, list(locations["role"]))
    for i, (code, row) in enumerate(locations.iterrows()):
        g.add_node(str(code), kind="location", name_vi=str(row["name_vi"]),
                   name_en=str(row["name_en"]), role=str(row["role"]), lat=float(row["lat"]),
                   lon=float(row["lon"]), unit=str(code), partner_now=row["role"] == "partner",
                   successor=codes[after[i]])
    for code in locations.index[locations["role"] == "partner"]:
        _add_agreement(g, str(code), field_codes)
    if isinstance(inputs, pd.DataFrame):
        return g
    A = province if province is not None else province_matrix(inputs.adjacency, codes, 1.0, 1.0)
    _add_provinces(g, codes, A, inputs.adjacency)
    _add_roads(g, inputs.road_nodes, inputs.road_edges, effective_km)
    return g


def _add_agreement(g: nx.MultiGraph, code: str, field_codes: Sequence[str]) -> None:
    g.add_edge(g.graph["origin"], code, key="agreement", layer="agreement",
               strength=dict.fromkeys(field_codes, 0.0), level=dict.fromkeys(field_codes, 0),
               mean_strength=0.0)


def _add_provinces(g: nx.MultiGraph, codes: list[str], A: csr_matrix | np.ndarray,
                   adjacency: pd.DataFrame | None) -> None:
    kinds: dict[frozenset, list[str]] = {}
    if adjacency is not None:
        for a, b, kind in zip(adjacency["a"], adjacency["b"], adjacency["kind"], strict=True):
            kinds.setdefault(frozenset((a, b)), []).append(str(kind))
    dense = A.toarray() if issparse(A) else np.asarray(A)
    for i, j in zip(*np.nonzero(np.triu(dense, 1)), strict=True):
        u, v = codes[i], codes[j]
        kind = "+".join(sorted(set(kinds.get(frozenset((u, v)), ["agreement"]))))
        g.add_edge(u, v, key="province", layer="province", weight=float(dense[i, j]), kind=kind)


def _add_roads(g: nx.MultiGraph, road_nodes: pd.DataFrame, road_edges: pd.DataFrame,
               effective_km: np.ndarray | None) -> None:
    node_of = {}
    for node, row in road_nodes.iterrows():
        if row["kind"] == "capital":
            node_of[str(node)] = str(row["location"])
            g.nodes[str(row["location"])]["road_node"] = str(node)
        else:
            if str(node) in g and g.nodes[str(node)].get("kind") == "location":
                raise DataError(f"road nodes: junction '{node}' has the id of a location")
            node_of[str(node)] = str(node)
            g.add_node(str(node), kind="junction", name_vi=str(row["name_vi"]),
                       lat=float(row["lat"]), lon=float(row["lon"]))
    eff = road_edges["km"].to_numpy(float) if effective_km is None else effective_km
    names = road_edges["road"] if "road" in road_edges else [""] * len(road_edges)
    for e, (a, b, km, name) in enumerate(zip(road_edges["a"], road_edges["b"],
                                             road_edges["km"], names, strict=True)):
        g.add_edge(node_of[str(a)], node_of[str(b)], key="road", layer="road", km=float(km),
                   effective_km=float(eff[e]), road=str(name), edge_index=e)


def sync_agreements(g: nx.MultiGraph, codes: Sequence[str], field_codes: Sequence[str],
                    W: np.ndarray, levels: np.ndarray, exists: np.ndarray | None = None
                    ) -> None:
    """Copy tie strengths and levels from the working arrays onto the agreement edges.

    A location other than the origin that has no agreement edge yet gets one as soon as it
    holds a positive strength or level (e.g. a successor unit after the 2025 merger); a unit
    that no longer exists (dissolved by the merger) loses its edge. Every location node's
    ``unit`` (itself, or its successor once dissolved) and ``partner_now`` (holds an agreement
    edge) follow.

    Args:
        g: The graph of :func:`build_graph`.
        codes: Location codes in the row order of ``W``.
        field_codes: Field codes in the column order of ``W``.
        W: Tie strength, shape (L, F), in [0, 1].
        levels: Tie level, shape (L, F), integers 0–3.
        exists: (L,) bool, the locations that are administrative units now (default all).
    """
    origin = g.graph["origin"]
    adj = g.adj[origin]  # neighbour → {edge key → attribute dict}
    if exists is not None:
        for i in np.flatnonzero(~np.asarray(exists, bool)):
            if "agreement" in adj.get(codes[i], {}):
                g.remove_edge(origin, codes[i], key="agreement")
    active = np.flatnonzero((W > 0).any(axis=1) | (levels > 0).any(axis=1))
    for i in active:
        if codes[i] != origin and "agreement" not in adj.get(codes[i], {}):
            _add_agreement(g, codes[i], field_codes)
    rows = {c: i for i, c in enumerate(codes)}
    w_list, l_list, means = W.tolist(), np.asarray(levels).tolist(), W.mean(axis=1).tolist()
    for code, keyed in adj.items():
        data = keyed.get("agreement")
        if data is None or code not in rows:
            continue
        i = rows[code]
        data["strength"] = dict(zip(field_codes, w_list[i], strict=True))
        data["level"] = dict(zip(field_codes, (int(x) for x in l_list[i]), strict=True))
        data["mean_strength"] = means[i]
    nodes = g.nodes
    for i, code in enumerate(codes):
        node = nodes[code]
        gone = exists is not None and not exists[i]
        node["unit"] = node.get("successor", code) if gone else code
        node["partner_now"] = "agreement" in adj.get(code, {})


def sync_roads(g: nx.MultiGraph, effective_km: np.ndarray) -> None:
    """Copy the effective km of every road edge (E,), km, onto the road edges."""
    for _, _, key, data in g.edges(keys=True, data=True):
        if key == "road":
            data["effective_km"] = float(effective_km[data["edge_index"]])


def sync_provinces(g: nx.MultiGraph, codes: Sequence[str], A: csr_matrix | np.ndarray) -> None:
    """Replace the province-layer edges by the weights of ``A`` (L, L), e.g. after a lever."""
    old = {frozenset((u, v)): d["kind"] for u, v, k, d in g.edges(keys=True, data=True)
           if k == "province"}
    g.remove_edges_from([(u, v, "province") for u, v in (tuple(p) for p in old)])
    dense = A.toarray() if issparse(A) else np.asarray(A)
    for i, j in zip(*np.nonzero(np.triu(dense, 1)), strict=True):
        u, v = codes[i], codes[j]
        g.add_edge(u, v, key="province", layer="province", weight=float(dense[i, j]),
                   kind=old.get(frozenset((u, v)), "agreement"))


def layer_view(g: nx.MultiGraph, layer: str) -> nx.Graph:
    """A simple graph with the edges of one layer (their attributes, not copied)."""
    h = nx.Graph()
    h.add_nodes_from(g.nodes(data=True))
    h.add_edges_from((u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == layer)
    return h


def tables(g: nx.MultiGraph) -> dict[str, pd.DataFrame]:
    """The graph as plain tables, for figures (which never import the model).

    Works on the graph of :func:`build_graph` and on one read back from GraphML
    (:func:`read_graphml`): an edge's layer is its ``layer`` attribute (its key in the live
    graph), per-field values are ``strength_<field>`` and ``level_<field>`` columns either way.

    Returns:
        ``nodes`` (index = node id; ``kind, role, name_vi, name_en, lat, lon``, and
        ``unit, successor, partner_now`` for locations), ``road`` (``u, v, km, effective_km,
        road, edge_index``), ``province`` (``u, v, weight, kind``) and ``agreement`` (``u, v,
        mean_strength, level_max`` and ``strength_<field>``, ``level_<field>``; ``u`` is the
        origin).
    """
    nodes = pd.DataFrame.from_dict(dict(g.nodes(data=True)), orient="index")
    nodes.index.name = "node"
    rows: dict[str, list[dict]] = {layer: [] for layer in LAYERS}
    origin = g.graph.get("origin")
    for u, v, k, d in g.edges(keys=True, data=True):
        layer = d.get("layer", k)
        if layer == "agreement" and v == origin:
            u, v = v, u
        row = {"u": u, "v": v, **flat_attributes(d)}
        if layer == "agreement":
            row["level_max"] = max((int(x) for c, x in row.items() if c.startswith("level_")),
                                   default=0)
        rows.setdefault(layer, []).append(row)
    out = {"nodes": nodes}
    for layer, items in rows.items():
        out[layer] = pd.DataFrame(items).drop(columns=["layer"], errors="ignore")
    return out


def read_graphml(path: str | Path) -> nx.MultiGraph:
    """A graph written by :func:`to_graphml`, read back (one edge per layer and pair kept).

    Raises:
        DataError: the file is missing or not GraphML.
    """
    try:
        return nx.read_graphml(path, force_multigraph=True)
    except (OSError, nx.NetworkXError, ElementTree.ParseError) as exc:
        raise DataError(f"{path}: cannot read GraphML ({exc})") from None


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def flat_attributes(data: dict) -> dict:
    """GraphML-ready attributes: ``{"strength": {f: x}}`` → ``strength_<f>``, numpy → Python."""
    out = {}
    for name, value in data.items():
        if isinstance(value, dict):
            out.update({f"{name}_{k}": _scalar(v) for k, v in value.items()})
        elif isinstance(value, list | tuple | np.ndarray):
            out.update({f"{name}_{k}": _scalar(v) for k, v in enumerate(value)})
        elif value is not None and not str(name).startswith("_"):
            out[name] = _scalar(value)
    return out


def to_graphml(g: nx.MultiGraph, path: str | Path, layers: Sequence[str] | None = None
               ) -> Path:
    """Write the graph as GraphML that networkx and Gephi read back.

    Dict and array attributes become scalar columns (``strength_<field>``, ``level_<field>``);
    each edge keeps its ``layer`` column and gets a unique id ``<layer>_<u>_<v>`` (at most one
    edge per layer joins a pair), so the parallel edges of different layers stay apart. Tools
    that merge parallel edges can be given one layer per file (``layers=["road"]``).

    Args:
        g: The graph of :func:`build_graph`.
        path: Output file (written atomically).
        layers: Layers to write (default all); every node is written.

    Returns:
        The path written.
    """
    keep = set(LAYERS if layers is None else layers)
    h = nx.MultiGraph(**flat_attributes(g.graph))
    h.add_nodes_from((n, flat_attributes(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, f"{k}_{u}_{v}", flat_attributes(d))
                     for u, v, k, d in g.edges(keys=True, data=True) if k in keep)
    path = Path(path)
    with atomic_path(path) as tmp:
        nx.write_graphml(h, tmp)
    return path


def _xml(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def peers_to_graphml(adj: csr_matrix, sector_codes: Sequence[str], firm_sector: np.ndarray,
                     path: str | Path) -> Path:
    """Write the peer layer as GraphML: firms (id = position) with ``sector`` and ``degree``.

    Written directly (not through networkx) so that 10⁵ firms take seconds, not minutes.

    Args:
        adj: Symmetric (n, n) 0/1 peer matrix.
        sector_codes: Sector codes; ``firm_sector`` indexes into them.
        firm_sector: Sector position of each firm, shape (n,).
        path: Output file (written atomically).

    Returns:
        The path written.
    """
    upper = csr_matrix(adj).tocoo()
    keep = upper.row < upper.col
    deg = np.diff(csr_matrix(adj).indptr)
    names = [_xml(s) for s in sector_codes]
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
             '<key id="d0" for="node" attr.name="sector" attr.type="string"/>',
             '<key id="d1" for="node" attr.name="degree" attr.type="int"/>',
             '<graph edgedefault="undirected">']
    parts += [f'<node id="{i}"><data key="d0">{names[s]}</data><data key="d1">{d}</data></node>'
              for i, (s, d) in enumerate(zip(np.asarray(firm_sector).tolist(), deg.tolist(),
                                             strict=True))]
    parts += [f'<edge source="{i}" target="{j}"/>'
              for i, j in zip(upper.row[keep].tolist(), upper.col[keep].tolist(), strict=True)]
    parts += ["</graph>", "</graphml>", ""]
    path = Path(path)
    atomic_write_text(path, "\n".join(parts))
    return path


class PeerGraph(NamedTuple):
    """The peer layer as exported: adjacency, sector codes and each firm's sector position."""

    adj: csr_matrix
    sector_codes: Sequence[str]
    firm_sector: np.ndarray


GRAPH_FILES = {"network": "network.graphml", "peers": "peers.graphml"}


def write_graphs(graphs: dict[str, Any], folder: str | Path) -> dict[str, str]:
    """Write a run's graphs into ``folder``; return name → file name written.

    Args:
        graphs: ``"network"`` → the multilayer graph of :func:`build_graph`, ``"peers"`` → a
            :class:`PeerGraph` (either may be absent).
        folder: The run folder.
    """
    out = {}
    for name, g in graphs.items():
        path = Path(folder) / GRAPH_FILES[name]
        if name == "network":
            to_graphml(g, path)
        else:
            peers_to_graphml(g.adj, g.sector_codes, g.firm_sector, path)
        out[name] = GRAPH_FILES[name]
    return out
