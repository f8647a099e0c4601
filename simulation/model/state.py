"""The model's state as explicit dataclasses: what is fixed for a run, and what the phases change.

- :class:`World` (static, built once from the inputs and the config): the places, the sectors,
  the CIT regimes, the calendar, the 2025 reform and the factors derived from parameters;
- :class:`Firms` (the firm agents' arrays: struct of arrays, one row per agent);
- :class:`State` (dynamic, changed by the phases each quarter).

Places and units. A *place* (one of L) is a choice alternative with its own land, distance,
wages and potential: the pre-2025 provinces and the composite regions, fixed for the whole
run. A *unit* is an administration: cooperation ties and agreements, budgets, DX, administrative
capacity, the park-land pool, promotion and revenue retention. Before the reform every place is
its own unit; from ``params.reform.quarter`` merged places report to their successor's unit
(``State.unit``), and the dissolved units' slots fall idle. Unit-level arrays are indexed by
the slot of the unit (the successor's place index). Shapes: L places, S sectors, C fields,
n firms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config.params import FiscalConfig, ModelParams
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model.rules import choice, dynamics, fiscal, reform
from simulation.model.rules.dynamics import quarterly_decay
from simulation.model.tiling import Tiling
from simulation.timeline import parse_quarter, quarter_label

# driver of a sector's potential → column of the locations table
POTENTIAL_DRIVERS = {"pot_grdp": "grdp_bn", "pot_population": "population",
                     "pot_tourism": "tourist_arrivals_m", "pot_ip_land": "ip_land_vacant_ha",
                     "pot_area": "area_km2"}
DX_DATA_QUARTER = 2  # a DX index of year Y refers to Y's second quarter (mid-year ranking)


@dataclass(frozen=True)
class Locations:
    """HCMC, the partner and other provinces and the composite regions (places), in order."""

    codes: list[str]
    roles: np.ndarray  # origin, partner, province, composite
    members: np.ndarray  # (L,) provinces of 2023 each place covers
    home: int  # index of HCMC (the origin)
    partners: np.ndarray  # indices of the partner provinces (before the reform)
    is_partner: np.ndarray  # (L,) bool, before the reform
    away: np.ndarray  # the away nest of the choice: every place but HCMC
    composite: np.ndarray  # (L,) bool: always considered
    xi: np.ndarray  # (L,) place constant of the utility, with the size term ln(members)
    road_km: np.ndarray  # (L,) road distance from HCMC in the data (no road graph)
    wage: np.ndarray  # (L,) base wage, bn VND per worker-year
    admin: np.ndarray  # (L,) administrative capacity (the unit's until the reform)
    land_rent: np.ndarray  # (L,) bn VND per ha and year
    land_initial: np.ndarray  # (L,) park land HCMC investors compete for at the start, ha
    labour_pool: np.ndarray  # (L,) persons HCMC firms' projects can recruit
    grdp: np.ndarray  # (L,) merger weights of indices
    labour_force: np.ndarray  # (L,) merger weights of human capital
    successor: np.ndarray  # (L,) index of each place's unit after the reform

    @property
    def n(self) -> int:
        """Number of places L."""
        return len(self.codes)

    @classmethod
    def build(cls, inputs: Inputs, p: ModelParams) -> Locations:
        """From the locations table and the utility, land and labour parameters."""
        loc = inputs.locations
        roles = np.array(loc["role"])
        members = loc["members"].to_numpy(int)
        partners = np.flatnonzero(roles == "partner")
        home = int(np.flatnonzero(roles == "origin")[0])
        u = p.utility
        return cls(
            codes=list(loc.index), roles=roles, members=members, home=home, partners=partners,
            is_partner=roles == "partner",
            away=np.flatnonzero(roles != "origin"), composite=roles == "composite",
            xi=choice.location_constants(roles, members, u.xi_home, u.xi_province,
                                         u.xi_composite, u.nest_rho),
            road_km=loc["road_km"].to_numpy(float), wage=loc["wage_bn_per_year"].to_numpy(float),
            admin=loc["admin_capacity"].to_numpy(float),
            land_rent=loc["land_rent_bn_per_ha_year"].to_numpy(float),
            land_initial=(loc["ip_land_vacant_ha"].to_numpy(float)
                          * p.land.hcmc_accessible_share),
            labour_pool=loc["labour_force"].to_numpy(float) * p.jobs.labour_pool_share,
            grdp=loc["grdp_bn"].to_numpy(float),
            labour_force=loc["labour_force"].to_numpy(float),
            successor=reform.successor_map(list(loc.index), list(loc["new_code"]), list(roles)))


@dataclass(frozen=True)
class Sectors:
    """Investment sectors (rows) and their map to the cooperation fields (columns)."""

    codes: list[str]
    field_codes: list[str]
    sector_field: np.ndarray  # (S, C) bool: sector maps to field
    st_field: int  # column of science and technology
    size_factor: np.ndarray  # κ_s: project size over firm capital
    size_max: np.ndarray  # bn VND
    jobs_per_bn: np.ndarray  # direct jobs per bn VND of disbursed capital at full output
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
    labour_share: np.ndarray  # wage bill over value added at the mean base wage

    @property
    def n(self) -> int:
        """Number of sectors S."""
        return len(self.codes)

    @property
    def va_per_bn(self) -> np.ndarray:
        """Annual value added per bn VND of disbursed capital at full output."""
        return self.turnover_per_bn * self.va_share

    @classmethod
    def build(cls, inputs: Inputs) -> Sectors:
        """From the sectors table and the sector–field map."""
        sec = inputs.sectors
        fields = list(inputs.fields.index)

        def col(name: str) -> np.ndarray:
            return sec[name].to_numpy(float)

        w_mean = float(inputs.locations["wage_bn_per_year"].mean())
        va = col("turnover_per_bn") * col("va_share")
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
            cit_standard=col("cit_rate_standard"), opportunity_share=col("opportunity_share"),
            labour_share=np.minimum(col("jobs_per_bn") * w_mean / va, 1.0))


@dataclass(frozen=True)
class Regimes:
    """The CIT incentive regimes by code (none, park, difficult, special: CIT_REGIMES)."""

    rate: np.ndarray  # preferential rate
    years: np.ndarray  # years at the preferential rate
    exempt: np.ndarray  # tax-holiday years
    half: np.ndarray  # 50 % reduction years
    land_exempt: np.ndarray  # land-rent exempt years
    delta_eatr: np.ndarray  # (regimes, L, S) EATR reduction on the place's profit path, pp

    @classmethod
    def build(cls, f: FiscalConfig, sectors: Sectors, wage: np.ndarray, ramp_quarters: int
              ) -> Regimes:
        """From the fiscal parameters, the sectors and the places' wages."""
        regs = [None, f.regime_park, f.regime_difficult, f.regime_special]

        def each(attr: str, dtype: type = float) -> np.ndarray:
            return np.array([0 if r is None else getattr(r, attr) for r in regs], dtype)

        rate = np.array([0.0 if r is None else r.rate for r in regs])
        years, exempt, half = each("years"), each("exempt_years"), each("half_years")
        profit = fiscal.profit_path(sectors.va_per_bn, sectors.jobs_per_bn,
                                    sectors.depreciation, wage, ramp_quarters,
                                    f.eatr_horizon_years)
        return cls(rate, years, exempt, half, each("land_rent_exempt_years"),
                   fiscal.eatr_reductions(sectors.cit_standard, rate, years, exempt, half,
                                          profit, f.discount_rate))


@dataclass(frozen=True)
class World:
    """What is fixed for a run: places, sectors, regimes, calendar and derived factors."""

    locations: Locations
    sectors: Sectors
    regimes: Regimes
    ln_potential_base: np.ndarray  # (L, S) log sector potential per member before levers
    quarters: np.ndarray  # (T,) absolute quarter index of every simulated quarter
    labels: list[str]  # (T,) calendar labels
    recorded: np.ndarray  # (T,) bool: after the spin-up
    start_k: int  # index of the first recorded quarter (the initial stock is installed there)
    reform_k: int | None  # index of the first quarter on the new units (None: no reform)
    scale: float  # real firms (and projects) per agent
    tie_decay: float  # δ_w: share of tie strength lost per quarter at zero activity
    promotion_decay: float  # promotion stock kept per quarter
    experience_decay: np.float32  # firms' experience kept per quarter

    @classmethod
    def build(cls, cfg: RunConfig, inputs: Inputs) -> World:
        """From the inputs and the run config."""
        p = cfg.params
        sectors = Sectors.build(inputs)
        locations = Locations.build(inputs, p)
        loc, sec = inputs.locations, inputs.sectors
        drivers = np.stack([loc[v].to_numpy(float) for v in POTENTIAL_DRIVERS.values()], axis=1)
        drivers = drivers / locations.members[:, None]  # potential per member province
        weights = np.stack([sec[k].to_numpy(float) for k in POTENTIAL_DRIVERS], axis=1)
        start = parse_quarter(cfg.time.start)
        quarters = np.arange(start - cfg.time.spinup_quarters, parse_quarter(cfg.time.end) + 1)
        rq = parse_quarter(p.reform.quarter)
        reform_k = (int(np.searchsorted(quarters, rq))
                    if p.reform.enabled and quarters[0] <= rq <= quarters[-1] else None)
        return cls(
            locations=locations, sectors=sectors,
            regimes=Regimes.build(p.fiscal, sectors, locations.wage, p.jobs.ramp_quarters),
            ln_potential_base=choice.log_potential(drivers, weights),
            quarters=quarters, labels=[quarter_label(q) for q in quarters],
            recorded=quarters >= start, start_k=int(cfg.time.spinup_quarters),
            reform_k=reform_k,
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

    @classmethod
    def stack(cls, parts: list[Firms]) -> Firms:
        """The firms of several replications, one after another."""
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([getattr(f, a) for f in parts])
                     for a in ("sector", "capital", "readiness", "lam")))


@dataclass
class State:
    """What the phases change, quarter by quarter.

    Unit-level arrays (indexed by the unit's slot) are marked (unit); the others belong to the
    places.
    """

    unit: np.ndarray  # (L,) int: the unit of each place this quarter
    active: np.ndarray  # (L,) bool: slots that are a unit this quarter (unit)
    partner: np.ndarray  # (L,) bool: units with a cooperation programme (unit)
    W: np.ndarray  # (L, C) tie strength with HCMC per field (unit)
    levels: np.ndarray  # (L, C) cooperation level 0..3 (unit)
    activity: np.ndarray  # (L, C) cooperation activity in [0, 1) (unit)
    W_felt: np.ndarray  # (L, C) tie strength after the neighbours' spillover (unit)
    W_sector: np.ndarray  # (L, S) tie strength each sector feels, after spillover (unit)
    level2: np.ndarray  # (L, S) share of the sector's fields at level ≥ 2 (unit)
    level3: np.ndarray  # (L, S) share of the sector's fields at level 3 (unit)
    dx: np.ndarray  # (L,) digital-transformation index (unit)
    admin: np.ndarray  # (L,) administrative capacity (unit)
    promotion: np.ndarray  # (L,) promotion stock (unit)
    human_capital: np.ndarray  # (L,) (unit)
    land_available: np.ndarray  # (L,) real ha of park land available to HCMC investors (unit)
    congestion: np.ndarray  # (L,) park-land congestion in [0, 1] (unit)
    shares: np.ndarray  # (L, C + 2) adaptive split of the discretionary budget (unit)
    spend: np.ndarray  # (L, C + 2) this quarter's spending per field, promotion, DX (unit)
    distance: np.ndarray  # (L,) effective road km from HCMC
    log_rel_d: np.ndarray  # (L,) ln(d / d0), ≥ 0
    ln_potential: np.ndarray  # (L, S) log sector potential after levers
    wage: np.ndarray  # (L,) local wage this quarter
    demand: np.ndarray  # (L,) direct jobs wanted by operating projects last quarter
    experience: np.ndarray  # (n, L) float32: firms' experience per place
    operating_count: np.ndarray  # (L, S) operating projects, real units
    operating_by_field: np.ndarray  # (L, C) operating projects of mapped sectors (unit)
    successes: np.ndarray  # (L, C) projects of mapped sectors that opened last quarter (unit)
    failures: np.ndarray  # (L, C) projects of mapped sectors terminated last quarter (unit)
    licensed_year: np.ndarray  # (L, C + 1) projects licensed this year: by field, and all (unit)

    @classmethod
    def initial(cls, world: World, p: ModelParams, inputs: Inputs, n_firms: int,
                tiling: Tiling | None = None) -> State:
        """The state before the first quarter (spin-up included).

        With a ``tiling`` of R replications, every place-level array has R·L rows and
        ``n_firms`` counts the firms of all of them.

        The DX index of the data year is back-cast to the first simulated quarter with the
        national trend, so it takes its data value at its date.
        """
        loc, w = inputs.locations, world.locations
        L, S, C = w.n, world.sectors.n, len(world.sectors.field_codes)
        W = np.zeros((L, C))
        W[w.partners] = p.ties.initial_strength
        facts = inputs.province_facts
        dx_year = (facts[facts["field"] == "dx_index"].set_index("location")["year"]
                   .reindex(w.codes).astype(int).to_numpy())
        back = dx_year * 4 + DX_DATA_QUARTER - world.quarters[0]  # updates up to that date
        shares = np.zeros((L, C + 2))
        shares[:, :C] = 1.0 / (C + 2)
        shares[:, C:] = 1.0 / (C + 2)
        st = cls(
            unit=np.arange(L), active=np.ones(L, bool), partner=w.is_partner.copy(),
            W=W, levels=np.zeros((L, C), np.int8), activity=np.zeros((L, C)), W_felt=W.copy(),
            W_sector=np.zeros((L, S)), level2=np.zeros((L, S)), level3=np.zeros((L, S)),
            dx=dynamics.backcast_index(loc["dx_index"].to_numpy(float), back,
                                       p.government.dx_growth_per_year / 4.0),
            admin=w.admin.copy(), promotion=np.zeros(L),
            human_capital=loc["human_capital"].to_numpy(float).copy(),
            land_available=w.land_initial.copy(), congestion=np.zeros(L), shares=shares,
            spend=np.zeros((L, C + 2)),
            distance=w.road_km.copy(), log_rel_d=np.zeros(L),
            ln_potential=world.ln_potential_base.copy(), wage=w.wage.copy(),
            demand=np.zeros(L), experience=np.zeros((n_firms, L), np.float32),
            operating_count=np.zeros((L, S)), operating_by_field=np.zeros((L, C)),
            successes=np.zeros((L, C)), failures=np.zeros((L, C)),
            licensed_year=np.zeros((L, C + 1)))
        if tiling is None or tiling.R == 1:
            return st
        for name, value in vars(st).items():
            if name == "unit":
                setattr(st, name, tiling.globalise(value))
            elif name != "experience":
                setattr(st, name, tiling.tile(value))
        return st
