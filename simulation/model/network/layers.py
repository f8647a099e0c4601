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

if TYPE_CHECKING:
    from simulation.model.state import State

STREAM_MATCH, STREAM_ASSOC = 7, 8  # counter-based streams of the network levers


class Layers:
    """The province, peer and contact layers of one run."""

    def __init__(self, cfg: NetworkConfig, base: sparse.csr_matrix, codes: list[str],
                 peer_adj: sparse.csr_matrix, n_firms: int, road: roads.RoadGraph,
                 view: graph.nx.MultiGraph, field_codes: list[str]):
        self.cfg, self.codes, self.field_codes = cfg, codes, field_codes
        self.road, self.graph = road, view  # the road graph; the multilayer networkx view
        self._location_metrics = metrics.LocationMetrics(road)
        self.base = base  # (L, L) province weights from the data
        self.regional = np.zeros(base.shape)  # scenario's partner–partner weights
        self.neighbours = provinces.row_normalised(base)
        self.peers = peer_adj
        self.degree = np.asarray(peer_adj.sum(axis=1)).ravel()
        self.presence = sparse.csr_matrix((n_firms, len(codes)))  # firm operates in place
        self.share = np.zeros((n_firms, len(codes)))  # share of each firm's peers present
        self.neighbours_dense = np.asarray(self.neighbours.todense())
        self._peer_metrics: pd.DataFrame | None = None

    @classmethod
    def build(cls, inputs: Inputs, cfg: NetworkConfig, firm_sector: np.ndarray,
              rng: np.random.Generator) -> Layers:
        """The layers of a run; the peer graph is drawn from the run's world generator."""
        base = provinces.adjacency(inputs.adjacency, list(inputs.locations.index),
                                   cfg.border_weight, cfg.regional_weight)
        adj = (peers.peer_graph(firm_sector, cfg.peer_mean_degree, cfg.peer_tail_exponent,
                                cfg.peer_homophily, rng) if cfg.peer_effects
               else sparse.csr_matrix((len(firm_sector), len(firm_sector))))
        road = roads.RoadGraph.from_inputs(inputs)
        fields = list(inputs.fields.index)
        view = graph.build_graph(inputs, fields, base)
        return cls(cfg, base, list(inputs.locations.index), adj, len(firm_sector), road, view,
                   fields)

    # ------------------------------------------------------------------ quarterly update
    def update(self, m: Any, k: int) -> None:
        """Levers on the graph this quarter: partner agreements, matchmaking, associations."""
        s = m.schedule
        if not np.array_equal(s.regional[k], self.regional):
            self.regional = s.regional[k].copy()
            self.neighbours = provinces.row_normalised(self.base + sparse.csr_matrix(
                self.regional))
            self.neighbours_dense = np.asarray(self.neighbours.todense())
        if s.match_firms[k].any():
            self._matchmaking(m, k)
        if self.cfg.peer_effects and s.assoc_links[k].any():
            self._associations(m, k)

    def _matchmaking(self, m: Any, k: int) -> None:
        """Each unit's events this quarter link HCMC firms of the chosen sectors with it."""
        st, t = m.state, m.quarter
        gain = m.p.information.contact_gain
        for u, s_ in zip(*np.nonzero(m.schedule.match_firms[k]), strict=True):
            n = m.schedule.match_firms[k, u, s_] / m.world.scale
            pool = np.flatnonzero(m.firms.sector == s_)
            draw = crn.uniforms(crn.subkey(m.stream_key, STREAM_MATCH, t, int(u), int(s_)), pool)
            met = pool[draw < min(1.0, n / max(pool.size, 1))]
            places = np.flatnonzero(st.unit == u)
            for p in places:
                st.experience[met, p] = 1.0 - (1.0 - st.experience[met, p]) * (1.0 - gain)

    def _associations(self, m: Any, k: int) -> None:
        """Events in a unit tie HCMC firms not present there to peers operating there."""
        st, t = m.state, m.quarter
        new_a, new_b = [], []
        for u in np.flatnonzero(m.schedule.assoc_links[k]):
            places = np.flatnonzero(st.unit == u)
            present = np.flatnonzero(np.asarray(self.presence[:, places].sum(axis=1)).ravel())
            if present.size == 0:
                continue
            n = int(np.floor(m.schedule.assoc_links[k, u] / m.world.scale))
            key = crn.subkey(m.stream_key, STREAM_ASSOC, t, int(u))
            draws = crn.uniforms2d(key, np.arange(n), 2)
            a = (draws[:, 0] * m.firms.n).astype(np.int64)
            b = present[(draws[:, 1] * present.size).astype(np.int64)]
            keep = a != b
            new_a.append(a[keep])
            new_b.append(b[keep])
        if new_a:
            self.peers = peers.add_edges(self.peers, np.concatenate(new_a), np.concatenate(new_b))
            self.degree = np.asarray(self.peers.sum(axis=1)).ravel()
            self._peer_metrics = None

    # ------------------------------------------------------------------ what firms read
    def spill_ties(self, W: np.ndarray) -> np.ndarray:
        """Tie strength each unit's firms feel: its own plus its neighbours' spillover."""
        if not self.cfg.province_links:
            return W
        return ties.spillover(W, self.neighbours_dense, self.cfg.tie_spillover)

    def felt_experience(self, experience: np.ndarray) -> np.ndarray:
        """Firms' experience of each place, with experience of neighbouring places counting."""
        if not self.cfg.province_links:
            return experience
        near = experience @ self.neighbours_dense.T
        return experience + self.cfg.experience_spillover * near * (1.0 - experience)

    def felt_experience_at(self, experience: np.ndarray, firm: np.ndarray, place: np.ndarray
                           ) -> np.ndarray:
        """:meth:`felt_experience` of firms ``firm`` at one place each (``place``)."""
        own = experience[firm, place]
        if not self.cfg.province_links:
            return own
        near = (experience[firm] * self.neighbours_dense[place]).sum(axis=1)
        return own + self.cfg.experience_spillover * near * (1.0 - own)

    def peer_share(self, firms: np.ndarray) -> np.ndarray:
        """(len(firms), L) share of each firm's peers operating in each place."""
        if not self.cfg.peer_effects or firms.size == 0:
            return np.zeros((firms.size, len(self.codes)))
        return self.share[firms]

    def observe(self, m: Any) -> None:
        """Which firms operate where, after the quarter's lifecycle."""
        if not self.cfg.peer_effects:
            return
        lg = m.ledger
        op = lg.view("state") == OPERATING
        firm, loc = lg.view("firm")[op], lg.view("loc")[op]
        L = len(self.codes)
        pair = np.unique(firm * L + loc)  # a firm operating several projects in a place
        firm, loc = pair // L, pair % L
        self.presence = sparse.csr_matrix((np.ones(pair.size), (firm, loc)),
                                          shape=self.presence.shape)
        # once a quarter, for every firm, the share of its peers operating in each place: each
        # present firm adds one to each of its peers (the peer graph is symmetric)
        start, size = self.peers.indptr[firm], np.diff(self.peers.indptr)[firm]
        first = np.cumsum(size) - size  # where each firm's peers begin in the gathered list
        pos = np.arange(int(size.sum())) - np.repeat(first - start, size)
        nbr = self.peers.indices[pos]
        where = np.repeat(loc, size)
        counts = np.bincount(nbr * L + where, minlength=self.share.size).reshape(
            self.share.shape).astype(float)
        self.share = np.divide(counts, self.degree[:, None], out=np.zeros_like(counts),
                               where=self.degree[:, None] > 0)

    # ------------------------------------------------------------------ output
    def metrics(self, label: str, quarter: int, state: State, sections: pd.DataFrame
                ) -> list[metrics.Chunk]:
        """The quarter's network metrics as tidy rows (quarter, layer, node, metric, value).

        The graph view is brought in line with the model's arrays first.
        """
        weights = self.base + sparse.csr_matrix(self.regional)
        edge_km = roads.effective_km(self.road, sections,
                                     roads.open_masks(sections, [quarter])[0])
        graph.sync_agreements(self.graph, self.codes, self.field_codes,
                              np.where((state.partner & state.active)[:, None], state.W, 0.0),
                              state.levels, state.active)
        graph.sync_roads(self.graph, edge_km)
        coop = metrics.cooperation_chunk(self.codes, state.W, state.partner & state.active,
                                         state.unit, weights)
        if self._peer_metrics is None:  # the graph changed: recompute its structure
            self._peer_metrics = metrics.chunk_of(metrics.peer_structure(self.peers))
        L = len(self.codes)
        road = (["road"] * L, list(self.codes), ["betweenness"] * L,
                self._location_metrics.road_betweenness(edge_km))
        return [coop, road, self._peer_metrics, metrics.reach_chunk(self.codes, self.share)]
