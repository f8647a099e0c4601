"""Phase 4 (MODEL_SPEC §5): firms' investment decisions, vectorised over every firm.

Policy never creates opportunities: levers act on where an opportunity goes. A province's own
promotion, its cooperation ties and joint programmes, the firm's digital readiness, experience
and peers decide whether a firm considers it and how well it is informed; the utility adds
potential, wages, agglomeration, taxes, subsidies, land congestion and distance. The choice is a
nested logit (decline | home | away nest) sampled with the Gumbel-max trick on counter-based
draws, so the same firm in the same quarter draws the same numbers in every scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.projects import CONSTRUCTION, PROPOSAL
from simulation.model.rules import choice, crn, projects

if TYPE_CHECKING:
    from simulation.model.context import ModelContext

# Counter-based stream identifiers (see simulation.model.rules.crn)
(STREAM_OPPORTUNITY, STREAM_CONSIDER, STREAM_TOP, STREAM_NEST, STREAM_PROJECT,
 STREAM_LIFECYCLE) = range(6)


def project_draws(m: ModelContext, firms: np.ndarray, t: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each opportunity's project size (before the choice), its entity key and its uniforms."""
    sectors, pp = m.world.sectors, m.p.project
    sec = m.firms.sector[firms]
    key = (np.uint64(t) << np.uint64(32)) | firms.astype(np.uint64)
    u = crn.uniforms2d(crn.subkey(m.stream_key, STREAM_PROJECT), key, 6)
    size = projects.size(m.firms.capital[firms], sectors.size_factor[sec], pp.size_scale,
                         pp.size_sigma, crn.normal(u[:, 0], u[:, 1]), sectors.size_max[sec])
    return size, key, u


def channels(m: ModelContext, firms: np.ndarray, sec: np.ndarray
             ) -> tuple[np.ndarray, ...]:
    """What firms know of each place: ties, DX·readiness, experience, peers, visibility.

    Government features are the place's unit's (after the reform, a merged province's).
    """
    st, net = m.state, m.p.network
    unit = st.unit
    w = (st.W_sector[unit][:, sec].T if net.agreement_ties
         else np.zeros((firms.size, unit.size)))
    dx_d = st.dx[unit][None, :] * m.firms.readiness[firms, None]
    exp_ = m.layers.felt_experience(st.experience[firms])
    peers = m.layers.peer_share(firms)
    visible = choice.visibility(st.promotion[unit])[None, :]
    ip = m.p.information
    info = choice.information_access(w, dx_d, exp_, visible, peers, ip.iota_ties, ip.iota_dx,
                                     ip.iota_experience, ip.iota_promotion, ip.iota_peers)
    return w, dx_d, exp_, peers, info


def decide(m: ModelContext) -> tuple[np.ndarray, ...]:
    """Vectorised decision step over all firms.

    Returns:
        The firms that invest, the place each chooses, their information access there, the
        project size and the project's uniforms.
    """
    p, t, st, loc, k = m.p, m.quarter, m.state, m.world.locations, m.k
    lam = choice.opportunity_rates(m.firms.lam, p.opportunity.macro_by_year.get(str(t // 4),
                                                                                 1.0))
    u = np.random.default_rng([m.stream_key, STREAM_OPPORTUNITY, t]).random(m.firms.n)
    firms = np.flatnonzero(u < lam)
    size, _, draws = project_draws(m, firms, t)
    if firms.size == 0:
        return firms, firms, np.zeros(0), size, draws
    sec = m.firms.sector[firms]
    w, dx_d, exp_, peers, info = channels(m, firms, sec)
    s, sectors, regimes, unit = m.schedule, m.world.sectors, m.world.regimes, st.unit
    d_eatr = regimes.delta_eatr[s.cit_regime[k], np.arange(loc.n)[:, None],
                                np.arange(sectors.n)[None, :]]  # (L, S)
    u_ = p.utility
    util = choice.utility(  # V_il of MODEL_SPEC §5, (n, L)
        loc.xi[None, :], st.ln_potential[:, sec].T,
        np.log(st.wage / loc.wage.mean())[None, :], sectors.labour_share[sec][:, None],
        (st.operating_count / loc.members[:, None])[:, sec].T, d_eatr[:, sec].T,
        s.subsidy_pct[k][:, sec].T,
        st.congestion[unit][None, :], sectors.needs_ip[sec][:, None], st.log_rel_d[None, :],
        info, sectors.soft_info[sec][:, None],
        choice.size_distance(size, u_.size_ref_bn, st.log_rel_d[None, :], u_.beta_size_distance),
        u_)
    cp = p.consideration
    pc = choice.consideration_prob(w, st.promotion[unit][None, :], dx_d, peers,
                                   st.level2[unit][:, sec].T, cp.a0, cp.a_ties, cp.a_promotion,
                                   cp.a_dx, cp.a_peers, cp.a_level2)
    u_c = crn.uniforms2d(crn.subkey(m.stream_key, STREAM_CONSIDER, t), firms, loc.n)
    always = (loc.composite | (st.distance <= cp.always_km))[None, :]
    considered = choice.considered(u_c, pc, exp_, cp.experience_min, always)
    v_home, v_nest = choice.alternatives(util, considered, loc.home, loc.away)
    g_top = crn.gumbel(crn.uniforms2d(crn.subkey(m.stream_key, STREAM_TOP, t), firms, 3))
    g_nest = crn.gumbel(crn.uniforms2d(crn.subkey(m.stream_key, STREAM_NEST, t), firms,
                                       loc.away.size))
    pick = choice.nested_choice(np.full(firms.size, u_.asc_no_invest), v_home, v_nest,
                                u_.nest_rho, g_top, g_nest)
    invest = pick != choice.DECLINE
    where = choice.chosen_location(pick, loc.home, loc.away)
    return (firms[invest], where[invest], info[invest, where[invest]], size[invest],
            draws[invest])


def create_projects(m: ModelContext, firms: np.ndarray, where: np.ndarray,
                    info: np.ndarray, size: np.ndarray, u: np.ndarray) -> None:
    """Add proposals (state 0) with size, modern flag, legal form and build time."""
    if firms.size == 0:
        return
    p, t, sectors, st = m.p, m.quarter, m.world.sectors, m.state
    sec = m.firms.sector[firms]
    pp = p.project
    unit = st.unit[where]
    p_modern = projects.modern_probability(
        info, st.human_capital[unit], st.W[unit, sectors.st_field], pp.modern_base,
        pp.modern_info, pp.modern_human, pp.modern_st_ties)
    modern = sectors.modern_eligible[sec] & (u[:, 2] < p_modern)
    build = projects.build_quarters(sectors.build_mean[sec], p.lifecycle.construction_sigma,
                                    crn.normal(u[:, 3], u[:, 4]))
    key = (np.uint64(t) << np.uint64(32)) | firms.astype(np.uint64)
    rows = m.ledger.add(
        key=key, firm=firms, loc=where, sector=sec, state=np.full(firms.size, PROPOSAL),
        capital=size, land_ha=size * sectors.land_per_bn[sec], modern=modern,
        subsidiary=u[:, 5] < p.fiscal.subsidiary_share, build_quarters=build,
        t_created=np.full(firms.size, t), t_state=np.full(firms.size, t),
        paused_from=np.full(firms.size, CONSTRUCTION))
    m.ledger.log_created(rows, t)
    m.recorder.on_created(rows)
