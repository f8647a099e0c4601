"""The model's state as explicit dataclasses: what is fixed for a run, and what the phases change.

- :class:`World` (static, built once from the inputs and the config): the locations, the sectors,
  the CIT regimes, the calendar and the factors derived from parameters;
- :class:`Firms` (the firm agents' arrays: struct of arrays, one row per agent);
- :class:`State` (dynamic, changed by the phases each quarter): ties, levels, activity, DX,
  promotion, land, human capital, congestion, distance, firms' experience, operating counts.

The model owns one instance of each (and the lever :class:`~simulation.model.policy.Schedule`);
the phases pass their arrays to the pure rules of :mod:`simulation.model.rules` and store what
the rules return. Shapes: L locations, S sectors, C cooperation fields, n firms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config.params import FiscalConfig, ModelParams
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model.rules import choice, fiscal
from simulation.model.rules.dynamics import quarterly_decay
from simulation.timeline import parse_quarter, quarter_label

# driver of a sector's potential → column of the locations table
POTENTIAL_DRIVERS = {"pot_grdp": "grdp_bn", "pot_population": "population",
                     "pot_tourism": "tourist_arrivals_m", "pot_ip_land": "ip_land_vacant_ha",
                     "pot_area": "area_km2"}


@dataclass(frozen=True)
class Locations:
    """HCMC, the partner provinces and the non-partner composites, in model order."""

    codes: list[str]
    roles: list[str]
    home: int  # index of HCMC (the origin)
    partners: np.ndarray  # indices of the partner provinces
    is_partner: np.ndarray  # (L,) bool
    away: np.ndarray  # the away nest of the choice: near, far, then the partners
    xi: np.ndarray  # (L,) location constant of the utility
    road_km: np.ndarray  # (L,) road distance from HCMC before transport levers
    wage: np.ndarray  # (L,) bn VND per worker-year
    ln_rel_wage: np.ndarray  # (L,) log wage relative to the mean
    admin: np.ndarray  # (L,) administrative capacity
    land_rent: np.ndarray  # (L,) bn VND per ha and year
    land_initial: np.ndarray  # (L,) park land HCMC investors compete for at the start, ha

    @property
    def n(self) -> int:
        """Number of locations L."""
        return len(self.codes)

    @classmethod
    def build(cls, inputs: Inputs, p: ModelParams) -> Locations:
        """From the locations table and the utility and land parameters."""
        loc = inputs.locations
        roles = np.array(loc["role"])
        partners = np.flatnonzero(roles == "partner")
        wage = loc["wage_bn_per_year"].to_numpy(float)
        u = p.utility
        return cls(
            codes=list(loc.index), roles=list(loc["role"]),
            home=int(np.flatnonzero(roles == "origin")[0]), partners=partners,
            is_partner=roles == "partner",
            away=np.concatenate([np.flatnonzero(roles == "near"),
                                 np.flatnonzero(roles == "far"), partners]),
            xi=choice.location_constants(roles, u.xi_home, u.xi_near, u.xi_far, u.xi_partner),
            road_km=loc["road_km"].to_numpy(float), wage=wage,
            ln_rel_wage=np.log(wage / wage.mean()),
            admin=loc["admin_capacity"].to_numpy(float),
            land_rent=loc["land_rent_bn_per_ha_year"].to_numpy(float),
            land_initial=(loc["ip_land_vacant_ha"].to_numpy(float)
                          * p.land.hcmc_accessible_share))


@dataclass(frozen=True)
class Sectors:
    """Investment sectors (rows) and their map to the cooperation fields (columns)."""

    codes: list[str]
    field_codes: list[str]
    sector_field: np.ndarray  # (S, C) bool: sector maps to field
    st_field: int  # column of science and technology
    size_factor: np.ndarray  # κ_s: project size over firm capital
    size_max: np.ndarray  # bn VND
    jobs_per_bn: np.ndarray
    land_per_bn: np.ndarray  # ha per bn VND
    needs_ip: np.ndarray  # bool: needs industrial-park land
    build_mean: np.ndarray  # construction quarters
    turnover_per_bn: np.ndarray
    va_share: np.ndarray
    depreciation: np.ndarray
    export_share: np.ndarray
    vat_rate: np.ndarray
    soft_info: np.ndarray  # χ_s ≥ 1
    local_multiplier: np.ndarray
    hcmc_job_share: np.ndarray
    modern_eligible: np.ndarray  # bool
    cit_standard: np.ndarray
    opportunity_share: np.ndarray  # share of firms (and opportunities) per sector

    @property
    def n(self) -> int:
        """Number of sectors S."""
        return len(self.codes)

    @classmethod
    def build(cls, inputs: Inputs) -> Sectors:
        """From the sectors table and the sector–field map."""
        sec = inputs.sectors
        fields = list(inputs.fields.index)

        def col(name: str) -> np.ndarray:
            return sec[name].to_numpy(float)

        return cls(
            codes=list(sec.index), field_codes=fields,
            sector_field=np.asarray(inputs.sector_field, dtype=bool),
            st_field=fields.index("science_technology"),
            size_factor=col("size_factor"), size_max=col("size_max_bn"),
            jobs_per_bn=col("jobs_per_bn"), land_per_bn=col("land_ha_per_bn"),
            needs_ip=col("needs_ip_land") > 0, build_mean=col("construction_quarters"),
            turnover_per_bn=col("turnover_per_bn"), va_share=col("va_share"),
            depreciation=col("depreciation_rate"), export_share=col("export_share"),
            vat_rate=col("vat_rate"), soft_info=col("soft_info"),
            local_multiplier=col("local_multiplier"), hcmc_job_share=col("hcmc_job_share"),
            modern_eligible=col("modern_tech_eligible") > 0,
            cit_standard=col("cit_rate_standard"), opportunity_share=col("opportunity_share"))


@dataclass(frozen=True)
class Regimes:
    """The CIT incentive regimes by code (none, park, difficult, special: CIT_REGIMES)."""

    rate: np.ndarray  # preferential rate
    years: np.ndarray  # years at the preferential rate
    exempt: np.ndarray  # tax-holiday years
    half: np.ndarray  # 50 % reduction years
    land_exempt: np.ndarray  # land-rent exempt years
    delta_eatr: np.ndarray  # (regimes, S) EATR reduction, percentage points

    @classmethod
    def build(cls, f: FiscalConfig, cit_standard: np.ndarray) -> Regimes:
        """From the fiscal parameters and the sectors' standard CIT rates."""
        regs = [None, f.regime_park, f.regime_difficult, f.regime_special]

        def each(attr: str, dtype: type = float) -> np.ndarray:
            return np.array([0 if r is None else getattr(r, attr) for r in regs], dtype)

        rate = np.array([0.0 if r is None else r.rate for r in regs])
        years, exempt, half = each("years"), each("exempt_years"), each("half_years")
        return cls(rate, years, exempt, half, each("land_rent_exempt_years"),
                   fiscal.eatr_reductions(cit_standard, rate, years, exempt, half,
                                          f.discount_rate, f.eatr_horizon_years))


@dataclass(frozen=True)
class World:
    """What is fixed for a run: places, sectors, regimes, calendar and derived factors."""

    locations: Locations
    sectors: Sectors
    regimes: Regimes
    ln_potential_base: np.ndarray  # (L, S) log sector potential before levers
    quarters: np.ndarray  # (T,) absolute quarter index of every simulated quarter
    labels: list[str]  # (T,) calendar labels
    recorded: np.ndarray  # (T,) bool: after the spin-up
    scale: float  # real firms (and projects) per agent
    tie_decay: float  # δ_w: share of tie strength lost per quarter without activity
    promotion_decay: float  # promotion stock kept per quarter
    experience_decay: np.float32  # firms' experience kept per quarter

    @classmethod
    def build(cls, cfg: RunConfig, inputs: Inputs) -> World:
        """From the inputs and the run config."""
        p = cfg.params
        sectors = Sectors.build(inputs)
        loc, sec = inputs.locations, inputs.sectors
        drivers = np.stack([loc[v].to_numpy(float) for v in POTENTIAL_DRIVERS.values()], axis=1)
        weights = np.stack([sec[k].to_numpy(float) for k in POTENTIAL_DRIVERS], axis=1)
        first = parse_quarter(cfg.time.start) - cfg.time.spinup_quarters
        quarters = np.arange(first, parse_quarter(cfg.time.end) + 1)
        return cls(
            locations=Locations.build(inputs, p), sectors=sectors,
            regimes=Regimes.build(p.fiscal, sectors.cit_standard),
            ln_potential_base=choice.log_potential(drivers, weights),
            quarters=quarters, labels=[quarter_label(q) for q in quarters],
            recorded=quarters >= parse_quarter(cfg.time.start),
            scale=p.firms.represented / p.firms.n_agents,
            tie_decay=1.0 - quarterly_decay(4.0 * p.ties.decay_half_life_years),
            promotion_decay=quarterly_decay(p.government.promotion_half_life_quarters),
            experience_decay=np.float32(quarterly_decay(
                4.0 * p.information.experience_half_life_years)))


@dataclass
class Firms:
    """The HCMC firms as arrays (one row per Firm agent); readiness grows with DX levers."""

    sector: np.ndarray  # (n,) sector index
    capital: np.ndarray  # (n,) bn VND
    readiness: np.ndarray  # (n,) digital readiness D_i in [0, 1]
    lam: np.ndarray  # (n,) opportunity rate λ_i before the business cycle

    @property
    def n(self) -> int:
        """Number of firm agents."""
        return len(self.sector)

    @classmethod
    def draw(cls, p: ModelParams, opportunity_share: np.ndarray, rng: np.random.Generator
             ) -> Firms:
        """A population drawn from the run's world generator (sector, size, readiness)."""
        fp, n = p.firms, int(p.firms.n_agents)
        sector = rng.choice(len(opportunity_share), size=n,
                            p=opportunity_share / opportunity_share.sum())
        capital = fp.capital_median_bn * np.exp(fp.capital_sigma * rng.standard_normal(n))
        readiness = rng.beta(fp.readiness_alpha, fp.readiness_beta, size=n)
        op = p.opportunity
        return cls(sector, capital, readiness,
                   choice.opportunity_base(capital, op.base_rate, op.size_elasticity))


@dataclass
class State:
    """What the phases change, quarter by quarter (L locations, S sectors, C fields, n firms)."""

    W: np.ndarray  # (L, C) tie strength with HCMC per field
    levels: np.ndarray  # (L, C) cooperation level 0..3
    activity: np.ndarray  # (L, C) cooperation activity in [0, 1]
    W_sector: np.ndarray  # (L, S) tie strength relevant to each sector
    dx: np.ndarray  # (L,) digital-transformation index
    promotion: np.ndarray  # (L,) promotion stock
    human_capital: np.ndarray  # (L,)
    land_available: np.ndarray  # (L,) real ha of park land available to HCMC investors
    congestion: np.ndarray  # (L,) park-land congestion in [0, 1]
    distance: np.ndarray  # (L,) road km after transport levers
    log_rel_d: np.ndarray  # (L,) ln(d / d0), ≥ 0
    ln_potential: np.ndarray  # (L, S) log sector potential after levers
    experience: np.ndarray  # (n, L) float32: firms' experience per location
    operating_count: np.ndarray  # (L, S) operating projects, real units
    operating_by_field: np.ndarray  # (L, C) operating projects in sectors mapped to a field
    successes: np.ndarray  # (L, C) projects of mapped sectors that opened last quarter
    failures: np.ndarray  # (L, C) projects of mapped sectors terminated last quarter

    @classmethod
    def initial(cls, world: World, p: ModelParams, inputs: Inputs, n_firms: int) -> State:
        """The state before the first quarter (spin-up included)."""
        loc = inputs.locations
        L, S, C = world.locations.n, world.sectors.n, len(world.sectors.field_codes)
        W = np.zeros((L, C))
        W[world.locations.partners] = p.ties.initial_strength
        return cls(
            W=W, levels=np.zeros((L, C), np.int8), activity=np.zeros((L, C)),
            W_sector=np.zeros((L, S)),
            dx=loc["dx_index"].to_numpy(float).copy(), promotion=np.zeros(L),
            human_capital=loc["human_capital"].to_numpy(float).copy(),
            land_available=world.locations.land_initial.copy(), congestion=np.zeros(L),
            distance=world.locations.road_km.copy(), log_rel_d=np.zeros(L),
            ln_potential=world.ln_potential_base.copy(),
            experience=np.zeros((n_firms, L), np.float32),
            operating_count=np.zeros((L, S)), operating_by_field=np.zeros((L, C)),
            successes=np.zeros((L, C)), failures=np.zeros((L, C)))
