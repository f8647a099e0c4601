"""The typed schemas of every command: a run, a comparison, a calibration, a figure set.

Hydra composes YAML files and command-line overrides onto these dataclasses (registered in its
ConfigStore by :func:`simulation.config.compose.register_configs`), so unknown keys and wrong
types are refused before anything runs; :mod:`simulation.config.validate` then checks ranges.
The behavioural parameters (``params``) and the calendar use the same schemas everywhere, so
``params.firms.n_agents=5000`` is checked the same way on every command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from simulation.config.params import ModelParams, P
from simulation.config.scenario import ScenarioConfig

# --------------------------------------------------------------------------- a run


# The calendar a run may cover. The inputs describe 2023 (and HCMC investors' projects since
# 2003): projections further out than 2030Q4 (MODEL_SPEC §2, the longest scenario horizon) or
# a history before 2015Q1 would rest on data that no longer describe the provinces.
EARLIEST_START = "2015Q1"
LATEST_END = "2030Q4"


@dataclass
class TimeConfig:
    """Simulated calendar, within EARLIEST_START–LATEST_END."""

    start: str = "2020Q1"  # first recorded quarter (from 2015Q1)
    end: str = "2025Q4"  # last recorded quarter (scenarios may extend to 2030Q4, the limit)
    spinup_quarters: int = P(24, 0, 80, "quarters", "warm-up before `start` that builds the "
                             "stock of projects under baseline conditions; not recorded")


@dataclass
class OutputConfig:
    """Where and what a run writes."""

    dir: str = "results/runs"  # run directories go under <dir>/<scenario>/
    events: bool = True  # write the lifecycle event log (projects' state transitions)
    projects: bool = False  # write the final project ledger (one row per project)
    figures: bool = True  # draw the run's figures
    summary: bool = True  # print the headline table
    graph: bool = True  # write network.graphml: agreement, province and road layers at the end
    peer_graph: bool = False  # also write peers.graphml: every firm agent and its peer links


@dataclass
class RunConfig:
    """The composed configuration of one run (the Hydra app's root)."""

    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed; same seed ⇒ identical tables")
    replication: int = P(0, 0, 10**9, "-", "replication index (label only)")
    data_dir: str | None = None  # None: the data shipped in the package
    # a GraphML network (e.g. a run folder's network.graphml, edited) whose province links and
    # road graph replace the shipped ones; None: the shipped data
    network_file: str | None = None
    time: TimeConfig = field(default_factory=TimeConfig)
    params: ModelParams = field(default_factory=ModelParams)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    output: OutputConfig = field(default_factory=OutputConfig)


def same_but_scenario(a: RunConfig, b: RunConfig) -> bool:
    """Same run configuration apart from the scenario, the seed and the replication index.

    Two such runs with the same seed are the same run until their scenarios' levers part
    (:meth:`simulation.model.model.Phases.fork`).
    """
    def key(c: RunConfig) -> RunConfig:
        return replace(c, seed=0, replication=0, scenario=None)
    return key(a) == key(b)


# --------------------------------------------------------------------------- a comparison


@dataclass
class TimeOverride:
    """Calendar of every run; unset fields keep what each scenario composes."""

    start: str | None = None  # first recorded quarter (default 2020Q1)
    end: str | None = None  # horizon; None: the latest end among the scenarios
    spinup_quarters: int | None = None  # warm-up quarters before `start` (default 24)


@dataclass
class CompareConfig:
    """A comparison of scenarios against a baseline with paired replications.

    Every scenario run of the comparison gets the comparison's ``params``, ``time``,
    ``data_dir`` and ``network_file``.
    """

    scenarios: list[str] = field(default_factory=lambda: ["baseline", "agreement_2025"])
    baseline: str = "baseline"  # the reference; run even if not listed in `scenarios`
    replications: int = P(20, 2, 100_000, "runs per scenario", "≥ 2 for an interval")
    seed: int = P(2023, 0, 2**63 - 1, "-", "master seed; replication seeds derive from it "
                  "with numpy SeedSequence and are the same for every scenario")
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    # first quarter of the cumulative measures; None: the first quarter in which a lever of a
    # compared scenario takes effect (before it, scenario and baseline are the same run)
    window_start: str | None = None
    interval: str = "t"  # t: confidence interval of the mean difference; or percentile
    level: float = P(0.90, 0.5, 0.999, "-", "coverage of the interval of the difference")
    scenario_overrides: dict[str, list[str]] = field(default_factory=dict)  # name → overrides
    # an extra folder holding scenario/<name>.yaml files, e.g. the packages a policy search
    # wrote (<study folder>); its scenarios are compared like those of configs/scenario/
    scenario_dir: str | None = None
    discount_rate: float = P(0.09, 0.0, 0.5, "per year, real", "present values of the cost "
                             "and benefit table; ADB (2017) Guidelines for the Economic "
                             "Analysis of Projects: 9 % real (6 % for social-sector projects); "
                             "Viet Nam publishes no national social discount rate")
    params: ModelParams = field(default_factory=ModelParams)
    time: TimeOverride = field(default_factory=TimeOverride)
    data_dir: str | None = None  # None: the data shipped in the package
    network_file: str | None = None  # a GraphML network for every run (see RunConfig)
    # CSV of calibrated parameter draws: replication r uses draw r mod n, so intervals cover
    # parameter uncertainty as well as chance. Default: the shipped posterior draws (the
    # calibrate app writes them; a relative path is read from the project). null: seeds only
    parameter_draws: str | None = "configs/params/posterior_draws.csv"
    output_dir: str = "results/comparisons"  # comparison folders go under it
    figures: bool = True  # difference bars and fan charts
    figure_kpis: list[str] = field(default_factory=lambda: [
        "registered_bn", "total_jobs", "retained_bn"])  # each: bars and two fan charts
    figure_formats: list[str] = field(default_factory=lambda: ["png", "svg"])
    progress: bool = True  # progress bar on stderr


# --------------------------------------------------------------------------- a calibration

MAX_PARAMETERS = 8  # calibrated at once


@dataclass
class Bound:
    """One calibrated parameter (a key under ``params``), its prior box / search interval."""

    key: str = "opportunity.base_rate"
    low: float = 0.0
    high: float = 1.0


@dataclass
class AbcConfig:
    """ABC-SMC settings (simulation.analysis.abc) and what the posterior run writes."""

    reference: int = P(800, 10, 1_000_000, "particles", "generation 0: prior draws, also the "
                       "reference table of the coverage check")
    population: int = P(400, 10, 1_000_000, "particles", "particles of each later generation")
    generations: int = P(5, 0, 100, "generations", "at most, after generation 0")
    eps_final: float = P(1.0, 0.01, 100.0, "error σ", "kernel scale at which the run may stop: "
                         "1 = the exact posterior under the targets' error model")
    ess_share: float = P(0.4, 0.01, 1.0, "-", "ε is lowered while the effective sample size "
                         "stays above this share of the particles")
    min_ess: float = P(150.0, 1.0, 1e6, "particles", "stop once a generation at eps_final keeps "
                       "this effective sample size")
    chunk: int = P(40, 1, 100_000, "particles", "simulations per stored chunk (resume)")
    draws: int = P(200, 2, 100_000, "draws", "equally weighted posterior draws written for "
                   "comparisons")
    coverage_datasets: int = P(40, 0, 100_000, "datasets", "synthetic datasets of the "
                               "coverage check (0: none)")
    folder: str = "results/calibration/posterior"  # history, summaries, coverage, report, figures
    # the equally weighted draws; None = <folder>/posterior_draws.csv. install=true also copies
    # them to configs/params/posterior_draws.csv, the draws comparisons run over by default
    draws_file: str | None = None


@dataclass
class CalibrateConfig:
    """A posterior by ABC-SMC (default) or a point by simulated moments, with CRN."""

    method: str = "abc"  # abc: ABC-SMC posterior; msm: method of simulated moments
    abc: AbcConfig = field(default_factory=AbcConfig)
    parameters: list[Bound] = field(default_factory=list)  # ≤ 8, picked by Morris screening
    targets: dict[str, float] = field(default_factory=dict)  # moment → value; {} = MODEL_SPEC §11
    replications: int = P(8, 1, 1000, "seeds per parameter vector", "the same seeds for every "
                          "vector: common random numbers make the objective smooth in θ")
    seed: int = P(11, 0, 2**63 - 1, "-", "master seed of the replication seeds")
    design_points: int = P(32, 4, 100_000, "parameter vectors", "scrambled Sobol design "
                           "(a power of 2 keeps its balance properties)")
    refine_iterations: int = P(40, 0, 10_000, "objective evaluations", "Nelder–Mead from the "
                               "best design point")
    accept_share: float = P(0.15, 0.01, 1.0, "-", "share of design points kept as parameter "
                            "draws (rejection ABC), for uncertainty propagation")
    workers: int | None = P(None, 1, 4096, "processes", "None: one per core")
    params: ModelParams = field(default_factory=ModelParams)  # fixed for every evaluation
    # <output_dir>/<output_name>/: <name>.yaml (a params config), <name>_draws.csv, fit_<name>.md
    output_name: str = "calibrated"
    output_dir: str = "results/calibration"
    report_dir: str | None = None  # where fit_<name>.md goes; None: next to the parameter set
    # also copy <name>.yaml and <name>_draws.csv into configs/params/, so +params=<name> works;
    # refused (before the calibration runs) if configs/params/<name>.yaml exists
    install: bool = False
    progress: bool = True


# --------------------------------------------------------------------------- a figure set


@dataclass
class PlotConfig:
    """What to draw from a saved run, comparison or sweep folder, and how."""

    dir: str = ""  # the results folder (also the first argument without '=')
    lang: str = "en"  # en or vi: every title, label and legend
    formats: list[str] = field(default_factory=lambda: ["png", "svg"])  # png, svg, pdf
    out: str | None = None  # where figures go; None: <dir>/plots/<lang>
    kpis: list[str] = field(default_factory=lambda: [
        "registered_bn", "disbursed_bn", "total_jobs", "retained_bn"])  # headline indicators
    boundaries: list[str] = field(default_factory=lambda: ["pre2025", "post2025"])
    animation: bool = True  # GIF of flows and ties over the quarters
    dpi: int = P(200, 200, 600, "dots per inch", "PNG resolution; 200 fills a 16:9 slide at "
                 "2688 × 1512 pixels")
    gif_dpi: int = P(72, 40, 200, "dots per inch", "frame resolution; 72 gives 960 × 540")
    fps: float = P(2.0, 0.5, 12.0, "frames per second", "one frame per quarter")
