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
    sectors, pp, tl = m.world.sectors, m.p.project, m.tiling
    sec = m.firms.sector[firms]
    key = (np.uint64(t) << np.uint64(32)) | (firms % tl.n).astype(np.uint64)
    u = crn.uniforms2d(_keys(m, firms, STREAM_PROJECT), key, 6)
    size = projects.size(m.firms.capital[firms], sectors.size_factor[sec], pp.size_scale,
                         pp.size_sigma, crn.normal(u[:, 0], u[:, 1]), sectors.size_max[sec])
    return size, key, u


def _keys(m: ModelContext, firms: np.ndarray, *parts: int) -> np.ndarray | np.uint64:
    """The sub-stream key of each firm's replication (one key in a single run)."""
    return stream_of(m, firms // m.tiling.n, *parts)


def stream_of(m: ModelContext, rep: np.ndarray, *parts: int) -> np.ndarray | np.uint64:
    """The sub-stream key ``parts`` of each entity's replication (one in a single run)."""
    keys = [crn.subkey(k, *parts) for k in m.stream_keys]
    if len(keys) == 1:
        return keys[0]
    return np.array(keys, dtype=np.uint64)[rep]


def _bounds(m: ModelContext, firms: np.ndarray) -> np.ndarray:
    """Where the rows of each replication begin and end in ``firms`` (sorted)."""
    return np.searchsorted(firms, np.arange(m.tiling.R + 1) * m.tiling.n)


def channels(m: ModelContext, firms: np.ndarray, sec: np.ndarray
             ) -> tuple[np.ndarray, ...]:
    """What firms know of each place: ties, DX·readiness, experience, peers, visibility.

    Government features are the place's unit's (after the reform, a merged province's).
    Every array is (firms, L): the places of each firm's own replication.
    """
    st, net = m.state, m.p.network
    unit = st.unit[m.tiling.rows_of(firms)]  # (m, L) global unit slots
    w = (st.W_sector[unit, sec[:, None]] if net.agreement_ties
         else np.zeros((firms.size, m.tiling.L)))
    dx_d = st.dx[unit] * m.firms.readiness[firms, None]
    exp_ = m.layers.felt_experience(st.experience[firms], _bounds(m, firms))
    peers = m.layers.peer_share(firms)
    visible = choice.visibility(st.promotion[unit])
    ip = m.p.information
    info = choice.information_access(w, dx_d, exp_, visible, peers, ip.iota_ties, ip.iota_dx,
                                     ip.iota_experience, ip.iota_promotion, ip.iota_peers)
    return w, dx_d, exp_, peers, info


def opportunities(m: ModelContext, t: int) -> np.ndarray:
    """The firms with an expansion opportunity this quarter (global ids, sorted)."""
    lam = choice.opportunity_rates(m.firms.lam, m.p.opportunity.macro_by_year.get(str(t // 4),
                                                                                   1.0))
    u = np.concatenate([np.random.default_rng([key, STREAM_OPPORTUNITY, t]).random(m.tiling.n)
                        for key in m.stream_keys])
    return np.flatnonzero(u < lam)


def decide(m: ModelContext) -> tuple[np.ndarray, ...]:
    """Vectorised decision step over all firms.

    Returns:
        The firms that invest, the place each chooses (local: 0..L-1 of the firm's own
        replication), their information access there, the project size and the project's
        uniforms.
    """
    p, t, st, loc, k, tl = m.p, m.quarter, m.state, m.world.locations, m.k, m.tiling
    firms = opportunities(m, t)
    size, _, draws = project_draws(m, firms, t)
    if firms.size == 0:
        return firms, firms, np.zeros(0), size, draws
    sec = m.firms.sector[firms]
    w, dx_d, exp_, peers, info = channels(m, firms, sec)
    s, sectors, regimes = m.schedule, m.world.sectors, m.world.regimes
    places = tl.rows_of(firms)  # (m, L) global place slots
    unit = st.unit[places]
    d_eatr = regimes.delta_eatr[s.cit_regime[k], np.arange(loc.n)[:, None],
                                np.arange(sectors.n)[None, :]]  # (L, S)
    rep = firms // tl.n
    u_ = m.members.section("utility", rep)  # a batch's drawn values: (n, 1), each firm's own
    xi = loc.xi[None, :] if m.xi is None else m.xi[rep]
    lrd = st.log_rel_d[places]
    util = choice.utility(  # V_il of MODEL_SPEC §5, (n, L)
        xi, st.ln_potential[places, sec[:, None]],
        np.log(st.wage[places] / loc.wage.mean()), sectors.labour_share[sec][:, None],
        st.operating_count[places, sec[:, None]] / loc.members[None, :], d_eatr[:, sec].T,
        s.subsidy_pct[k][:, sec].T,
        st.congestion[unit], sectors.needs_ip[sec][:, None], lrd,
        info, sectors.soft_info[sec][:, None],
        choice.size_distance(size, u_.size_ref_bn, lrd, u_.beta_size_distance),
        u_)
    cp = p.consideration
    pc = choice.consideration_prob(w, st.promotion[unit], dx_d, peers,
                                   st.level2[unit, sec[:, None]], cp.a0, cp.a_ties,
                                   cp.a_promotion, cp.a_dx, cp.a_peers, cp.a_level2)
    local = firms % tl.n
    u_c = crn.uniforms2d(_keys(m, firms, STREAM_CONSIDER, t), local, loc.n)
    always = loc.composite[None, :] | (st.distance[places] <= cp.always_km)
    considered = choice.considered(u_c, pc, exp_, cp.experience_min, always)
    v_home, v_nest = choice.alternatives(util, considered, loc.home, loc.away)
    g_top = crn.gumbel(crn.uniforms2d(_keys(m, firms, STREAM_TOP, t), local, 3))
    g_nest = crn.gumbel(crn.uniforms2d(_keys(m, firms, STREAM_NEST, t), local, loc.away.size))
    pick = choice.nested_choice(np.full(firms.size, u_.asc_no_invest), v_home, v_nest,
                                u_.nest_rho, g_top, g_nest)
    invest = pick != choice.DECLINE
    where = choice.chosen_location(pick, loc.home, loc.away)
    return (firms[invest], where[invest], info[invest, where[invest]], size[invest],
            draws[invest])


def create_projects(m: ModelContext, firms: np.ndarray, where: np.ndarray,
                    info: np.ndarray, size: np.ndarray, u: np.ndarray) -> None:
    """Add proposals (state 0) with size, modern flag, legal form and build time.

    ``where`` is the local place chosen; the ledger holds its global slot.
    """
    if firms.size == 0:
        return
    p, t, sectors, st, tl = m.p, m.quarter, m.world.sectors, m.state, m.tiling
    sec = m.firms.sector[firms]
    pp = p.project
    rep = firms // tl.n
    place = rep * tl.L + where
    unit = st.unit[place]
    p_modern = projects.modern_probability(
        info, st.human_capital[unit], st.W[unit, sectors.st_field], pp.modern_base,
        pp.modern_info, pp.modern_human, pp.modern_st_ties)
    modern = sectors.modern_eligible[sec] & (u[:, 2] < p_modern)
    build = projects.build_quarters(sectors.build_mean[sec], p.lifecycle.construction_sigma,
                                    crn.normal(u[:, 3], u[:, 4]))
    key = (np.uint64(t) << np.uint64(32)) | (firms % tl.n).astype(np.uint64)
    rows = m.ledger.add(
        key=key, firm=firms, loc=place, sector=sec, state=np.full(firms.size, PROPOSAL),
        capital=size, land_ha=size * sectors.land_per_bn[sec], modern=modern,
        subsidiary=u[:, 5] < p.fiscal.subsidiary_share, build_quarters=build,
        t_created=np.full(firms.size, t), t_state=np.full(firms.size, t),
        paused_from=np.full(firms.size, CONSTRUCTION), rep=rep)
    m.ledger.log_created(rows, t)
    m.recorder.on_created(rows)
