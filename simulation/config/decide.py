"""The typed schemas of the decision-support commands: policy search and scenario discovery.

``optimise`` searches lever packages under a budget with a multi-objective evolutionary
algorithm (NSGA-II/III); ``discover`` samples deep uncertainties with a policy fixed and maps
the futures in which the policy misses a target (PRIM). Both run every candidate with the same
replication seeds as its paired baseline (common random numbers), like ``compare``. Defaults
live here; ``configs/optimise.yaml`` and ``configs/discover.yaml`` hold only Hydra settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.config.params import ModelParams, P
from simulation.config.schema import TimeOverride

# --------------------------------------------------------------------------- a policy search

USES = ("agreements", "promotions", "digital", "land")  # planned budget lines a search splits
SAMPLERS = ("nsga2", "nsga3")
STORAGES = ("journal", "sqlite")


@dataclass
class PackageBudget:
    """The programme budget a package plans to spend a year.

    Money is turned into lever amounts with the model's own unit costs (``params.costs``), so
    the planned budget is what the model books as outlays before the partners reallocate part
    of it; what the programme then really costs (incentives, capital subsidies and the
    reallocation included) is the model's costs table (objective ``programme_cost_bn``).
    """

    cap_bn_per_year: float = P(150.0, 0.0, 1e5, "bn VND per year", "planned programme budget "
                               "of HCMC and the partners together (the 2023 agreements at the "
                               "schema default, 2 bn per province and field, cost 144 bn a year)")
    search_total: bool = False  # false: every package spends the cap; true: the total is a
    # decision variable in [0, cap] (useful when programme cost is an objective)


@dataclass
class LeverSpace:
    """What a search may choose (MODEL_SPEC §9 levers), for the partners from ``start`` on."""

    uses: list[str] = field(default_factory=lambda: list(USES))  # budget lines split
    split_provinces: bool = True  # a share of the budget per partner (else equal shares)
    split_fields: bool = False  # a share of the agreement budget per field (else equal)
    cit_regimes: list[str] = field(default_factory=list)  # CIT regimes to choose from for
    # projects licensed in the window; [] = the statutory regimes only (not searched)
    incentive_sectors: list[str] = field(default_factory=lambda: ["all"])
    capex_subsidy_max_pct: float = P(0.0, 0.0, 50.0, "% of capital", "upper end of the "
                                     "searched capital subsidy; 0 = not searched")
    start: str = "2023Q2"  # first quarter of every lever
    end: str | None = None  # last quarter; None: the horizon


@dataclass
class OptimiseConfig:
    """A multi-objective search over lever packages with paired seeds."""

    name: str = "packages"  # the study: <output_dir>/<name>/ (re-running the command resumes)
    objectives: list[str] = field(default_factory=lambda: [
        "partner_direct_jobs", "partner_retained_bn"])  # see simulation/analysis/outcomes.py
    levers: LeverSpace = field(default_factory=LeverSpace)
    budget: PackageBudget = field(default_factory=PackageBudget)
    base_scenario: str = "baseline"  # the package's levers are added to this scenario's
    baseline: str = "baseline"  # objectives are differences from this scenario
    references: list[str] = field(default_factory=list)  # scenarios shown next to the front
    trials: int = P(96, 2, 1_000_000, "packages", "evaluated in all (a re-run with more "
                    "trials extends the study)")
    population: int = P(16, 2, 10_000, "packages per generation", "NSGA-II/III population; "
                        "one generation is evaluated in parallel")
    sampler: str = "nsga2"  # nsga2 or nsga3 (reference points: better for 3+ objectives)
    replications: int = P(8, 1, 10_000, "seeds per package", "the same seeds for every "
                          "package and the baseline (common random numbers)")
    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed of the replication seeds (as in "
                  "compare) and of the sampler")
    worker: int = P(0, 0, 100_000, "-", "this process's number when several share a study "
                    "(e.g. a --multirun over worker=0,1,2,3 on a cluster launcher)")
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    storage: str = "journal"  # journal (a file, safe for several processes) or sqlite
    choose: int = P(5, 0, 1000, "packages", "Pareto packages written as scenario files")
    window_start: str = "2023Q2"  # first quarter of the cumulative measures
    params: ModelParams = field(default_factory=ModelParams)
    time: TimeOverride = field(default_factory=TimeOverride)
    data_dir: str | None = None
    output_dir: str = "results/optimise"
    figures: bool = True
    figure_formats: list[str] = field(default_factory=lambda: ["png", "svg"])
    progress: bool = True


# --------------------------------------------------------------------------- scenario discovery


@dataclass
class Uncertainty:
    """A deep uncertainty: one value in [low, high] per future, set on every key listed."""

    name: str = "theta_info"  # short name (a PRIM dimension, a figure label)
    keys: list[str] = field(default_factory=lambda: ["params.utility.theta_info"])
    low: float = 0.0
    high: float = 1.0
    source: str = ""  # why this range


def _default_uncertainties() -> list[Uncertainty]:
    macro = [f"params.opportunity.macro_by_year.{y}" for y in range(2025, 2031)]
    return [
        Uncertainty("macro_demand", macro, 0.7, 1.1, "expansion opportunities relative to "
                    "trend from 2025 (2020–21 COVID years: 0.75–0.85)"),
        Uncertainty("theta_info", ["params.utility.theta_info"], 0.3, 0.8, "information part "
                    "of the distance cost, MODEL_SPEC §10 (share 0.4–0.7 of 0.9)"),
        Uncertainty("theta_phys", ["params.utility.theta_phys"], 0.2, 0.6, "physical part; "
                    "θ_phys + θ_info in 0.3–1.5 (Disdier & Head 2008)"),
        Uncertainty("iota_dx", ["params.information.iota_dx"], 0.2, 0.65, "information gain "
                    "of DX, ≤ 0.65 (Lendle et al. 2016)"),
        Uncertainty("land_share", ["params.land.hcmc_accessible_share"], 0.1, 0.4, "share of "
                    "vacant park land HCMC investors compete for (assumption ± 60 %)"),
        Uncertainty("nest_rho", ["params.utility.nest_rho"], 0.4, 1.0, "diversion within the "
                    "invest-away nest (1 = plain logit)"),
        Uncertainty("beta_tax", ["params.utility.beta_tax"], 0.025, 0.033, "FDI tax "
                    "semi-elasticity 2.5–3.3 %/pp (Feld & Heckemeyer 2011)"),
        Uncertainty("beta_agglomeration", ["params.utility.beta_agglomeration"], 0.1, 0.8,
                    "Head, Ries & Swenson 1995"),
        Uncertainty("tie_half_life", ["params.ties.decay_half_life_years"], 2.0, 5.0,
                    "tie decay half-life, MODEL_SPEC §10"),
    ]


@dataclass
class PrimConfig:
    """Patient Rule Induction Method settings (ema-workbench)."""

    peel_alpha: float = P(0.05, 0.01, 0.5, "share", "points peeled per step")
    paste_alpha: float = P(0.05, 0.01, 0.5, "share", "points pasted back per step")
    mass_min: float = P(0.05, 0.0, 0.5, "share", "smallest box, as a share of the futures")
    min_density: float = P(0.8, 0.0, 1.0, "share", "a box is read off the peeling trajectory "
                           "as the one with the highest coverage whose density reaches this")
    boxes: int = P(2, 1, 10, "boxes", "boxes found one after another (each on the futures "
                   "the earlier ones leave)")


@dataclass
class DiscoverConfig:
    """Scenario discovery: Latin-hypercube futures, a fixed policy, PRIM for its failures."""

    name: str = "discovery"
    policy: str = "full_package"  # the policy whose failures PRIM explains
    policies: list[str] = field(default_factory=list)  # the set for regret (policy added)
    baseline: str = "baseline"
    scenario_dir: str | None = None  # extra folder of scenario/<name>.yaml (e.g. a study's)
    outcome: str = "partner_direct_jobs"  # see simulation/analysis/outcomes.py
    target: float = P(0.0, None, None, "outcome units", "the policy meets the target in a "
                      "future when its paired gain reaches it (falls to it, for costs)")
    uncertainties: list[Uncertainty] = field(default_factory=_default_uncertainties)
    futures: int = P(200, 4, 1_000_000, "futures", "Latin hypercube sample size")
    sampling_seed: int = P(12345, 0, 2**32 - 1, "-", "seed of the Latin hypercube")
    replications: int = P(2, 1, 10_000, "seeds per future", "the same seeds in every future "
                          "and for every policy and the baseline (common random numbers)")
    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed of the replication seeds")
    prim: PrimConfig = field(default_factory=PrimConfig)
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    window_start: str = "2023Q2"
    params: ModelParams = field(default_factory=ModelParams)
    time: TimeOverride = field(default_factory=TimeOverride)
    data_dir: str | None = None
    output_dir: str = "results/discovery"
    figures: bool = True
    figure_formats: list[str] = field(default_factory=lambda: ["png", "svg"])
    progress: bool = True
