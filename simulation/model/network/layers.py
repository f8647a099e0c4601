"""The network layers as the model reads them each quarter (sparse matrices, vectorised).

- **province**: province–province links (shared borders, regional agreements from the data,
  partner–partner agreements from the scenario), row-normalised; tie strength and firms'
  experience spill over along them;
- **peers**: the firm–firm graph of HCMC firms (sector associations and supplier relations),
  with business-association events adding ties; a firm's information about a place and its
  chance of considering it rise with the share of its peers operating there;
- **contacts**: firm–province edges made at matchmaking events (they act like a little
  experience of the province);
- the **agreement** layer is the ties ``W`` of the state, and the **road** layer the
  schedule's distances (:mod:`simulation.model.network.roads`).

Each layer has a switch under ``params.network``; switched off, it contributes nothing. The
methods that take the model (``m``) read it as :class:`simulation.model.context.ModelContext`
describes (typed ``Any`` here: the context itself refers to this module).

A batch of replications (:class:`~simulation.model.tiling.Tiling`) has one peer graph per
replication, stacked block-diagonally over the global firm ids, and shares the province
layer (the scenario is the same). Peers' presence is kept as sorted keys ``firm·L + place``
with their counts (a few thousand a quarter), not as a dense firms × places matrix. Per-quarter
metrics keep only their inputs and are computed when the network table is built; the networkx
view is brought in line with the last recorded quarter when it is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse

from simulation.config.params import NetworkConfig
from simulation.data import Inputs
from simulation.model.network import graph, metrics, peers, provinces, roads
from simulation.model.projects import OPERATING
from simulation.model.rules import crn, ties
from simulation.model.tiling import Tiling

if TYPE_CHECKING:
    from simulation.model.state import State

STREAM_MATCH, STREAM_ASSOC = 7, 8  # counter-based streams of the network levers


class Layers:
    """The province, peer and contact layers of one run (or of a batch of replications)."""

    def __init__(self, cfg: NetworkConfig, base: sparse.csr_matrix, codes: list[str],
                 peer_adj: sparse.csr_matrix, n_firms: int, road: roads.RoadGraph,
                 inputs: Inputs, field_codes: list[str], tiling: Tiling | None = None):
        self.cfg, self.codes, self.field_codes = cfg, codes, field_codes
        self.road, self._inputs = road, inputs  # the road graph; the networkx view's source
        self.tiling = tiling
        self._location_metrics = _location_metrics(road)
        self.base = base  # (L, L) province weights from the data
        self.regional = np.zeros(base.shape)  # scenario's partner–partner weights
        self.weights = base + sparse.csr_matrix(self.regional)  # both, for the metrics
        self.neighbours = provinces.row_normalised(base)
        self.neighbours_dense = np.asarray(self.neighbours.todense())
        self.n_firms = n_firms
        self.peers = peer_adj
        self.degree = np.asarray(peer_adj.sum(axis=1)).ravel()
        L = len(codes)
        self._operating = np.zeros(n_firms * L, dtype=np.int32)  # projects: firm·L + place
        self._seen = 0  # ledger log entries already counted in _operating
        self._present = np.zeros(n_firms * L, dtype=np.int32)  # peers present: firm·L + place
        self._share_degree = self.degree  # the degrees the presence counts were taken with
        self._stale = False  # the peer graph changed: count again from scratch
        self.reach = np.zeros((1 if tiling is None else tiling.R, L),
                              dtype=np.int64)  # firms with a peer present, per place
        self._peer_metrics: dict[tuple, tuple] = {}  # (graph id, replication) → structure
        self._graph = None
        self._sync: tuple | None = None  # what the graph view must show when next read
        self._edge_kms: dict[tuple, tuple] = {}  # (sections, open mask) → (sections, edge km)

    @classmethod
    def build(cls, inputs: Inputs, cfg: NetworkConfig, firm_sector: np.ndarray,
              rng: np.random.Generator | list[np.random.Generator],
              tiling: Tiling | None = None) -> Layers:
        """The layers of a run; the peer graph is drawn from the run's world generator.

        For a batch, ``rng`` holds one generator per replication and ``firm_sector`` their
        firms one replication after another.
        """
        rngs = rng if isinstance(rng, list) else [rng]
        n = len(firm_sector) // len(rngs)
        base = provinces.adjacency(inputs.adjacency, list(inputs.locations.index),
                                   cfg.border_weight, cfg.regional_weight)
        if cfg.peer_effects:
            blocks = [peers.peer_graph(firm_sector[r * n:(r + 1) * n], cfg.peer_mean_degree,
                                       cfg.peer_tail_exponent, cfg.peer_homophily, g)
                      for r, g in enumerate(rngs)]
            adj = blocks[0] if len(blocks) == 1 else peers.block_diagonal(blocks)
        else:
            adj = sparse.csr_matrix((len(firm_sector), len(firm_sector)))
        return cls(cfg, base, list(inputs.locations.index), adj, len(firm_sector),
                   roads.RoadGraph.of(inputs), inputs, list(inputs.fields.index), tiling)

    @property
    def graph(self) -> graph.nx.MultiGraph:
        """The multilayer networkx view, in line with the last recorded quarter."""
        if self._graph is None:
            self._graph = graph.build_graph(self._inputs, self.field_codes, self.base)
        if self._sync is not None:
            W, levels, active, edge_km = self._sync
            graph.sync_agreements(self._graph, self.codes, self.field_codes, W, levels, active)
            graph.sync_roads(self._graph, edge_km)
            self._sync = None
        return self._graph

    @property
    def presence(self) -> sparse.csr_matrix:
        """(firms, L) 1 where a firm operates a project in a place (after the last quarter)."""
        L = len(self.codes)
        pairs = np.flatnonzero(self._operating)
        return sparse.csr_matrix((np.ones(pairs.size), (pairs // L, pairs % L)),
                                 shape=(self.n_firms, L))

    # ------------------------------------------------------------------ quarterly update
    def update(self, m: Any, k: int) -> None:
        """Levers on the graph this quarter: partner agreements, matchmaking, associations."""
        s = m.schedule
        if not np.array_equal(s.regional[k], self.regional):
            self.regional = s.regional[k].copy()
            self.weights = self.base + sparse.csr_matrix(self.regional)
            self.neighbours = provinces.row_normalised(self.weights)
            self.neighbours_dense = np.asarray(self.neighbours.todense())
        if s.match_firms[k].any():
            self._matchmaking(m, k)
        if self.cfg.peer_effects and s.assoc_links[k].any():
            self._associations(m, k)

    def _matchmaking(self, m: Any, k: int) -> None:
        """Each unit's events this quarter link HCMC firms of the chosen sectors with it."""
        st, t, tl = m.state, m.quarter, m.tiling
        gain = m.p.information.contact_gain
        for r in range(tl.R):
            sector = m.firms.sector[r * tl.n:(r + 1) * tl.n]
            for u, s_ in zip(*np.nonzero(m.schedule.match_firms[k]), strict=True):
                n = m.schedule.match_firms[k, u, s_] / m.world.scale
                pool = np.flatnonzero(sector == s_)
                draw = crn.uniforms(crn.subkey(m.stream_keys[r], STREAM_MATCH, t, int(u),
                                               int(s_)), pool)
                met = pool[draw < min(1.0, n / max(pool.size, 1))] + r * tl.n
                places = tl.local_place[np.flatnonzero(st.unit == r * tl.L + u)]
                for p in places:
                    st.experience[met, p] = 1.0 - (1.0 - st.experience[met, p]) * (1.0 - gain)

    def _associations(self, m: Any, k: int) -> None:
        """Events in a unit tie HCMC firms not present there to peers operating there."""
        st, t, tl = m.state, m.quarter, m.tiling
        L = len(self.codes)
        pairs = np.flatnonzero(self._operating)
        firm_of, place_of = pairs // L, pairs % L
        new_a, new_b = [], []
        for r in range(tl.R):
            for u in np.flatnonzero(m.schedule.assoc_links[k]):
                places = tl.local_place[np.flatnonzero(st.unit == r * tl.L + u)]
                mine = (firm_of // tl.n == r) & np.isin(place_of, places)
                present = np.unique(firm_of[mine]) - r * tl.n
                if present.size == 0:
                    continue
                n = int(np.floor(m.schedule.assoc_links[k, u] / m.world.scale))
                key = crn.subkey(m.stream_keys[r], STREAM_ASSOC, t, int(u))
                draws = crn.uniforms2d(key, np.arange(n), 2)
                a = (draws[:, 0] * tl.n).astype(np.int64)
                b = present[(draws[:, 1] * present.size).astype(np.int64)]
                keep = a != b
                new_a.append(a[keep] + r * tl.n)
                new_b.append(b[keep] + r * tl.n)
        if new_a:
            self.peers = peers.add_edges(self.peers, np.concatenate(new_a), np.concatenate(new_b))
            self.degree = np.asarray(self.peers.sum(axis=1)).ravel()
            self._stale = True

    # ------------------------------------------------------------------ what firms read
    def spill_ties(self, W: np.ndarray) -> np.ndarray:
        """Tie strength each unit's firms feel: its own plus its neighbours' spillover.

        ``W`` is (R, L, C) for a batch (one block per replication).
        """
        if not self.cfg.province_links:
            return W
        return ties.spillover(W, self.neighbours_dense, self.cfg.tie_spillover)

    def felt_experience(self, experience: np.ndarray, bounds: np.ndarray | None = None
                        ) -> np.ndarray:
        """Firms' experience of each place, with experience of neighbouring places counting.

        Args:
            experience: (m, L) experience of m firms.
            bounds: for the firms of a batch (sorted by replication), where each
                replication's rows begin and end (R + 1,): the product with the neighbour
                weights is taken replication by replication, in the shapes of its own run.
        """
        if not self.cfg.province_links:
            return experience
        if bounds is None or len(bounds) <= 2:
            near = experience @ self.neighbours_dense.T
        else:
            near = np.concatenate([experience[a:b] @ self.neighbours_dense.T
                                   for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
        return experience + self.cfg.experience_spillover * near * (1.0 - experience)

    def felt_experience_at(self, experience: np.ndarray, firm: np.ndarray, place: np.ndarray
                           ) -> np.ndarray:
        """:meth:`felt_experience` of firms ``firm`` at one (local) place each (``place``)."""
        own = experience[firm, place]
        if not self.cfg.province_links:
            return own
        # each firm's row of experience times its place's row of neighbour weights, summed row
        # by row: felt_experience's terms for these pairs only (its matrix product adds them in
        # another order: equal up to rounding). Far projects' risks ask this of a few per cent
        # of them a quarter (lifecycle._far_events).
        near = (experience[firm] * self.neighbours_dense[place]).sum(axis=1)
        return own + self.cfg.experience_spillover * near * (1.0 - own)

    def share_at(self, firm: np.ndarray, place: np.ndarray) -> np.ndarray:
        """Share of each firm's peers operating at a (local) place, elementwise."""
        counts = self._present[np.asarray(firm, dtype=np.int64) * len(self.codes)
                               + place].astype(float)
        deg = self._share_degree[firm]
        return np.divide(counts, deg, out=np.zeros_like(counts), where=deg > 0)

    def peer_share(self, firms: np.ndarray) -> np.ndarray:
        """(len(firms), L) share of each firm's peers operating in each place."""
        L = len(self.codes)
        if not self.cfg.peer_effects or firms.size == 0:
            return np.zeros((firms.size, L))
        counts = self._present.reshape(-1, L)[firms].astype(float)
        deg = self._share_degree[firms][:, None]
        return np.divide(counts, deg, out=np.zeros_like(counts), where=deg > 0)

    def observe(self, m: Any) -> None:
        """Which firms operate where, after the quarter's lifecycle.

        Each firm's count of peers present at each place changes only where a firm starts or
        stops operating at a place, so the counts are updated by those changes (integers:
        the same whatever the order); a changed peer graph is counted again from scratch.
        The firms' operating projects per place follow the ledger's log of transitions.
        """
        if not self.cfg.peer_effects:
            return
        lg, tl = m.ledger, m.tiling
        L = len(self.codes)
        ev, self._seen = lg.events_since(self._seen)
        delta = (ev[:, 3] == OPERATING).astype(np.int32) - (ev[:, 2] == OPERATING)
        moved = np.flatnonzero(delta)
        rows = ev[moved, 0]
        key = lg.firm[rows] * L + tl.local_place[lg.loc[rows]]
        order = np.argsort(key, kind="stable")
        key, delta = key[order], delta[moved][order]
        first = np.flatnonzero(_firsts(key))
        key = key[first]
        before = self._operating[key] > 0
        if key.size:
            self._operating[key] += np.add.reduceat(delta, first).astype(np.int32)
        after = self._operating[key] > 0
        if self._stale:
            self._present[:] = 0
            self.reach[:] = 0
            self._stale = False
            self._count(np.flatnonzero(self._operating), 1)
        else:
            self._count(key[after & ~before], 1)
            self._count(key[before & ~after], -1)
        self._share_degree = self.degree

    def _count(self, pairs: np.ndarray, sign: int) -> None:
        """Add ``sign`` to the counts of the peers of each (firm, place) pair."""
        if pairs.size == 0:
            return
        L = len(self.codes)
        firm, loc = pairs // L, pairs % L
        start, size = self.peers.indptr[firm], np.diff(self.peers.indptr)[firm]
        first = np.cumsum(size) - size  # where each firm's peers begin in the gathered list
        pos = np.arange(int(size.sum())) - np.repeat(first - start, size)
        key = np.sort(self.peers.indices[pos].astype(np.int64) * L + np.repeat(loc, size))
        first = np.flatnonzero(_firsts(key))
        touched = key[first]
        before = self._present[touched] > 0
        self._present[touched] += sign * np.diff(np.append(first, key.size)).astype(np.int32)
        change = (self._present[touched] > 0).astype(np.int64) - before
        n = self.n_firms // self.reach.shape[0]
        self.reach += np.bincount(touched // L // n * L + touched % L, weights=change,
                                  minlength=self.reach.size).reshape(self.reach.shape
                                                                     ).astype(np.int64)

    # ------------------------------------------------------------------ output
    def record(self, quarter: int, state: State, sections: pd.DataFrame) -> list[tuple]:
        """What the quarter's network metrics need, per replication (computed later).

        The graph view is marked for syncing with these arrays when it is next read.
        """
        edge_km = self._edge_km(sections, roads.open_masks(sections, [quarter])[0])
        tl = self.tiling
        shown = state.partner & state.active
        if tl is None or tl.R == 1:
            self._sync = (np.where(shown[:, None], state.W, 0.0), state.levels.copy(),
                          state.active.copy(), edge_km)
            blocks = [(state.W.copy(), shown.copy(), state.unit.copy())]
        else:
            W, sh, unit = tl.blocks(state.W), tl.blocks(shown), tl.blocks(state.unit)
            blocks = [(W[r].copy(), sh[r].copy(), unit[r] - r * tl.L) for r in range(tl.R)]
        return [(r, W, sh, unit, self.weights, edge_km, self.peers, self.reach[r].copy())
                for r, (W, sh, unit) in enumerate(blocks)]

    def _edge_km(self, sections: pd.DataFrame, open_mask: np.ndarray) -> np.ndarray:
        """The road edges' effective km with these sections open (read-only).

        Computed once per set of open sections: they change a few times over a run.
        """
        key = (id(sections), open_mask.tobytes())
        if key not in self._edge_kms or self._edge_kms[key][0] is not sections:
            km = roads.effective_km(self.road, sections, open_mask)
            km.flags.writeable = False
            self._edge_kms[key] = (sections, km)  # the table kept: its id stays its own
        return self._edge_kms[key][1]

    def _peer_chunk(self, adj: sparse.csr_matrix, r: int) -> metrics.Chunk:
        """The structure rows of replication ``r``'s block of peer graph ``adj`` (cached)."""
        key = (id(adj), r)
        if key not in self._peer_metrics:  # a graph not seen yet: compute its structure
            n = self.n_firms // self.reach.shape[0]
            block = adj if self.reach.shape[0] == 1 else adj[r * n:(r + 1) * n, r * n:(r + 1) * n]
            self._peer_metrics[key] = (adj, metrics.chunk_of(metrics.peer_structure(block)))
        return self._peer_metrics[key][1]

    def metrics(self, recorded: tuple) -> list[metrics.Chunk]:
        """The network metrics of one recorded quarter of one replication (see :meth:`record`).

        Rows ``layer, node, metric, value``: the cooperation layer of the units, road
        betweenness, the peer graph's structure and peers' reach.
        """
        r, W, shown, unit, weights, edge_km, adj, reach = recorded
        coop = metrics.cooperation_chunk(self.codes, W, shown, unit, weights)
        L = len(self.codes)
        road = (["road"] * L, list(self.codes), ["betweenness"] * L,
                self._location_metrics.road_betweenness(edge_km))
        n = self.n_firms // self.reach.shape[0]
        share = (["peers"] * L, list(self.codes), ["share_with_peer_present"] * L,
                 reach / n if n else np.zeros(L))
        return [coop, road, self._peer_chunk(adj, r), share]


def _firsts(key: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal values of a sorted array."""
    out = np.ones(key.size, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=out[1:])
    return out


_METRICS: list = []  # the last road graph and its metrics (road betweenness cache)


def _location_metrics(road: roads.RoadGraph) -> metrics.LocationMetrics:
    """Location metrics of a road graph, kept for the next run on the same graph."""
    if not _METRICS or _METRICS[0] is not road:
        _METRICS[:] = [road, metrics.LocationMetrics(road)]
    return _METRICS[1]
