"""A network file as the structure a run runs on: GraphML → the province and road layers.

A run folder's ``network.graphml`` (:func:`~simulation.model.network.graph.to_graphml`), or any
GraphML file with the same attributes, edited in networkx or Gephi, can replace the shipped
province links and road graph (``network_file=<path>``): the model then computes its
shortest-path distances, spillovers and graph metrics on the file's network. What is read:

- nodes with ``kind="location"``: exactly the model's places (ids = place codes); optional
  ``road_node``, the id of the place's capital in the road layer (default: the place code);
- nodes with ``kind="junction"``: road junctions with ``lat``, ``lon`` (and ``name_vi``);
- edges with ``layer="province"``: ``weight`` ≥ 0 and ``kind`` (``border``, ``regional`` or
  both joined by ``+``); edges of kind ``agreement`` (partner–partner agreements of a scenario,
  present in a run's export) are levers, not structure, and are left out;
- edges with ``layer="road"``: ``km`` > 0 (``road``: the route's name, optional).

Agreement edges (HCMC's ties) are the state of a run, not its structure: they are ignored.
Every problem raises :class:`~simulation.errors.DataError` with one line naming the file and
the node or edge.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from simulation.errors import DataError
from simulation.model.network.roads import RoadGraph, section_edges

PROVINCE_KINDS = {"border", "regional"}


def _number(path: Path, what: str, value: Any, positive: bool) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x) or (x <= 0 if positive else x < 0):
        allowed = "a number > 0" if positive else "a number ≥ 0"
        raise DataError(f"{path}: {what} is {value!r}; allowed: {allowed}")
    return x


def read_network(path: str | Path, inputs: Any) -> Any:
    """The inputs with the province links and the road graph of a GraphML file.

    Args:
        path: GraphML file (e.g. a run folder's ``network.graphml``).
        inputs: The loaded :class:`~simulation.data.Inputs`; its places must all be in the file.

    Returns:
        A copy of ``inputs`` whose ``adjacency`` (with an explicit ``weight`` column),
        ``road_nodes`` and ``road_edges`` come from the file, and ``network_source`` names it.

    Raises:
        DataError: the file is missing or not GraphML, a place is missing or unknown, an edge
            has a bad weight or length, the roads do not reach every place, or an expressway
            section of the data lies on no road of the file.
    """
    path = Path(path)
    try:
        g = nx.read_graphml(path, force_multigraph=True)
    except FileNotFoundError:
        raise DataError(f"network_file={path}: no such file; allowed: a GraphML file such as "
                        "a run folder's network.graphml") from None
    except Exception as exc:  # noqa: BLE001 - any parse failure is one line
        raise DataError(f"network_file={path}: cannot read as GraphML ({exc})") from None
    codes = inputs.location_codes
    places = {str(n) for n, d in g.nodes(data=True) if d.get("kind") == "location"}
    missing, unknown = sorted(set(codes) - places), sorted(places - set(codes))
    if missing or unknown:
        raise DataError(f"{path}: location nodes must be the model's places; missing: "
                        f"{', '.join(missing) or '–'}; unknown: {', '.join(unknown) or '–'}")
    capital = {c: str(g.nodes[c].get("road_node", c)) for c in codes}
    rows, node_ids = [], {}
    for code in codes:
        d, cap = g.nodes[code], capital[code]
        node_ids[code] = cap
        rows.append({"node": cap, "name_vi": str(d.get("name_vi", code)),
                     "lat": float(d.get("lat", math.nan)), "lon": float(d.get("lon", math.nan)),
                     "kind": "capital", "location": code})
    for n, d in g.nodes(data=True):
        if d.get("kind") == "location":
            continue
        if d.get("kind") != "junction":
            raise DataError(f"{path}: node {n!r} has kind={d.get('kind')!r}; allowed: "
                            "location, junction")
        if str(n) in set(capital.values()):
            raise DataError(f"{path}: junction {n!r} has the id of a place's capital")
        node_ids[str(n)] = str(n)
        rows.append({"node": str(n), "name_vi": str(d.get("name_vi", n)),
                     "lat": _number(path, f"junction {n!r} lat", d.get("lat"), False),
                     "lon": _number(path, f"junction {n!r} lon", d.get("lon"), False),
                     "kind": "junction", "location": ""})
    road_nodes = pd.DataFrame(rows).set_index("node")
    links, roads = [], []
    for u, v, d in g.edges(data=True):
        layer = d.get("layer")
        if layer == "province":
            kinds = set(str(d.get("kind", "")).split("+"))
            if "agreement" in kinds:
                continue
            if not kinds <= PROVINCE_KINDS or u not in places or v not in places:
                raise DataError(f"{path}: province edge {u}–{v} (kind {d.get('kind')!r}) must "
                                "join two places with kind border, regional or border+regional")
            w = _number(path, f"province edge {u}–{v} weight", d.get("weight"), False)
            links.append({"a": str(u), "b": str(v), "kind": "border" if "border" in kinds
                          else "regional", "weight": w})
        elif layer == "road":
            km = _number(path, f"road edge {u}–{v} km", d.get("km"), True)
            order = d.get("edge_index")
            roads.append({"a": node_ids[str(u)], "b": node_ids[str(v)], "km": km,
                          "road": str(d.get("road", "")),
                          "order": float(order) if order is not None else math.inf})
    if not roads:
        raise DataError(f"{path}: no road edges (layer=road); the model needs the road graph")
    road_edges = (pd.DataFrame(roads).sort_values("order", kind="stable")
                  .drop(columns="order").reset_index(drop=True))
    adjacency = pd.DataFrame(links, columns=["a", "b", "kind", "weight"])
    try:
        road = RoadGraph.from_tables(road_nodes, road_edges, inputs.locations)
        section_edges(road, inputs.expressway)
    except (DataError, ValueError) as exc:
        raise DataError(f"{path}: {exc}") from None
    return dataclasses.replace(inputs, adjacency=adjacency, road_nodes=road_nodes,
                               road_edges=road_edges, network_source=str(path.resolve()))
