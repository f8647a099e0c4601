"""The model's uncertain behavioural parameters: what researchers sweep and calibrate.

Every behavioural number of the model is a named field here. Each field carries its unit, its
allowed range and its source in the field metadata (:func:`P`), so the same information drives
validation, the parameter table in docs/ODD.md and error messages. Defaults live here; YAML files
under ``configs/`` hold only differences. Policy levers (what planners choose) are in
:mod:`simulation.config.scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def P(default: Any, lo: float | None, hi: float | None, unit: str, source: str) -> Any:
    """A documented numeric parameter: default, closed range [lo, hi], unit and source."""
    return field(default=default, metadata={"range": (lo, hi), "unit": unit, "source": source})


ASSUMPTION = "assumption; calibrate (see docs/ODD.md)"
CALIBRATED = "calibrated by hand to MODEL_SPEC §11 targets (experiments/calibration/README.md)"


@dataclass
class FirmsConfig:
    """The population of HCMC firms that may invest outside the city."""

    n_agents: int = P(20000, 100, 5_000_000, "agents", "model resolution; outputs are scaled")
    represented: float = P(20000.0, 1.0, 1e7, "firms", "HCMC medium and large enterprises able "
                           "to invest outside the city (estimate; GSO enterprise census order)")
    capital_median_bn: float = P(250.0, 1.0, 1e5, "bn VND", "estimate: equity of medium/large "
                                 "firms; with size_factor gives ~340 bn projects (Nghệ An)")
    capital_sigma: float = P(1.2, 0.1, 3.0, "log units", "firm-size dispersion (lognormal), "
                             "typical of enterprise-size distributions")
    readiness_alpha: float = P(2.0, 0.1, 50.0, "-", "Beta(α, β) of firm digital readiness D_i")
    readiness_beta: float = P(3.0, 0.1, 50.0, "-", "Beta(α, β); mean 0.4 (assumption)")


@dataclass
class OpportunityConfig:
    """Expansion opportunities: λ_i = λ0_s·(K_i/K̄)^ζ·macro_t·(1 + promotion effect)."""

    base_rate: float = P(0.012, 0.0, 1.0, "per firm per quarter", CALIBRATED)
    size_elasticity: float = P(0.3, 0.0, 1.5, "-", "ζ: larger firms expand more often "
                               "(assumption)")
    promotion_effect: float = P(0.05, 0.0, 1.0, "per unit promotion stock", ASSUMPTION)
    macro_by_year: dict[str, float] = field(
        default_factory=lambda: {"2020": 0.85, "2021": 0.75, "2022": 0.95, "2023": 0.9,
                                 "2024": 0.95},
        metadata={"range": (0.0, 5.0), "unit": "multiplier", "source":
                  "GDP growth relative to trend (COVID-19 2020–21; GSO); other years 1.0"},
    )


@dataclass
class ConsiderationConfig:
    """P(partner p considered) = 1 − exp(−(a0 + a_W·W + a_TP·promotion + a_D·DX·D))."""

    a0: float = P(0.15, 0.0, 10.0, "hazard units", ASSUMPTION)
    a_ties: float = P(1.5, 0.0, 20.0, "per unit tie strength", ASSUMPTION)
    a_promotion: float = P(0.3, 0.0, 10.0, "per unit promotion stock", ASSUMPTION)
    a_dx: float = P(0.8, 0.0, 10.0, "per unit DX·readiness", ASSUMPTION)
    experience_min: float = P(0.05, 0.0, 1.0, "-", "experience above which a location is "
                              "always considered")


@dataclass
class InformationConfig:
    """Information access I = 1 − (1 − ι_W·W)(1 − ι_D·DX·D)(1 − ι_E·E)."""

    iota_ties: float = P(0.5, 0.0, 1.0, "-", ASSUMPTION)
    iota_dx: float = P(0.5, 0.0, 0.65, "-", "≤ 0.65: online platforms cut distance effects by "
                       "≈65 % (Lendle et al. 2016)")
    iota_experience: float = P(0.8, 0.0, 1.0, "-", ASSUMPTION)
    experience_gain: float = P(0.6, 0.0, 1.0, "-", "E' = 1 − (1 − E)(1 − gain) when a project "
                               "of the firm starts operating there (assumption)")
    experience_half_life_years: float = P(5.0, 0.25, 100.0, "years", ASSUMPTION)


@dataclass
class UtilityConfig:
    """Conditional-logit utility of a location (MODEL_SPEC §5)."""

    xi_home: float = P(-1.0, -20.0, 20.0, "utils", CALIBRATED)
    xi_near: float = P(0.4, -20.0, 20.0, "utils", CALIBRATED)
    xi_far: float = P(0.0, -20.0, 20.0, "utils", CALIBRATED)
    xi_partner: float = P(0.95, -20.0, 20.0, "utils", CALIBRATED)
    asc_no_invest: float = P(0.0, -20.0, 20.0, "utils", "normalisation: utility of declining "
                             "the opportunity")
    beta_potential: float = P(0.6, 0.0, 5.0, "per log potential", ASSUMPTION)
    beta_wage: float = P(0.5, 0.0, 5.0, "per log wage", ASSUMPTION)
    beta_agglomeration: float = P(0.3, 0.1, 0.8, "per log(1+N)", "Head, Ries & Swenson 1995: "
                                  "0.1–0.8")
    beta_tax: float = P(0.03, 0.0, 0.2, "per pp of EATR cut", "FDI tax semi-elasticity "
                        "2.5–3.3 %/pp (Feld & Heckemeyer 2011; de Mooij & Ederveen 2003)")
    beta_subsidy: float = P(0.02, 0.0, 0.5, "per % capex subsidy", ASSUMPTION)
    beta_congestion: float = P(2.0, 0.0, 10.0, "per unit land congestion", ASSUMPTION)
    theta_phys: float = P(0.4, 0.0, 1.5, "per log distance", "physical part of the distance "
                          "coefficient; θ_phys+θ_info 0.3–1.5, central 0.9 (Disdier & Head 2008)")
    theta_info: float = P(0.5, 0.0, 1.5, "per log distance", "information part, share 0.4–0.7 "
                          "of the total (Lendle et al. 2016)")
    distance_ref_km: float = P(20.0, 1.0, 500.0, "km", "d0: intra-city reference distance")
    nest_rho: float = P(0.7, 0.05, 1.0, "-", "dissimilarity of the invest-away nest (near, far,"
                        " partners); 1 = plain logit, small = policy diverts within the nest")


@dataclass
class ProjectConfig:
    """Project size and modern-technology flag."""

    size_sigma: float = P(0.8, 0.0, 3.0, "log units", "lognormal noise of project size")
    size_scale: float = P(1.0, 0.01, 100.0, "multiplier", CALIBRATED)
    modern_base: float = P(-3.0, -20.0, 20.0, "logit", "few large modern-technology projects "
                           "(conference 2023); calibrate")
    modern_info: float = P(1.5, 0.0, 10.0, "logit per unit info access", ASSUMPTION)
    modern_human: float = P(2.0, 0.0, 10.0, "logit per unit human capital", ASSUMPTION)
    modern_st_ties: float = P(1.5, 0.0, 10.0, "logit per unit S&T tie strength", ASSUMPTION)
    modern_productivity: float = P(1.3, 0.5, 5.0, "multiplier on turnover", "modern-technology "
                                   "projects sell more per VND of capital (assumption; "
                                   "TFP premia of 20–40 % for technology adopters)")
    large_threshold_bn: float = P(1000.0, 1.0, 1e6, "bn VND", "large project threshold "
                                  "(assumption; ≈ 3× the average project)")


@dataclass
class LifecycleConfig:
    """Quarterly hazards of the project lifecycle (MODEL_SPEC §6)."""

    license_rate: float = P(0.45, 0.0, 5.0, "per quarter", ASSUMPTION)
    license_ties: float = P(1.0, 0.0, 10.0, "per unit tie strength", ASSUMPTION)
    license_dx: float = P(0.5, 0.0, 10.0, "per unit DX", ASSUMPTION)
    dropout_proposal: float = P(0.06, 0.0, 5.0, "per quarter", ASSUMPTION)
    site_rate: float = P(0.5, 0.0, 5.0, "per quarter", "site clearance for projects outside "
                         "industrial parks (assumption)")
    dropout_waiting: float = P(0.01, 0.0, 5.0, "per quarter", ASSUMPTION)
    dropout_waiting_slope: float = P(0.01, 0.0, 5.0, "per quarter per quarter waited",
                                     "waiting for land raises the drop-out hazard (assumption)")
    construction_sigma: float = P(0.3, 0.0, 2.0, "log units", "dispersion of construction time")
    realisation_share: float = P(0.76, 0.05, 1.0, "-", CALIBRATED + "; registered capital "
                                 "routinely exceeds capital realised")
    pause_base: float = P(0.012, 0.0, 1.0, "per quarter", CALIBRATED)
    pause_distance: float = P(0.3, 0.0, 5.0, "per unit uninformed log distance", ASSUMPTION)
    pause_ties: float = P(1.5, 0.0, 10.0, "per unit tie strength", ASSUMPTION)
    resume_rate: float = P(0.12, 0.0, 5.0, "per quarter", ASSUMPTION)
    resume_ties: float = P(1.0, 0.0, 10.0, "per unit tie strength", ASSUMPTION)
    resume_dx: float = P(0.5, 0.0, 10.0, "per unit DX", ASSUMPTION)
    terminate_paused: float = P(0.12, 0.0, 5.0, "per quarter", CALIBRATED)
    max_paused_quarters: int = P(8, 1, 80, "quarters", "projects paused longer are revoked "
                                 "(Investment Law 2020, art. 48: assumption on timing)")
    exit_base: float = P(0.003, 0.0, 1.0, "per quarter", ASSUMPTION)
    exit_distance: float = P(0.2, 0.0, 5.0, "per unit uninformed log distance", ASSUMPTION)


@dataclass
class LandConfig:
    """Industrial-park land (per province)."""

    hcmc_accessible_share: float = P(0.25, 0.0, 1.0, "-", "share of vacant IP land HCMC "
                                     "investors compete for (others: FDI, local); assumption")
    supply_growth_per_year: float = P(0.05, 0.0, 1.0, "share of initial per year",
                                      "new IP land opening (assumption)")
    other_absorption_per_year: float = P(0.05, 0.0, 1.0, "share per year", "land taken by "
                                         "other investors (assumption)")


@dataclass
class JobsConfig:
    """Employment of operating projects."""

    ramp_quarters: int = P(4, 1, 40, "quarters", "direct jobs ramp up linearly after opening")
    multiplier_scale: float = P(1.0, 0.0, 3.0, "multiplier", "scales the sector local "
                                "multipliers (Moretti 2010: 0.5–1.6)")
    hcmc_wage_bn_per_year: float = P(0.16, 0.0, 10.0, "bn VND per worker-year", "HCMC average "
                                     "wage (estimate from GRDP per worker)")


@dataclass
class CitRegime:
    """A corporate-income-tax regime: preferential rate for some years, holidays."""

    rate: float = P(0.20, 0.0, 1.0, "share", "CIT law")
    years: int = P(0, 0, 50, "years", "years at the preferential rate")
    exempt_years: int = P(0, 0, 50, "years", "tax holiday")
    half_years: int = P(0, 0, 50, "years", "50 % reduction years after the holiday")
    land_rent_exempt_years: int = P(0, 0, 70, "years", "Decree 46/2014 (after construction)")


@dataclass
class FiscalConfig:
    """Taxes and where revenue accrues (MODEL_SPEC §7)."""

    regime_special: CitRegime = field(default_factory=lambda: CitRegime(
        rate=0.10, years=15, exempt_years=4, half_years=9, land_rent_exempt_years=11))
    regime_difficult: CitRegime = field(default_factory=lambda: CitRegime(
        rate=0.17, years=10, exempt_years=2, half_years=4, land_rent_exempt_years=7))
    regime_park: CitRegime = field(default_factory=lambda: CitRegime(
        rate=0.20, years=0, exempt_years=2, half_years=4, land_rent_exempt_years=3))
    pit_effective: float = P(0.03, 0.0, 0.35, "share of wage bill", "effective PIT rate "
                             "(estimate; progressive schedule 5–35 % with allowances)")
    subsidiary_share: float = P(0.7, 0.0, 1.0, "-", "share of projects set up as subsidiaries "
                                "(pay CIT in the host); the rest are dependent units (estimate)")
    dependent_host_share: float = P(0.5, 0.0, 1.0, "-", "host province's cost share of a "
                                    "dependent unit's CIT (Circular 80/2021 allocation)")
    discount_rate: float = P(0.10, 0.0, 1.0, "per year", "for the EATR of a regime")
    eatr_horizon_years: int = P(15, 1, 50, "years", "for the EATR of a regime")


@dataclass
class TiesConfig:
    """Cooperation ties (MODEL_SPEC §8)."""

    initial_strength: float = P(0.12, 0.0, 1.0, "-", "pre-2023 programme: mostly information "
                                "sharing (conference 2023)")
    eta_activity: float = P(0.06, 0.0, 1.0, "per quarter", ASSUMPTION)
    eta_success: float = P(0.10, 0.0, 1.0, "per quarter", ASSUMPTION)
    eta_failure: float = P(0.10, 0.0, 1.0, "per quarter", ASSUMPTION)
    decay_half_life_years: float = P(3.0, 2.0, 5.0, "years", "assumption, 2–5 years")
    activity_threshold: float = P(0.25, 0.0, 1.0, "-", "below it ties decay (no real activity)")
    activity_cost_bn: float = P(0.5, 0.001, 1e3, "bn VND per field per quarter", "budget for "
                                "full activity in one field with one partner (estimate)")
    dx_activity_boost: float = P(0.5, 0.0, 5.0, "per unit DX", "online meetings and shared "
                                 "platforms stretch budgets (assumption)")
    base_budget_bn_per_year: float = P(1.6, 0.0, 1e4, "bn VND per partner per year",
                                       "HCMC + province programme budget before 2023 (estimate)")
    level1_strength: float = P(0.1, 0.0, 1.0, "-", "information sharing above this strength "
                               "(or while an agreement is in force); below it the tie lapses")
    level2_strength: float = P(0.35, 0.0, 1.0, "-", "joint programmes above this strength")
    level3_strength: float = P(0.6, 0.0, 1.0, "-", "implemented projects above this strength "
                               "and ≥1 operating project in the field")


@dataclass
class GovernmentConfig:
    """Province agents: promotion and digital transformation."""

    promotion_half_life_quarters: float = P(3.0, 2.0, 4.0, "quarters", "MODEL_SPEC §9: 2–4")
    base_promotion_events_per_year: float = P(0.5, 0.0, 50.0, "events per partner per year",
                                              "pre-2023 trade/investment promotion (estimate)")
    dx_growth_per_year: float = P(0.04, 0.0, 1.0, "share of gap to 1 per year",
                                  "national DX programme (Decision 749/QĐ-TTg; estimate)")


@dataclass
class ModelParams:
    """All uncertain behavioural parameters (what researchers sweep and calibrate)."""

    firms: FirmsConfig = field(default_factory=FirmsConfig)
    opportunity: OpportunityConfig = field(default_factory=OpportunityConfig)
    consideration: ConsiderationConfig = field(default_factory=ConsiderationConfig)
    information: InformationConfig = field(default_factory=InformationConfig)
    utility: UtilityConfig = field(default_factory=UtilityConfig)
    project: ProjectConfig = field(default_factory=ProjectConfig)
    lifecycle: LifecycleConfig = field(default_factory=LifecycleConfig)
    land: LandConfig = field(default_factory=LandConfig)
    jobs: JobsConfig = field(default_factory=JobsConfig)
    fiscal: FiscalConfig = field(default_factory=FiscalConfig)
    ties: TiesConfig = field(default_factory=TiesConfig)
    government: GovernmentConfig = field(default_factory=GovernmentConfig)
