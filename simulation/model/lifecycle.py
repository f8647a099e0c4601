"""Phase 5 (MODEL_SPEC §6): the project lifecycle as competing risks, and park-land allocation.

States: 0 proposal → 1 licensed → 2 construction → 3 operating; side states 4 paused,
5 terminated, 6 exited. One counter-based uniform per project and quarter picks at most one
transition. Government features (ties, DX, administrative capacity, implemented projects) are
those of the project's unit; park land is pooled per unit. The projects of a batch of
replications move in one pass (each draws from its replication's stream); park land is
allocated replication by replication, since a queue's running sums are its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.investment import STREAM_LIFECYCLE, stream_of
from simulation.model.projects import (
    CONSTRUCTION,
    EXITED,
    LICENSED,
    OPERATING,
    PAUSED,
    PROPOSAL,
    TERMINATED,
    from_stock,
)
from simulation.model.rules import choice, crn, land, lifecycle

if TYPE_CHECKING:
    from simulation.model.context import ModelContext


def step(m: ModelContext) -> None:
    """One quarter of every live project's lifecycle."""
    lg, lc, t, k, st = m.ledger, m.p.lifecycle, m.quarter, m.k, m.state
    state = lg.view("state")
    live = np.flatnonzero(state <= PAUSED)
    if live.size == 0:
        return
    u = crn.uniforms(stream_of(m, lg.rep[live], STREAM_LIFECYCLE, t), lg.key[live])
    # construction and operation risk a pause, operation an exit too. Neither risk exceeds
    # its value at the farthest place with no ties and no information (ties, information and
    # the distance effects are ≥ 0), so only a project whose uniform falls under the chance of
    # an event there can have one (the margin dwarfs the rounding of this bound). Most
    # projects operate and have none: they are set aside here, and the quarter's other
    # arrays are taken over the rest (construction projects stay: they disburse).
    far_d = float(st.log_rel_d.max())
    top = -np.expm1(-(float(np.max(m.members.of("lifecycle.pause_base")))
                      * np.exp(lc.pause_distance * far_d)
                      + lc.exit_base * np.exp(lc.exit_distance * far_d))) * (1.0 + 1e-6)
    keep = (state[live] != OPERATING) | (u < top)
    live, u = live[keep], u[keep]
    loc, sec = lg.loc[live], lg.sector[live]
    unit = st.unit[loc]
    S = m.world.sectors.n
    group = unit * S + sec  # a project's unit × sector: what its government features are
    # government features of every unit × sector (the hazards of most projects depend on
    # nothing else, so their cut points are computed once per group and gathered)
    g_unit = np.repeat(np.arange(st.unit.size), S)
    g_w = st.W_sector.ravel() if m.p.network.agreement_ties else np.zeros(g_unit.size)
    g_l3 = st.level3.ravel()
    log_d = st.log_rel_d[loc]
    st_ = state[live].copy()
    needs_ip, scale, L = m.world.sectors.needs_ip, m.world.scale, st.unit.size
    move: dict[int, list[np.ndarray]] = {}  # new state -> rows

    def add(rows: np.ndarray, new: int) -> None:
        move.setdefault(new, []).append(rows)

    def by_group(mask: np.ndarray, *hazards: np.ndarray) -> np.ndarray:
        """Events of the rows ``mask`` whose hazards are those of their group."""
        cuts = lifecycle.thresholds(np.stack(hazards, axis=1))
        return lifecycle.pick(u[mask], cuts, group[mask])

    # 0: proposal -> licensed | dropped
    m_ = st_ == PROPOSAL
    ev = by_group(m_, lifecycle.licensing(st.admin[g_unit], g_w, st.dx[g_unit], g_l3,
                                          lc.license_rate, lc.license_ties, lc.license_dx,
                                          lc.license_level3),
                  np.full(g_unit.size, lc.dropout_proposal))
    add(live[m_][ev == 0], LICENSED)
    add(live[m_][ev == 1], TERMINATED)
    # 1: licensed, waiting for land -> construction | dropped
    m_ = st_ == LICENSED
    ip = needs_ip[sec[m_]]
    ev = lifecycle.competing_risks(u[m_], np.stack([
        lifecycle.site_clearance(ip, lc.site_rate),
        lifecycle.waiting_dropout(t - lg.t_state[live[m_]], lc.dropout_waiting,
                                  lc.dropout_waiting_slope)], axis=1))
    add(live[m_][ev == 0], CONSTRUCTION)
    add(live[m_][ev == 1], TERMINATED)
    add(_allocate_land(m, live[m_][(ev == lifecycle.NONE) & ip]), CONSTRUCTION)
    # 2, 3: pause risk; 3: exit risk, only where the uniform is under the bound (above)
    m_ = (st_ == CONSTRUCTION) | (st_ == OPERATING)
    maybe = m_ & (u < top)
    ev = np.full(live.size, lifecycle.NONE, dtype=np.int64)
    # near projects by group (no distance left to bridge), with a batch's drawn pause rate:
    # each group's replication's own
    pause_g = m.members.of("lifecycle.pause_base", g_unit // m.tiling.L)
    for operating in (False, True):
        rows = maybe & (st_ == (OPERATING if operating else CONSTRUCTION)) & (log_d == 0.0)
        zero = np.zeros(g_unit.size)
        ev[rows] = by_group(rows, lifecycle.pause(zero, g_w, pause_g, lc.pause_distance,
                                                  lc.pause_ties),
                            lifecycle.exit_(np.full(g_unit.size, operating), zero,
                                            lc.exit_base, lc.exit_distance))
    # far projects one by one: information bridges distance (lifecycle._far_events)
    fr = np.flatnonzero(maybe & (log_d != 0.0))
    ev[fr] = _far_events(m, u[fr], live[fr], log_d[fr], st_[fr] == OPERATING, g_w[group[fr]])
    ev = ev[m_]
    paused = live[m_][ev == 0]
    lg.paused_from[paused] = lg.state[paused]
    add(paused, PAUSED)
    add(live[m_][ev == 1], EXITED)
    _build(m, live[m_][(ev == lifecycle.NONE) & (st_[m_] == CONSTRUCTION)])
    # 4: paused -> resume | terminated (forced after the maximum paused time)
    m_ = st_ == PAUSED
    ev = by_group(m_, lifecycle.resumption(g_w, st.dx[g_unit], g_l3, lc.resume_rate,
                                           lc.resume_ties, lc.resume_dx, lc.resume_level3),
                  np.full(g_unit.size, lc.terminate_paused))
    ev = np.where((t - lg.t_state[live[m_]]) >= lc.max_paused_quarters, 1, ev)
    resumed = live[m_][ev == 0]
    for prev in (CONSTRUCTION, OPERATING):
        add(resumed[lg.paused_from[resumed] == prev], prev)
    add(live[m_][ev == 1], TERMINATED)
    for new, parts in move.items():
        rows = np.concatenate(parts)
        if new == LICENSED:
            at = (k, m.tiling.local_place[lg.loc[rows]], lg.sector[rows])
            lg.license(rows, t, m.schedule.cit_regime[at], m.schedule.subsidy_pct[at])
            m.recorder.on_licensed(rows)
        if new in (TERMINATED, EXITED):  # land goes back to the unit's pool
            held = rows[lg.has_land[rows]]
            back = land.returned(lg.land_ha[held], ~from_stock(lg.key[held]),
                                 m.p.land.hcmc_accessible_share)
            st.land_available += land.held(st.unit[lg.loc[held]], back, scale, L)
            lg.has_land[held] = False
        lg.transition(rows, new, t)
        m.recorder.on_transition(rows, new)


def _far_events(m: ModelContext, u: np.ndarray, rows: np.ndarray, log_d: np.ndarray,
                operating: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Pause (0) or exit (1) of far construction and operating projects, -1 for neither.

    Both risks rise with the uninformed distance ``(1 − I)·ln(d/d0)``, which is at most
    ``ln(d/d0)`` (information access I is in [0, 1], ties and the distance effects are
    ≥ 0). A project whose uniform lies above the chance of any event at that bound has neither
    event whatever its information, so its information access (the costly part: felt
    experience and peers' presence, gathered from firms × places arrays) is computed only
    for the others (:func:`step` passes only those under the bound of every project, and
    this function keeps those under their own). The events are those of computing it for
    every project: each quantity is computed element by element, and the margin (10⁻⁹ of
    the bound) dwarfs the rounding of the bound's few operations.
    """
    lg, lc = m.ledger, m.p.lifecycle

    def risks(uninformed: np.ndarray, at: np.ndarray | slice) -> np.ndarray:
        return np.stack([
            lifecycle.pause(uninformed, w[at], m.members.of("lifecycle.pause_base",
                                                            lg.rep[rows[at]]),
                            lc.pause_distance, lc.pause_ties),
            lifecycle.exit_(operating[at], uninformed, lc.exit_base, lc.exit_distance)],
            axis=1)

    ev = np.full(u.size, lifecycle.NONE, dtype=np.int64)
    if u.size == 0:
        return ev
    bound = lifecycle.thresholds(risks(log_d, slice(None)))[:, -1]
    maybe = np.flatnonzero(u < bound * (1.0 + 1e-9))
    firm, loc = lg.firm[rows[maybe]], lg.loc[rows[maybe]]
    info = _information(m, firm, loc, lg.sector[rows[maybe]])
    ev[maybe] = lifecycle.competing_risks(
        u[maybe], risks(lifecycle.uninformed_distance(info, log_d[maybe]), maybe))
    return ev


def _information(m: ModelContext, firm: np.ndarray, loc: np.ndarray, sec: np.ndarray
                 ) -> np.ndarray:
    """Each project's owner's information access at the project's place (as in its choice)."""
    st, ip = m.state, m.p.information
    unit = st.unit[loc]
    w = st.W_sector[unit, sec] if m.p.network.agreement_ties else np.zeros(firm.size)
    dx_d = st.dx[unit] * m.firms.readiness[firm]
    place = m.tiling.local_place[loc]
    exp_ = m.layers.felt_experience_at(st.experience, firm, place)
    peers = (m.layers.share_at(firm, place) if m.p.network.peer_effects
             else np.zeros(firm.size))
    visible = choice.visibility(st.promotion[unit])
    return choice.information_access(w, dx_d, exp_, visible, peers, ip.iota_ties, ip.iota_dx,
                                     ip.iota_experience, ip.iota_promotion, ip.iota_peers)


def _allocate_land(m: ModelContext, queue: np.ndarray) -> np.ndarray:
    """Projects waiting for park land get it first come, first served from their unit's pool."""
    lg, w, st = m.ledger, m.world, m.state
    parts = []
    rep = lg.rep[queue]
    for r in (np.unique(rep) if m.tiling.R > 1 else [0]):  # a queue's running sums are its own
        q = queue[rep == r] if m.tiling.R > 1 else queue
        unit = st.unit[lg.loc[q]]
        parts.append(q[land.first_come(unit, lg.key[q], lg.t_licensed[q], lg.land_ha[q],
                                       st.land_available, w.scale)])
    granted = parts[0] if len(parts) == 1 else np.concatenate([queue[:0], *parts])
    st.land_available -= land.held(st.unit[lg.loc[granted]], lg.land_ha[granted], w.scale,
                                   st.unit.size)
    lg.has_land[granted] = True
    return granted


def _build(m: ModelContext, rows: np.ndarray) -> None:
    """Disburse evenly over the construction time; open when it is complete."""
    lg, t = m.ledger, m.quarter
    spend, done = lg.disburse(rows, m.members.of("lifecycle.realisation_share", lg.rep[rows]))
    m.recorder.on_disbursed(rows, spend)
    lg.t_operating[done] = t
    lg.transition(done, OPERATING, t)
    m.recorder.on_transition(done, OPERATING)
