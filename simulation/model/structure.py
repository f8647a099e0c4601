"""The two structural events of a run: the initial stock from data, and the 2025 reform.

**Initial stock** (MODEL_SPEC §3). Stocks come from data, not from the spin-up. At the first
recorded quarter the projects that the spin-up brought into operation are absorbed (they stand
for projects the data already count; the event log shows them exiting in the last spin-up
quarter) and the data's stock of operating projects by place and
sector (``simulation/data/initial_stock.csv``) is installed, owned by firms of the sector drawn
in proportion to their expansion rates; the spin-up keeps only its pipeline (proposals, licensed
projects, construction), the ties and the DX it burned in. Firms' experience is re-initialised
from the stock's owners. Stock projects opened between one and ``stock_age_years`` years
before; their CIT regime is the place's statutory one. Stock projects of the sectors that need
park land hold it, outside the pool of vacant land (they occupied it before the run); when they
leave, the accessible share of it joins the pool (:func:`~simulation.model.rules.land.returned`).

**Reform** (MODEL_SPEC §13). From ``params.reform.quarter`` Bắc Kạn joins Thái Nguyên, Hà Nam
joins Ninh Bình, Quảng Bình joins Quảng Trị, Bình Dương and Bà Rịa–Vũng Tàu join HCMC. The
successor unit takes the combined state by the rules of :mod:`~simulation.model.rules.reform`;
the dissolved units' agents leave the model; running projects continue under the successor (the
ledger keeps each project's place, and its unit follows from the place).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.projects import CONSTRUCTION, EXITED, OPERATING, STOCK_KEY
from simulation.model.rules import land, reform

if TYPE_CHECKING:
    from simulation.model.context import ModelContext

STOCK_STREAM = 101  # the world generator's child stream of the initial stock


def install_initial_stock(m: ModelContext) -> None:
    """Replace the spin-up's operating projects by the data's stock (see module docstring).

    In a batch, every replication draws its own stock from its own stream, in turn.
    """
    stock = m.inputs.initial_stock
    if stock.empty:
        return
    lg, w, st, t = m.ledger, m.world, m.state, m.quarter
    state = lg.view("state")
    absorbed = np.flatnonzero(state == OPERATING)
    held = absorbed[lg.has_land[absorbed]]
    st.land_available += land.held(st.unit[lg.loc[held]], lg.land_ha[held], w.scale,
                                   st.unit.size)
    lg.has_land[absorbed] = False
    # the data count them already: they leave in the last spin-up quarter (never recorded)
    lg.transition(absorbed, EXITED, t - 1)
    st.experience[:] = 0.0
    for r, key in enumerate(m.stream_keys):
        _stock(m, stock, r, np.random.default_rng([key, STOCK_STREAM]))
    st.operating_count = m.recorder.operating_count()


def _stock(m: ModelContext, stock, r: int, rng: np.random.Generator) -> None:
    """The data's stock for replication ``r`` (its firms, places and rows).

    The draws are made record by record (how many projects, then their owners' uniforms, size
    noise, ages and subsidiary uniforms, in that order); the projects enter the ledger (and the
    event log) together, in record order, their columns computed at once. Owners are drawn as
    ``rng.choice(pool, n, p=λ/Σλ)`` does (the cumulative weights of each sector's pool
    computed once; the same uniforms).
    """
    lg, w, st, t, tl = m.ledger, m.world, m.state, m.quarter, m.tiling
    sectors, pp, lc = w.sectors, m.p.project, m.p.lifecycle
    realisation = m.members.of("lifecycle.realisation_share", r)  # replication r's own
    max_age = int(4 * lc.stock_age_years)
    sector, lam = (m.firms.sector[r * tl.n:(r + 1) * tl.n], m.firms.lam[r * tl.n:(r + 1) * tl.n])
    loc_of = np.array([w.locations.codes.index(c) for c in stock["location"]], dtype=np.int64)
    sec_of = np.array([w.sectors.codes.index(c) for c in stock["sector"]], dtype=np.int64)
    projects = stock["projects"].to_numpy(dtype=float)
    counts, owners, noise_z, ages, subsidiary = [], [], [], [], []
    for p in projects:
        n = int(np.floor(p / w.scale + rng.random()))
        counts.append(n)
        if n:
            owners.append(rng.random(n))
            noise_z.append(rng.standard_normal(n))
            ages.append(rng.integers(4, max_age + 1, size=n))
            subsidiary.append(rng.random(n))
    if not owners:
        return
    rec = np.repeat(np.arange(len(counts)), counts)  # each project's record
    loc, sec = loc_of[rec], sec_of[rec]
    u = np.concatenate(owners)
    firms = np.empty(u.size, dtype=np.int64)
    for s in np.unique(sec):  # each sector's pool, its cumulative weights once
        pool = np.flatnonzero(sector == s)
        cdf = (lam[pool] / lam[pool].sum()).cumsum()
        cdf /= cdf[-1]
        mine = sec == s
        firms[mine] = pool[cdf.searchsorted(u[mine], side="right")] + r * tl.n
    mean_size = (stock["registered_bn"].to_numpy(dtype=float) / np.maximum(projects, 1e-12))[rec]
    noise = np.exp(pp.size_sigma * np.concatenate(noise_z) - 0.5 * pp.size_sigma**2)
    size = np.minimum(mean_size * noise, sectors.size_max[sec])
    age = np.concatenate(ages)
    new = {"firm": firms, "loc": r * tl.L + loc, "sector": sec, "capital": size,
           "disbursed": size * realisation, "land_ha": size * sectors.land_per_bn[sec],
           "subsidiary": np.concatenate(subsidiary) < m.p.fiscal.subsidiary_share,
           "regime": m.schedule.cit_regime[0, loc, sec].astype(np.int8),
           "t_created": t - age - 2, "t_licensed": t - age - 1, "t_state": t - age,
           "t_operating": t - age, "place": loc,
           "has_land": np.asarray(sectors.needs_ip, dtype=bool)[sec]}
    firms, place = new["firm"], new.pop("place")
    n = firms.size
    rows = lg.add(key=STOCK_KEY + lg.next_rows(r, n).astype(np.uint64),
                  state=np.full(n, OPERATING),
                  modern=np.zeros(n, bool), build_quarters=np.ones(n, np.int64),
                  built=np.ones(n, np.int64), paused_from=np.full(n, CONSTRUCTION),
                  rep=np.full(n, r), **new)
    lg.log_created(rows, t)  # the event log shows the stock entering the run
    # a firm holds stock in a place through one record only (a record is a place × sector)
    gain = m.p.information.experience_gain
    st.experience[firms, place] = 1.0 - (1.0 - st.experience[firms, place]) * (1.0 - gain)


def apply_reform(m: ModelContext) -> None:
    """Merge the dissolved units into their successors (see module docstring)."""
    st, w, tl = m.state, m.world, m.tiling
    loc = w.locations
    succ = loc.successor
    gone_all = []
    for s in np.unique(succ[succ != np.arange(loc.n)]):
        for r in range(tl.R):
            members = np.flatnonzero(succ == s)  # the successor itself is a member
            weights_grdp, weights_lf = loc.grdp[members], loc.labour_force[members]
            members, g = members + r * tl.L, s + r * tl.L
            st.W[g] = reform.strongest(st.W[members])
            st.activity[g] = reform.strongest(st.activity[members])
            st.dx[g] = reform.weighted(st.dx[members], weights_grdp)
            st.admin[g] = reform.weighted(st.admin[members], weights_grdp)
            st.human_capital[g] = reform.weighted(st.human_capital[members], weights_lf)
            st.shares[g] = np.average(st.shares[members], axis=0, weights=weights_grdp)
            st.licensed_year[g] = st.licensed_year[members].sum(axis=0)
            for arr in (st.land_available, st.promotion):
                arr[g] = reform.pooled(arr[members])
            gone = members[members != g]
            st.active[gone] = False
            for arr in (st.W, st.activity, st.land_available, st.promotion, st.spend,
                        st.licensed_year):
                arr[gone] = 0.0
            gone_all += gone.tolist()
    agents = getattr(m, "province_agents", None)
    if agents:  # the Mesa model of one run: the dissolved provinces' agents go
        kind, gone_set = type(next(iter(agents))), set(gone_all)
        for agent in list(agents):
            if agent.idx in gone_set:
                agent.remove()
        m.province_agents = m.agents_by_type[kind]
