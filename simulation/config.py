"""Typed configuration schema, registered in Hydra's ConfigStore, with range validation.

Every behavioural number of the model is a named field here. Each field carries its unit, its
allowed range and its source in the field metadata (`P(...)`), so the same information drives
validation, the parameter table in docs/ODD.md and error messages. Defaults live here; YAML files
under ``configs/`` hold only differences.

Policy levers (what planners choose) live in :class:`ScenarioConfig`; uncertain behavioural
parameters (what researchers sweep and calibrate) live in the other groups.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from simulation.errors import ConfigError
from simulation.timeline import parse_quarter


def P(default: Any, lo: float | None, hi: float | None, unit: str, source: str) -> Any:
    """A documented numeric parameter: default, closed range [lo, hi], unit and source."""
    return field(default=default, metadata={"range": (lo, hi), "unit": unit, "source": source})


ASSUMPTION = "assumption; calibrate (see docs/ODD.md)"
CALIBRATED = "calibrated by hand to MODEL_SPEC §11 targets (experiments/calibration/README.md)"


# --------------------------------------------------------------------------- behaviour


@dataclass
class TimeConfig:
    """Simulated calendar."""

    start: str = "2020Q1"  # first recorded quarter
    end: str = "2025Q4"  # last recorded quarter (scenarios may extend to 2030Q4)
    spinup_quarters: int = P(24, 0, 80, "quarters", "warm-up before `start` that builds the "
                             "stock of projects under baseline conditions; not recorded")


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


# --------------------------------------------------------------------------- policy levers

ALL = "all"  # in a list of provinces, sectors or fields: every partner / sector / field


@dataclass
class Agreement:
    """Cooperation agreement in some fields with some partners (sets level 1, strength, budget)."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    fields: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    initial_strength: float = P(0.2, 0.0, 1.0, "-", "w := max(w, this) at signature")
    budget_bn_per_year: float = P(2.0, 0.0, 1e4, "bn VND per province per field per year",
                                  "HCMC + province activity budget (estimate)")


@dataclass
class Incentive:
    """Investment incentives for projects licensed in the window."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    sectors: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    cit_regime: str = "special"  # one of: none, park, difficult, special
    capex_subsidy_pct: float = P(0.0, 0.0, 50.0, "% of capital", "provincial support")


@dataclass
class Promotion:
    """Trade / investment / tourism promotion events."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    events_per_year: float = P(2.0, 0.0, 100.0, "events per province per year", "programme plan")


@dataclass
class DigitalTransformation:
    """Shared investment-information platform, e-government."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    dx_gain_per_year: float = P(0.08, 0.0, 1.0, "share of gap to 1 per year", "programme plan")
    firm_readiness_gain_per_year: float = P(0.05, 0.0, 1.0, "share of gap to 1 per year",
                                            "platform use by HCMC firms (assumption)")


@dataclass
class LandSupply:
    """Additional industrial-park land opened to investors."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    hectares_per_year: float = P(20.0, 0.0, 1e5, "ha per province per year", "IP plans")


@dataclass
class Transport:
    """Transport connectivity: travel distance multiplied from `start` on."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2025Q1"
    distance_factor: float = P(0.85, 0.1, 1.0, "multiplier on d_p", "North–South expressway")


@dataclass
class HumanCapital:
    """S&T, education and health cooperation."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    gain_per_year: float = P(0.02, 0.0, 1.0, "share of gap to 1 per year", "assumption")


@dataclass
class SectorPotential:
    """Tourism and agriculture cooperation: sector potential multiplied."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    sectors: list[str] = field(default_factory=lambda: ["tourism", "agri_food"])
    start: str = "2023Q2"
    end: str = "2025Q4"
    multiplier: float = P(1.2, 0.1, 10.0, "multiplier on M_sp", "assumption")


@dataclass
class FiscalRule:
    """Budget retention and legal-form rules from `start` on."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q1"
    retention_rate: float = P(1.0, 0.0, 1.0, "-", "share of shared revenue retained locally")


@dataclass
class ScenarioConfig:
    """A policy scenario: a name and lists of scheduled levers (MODEL_SPEC §9)."""

    name: str = "baseline"
    description: str = "Cooperation as it was before 2023 (no new agreements)."
    agreements: list[Agreement] = field(default_factory=list)
    incentives: list[Incentive] = field(default_factory=list)
    promotions: list[Promotion] = field(default_factory=list)
    digital: list[DigitalTransformation] = field(default_factory=list)
    land: list[LandSupply] = field(default_factory=list)
    transport: list[Transport] = field(default_factory=list)
    human_capital: list[HumanCapital] = field(default_factory=list)
    potential: list[SectorPotential] = field(default_factory=list)
    fiscal: list[FiscalRule] = field(default_factory=list)


@dataclass
class OutputConfig:
    """Where and what a run writes."""

    dir: str = "results/runs"  # run directories go under <dir>/<scenario>/
    events: bool = True  # write the lifecycle event log (projects' state transitions)
    projects: bool = False  # write the final project ledger (one row per project)
    figures: bool = True  # draw the run's figures
    summary: bool = True  # print the headline table


@dataclass
class RunConfig:
    """The composed configuration of one run (the Hydra app's root)."""

    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed; same seed ⇒ identical tables")
    replication: int = P(0, 0, 10**9, "-", "replication index (label only)")
    data_dir: str | None = None  # None: the data shipped in the package
    time: TimeConfig = field(default_factory=TimeConfig)
    params: ModelParams = field(default_factory=ModelParams)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    output: OutputConfig = field(default_factory=OutputConfig)


def register_configs() -> None:
    """Register the schema in Hydra's ConfigStore and the sweep resolver (idempotent)."""
    from hydra.core.config_store import ConfigStore

    from simulation.sweeps.jobdir import register_resolvers

    register_resolvers()

    cs = ConfigStore.instance()
    cs.store(name="run_schema", node=RunConfig)
    cs.store(group="scenario", name="scenario_schema", node=ScenarioConfig)


# --------------------------------------------------------------------------- validation

CIT_REGIMES = ("none", "park", "difficult", "special")


def _check_range(path: str, value: Any, meta: dict) -> None:
    lo, hi = meta.get("range", (None, None))
    unit = meta.get("unit", "")
    unit = "" if unit == "-" else f" ({unit})"
    items = value.items() if isinstance(value, dict) else [(None, value)]
    for sub, v in items:
        key = path if sub is None else f"{path}.{sub}"
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            raise ConfigError(f"{key}={v} is not a finite number; allowed [{lo}, {hi}]{unit}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise ConfigError(f"{key}={v} is out of range; allowed [{lo}, {hi}]{unit}")


def _walk(obj: Any, path: str) -> None:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}.{f.name}" if path else f.name
        if dataclasses.is_dataclass(value):
            _walk(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    _walk(item, f"{key}.{i}")
        elif f.metadata:
            _check_range(key, value, f.metadata)


def _check_names(key: str, names: list[str], allowed: list[str]) -> None:
    for n in names:
        if n != ALL and n not in allowed:
            raise ConfigError(f"{key} contains unknown {n!r}; allowed: {ALL}, "
                              + ", ".join(allowed))


def _check_window(key: str, start: str, end: str | None) -> None:
    bounds = {"start": start} if end is None else {"start": start, "end": end}
    parsed = {}
    for name, label in bounds.items():
        try:
            parsed[name] = parse_quarter(label)
        except ValueError:
            raise ConfigError(f"{key}.{name}={label!r} is not a calendar quarter; allowed: "
                              "YYYYQn with n in 1..4, e.g. 2024Q3") from None
    if end is not None and parsed["end"] < parsed["start"]:
        raise ConfigError(f"{key}.end={end} is before {key}.start={start}; allowed: end ≥ start")


def validate(cfg: RunConfig, partners: list[str], sectors: list[str], fields: list[str],
             locations: list[str]) -> None:
    """Check ranges, calendar labels and names; raise ConfigError naming key, value, allowed.

    Args:
        cfg: the run configuration as a dataclass instance.
        partners: location codes of the partner provinces.
        sectors: sector codes.
        fields: cooperation-field codes.
        locations: every location code (fiscal rules may name HCMC and the composites).
    """
    _walk(cfg, "")
    _check_window("time", cfg.time.start, cfg.time.end)
    for year in cfg.params.opportunity.macro_by_year:
        if not str(year).isdigit():
            raise ConfigError(f"params.opportunity.macro_by_year has key {year!r}; "
                              "allowed: calendar years such as '2021'")
    sc = cfg.scenario
    for group in ("agreements", "incentives", "promotions", "digital", "land", "transport",
                  "human_capital", "potential", "fiscal"):
        for i, lever in enumerate(getattr(sc, group)):
            key = f"scenario.{group}.{i}"
            _check_names(f"{key}.provinces", lever.provinces,
                         locations if group == "fiscal" else partners)
            if hasattr(lever, "sectors"):
                _check_names(f"{key}.sectors", lever.sectors, sectors)
            if hasattr(lever, "fields"):
                _check_names(f"{key}.fields", lever.fields, fields)
            _check_window(key, lever.start, getattr(lever, "end", None))
            if parse_quarter(lever.start) < parse_quarter(cfg.time.start):
                raise ConfigError(f"{key}.start={lever.start} is before time.start="
                                  f"{cfg.time.start}; allowed: levers start in the recorded "
                                  "horizon (the spin-up runs under baseline conditions)")
            if group == "incentives" and lever.cit_regime not in CIT_REGIMES:
                raise ConfigError(f"{key}.cit_regime={lever.cit_regime!r} is unknown; allowed: "
                                  + ", ".join(CIT_REGIMES))


def parameter_table() -> list[dict[str, Any]]:
    """Every documented parameter with default, range, unit and source (for docs)."""
    rows: list[dict[str, Any]] = []

    def walk(cls: type, prefix: str, instance: Any) -> None:
        for f in dataclasses.fields(cls):
            value = getattr(instance, f.name)
            key = f"{prefix}.{f.name}"
            if dataclasses.is_dataclass(value):
                walk(type(value), key, value)
            elif f.metadata:
                lo, hi = f.metadata["range"]
                rows.append({"key": key, "default": value, "min": lo, "max": hi,
                             "unit": f.metadata["unit"], "source": f.metadata["source"]})

    walk(ModelParams, "params", ModelParams())
    return rows
