"""Phases 6 and 7 (MODEL_SPEC §7): jobs within the local labour pool, taxes, and costs.

Jobs follow disbursed capital (real 2023 VND) and ramp up after opening; a place's projects
hire the soft minimum of what they want and its labour pool, and the local wage rises as the
pool tightens. Output ramps with jobs, so profit, CIT and its incentives are computed on the
same flows the firms valued in their choice. Revenue is booked where it is collected and split
into what the local budget retains and what goes to the centre; the programme's costs are
booked per unit and payer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.projects import OPERATING
from simulation.model.records import (
    COST_CAPEX,
    COST_COOPERATION,
    COST_DX,
    COST_LAND,
    COST_PROMOTION,
    COST_TE_CIT,
    COST_TE_LAND,
    DIRECT,
    INDIRECT,
    LINKED,
    PAYER_CENTRAL,
    PAYER_HCMC,
    PAYER_PROVINCE,
    TAX_CIT,
    TAX_LAND,
    TAX_PIT,
    TAX_VAT,
)
from simulation.model.rules import fiscal, fused, labour
from simulation.model.rules import jobs as jobs_rule

if TYPE_CHECKING:
    from simulation.model.context import ModelContext


def jobs(m: ModelContext) -> None:
    """Direct, local indirect and HCMC-linked jobs of operating projects."""
    lg, rec, st, w, jp, tl = m.ledger, m.recorder, m.state, m.world, m.p.jobs, m.tiling
    sectors, L = w.sectors, st.unit.size
    op = np.flatnonzero(lg.view("state") == OPERATING)
    if fused.ON:  # compiled passes, the same numbers (simulation.model.rules.fused)
        _jobs_fused(m, op)
        return
    sec, loc = lg.sector[op], lg.loc[op]
    ramp = jobs_rule.ramp(m.quarter - lg.t_operating[op], jp.ramp_quarters)
    wanted = jobs_rule.direct(lg.disbursed[op], sectors.jobs_per_bn[sec],
                              m.quarter - lg.t_operating[op], jp.ramp_quarters)
    demand = np.bincount(loc, weights=wanted, minlength=L) * w.scale
    pool = tl.labour_pool
    fill = labour.fill_rate(demand, pool, jp.recruitment_sharpness)
    st.wage = labour.local_wage(tl.wage, demand, pool, jp.wage_tightness)
    st.demand = demand
    direct = wanted * fill[loc]
    rec.add_jobs(loc, sec, DIRECT, direct)
    rec.add_jobs(loc, sec, INDIRECT, jobs_rule.local_indirect(
        direct, sectors.local_multiplier[sec], jp.multiplier_scale))
    home = tl.home[tl.place_rep[loc]]  # HCMC of each project's replication
    away = loc != home
    rec.add_jobs(home[away], sec[away], LINKED,
                 jobs_rule.linked(direct[away], sectors.hcmc_job_share[sec[away]]))
    m.op_rows, m.op_direct, m.op_utilisation = op, direct, ramp * fill[loc]


def taxes(m: ModelContext) -> None:
    """CIT, VAT, PIT and land rent of operating projects; collected vs retained."""
    if fused.ON:
        _taxes_fused(m)
        return
    lg, fp, rec, w, st, tl = m.ledger, m.p.fiscal, m.recorder, m.world, m.state, m.tiling
    op, direct = m.op_rows, m.op_direct
    sectors, reg_, L = w.sectors, w.regimes, st.unit.size
    loc, sec, reg = lg.loc[op], lg.sector[op], lg.regime[op]
    wage = st.wage[loc]
    turnover = sectors.turnover_per_bn[sec] * fiscal.productivity(
        lg.modern[op], m.p.project.modern_productivity)
    _, va, profit = fiscal.project_flows(lg.disbursed[op], m.op_utilisation, direct, wage,
                                         turnover, sectors.va_share[sec],
                                         sectors.depreciation[sec])
    age = (m.quarter - lg.t_operating[op]) // 4
    cit, cit_std = fiscal.corporate_tax(profit, age, sectors.cit_standard[sec], reg_.rate[reg],
                                        reg_.years[reg], reg_.exempt[reg], reg_.half[reg])
    # (R·L,) each place's unit's retention
    retain = m.schedule.retention[m.k][tl.local_place[st.unit]]
    # CIT: subsidiaries pay in the host; dependent units split by cost share with HCMC
    home = tl.home[tl.place_rep[loc]]  # HCMC of each project's replication
    host = fiscal.host_share(lg.subsidiary[op], loc == home, fp.dependent_host_share)
    te_cit = np.zeros(L)
    for where, share in ((loc, host), (home, 1.0 - host)):
        te = (cit_std - cit) * share
        rec.add_revenue(where, sec, TAX_CIT, cit * share, cit * share * retain[where], te)
        te_cit += np.bincount(where, weights=te, minlength=L)
    vat = fiscal.vat(sectors.vat_rate[sec], va, sectors.export_share[sec])
    rec.add_revenue(loc, sec, TAX_VAT, vat, vat * retain[loc])
    pit = fiscal.pit(fp.pit_effective, direct, wage)
    rec.add_revenue(loc, sec, TAX_PIT, pit, pit * retain[loc])
    away = loc != home
    pit_l = fiscal.pit(fp.pit_effective,
                       jobs_rule.linked(direct[away], sectors.hcmc_job_share[sec[away]]),
                       m.p.jobs.hcmc_wage_bn_per_year)
    rec.add_revenue(home[away], sec[away], TAX_PIT, pit_l, pit_l * retain[home[away]])
    # Land rent: 100 % local revenue; exempt years are tax expenditure
    due, rent = fiscal.land_rent(lg.land_ha[op], tl.land_rent[loc], age, reg_.land_exempt[reg])
    rec.add_revenue(loc, sec, TAX_LAND, rent, rent, due - rent)
    m.te_cit = te_cit * w.scale  # by place where the tax would have been collected
    m.te_land = np.bincount(loc, weights=due - rent, minlength=L) * w.scale
    m.te_retain = retain


def _jobs_fused(m: ModelContext, op: np.ndarray) -> None:
    """:func:`jobs` in two compiled passes over the operating projects (the same numbers)."""
    lg, rec, st, w, jp, tl = m.ledger, m.recorder, m.state, m.world, m.p.jobs, m.tiling
    sectors, L, S = w.sectors, st.unit.size, w.sectors.n
    wanted, ramp, demand = np.empty(op.size), np.empty(op.size), np.zeros(L)
    fused.wanted_jobs(op, lg.loc, lg.sector, lg.disbursed, lg.t_operating, m.quarter,
                      jp.ramp_quarters, sectors.jobs_per_bn, wanted, ramp, demand)
    demand = demand * w.scale
    pool = tl.labour_pool
    fill = labour.fill_rate(demand, pool, jp.recruitment_sharpness)
    st.wage = labour.local_wage(tl.wage, demand, pool, jp.wage_tightness)
    st.demand = demand
    grids, direct, utilisation = np.zeros((3, L * S)), np.empty(op.size), np.empty(op.size)
    fused.job_grids(op, lg.loc, lg.sector, wanted, ramp, fill, sectors.local_multiplier,
                    jp.multiplier_scale, sectors.hcmc_job_share, tl.place_rep, tl.home, S,
                    grids, direct, utilisation)
    for kind, g in zip((DIRECT, INDIRECT, LINKED), grids.reshape(3, L, S), strict=True):
        rec.jobs[:, :, kind] += g
    m.op_rows, m.op_direct, m.op_utilisation = op, direct, utilisation


def _taxes_fused(m: ModelContext) -> None:
    """:func:`taxes` in one pass over the operating projects (the same sums, bin by bin)."""
    lg, fp, rec, w, st, tl = m.ledger, m.p.fiscal, m.recorder, m.world, m.state, m.tiling
    sectors, reg_, L = w.sectors, w.regimes, st.unit.size
    S = sectors.n
    grids, te = np.zeros((fused.N_GRIDS, L * S)), np.zeros((3, L))
    fused.tax_grids(
        m.op_rows, lg.loc, lg.sector, lg.regime, lg.modern, lg.subsidiary, lg.disbursed,
        lg.land_ha, lg.t_operating, m.op_utilisation, m.op_direct, tl.place_rep, tl.home,
        st.wage, m.schedule.retention[m.k][tl.local_place[st.unit]], tl.land_rent,
        sectors.turnover_per_bn, sectors.va_share, sectors.depreciation, sectors.cit_standard,
        sectors.vat_rate, sectors.export_share, sectors.hcmc_job_share, reg_.rate, reg_.years,
        reg_.exempt, reg_.half, reg_.land_exempt, m.quarter, m.p.project.modern_productivity,
        fp.dependent_host_share, fp.pit_effective, m.p.jobs.hcmc_wage_bn_per_year, S,
        grids, te)
    grids = grids.reshape(fused.N_GRIDS, L, S)
    for tax, first, parts in ((TAX_CIT, fused.CIT_HOST, 3), (TAX_CIT, fused.CIT_HOME, 3),
                              (TAX_VAT, fused.VAT, 2), (TAX_PIT, fused.PIT, 2),
                              (TAX_PIT, fused.PIT_LINKED, 2), (TAX_LAND, fused.LAND, 3)):
        rec.add_revenue_grids(tax, grids[first:first + parts])
    m.te_cit = (np.zeros(L) + te[0] + te[1]) * w.scale
    m.te_land = te[2] * w.scale
    m.te_retain = m.schedule.retention[m.k][tl.local_place[st.unit]]


def costs(m: ModelContext) -> None:
    """The programme's costs of the quarter by unit, item and payer (real bn VND).

    Cooperation budgets and joint promotion are shared between HCMC and the partner
    (``params.costs.hcmc_share_of_budget``); DX platforms, new park land and capex subsidies
    are the partner's; the tax expenditure of incentives falls on the budget that would have
    collected the tax, split by the retention rate between the local budget and the centre.
    """
    st, rec, cp, w, tl = m.state, m.recorder, m.p.costs, m.world, m.tiling
    unit = st.unit
    C = len(w.sectors.field_codes)
    spend = st.spend  # (L, C + 2) this quarter's spending of each unit
    h = cp.hcmc_share_of_budget
    for item, col in ((COST_COOPERATION, spend[:, :C].sum(axis=1)),
                      (COST_PROMOTION, spend[:, C])):
        rec.add_cost(item, PAYER_HCMC, col * h)
        rec.add_cost(item, PAYER_PROVINCE, col * (1.0 - h))
    rec.add_cost(COST_DX, PAYER_PROVINCE, spend[:, C + 1])
    rec.add_cost(COST_LAND, PAYER_PROVINCE,
                 tl.tile(m.schedule.land_add_ha[m.k] * cp.land_development_bn_per_ha))
    rec.add_cost(COST_CAPEX, PAYER_PROVINCE, rec.capex_this_quarter(unit))
    L = unit.size
    at_home = tl.local_place == w.locations.home
    cit_te = np.bincount(unit, weights=m.te_cit, minlength=L)
    local = np.bincount(unit, weights=m.te_cit * m.te_retain, minlength=L)
    land_te = np.bincount(unit, weights=m.te_land, minlength=L)
    for item, values in ((COST_TE_CIT, local), (COST_TE_LAND, land_te)):
        rec.add_cost(item, PAYER_HCMC, np.where(at_home, values, 0.0))
        rec.add_cost(item, PAYER_PROVINCE, np.where(at_home, 0.0, values))
    rec.add_cost(COST_TE_CIT, PAYER_CENTRAL, cit_te - local)
