"""Build the model's world: location and sector arrays, firms, the lever schedule.

Everything here is set once per run from the inputs and the config; the dynamic state that the
phases change (ties, DX, promotion, land, experience) starts here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.config.scenario import CIT_REGIMES
from simulation.policy import compile_schedule
from simulation.rules import fiscal
from simulation.rules.lifecycle import quarterly_decay
from simulation.timeline import parse_quarter, quarter_label

if TYPE_CHECKING:
    from simulation.model import CooperationModel

POTENTIAL_DRIVERS = {"pot_grdp": "grdp_bn", "pot_population": "population",
                     "pot_tourism": "tourist_arrivals_m", "pot_ip_land": "ip_land_vacant_ha",
                     "pot_area": "area_km2"}


def build(m: CooperationModel) -> None:
    """Attach every static array and the initial dynamic state to the model."""
    _locations(m)
    _sectors(m)
    _schedule(m)
    _firms(m)


def _locations(m: CooperationModel) -> None:
    loc, p = m.inputs.locations, m.p
    m.location_codes = list(loc.index)
    m.roles = list(loc["role"])
    m.L = len(m.location_codes)
    roles = np.array(m.roles)
    m.home = int(np.flatnonzero(roles == "origin")[0])
    m.partners = np.flatnonzero(roles == "partner")
    m.is_partner = roles == "partner"
    m.away = np.concatenate([np.flatnonzero(roles == "near"), np.flatnonzero(roles == "far"),
                             m.partners])
    u = p.utility
    m.xi = np.select([roles == "origin", roles == "near", roles == "far"],
                     [u.xi_home, u.xi_near, u.xi_far], u.xi_partner).astype(float)
    m.road_km = loc["road_km"].to_numpy(float)
    wage = loc["wage_bn_per_year"].to_numpy(float)
    m.wage = wage
    m.ln_rel_wage = np.log(wage / wage.mean())
    m.admin = loc["admin_capacity"].to_numpy(float)
    m.human_capital = loc["human_capital"].to_numpy(float).copy()
    m.dx = loc["dx_index"].to_numpy(float).copy()
    m.land_rent = loc["land_rent_bn_per_ha_year"].to_numpy(float)
    m.promotion = np.zeros(m.L)
    m.land_initial = loc["ip_land_vacant_ha"].to_numpy(float) * p.land.hcmc_accessible_share
    m.land_available = m.land_initial.copy()
    m.congestion = np.zeros(m.L)


def _sectors(m: CooperationModel) -> None:
    sec, inputs = m.inputs.sectors, m.inputs
    m.sector_codes = list(sec.index)
    m.field_codes = list(inputs.fields.index)
    m.S, m.C = len(m.sector_codes), len(m.field_codes)
    m.sector_field = np.asarray(inputs.sector_field, dtype=bool)
    m.st_field = m.field_codes.index("science_technology")
    col = lambda name: sec[name].to_numpy(float)  # noqa: E731
    m.size_factor, m.size_max = col("size_factor"), col("size_max_bn")
    m.jobs_per_bn, m.land_per_bn = col("jobs_per_bn"), col("land_ha_per_bn")
    m.needs_ip = col("needs_ip_land") > 0
    m.build_mean = col("construction_quarters")
    m.turnover_per_bn, m.va_share = col("turnover_per_bn"), col("va_share")
    m.depreciation, m.export_share, m.vat_rate = (col("depreciation_rate"), col("export_share"),
                                                  col("vat_rate"))
    m.soft_info, m.local_multiplier = col("soft_info"), col("local_multiplier")
    m.hcmc_job_share = col("hcmc_job_share")
    m.modern_eligible = col("modern_tech_eligible") > 0
    m.cit_standard = col("cit_rate_standard")
    # log potential: Σ_k e_sk · ln x_lk  (L, S)
    loc = inputs.locations
    x = np.stack([np.log(np.maximum(loc[v].to_numpy(float), 1e-9))
                  for v in POTENTIAL_DRIVERS.values()], axis=1)  # (L, K)
    e = np.stack([col(k) for k in POTENTIAL_DRIVERS], axis=1)  # (S, K)
    raw = x @ e.T
    m.ln_potential_base = raw - raw.mean(axis=0, keepdims=True)  # fixed reference: baseline mean
    # CIT regimes: rate, years, exempt, half, land-rent exempt years (codes as CIT_REGIMES)
    f = m.p.fiscal
    regs = [None, f.regime_park, f.regime_difficult, f.regime_special]
    m.regime_rate = np.array([0.0 if r is None else r.rate for r in regs])
    m.regime_years = np.array([0 if r is None else r.years for r in regs], float)
    m.regime_exempt = np.array([0 if r is None else r.exempt_years for r in regs], float)
    m.regime_half = np.array([0 if r is None else r.half_years for r in regs], float)
    m.regime_land_exempt = np.array([0 if r is None else r.land_rent_exempt_years
                                     for r in regs], float)
    # EATR reduction in percentage points per (regime, sector)
    m.delta_eatr = np.zeros((len(CIT_REGIMES), m.S))
    for r in range(1, len(CIT_REGIMES)):
        for s in range(m.S):
            std = m.cit_standard[s]
            eff = fiscal.eatr(std, min(m.regime_rate[r], std), int(m.regime_years[r]),
                              int(m.regime_exempt[r]), int(m.regime_half[r]),
                              f.discount_rate, f.eatr_horizon_years)
            m.delta_eatr[r, s] = 100.0 * (std - eff)


def _schedule(m: CooperationModel) -> None:
    cfg, loc = m.cfg, m.inputs.locations
    first = parse_quarter(cfg.time.start) - cfg.time.spinup_quarters
    last = parse_quarter(cfg.time.end)
    quarters = np.arange(first, last + 1)
    m.quarter_labels = [quarter_label(q) for q in quarters]
    m.recorded = quarters >= parse_quarter(cfg.time.start)
    m.schedule = compile_schedule(
        cfg.scenario, m.p, quarters, m.location_codes,
        [m.location_codes[i] for i in m.partners], m.sector_codes, m.field_codes,
        loc["incentive_zone"].to_numpy(int), m.inputs.sectors["encouraged"].to_numpy(int),
        loc["retention_rate"].to_numpy(float))
    tp, gp = m.p.ties, m.p.government
    m.W = np.zeros((m.L, m.C))
    m.W[m.partners] = tp.initial_strength
    m.activity = np.zeros((m.L, m.C))
    m.levels = np.zeros((m.L, m.C), np.int8)
    m.tie_decay = 1.0 - quarterly_decay(4.0 * tp.decay_half_life_years)
    m.promo_decay = quarterly_decay(gp.promotion_half_life_quarters)


def _firms(m: CooperationModel) -> None:
    fp, rng = m.p.firms, m.rng
    m.n_firms = int(fp.n_agents)
    m.scale = fp.represented / fp.n_agents
    share = m.inputs.sectors["opportunity_share"].to_numpy(float)
    m.firm_sector = rng.choice(m.S, size=m.n_firms, p=share / share.sum())
    m.firm_capital = fp.capital_median_bn * np.exp(fp.capital_sigma * rng.standard_normal(
        m.n_firms))
    m.firm_readiness = rng.beta(fp.readiness_alpha, fp.readiness_beta, size=m.n_firms)
    op = m.p.opportunity
    m.lambda_firm = op.base_rate * (m.firm_capital / m.firm_capital.mean()) ** op.size_elasticity
    m.experience = np.zeros((m.n_firms, m.L), np.float32)
    half_life_q = 4.0 * m.p.information.experience_half_life_years
    m.experience_decay = np.float32(quarterly_decay(half_life_q))
    m.operating_count = np.zeros((m.L, m.S))
    m.operating_by_field = np.zeros((m.L, m.C))
