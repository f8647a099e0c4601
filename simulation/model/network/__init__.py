"""The four network layers of the model, as arrays and sparse matrices, plus a networkx view.

- :mod:`~simulation.model.network.roads`: road km, expressway sections, shortest-path distances;
- :mod:`~simulation.model.network.provinces`: province–province weights and spillover;
- :mod:`~simulation.model.network.peers`: the firm–firm peer graph and peers' presence;
- :mod:`~simulation.model.network.graph`: the multilayer networkx graph (analysis, GraphML);
- :mod:`~simulation.model.network.metrics`: per-quarter graph metrics as tidy rows.

``sync_graph`` is the former name of :func:`sync_agreements`.
"""

from simulation.model.network.graph import (
    PeerGraph,
    build_graph,
    peers_to_graphml,
    sync_agreements,
    sync_provinces,
    sync_roads,
    to_graphml,
    write_graphs,
)
from simulation.model.network.metrics import LocationMetrics, peer_rows, peer_stats
from simulation.model.network.peers import add_edges, peer_graph, peer_share
from simulation.model.network.provinces import province_matrix, row_normalised, spillover
from simulation.model.network.roads import RoadGraph, distance_path, effective_km, route_edges

sync_graph = sync_agreements

__all__ = [
    "LocationMetrics",
    "PeerGraph",
    "RoadGraph",
    "add_edges",
    "build_graph",
    "distance_path",
    "effective_km",
    "peer_graph",
    "peer_rows",
    "peer_share",
    "peer_stats",
    "peers_to_graphml",
    "province_matrix",
    "route_edges",
    "row_normalised",
    "spillover",
    "sync_agreements",
    "sync_graph",
    "sync_provinces",
    "sync_roads",
    "to_graphml",
    "write_graphs",
]
