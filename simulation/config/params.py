"""The model's uncertain behavioural parameters: what researchers sweep and calibrate.

Every behavioural number of the model is a named field here. Each field carries its unit, its
allowed range and its source in the field metadata (:func:`P`), so the same information drives
validation, the parameter table in docs/ODD.md and error messages. Defaults live here; YAML files
under ``configs/`` hold only differences. Policy levers (what planners choose) are in
:mod:`simulation.config.scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.config.fields import ASSUMPTION, CALIBRATED, POSTERIOR, P
from simulation.config.params_economy import (
    CitRegime,
    FiscalConfig,
    JobsConfig,
    LandConfig,
    LifecycleConfig,
    ProjectConfig,
)
from simulation.config.params_policy import (
    CostConfig,
    GovernmentConfig,
    NetworkConfig,
    ReformConfig,
    TiesConfig,
)

__all__ = ["ASSUMPTION", "CALIBRATED", "CitRegime", "CostConfig", "FiscalConfig",
           "GovernmentConfig", "JobsConfig", "LandConfig", "LifecycleConfig", "ModelParams",
           "NetworkConfig", "P", "ProjectConfig", "ReformConfig", "TiesConfig"]


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
    """Expansion opportunities: λ_i = λ0·(K_i/K̄)^ζ·macro_t.

    Policy never creates them: levers act on where an opportunity goes (consideration,
    information, utility).
    """

    base_rate: float = P(0.008151, 0.0, 1.0, "per firm per quarter", POSTERIOR)
    size_elasticity: float = P(0.3, 0.0, 1.5, "-", "ζ: larger firms expand more often "
                               "(assumption)")
    macro_by_year: dict[str, float] = field(
        default_factory=lambda: {"2020": 0.85, "2021": 0.75, "2022": 0.95, "2023": 0.9,
                                 "2024": 0.95},
        metadata={"range": (0.0, 5.0), "unit": "multiplier", "source":
                  "GDP growth relative to trend (COVID-19 2020–21; GSO); other years 1.0"},
    )


@dataclass
class ConsiderationConfig:
    """Consideration of a province.

    P(considered) = 1 − exp(−(a0 + a_W·W + a_TP·promotion_p + a_D·DX·D + a_P·peers
    + a_L2·[joint programmes])); composites, nearby places and places a firm knows are always
    considered.
    """

    a0: float = P(0.15, 0.0, 10.0, "hazard units", ASSUMPTION)
    a_ties: float = P(1.5, 0.0, 20.0, "per unit tie strength", ASSUMPTION)
    a_promotion: float = P(0.15, 0.0, 10.0, "per unit of the province's own promotion stock",
                           ASSUMPTION)
    a_dx: float = P(0.8, 0.0, 10.0, "per unit DX·readiness", ASSUMPTION)
    a_peers: float = P(1.0, 0.0, 20.0, "per unit share of peers operating there",
                       "observational learning ('follow the leader'; Altomonte & Pennings "
                       "2008; Belderbos et al. 2011): assumption, calibrate")
    a_level2: float = P(0.5, 0.0, 10.0, "per unit share of mapped fields at level ≥ 2",
                        "joint programmes make a partner visible to firms of the mapped "
                        "sectors (MODEL_SPEC §8): assumption")
    experience_min: float = P(0.05, 0.0, 1.0, "-", "experience above which a location is "
                              "always considered")
    always_km: float = P(150.0, 0.0, 5000.0, "km", "places within this road distance of HCMC "
                         "(its industrial belt, the southern neighbours) are always considered")


@dataclass
class InformationConfig:
    """Information access.

    I = 1 − (1 − ι_W·W)(1 − ι_D·DX·D)(1 − ι_E·E)(1 − ι_TP·v_p)(1 − ι_P·peers), with
    v_p = 1 − exp(−promotion_p) the province's visibility.
    """

    iota_ties: float = P(0.5, 0.0, 1.0, "-", ASSUMPTION)
    iota_dx: float = P(0.5, 0.0, 0.65, "-", "≤ 0.65: online platforms cut distance effects by "
                       "≈65 % (Lendle et al. 2016)")
    iota_experience: float = P(0.8, 0.0, 1.0, "-", ASSUMPTION)
    experience_gain: float = P(0.6, 0.0, 1.0, "-", "E' = 1 − (1 − E)(1 − gain) when a project "
                               "of the firm starts operating there (assumption)")
    experience_half_life_years: float = P(5.0, 0.25, 100.0, "years", ASSUMPTION)
    iota_promotion: float = P(0.3, 0.0, 1.0, "-", "information a province's own promotion "
                              "conveys at full visibility (assumption)")
    iota_peers: float = P(0.4, 0.0, 1.0, "-", "information when all of a firm's peers operate "
                          "there (assumption)")
    contact_gain: float = P(0.3, 0.0, 1.0, "-", "experience a matchmaking contact gives a firm "
                            "in the province (assumption)")


@dataclass
class UtilityConfig:
    """Conditional-logit utility of a location (MODEL_SPEC §5)."""

    xi_home: float = P(0.0, -20.0, 20.0, "utils", CALIBRATED)
    xi_province: float = P(0.7558, -20.0, 20.0, "utils", "every single province, partner or not: "
                           "the partner premium is not assumed, it comes from ties; "
                           + POSTERIOR)
    xi_composite: float = P(0.0, -20.0, 20.0, "utils", "a composite region per member "
                            "province, before its size term ln(members) (calibrated)")
    asc_no_invest: float = P(0.0, -20.0, 20.0, "utils", "normalisation: utility of declining "
                             "the opportunity")
    beta_potential: float = P(0.6, 0.0, 5.0, "per log potential", ASSUMPTION)
    beta_wage: float = P(0.5, 0.0, 5.0, "per log wage", ASSUMPTION)
    beta_agglomeration: float = P(0.3906, 0.1, 0.8, "per log(1+N)", "Head, Ries & Swenson 1995: "
                                  "0.1–0.8 (the prior); " + POSTERIOR)
    beta_tax: float = P(0.03, 0.0, 0.2, "per pp of EATR cut", "FDI tax semi-elasticity "
                        "2.5–3.3 %/pp (Feld & Heckemeyer 2011; de Mooij & Ederveen 2003)")
    beta_subsidy: float = P(0.02, 0.0, 0.5, "per % capex subsidy", ASSUMPTION)
    beta_congestion: float = P(2.0, 0.0, 10.0, "per unit land congestion", ASSUMPTION)
    theta_phys: float = P(0.2478, 0.0, 1.5, "per log distance", "physical part of the distance "
                          "coefficient; the emergent elasticity of new-project counts is a "
                          "target (Disdier & Head 2008; band −0.3…−1.5); " + POSTERIOR)
    theta_info: float = P(0.3, 0.0, 1.5, "per log distance", "information part, share 0.4–0.7 "
                          "of the total (Lendle et al. 2016)")
    beta_size_distance: float = P(0.08, 0.0, 2.0, "per log project size per log distance",
                                  "larger projects spread the fixed cost of a distant site: "
                                  "HEPZA projects ~190 bn, Nghệ An's ~650 bn (2023 VND); "
                                  "calibrated")
    size_ref_bn: float = P(200.0, 1.0, 1e5, "bn VND", "project size at which distance costs "
                           "the θ coefficients alone")
    distance_ref_km: float = P(20.0, 1.0, 500.0, "km", "d0: intra-city reference distance")
    nest_rho: float = P(0.7582, 0.05, 1.0, "-", "dissimilarity of the invest-away nest (every "
                        "place outside HCMC); 1 = plain logit, small = policy diverts within "
                        "the nest; the emergent distance elasticity is θ/ρ-scaled; "
                        + POSTERIOR)


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
    network: NetworkConfig = field(default_factory=NetworkConfig)
    costs: CostConfig = field(default_factory=CostConfig)
    reform: ReformConfig = field(default_factory=ReformConfig)
