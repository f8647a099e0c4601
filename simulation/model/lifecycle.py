"""Phase 5 (MODEL_SPEC §6): the project lifecycle as competing risks, and park-land allocation.

States: 0 proposal → 1 licensed → 2 construction → 3 operating; side states 4 paused,
5 terminated, 6 exited. One counter-based uniform per project and quarter picks at most one
transition. Government features (ties, DX, administrative capacity, implemented projects) are
those of the project's unit; park land is pooled per unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.investment import STREAM_LIFECYCLE
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
    u = crn.uniforms(crn.subkey(m.stream_key, STREAM_LIFECYCLE, t), lg.key[live])
    loc, sec, firm = lg.loc[live], lg.sector[live], lg.firm[live]
    unit = st.unit[loc]
    info = _information(m, firm, loc, sec)
    w = st.W_sector[unit, sec] if m.p.network.agreement_ties else np.zeros(live.size)
    l3 = st.level3[unit, sec]
    uninformed = lifecycle.uninformed_distance(info, st.log_rel_d[loc])
    needs_ip, scale, L = m.world.sectors.needs_ip, m.world.scale, m.world.locations.n
    st_ = state[live].copy()
    move: dict[int, list[np.ndarray]] = {}  # new state -> rows

    def add(rows: np.ndarray, new: int) -> None:
        move.setdefault(new, []).append(rows)

    def risks(mask: np.ndarray, *hazards: np.ndarray) -> np.ndarray:
        return lifecycle.competing_risks(u[mask], np.stack(hazards, axis=1))

    # 0: proposal -> licensed | dropped
    m_ = st_ == PROPOSAL
    ev = risks(m_, lifecycle.licensing(st.admin[unit[m_]], w[m_], st.dx[unit[m_]], l3[m_],
                                       lc.license_rate, lc.license_ties, lc.license_dx,
                                       lc.license_level3),
               np.full(m_.sum(), lc.dropout_proposal))
    add(live[m_][ev == 0], LICENSED)
    add(live[m_][ev == 1], TERMINATED)
    # 1: licensed, waiting for land -> construction | dropped
    m_ = st_ == LICENSED
    ip = needs_ip[sec[m_]]
    ev = risks(m_, lifecycle.site_clearance(ip, lc.site_rate),
               lifecycle.waiting_dropout(t - lg.t_state[live[m_]], lc.dropout_waiting,
                                         lc.dropout_waiting_slope))
    add(live[m_][ev == 0], CONSTRUCTION)
    add(live[m_][ev == 1], TERMINATED)
    add(_allocate_land(m, live[m_][(ev == lifecycle.NONE) & ip]), CONSTRUCTION)
    # 2, 3: pause risk; 3: exit risk
    m_ = (st_ == CONSTRUCTION) | (st_ == OPERATING)
    ev = risks(m_, lifecycle.pause(uninformed[m_], w[m_], lc.pause_base, lc.pause_distance,
                                   lc.pause_ties),
               lifecycle.exit_(st_[m_] == OPERATING, uninformed[m_], lc.exit_base,
                               lc.exit_distance))
    paused = live[m_][ev == 0]
    lg.paused_from[paused] = lg.state[paused]
    add(paused, PAUSED)
    add(live[m_][ev == 1], EXITED)
    _build(m, live[m_][(ev == lifecycle.NONE) & (st_[m_] == CONSTRUCTION)])
    # 4: paused -> resume | terminated (forced after the maximum paused time)
    m_ = st_ == PAUSED
    ev = risks(m_, lifecycle.resumption(w[m_], st.dx[unit[m_]], l3[m_], lc.resume_rate,
                                        lc.resume_ties, lc.resume_dx, lc.resume_level3),
               np.full(m_.sum(), lc.terminate_paused))
    ev = np.where((t - lg.t_state[live[m_]]) >= lc.max_paused_quarters, 1, ev)
    resumed = live[m_][ev == 0]
    for prev in (CONSTRUCTION, OPERATING):
        add(resumed[lg.paused_from[resumed] == prev], prev)
    add(live[m_][ev == 1], TERMINATED)
    for new, parts in move.items():
        rows = np.concatenate(parts)
        if new == LICENSED:
            at = (k, lg.loc[rows], lg.sector[rows])
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


def _information(m: ModelContext, firm: np.ndarray, loc: np.ndarray, sec: np.ndarray
                 ) -> np.ndarray:
    """Each project's owner's information access at the project's place (as in its choice)."""
    st, ip = m.state, m.p.information
    unit = st.unit[loc]
    w = st.W_sector[unit, sec] if m.p.network.agreement_ties else np.zeros(firm.size)
    dx_d = st.dx[unit] * m.firms.readiness[firm]
    exp_ = m.layers.felt_experience_at(st.experience, firm, loc)
    peers = m.layers.share[firm, loc] if m.p.network.peer_effects else np.zeros(firm.size)
    visible = choice.visibility(st.promotion[unit])
    return choice.information_access(w, dx_d, exp_, visible, peers, ip.iota_ties, ip.iota_dx,
                                     ip.iota_experience, ip.iota_promotion, ip.iota_peers)


def _allocate_land(m: ModelContext, queue: np.ndarray) -> np.ndarray:
    """Projects waiting for park land get it first come, first served from their unit's pool."""
    lg, w, st = m.ledger, m.world, m.state
    unit = st.unit[lg.loc[queue]]
    granted = queue[land.first_come(unit, lg.key[queue], lg.t_licensed[queue],
                                    lg.land_ha[queue], st.land_available, w.scale)]
    st.land_available -= land.held(st.unit[lg.loc[granted]], lg.land_ha[granted], w.scale,
                                   w.locations.n)
    lg.has_land[granted] = True
    return granted


def _build(m: ModelContext, rows: np.ndarray) -> None:
    """Disburse evenly over the construction time; open when it is complete."""
    lg, t = m.ledger, m.quarter
    spend, done = lg.disburse(rows, m.p.lifecycle.realisation_share)
    m.recorder.on_disbursed(rows, spend)
    lg.t_operating[done] = t
    lg.transition(done, OPERATING, t)
    m.recorder.on_transition(done, OPERATING)
