"""Graph metrics per recorded quarter, as tidy rows ``quarter, layer, node, metric, value``.

Location layers (computed from arrays, not from the networkx view, so a call costs well under
2 ms):

- ``cooperation`` (agreement + province edges): the weight of a pair is HCMC's mean tie
  strength with the unit (agreement layer) plus the province-layer weight. ``degree`` counts
  neighbours with a positive weight, ``strength`` sums the weights, ``betweenness`` is
  shortest-path betweenness with edge length ``1 / weight`` (strong ties are short).
- ``road``: ``betweenness`` on the road graph (capitals and junctions) with edge length = the
  effective km; reported for the location nodes (their capitals). Cached per set of effective
  km, which changes only when an expressway section opens.

Betweenness is normalised like networkx (undirected, ``normalized=True``): the share of
shortest paths between pairs of other nodes that pass through the node, divided by
``(n − 1)(n − 2) / 2`` pairs.

Peer layer ``peers`` (its structure computed only when the peer graph changes):
``mean_degree``, ``max_degree``, ``clustering`` (global transitivity ``3 × triangles /
connected triples``) and, per location, ``share_with_peer_present``: the share of all firms with
at least one peer that operates there.

The functions without a ``quarter`` argument return rows ``layer, node, metric, value``;
:func:`stamp` puts the quarter label in front.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, issparse, triu
from scipy.sparse.csgraph import shortest_path

from simulation.model.network.roads import RoadGraph
from simulation.timeline import quarter_label

COLUMNS = ("quarter", "layer", "node", "metric", "value")


def betweenness(lengths: np.ndarray) -> np.ndarray:
    """Shortest-path betweenness of every node of a small undirected weighted graph.

    Dense Brandes: distances by Dijkstra, path counts ``σ`` from the shortest-path DAG by a
    batched linear solve ``(I − Pₛᵀ) σₛ = eₛ``, then ``Σ_{s≠v≠t} σ_sv σ_vt / σ_st`` over
    pairs whose shortest path passes through ``v``. Cost O(n³): meant for n ≲ 200.

    Args:
        lengths: Symmetric (n, n) matrix of edge lengths > 0; 0 or ``inf`` = no edge.

    Returns:
        Betweenness, shape (n,), normalised as networkx's ``betweenness_centrality``.
    """
    w = np.asarray(lengths, dtype=float)
    w = np.where(np.isfinite(w), w, 0.0)
    n = len(w)
    if n < 3:
        return np.zeros(n)
    D = shortest_path(w, method="D", directed=False)
    tol = 1e-9 * max(1.0, float(np.max(D[np.isfinite(D)])))
    edge = w > 0
    with np.errstate(invalid="ignore"):  # inf − inf between components: NaN, never on a path
        # P[s, u, v] = 1 when edge u→v lies on a shortest path from s
        P = edge[None] & (np.abs(D[:, :, None] + w[None] - D[:, None, :]) <= tol)
        through = np.abs(D[:, :, None] + D[None, :, :] - D[:, None, :]) <= tol  # [s, v, t]
    eye = np.eye(n)
    sigma = np.linalg.solve(eye[None] - np.transpose(P, (0, 2, 1)), eye[:, :, None])[..., 0]
    sigma = np.rint(sigma)  # path counts are integers; removes solver rounding
    pair = np.isfinite(D) & ~np.eye(n, dtype=bool)
    ratio = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=pair & (sigma > 0))
    contrib = sigma[:, :, None] * sigma[None, :, :] * ratio[:, None, :] * through
    idx = np.arange(n)
    contrib[:, idx, idx] = 0.0  # t = v
    contrib[idx, idx, :] = 0.0  # s = v
    return contrib.sum(axis=(0, 2)) / ((n - 1) * (n - 2))


def cooperation_matrix(mean_strength: np.ndarray, province: csr_matrix | np.ndarray,
                       origin: int) -> np.ndarray:
    """Weights of the cooperation layer: agreement mean strength + province-layer weight.

    Args:
        mean_strength: HCMC's mean tie strength with each location (L,), in [0, 1].
        province: Province-layer weights (L, L).
        origin: Position of HCMC.

    Returns:
        Symmetric dense (L, L) matrix with zero diagonal.
    """
    C = province.toarray() if issparse(province) else np.array(province, dtype=float)
    s = np.asarray(mean_strength, dtype=float).copy()
    s[origin] = 0.0
    C[origin, :] += s
    C[:, origin] += s
    return C


def transitivity(adj: csr_matrix) -> float:
    """Global clustering ``3 × triangles / connected triples`` of a 0/1 symmetric matrix.

    Triangles by sparse algebra: with edges oriented from lower to higher (degree, id) rank,
    ``sum((D @ D) ∘ D)`` = ``trace(A³) / 6`` counts each triangle once while keeping the
    wedge product small for heavy-tailed degrees.
    """
    A = csr_matrix(adj)
    deg = np.diff(A.indptr).astype(float)
    triples = float((deg * (deg - 1)).sum())  # 2 × connected triples
    if triples == 0:
        return 0.0
    rank = np.empty(len(deg), dtype=np.int64)
    rank[np.lexsort((np.arange(len(deg)), deg))] = np.arange(len(deg))
    coo = triu(A, k=1).tocoo()
    up = rank[coo.row] < rank[coo.col]
    rows = np.where(up, coo.row, coo.col)
    cols = np.where(up, coo.col, coo.row)
    D = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=A.shape)
    triangles = float((D @ D).multiply(D).sum())
    return 6.0 * triangles / triples


def _label(quarter: int | str) -> str:
    return quarter_label(int(quarter)) if isinstance(quarter, int | np.integer) else str(quarter)


def _rows(layer: str | Sequence[str], node: Sequence[str], metric: str | Sequence[str],
          value: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"layer": layer, "node": list(node), "metric": metric,
                         "value": np.asarray(value, dtype=float)})


def stamp(rows: pd.DataFrame, quarter: int | str) -> pd.DataFrame:
    """Rows ``layer, node, metric, value`` with the quarter label (``2024Q3``) in front."""
    rows.insert(0, "quarter", _label(quarter))
    return rows


def location_rows(quarter: int | str, codes: Sequence[str], coop: np.ndarray,
                  road_betweenness: np.ndarray | None) -> pd.DataFrame:
    """Tidy rows of the location layers from the cooperation weights and road betweenness.

    Args:
        quarter: Quarter label (``2024Q3``) or absolute index.
        codes: Location codes (L,).
        coop: Cooperation weights (L, L) from :func:`cooperation_matrix`.
        road_betweenness: Road betweenness of each location's capital (L,), or None.
    """
    L = len(codes)
    lengths = np.divide(1.0, coop, out=np.zeros_like(coop), where=coop > 0)
    values = [(coop > 0).sum(axis=1), coop.sum(axis=1), betweenness(lengths)]
    layer = ["cooperation"] * (3 * L)
    metric = [m for m in ("degree", "strength", "betweenness") for _ in range(L)]
    if road_betweenness is not None:
        values.append(road_betweenness)
        layer += ["road"] * L
        metric += ["betweenness"] * L
    return stamp(_rows(layer, list(codes) * len(values), metric, np.concatenate(values)),
                 quarter)


def cooperation(codes: Sequence[str], W: np.ndarray, partner: np.ndarray, unit: np.ndarray,
                province_weights: csr_matrix | np.ndarray, origin: int = 0) -> pd.DataFrame:
    """Cooperation-layer rows as a DataFrame (see :func:`cooperation_chunk`)."""
    return frame([cooperation_chunk(codes, W, partner, unit, province_weights, origin)])


Chunk = tuple[list[str], list[str], list[str], np.ndarray]  # layer, node, metric, value


def frame(chunks: Sequence[Chunk], quarters: Sequence[str] | None = None) -> pd.DataFrame:
    """One DataFrame from metric chunks (with a quarter column when ``quarters`` is given)."""
    cols = {"layer": [], "node": [], "metric": [], "value": []}
    qcol: list[str] = []
    for i, (layer, node, metric, value) in enumerate(chunks):
        cols["layer"] += layer
        cols["node"] += node
        cols["metric"] += metric
        cols["value"].append(np.asarray(value, dtype=float))
        if quarters is not None:
            qcol += [quarters[i]] * len(node)
    out = pd.DataFrame({k: (np.concatenate(v) if k == "value" and v else v)
                        for k, v in cols.items()})
    if quarters is not None:
        out.insert(0, "quarter", qcol)
    return out


def cooperation_chunk(codes: Sequence[str], W: np.ndarray, partner: np.ndarray,
                      unit: np.ndarray, province_weights: csr_matrix | np.ndarray,
                      origin: int = 0) -> Chunk:
    """Cooperation-layer rows of the units active this quarter (after the 2025 reform too).

    Province links between places are summed into links between their units; agreement ties
    join HCMC to the partner units with their mean strength over the fields.

    Args:
        codes: Place codes (L,); a unit is named by the code of its slot.
        W: (L, C) tie strength per unit slot and field, in [0, 1].
        partner: (L,) bool: unit slots with a cooperation programme this quarter.
        unit: (L,) int: the unit slot of each place.
        province_weights: (L, L) place-level province-layer weights.
        origin: HCMC's slot (first in model order).

    Returns:
        Rows ``layer, node, metric, value`` (no quarter, see :func:`stamp`): ``cooperation``
        ``degree``, ``strength``, ``betweenness`` and ``agreement`` ``tie_strength``.
    """
    unit = np.asarray(unit, dtype=np.int64)
    L = len(codes)
    M = np.zeros((L, L))
    M[np.arange(L), unit] = 1.0
    P = province_weights.toarray() if issparse(province_weights) else np.asarray(
        province_weights, dtype=float)
    P = M.T @ P @ M
    np.fill_diagonal(P, 0.0)
    agree = np.where(partner, np.asarray(W).mean(axis=1), 0.0)
    units = np.unique(unit)
    C = cooperation_matrix(agree, P, origin)[np.ix_(units, units)]
    lengths = np.divide(1.0, C, out=np.zeros_like(C), where=C > 0)
    names = [codes[u] for u in units]
    n = len(units)
    return (["cooperation"] * (3 * n) + ["agreement"] * n, names * 4,
            [m for m in ("degree", "strength", "betweenness", "tie_strength")
             for _ in range(n)],
            np.concatenate([(C > 0).sum(axis=1), C.sum(axis=1), betweenness(lengths),
                            agree[units]]).astype(float))


class LocationMetrics:
    """Metrics of the location layers per quarter; road betweenness cached per edge km.

    Args:
        road: The road graph (locations in model order).
    """

    def __init__(self, road: RoadGraph):
        self.road = road
        self._cache: dict[bytes, np.ndarray] = {}

    def road_betweenness(self, effective_km: np.ndarray) -> np.ndarray:
        """Betweenness of each location's capital on the road graph (L,)."""
        km = np.asarray(effective_km, dtype=float)
        key = km.tobytes()
        if key not in self._cache:
            b = betweenness(self.road.matrix(km).toarray())
            self._cache[key] = b[self.road.capital]
        return self._cache[key]

    def road_rows(self, effective_km: np.ndarray) -> pd.DataFrame:
        """Rows ``road, <location>, betweenness`` (no quarter, see :func:`stamp`)."""
        return _rows("road", self.road.location_codes, "betweenness",
                     self.road_betweenness(effective_km))

    def __call__(self, quarter: int | str, mean_strength: np.ndarray,
                 province: csr_matrix | np.ndarray, effective_km: np.ndarray) -> pd.DataFrame:
        """Tidy rows for one quarter.

        Args:
            quarter: Quarter label or absolute index.
            mean_strength: HCMC's mean tie strength with each location (L,).
            province: Province-layer weights (L, L).
            effective_km: Effective km of the road edges (E,).
        """
        coop = cooperation_matrix(mean_strength, province, self.road.origin)
        return location_rows(quarter, self.road.location_codes, coop,
                             self.road_betweenness(effective_km))


def peer_structure(adj: csr_matrix) -> pd.DataFrame:
    """Rows ``peers, all, mean_degree | max_degree | clustering`` of the peer graph.

    Costly on large graphs (triangles): recompute only when the graph changes.
    """
    deg = np.diff(csr_matrix(adj).indptr)
    head = [deg.mean() if len(deg) else 0.0, deg.max() if len(deg) else 0.0, transitivity(adj)]
    return _rows("peers", ["all"] * 3, ["mean_degree", "max_degree", "clustering"], head)


def peer_reach(codes: Sequence[str], adj: csr_matrix, presence: np.ndarray | csr_matrix
               ) -> pd.DataFrame:
    """Rows ``peers, <location>, share_with_peer_present`` (share of all firms).

    The share of all firms with at least one peer operating in the location.

    Args:
        codes: Location codes (L,).
        adj: Symmetric (n, n) 0/1 peer matrix.
        presence: (n, L) boolean or 0/1 (dense or sparse): firm operates in the location.
    """
    pres = presence.astype(float) if issparse(presence) else np.asarray(presence, dtype=float)
    reach = adj @ pres
    reach = reach.toarray() if issparse(reach) else np.asarray(reach)
    share = (reach > 0).sum(axis=0) / max(adj.shape[0], 1)
    return _rows("peers", codes, "share_with_peer_present", share)


def peer_rows(quarter: int | str, adj: csr_matrix, presence: np.ndarray | csr_matrix,
              codes: Sequence[str]) -> pd.DataFrame:
    """Tidy rows of the peer layer: :func:`peer_structure` and :func:`peer_reach`.

    Args:
        quarter: Quarter label or absolute index.
        adj: Symmetric (n, n) 0/1 peer matrix.
        presence: (n, L) boolean or 0/1: firm operates a project in the location.
        codes: Location codes (L,).
    """
    return stamp(pd.concat([peer_structure(adj), peer_reach(codes, adj, presence)],
                           ignore_index=True), quarter)


def peer_stats(adj: csr_matrix, sector: np.ndarray) -> dict[str, float]:
    """Summary of a generated peer graph: degrees, homophily share and clustering."""
    coo = triu(adj, k=1).tocoo()
    deg = np.diff(csr_matrix(adj).indptr)
    sector = np.asarray(sector)
    return {"firms": float(adj.shape[0]), "ties": float(coo.nnz),
            "mean_degree": float(deg.mean()), "max_degree": float(deg.max()),
            "isolated_share": float((deg == 0).mean()),
            "homophily": float((sector[coo.row] == sector[coo.col]).mean()) if coo.nnz else 0.0,
            "clustering": transitivity(adj)}


def reach_chunk(codes: Sequence[str], share: np.ndarray) -> Chunk:
    """Per location, the share of firms with at least one peer present there.

    Args:
        codes: Location codes (L,).
        share: (n, L) share of each firm's peers present in each location.
    """
    n = share.shape[0]
    values = (share > 0).sum(axis=0) / n if n else np.zeros(len(codes))
    L = len(codes)
    return ["peers"] * L, list(codes), ["share_with_peer_present"] * L, values


def chunk_of(rows: pd.DataFrame) -> Chunk:
    """A metric chunk from rows ``layer, node, metric, value``."""
    return (list(rows["layer"]), list(rows["node"]), list(rows["metric"]),
            rows["value"].to_numpy(float))
