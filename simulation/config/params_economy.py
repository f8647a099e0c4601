"""Parameters of projects, their lifecycle, land, jobs and taxes (MODEL_SPEC §§5–7).

Money is in real 2023 VND throughout (nominal sources are deflated with the GDP deflator of
``simulation/data/deflator.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.config.fields import ASSUMPTION, CALIBRATED, POSTERIOR, P


@dataclass
class ProjectConfig:
    """Project size and modern-technology flag."""

    size_sigma: float = P(0.8, 0.0, 3.0, "log units", "lognormal noise of project size")
    size_scale: float = P(0.8, 0.01, 100.0, "multiplier", CALIBRATED)
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
    realisation_share: float = P(0.6673, 0.05, 1.0, "-", POSTERIOR + "; registered capital "
                                 "routinely exceeds capital realised")
    pause_base: float = P(0.01114, 0.0, 1.0, "per quarter", POSTERIOR)
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
    license_level3: float = P(0.5, 0.0, 10.0, "per unit share of mapped fields at level 3",
                              "implemented cooperation projects ease licensing (MODEL_SPEC §8): "
                              "assumption")
    stock_age_years: float = P(12.0, 1.0, 40.0, "years", "projects of the initial stock opened "
                               "up to this many years before the first recorded quarter "
                               "(HCMC investors in Nghệ An since 2003; uniform ages)")
    resume_level3: float = P(0.5, 0.0, 10.0, "per unit share of mapped fields at level 3",
                             "and help paused projects resume (MODEL_SPEC §8): assumption")


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

    ramp_quarters: int = P(4, 1, 40, "quarters", "jobs and output ramp up linearly after "
                           "opening")
    multiplier_scale: float = P(1.0, 0.0, 3.0, "multiplier", "scales the sector local "
                                "multipliers (Moretti 2010: 0.5–1.6)")
    hcmc_wage_bn_per_year: float = P(0.16, 0.0, 10.0, "bn VND per worker-year", "HCMC average "
                                     "wage (estimate from GRDP per worker)")
    labour_pool_share: float = P(0.179, 0.001, 1.0, "share of the labour force", "workers HCMC "
                                 "firms' projects can recruit in a location (locals not yet "
                                 "employed by them plus in-migrants); " + POSTERIOR)
    recruitment_sharpness: float = P(4.0, 1.0, 50.0, "-", "k of the soft minimum of wanted "
                                     "jobs and the pool: hiring slows as the pool tightens")
    wage_tightness: float = P(0.2, 0.0, 5.0, "wage rise at a fully used pool", "local wages "
                              "rise with the pool's tightness (assumption; regional labour "
                              "supply elasticities 1–3)")


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
    pit_effective: float = P(0.05, 0.0, 0.35, "share of wage bill", "PIT revenue from wages "
                             "over the wage bill of formal employees (≈5 %; progressive "
                             "schedule 5–35 % with allowances)")
    subsidiary_share: float = P(0.7, 0.0, 1.0, "-", "share of projects set up as subsidiaries "
                                "(pay CIT in the host); the rest are dependent units (estimate)")
    dependent_host_share: float = P(0.5, 0.0, 1.0, "-", "host province's cost share of a "
                                    "dependent unit's CIT (Circular 80/2021 allocation)")
    discount_rate: float = P(0.10, 0.0, 1.0, "per year", "firms' discount rate for the EATR "
                             "of a regime")
    eatr_horizon_years: int = P(15, 1, 50, "years", "horizon of the EATR: the profit path a "
                                "firm values in its choice is the fiscal block's own")
