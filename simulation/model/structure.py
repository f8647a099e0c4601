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

from simulation.model.agents import Province
from simulation.model.projects import CONSTRUCTION, EXITED, OPERATING, STOCK_KEY
from simulation.model.rules import land, reform

if TYPE_CHECKING:
    from simulation.model.context import ModelContext

STOCK_STREAM = 101  # the world generator's child stream of the initial stock


def install_initial_stock(m: ModelContext) -> None:
    """Replace the spin-up's operating projects by the data's stock (see module docstring)."""
    stock = m.inputs.initial_stock
    if stock.empty:
        return
    lg, w, st, t = m.ledger, m.world, m.state, m.quarter
    state = lg.view("state")
    absorbed = np.flatnonzero(state == OPERATING)
    held = absorbed[lg.has_land[absorbed]]
    st.land_available += land.held(st.unit[lg.loc[held]], lg.land_ha[held], w.scale, w.locations.n)
    lg.has_land[absorbed] = False
    # the data count them already: they leave in the last spin-up quarter (never recorded)
    lg.transition(absorbed, EXITED, t - 1)
    rng = np.random.default_rng([m.stream_key, STOCK_STREAM])
    codes, secs = w.locations.codes, w.sectors.codes
    sectors, pp, lc = w.sectors, m.p.project, m.p.lifecycle
    st.experience[:] = 0.0
    max_age = int(4 * lc.stock_age_years)
    for rec in stock.itertuples(index=False):
        loc, sec = codes.index(rec.location), secs.index(rec.sector)
        n = int(np.floor(rec.projects / w.scale + rng.random()))
        if n == 0:
            continue
        pool = np.flatnonzero(m.firms.sector == sec)
        firms = rng.choice(pool, size=n, p=m.firms.lam[pool] / m.firms.lam[pool].sum())
        mean_size = rec.registered_bn / max(rec.projects, 1e-12)
        noise = np.exp(pp.size_sigma * rng.standard_normal(n) - 0.5 * pp.size_sigma**2)
        size = np.minimum(mean_size * noise, sectors.size_max[sec])
        age = rng.integers(4, max_age + 1, size=n)
        rows = np.arange(lg.n, lg.n + n)
        rows = lg.add(key=STOCK_KEY + rows.astype(np.uint64), firm=firms,
               loc=np.full(n, loc), sector=np.full(n, sec), state=np.full(n, OPERATING),
               capital=size, disbursed=size * lc.realisation_share,
               land_ha=size * sectors.land_per_bn[sec],
               has_land=np.full(n, bool(sectors.needs_ip[sec])),
               modern=np.zeros(n, bool), subsidiary=rng.random(n) < m.p.fiscal.subsidiary_share,
               regime=m.schedule.cit_regime[0, loc, sec] * np.ones(n, np.int8),
               build_quarters=np.ones(n, np.int64), built=np.ones(n, np.int64),
               t_created=t - age - 2, t_licensed=t - age - 1, t_state=t - age,
               t_operating=t - age, paused_from=np.full(n, CONSTRUCTION))
        lg.log_created(rows, t)  # the event log shows the stock entering the run
        gain = m.p.information.experience_gain
        st.experience[firms, loc] = 1.0 - (1.0 - st.experience[firms, loc]) * (1.0 - gain)
    st.operating_count = m.recorder.operating_count()


def apply_reform(m: ModelContext) -> None:
    """Merge the dissolved units into their successors (see module docstring)."""
    st, w = m.state, m.world
    loc = w.locations
    succ = loc.successor
    for s in np.unique(succ[succ != np.arange(loc.n)]):
        members = np.flatnonzero(succ == s)  # the successor itself is a member
        st.W[s] = reform.strongest(st.W[members])
        st.activity[s] = reform.strongest(st.activity[members])
        st.dx[s] = reform.weighted(st.dx[members], loc.grdp[members])
        st.admin[s] = reform.weighted(st.admin[members], loc.grdp[members])
        st.human_capital[s] = reform.weighted(st.human_capital[members],
                                              loc.labour_force[members])
        st.shares[s] = np.average(st.shares[members], axis=0, weights=loc.grdp[members])
        st.licensed_year[s] = st.licensed_year[members].sum(axis=0)
        for arr in (st.land_available, st.promotion):
            arr[s] = reform.pooled(arr[members])
        gone = members[members != s]
        st.active[gone] = False
        for arr in (st.W, st.activity, st.land_available, st.promotion, st.spend,
                    st.licensed_year):
            arr[gone] = 0.0
        for agent in list(m.province_agents):
            if isinstance(agent, Province) and agent.idx in set(gone.tolist()):
                agent.remove()
    m.province_agents = m.agents_by_type[Province]
