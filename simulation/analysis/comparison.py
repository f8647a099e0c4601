"""Plan and run a scenario comparison (no Hydra app, no files: see `simulation.compare`).

:func:`plan` checks a :class:`~simulation.config.schema.CompareConfig` and turns it into one
validated run config per scenario, all on the same calendar, and the replication seeds shared
by every scenario. :func:`run` executes scenarios × replications in parallel and returns the
quarterly indicator series of every run; :func:`summarise` turns them into the paired comparison
table on pre- and post-2025 boundaries.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from simulation.analysis import arrays, costs, kpis, measures
from simulation.analysis.paired import INTERVALS, paired_table
from simulation.config.compose import (
    available_scenarios,
    check_scenario_dir,
    compose,
    to_run_config,
)
from simulation.config.keys import changed
from simulation.config.params import ModelParams
from simulation.config.schema import LATEST_END, CompareConfig, RunConfig
from simulation.config.validate import check_ranges, inert_levers, lever_starts
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError
from simulation.io import PROJECT_ROOT
from simulation.model.rules.reform import successor_map
from simulation.runs.draws import load_draws, with_params
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare
from simulation.timeline import parse_quarter, quarter_label

FIGURE_FORMATS = ("png", "svg", "pdf")


def _quarter(key: str, value: str) -> int:
    try:
        return parse_quarter(value)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def validate_compare(cfg: CompareConfig, available: list[str]) -> list[str]:
    """Check the comparison's own settings; return the scenarios to run, baseline first.

    Args:
        cfg: the typed comparison config.
        available: scenario names found in configs/scenario/.

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    listing = ", ".join(available)
    for key, names in (("baseline", [cfg.baseline]), ("scenarios", cfg.scenarios),
                       ("scenario_overrides", list(cfg.scenario_overrides))):
        for name in names:
            if name not in available:
                raise ConfigError(f"{key}: unknown scenario {name!r}; available scenarios: "
                                  f"{listing}")
    dupes = sorted({s for s in cfg.scenarios if cfg.scenarios.count(s) > 1})
    if dupes:
        raise ConfigError(f"scenarios lists {', '.join(dupes)} more than once")
    run = [cfg.baseline] + [s for s in cfg.scenarios if s != cfg.baseline]
    if len(run) < 2:
        raise ConfigError(f"scenarios={cfg.scenarios} holds only the baseline "
                          f"{cfg.baseline!r}; add a scenario to compare, e.g. "
                          f"scenarios=[{cfg.baseline},agreement_2025]")
    if cfg.interval not in INTERVALS:
        raise ConfigError(f"interval={cfg.interval!r} is unknown; allowed: "
                          + ", ".join(INTERVALS))
    unknown = [k for k in cfg.figure_kpis if k not in kpis.KPI_BY_NAME]
    if unknown:
        raise ConfigError(f"figure_kpis contains unknown {unknown[0]!r}; allowed: "
                          + ", ".join(kpis.KPI_BY_NAME))
    bad = [f for f in cfg.figure_formats if f not in FIGURE_FORMATS]
    if bad:
        raise ConfigError(f"figure_formats contains unknown {bad[0]!r}; allowed: "
                          + ", ".join(FIGURE_FORMATS))
    if cfg.window_start is not None:
        _quarter("window_start", cfg.window_start)
    for key in ("start", "end"):
        value = getattr(cfg.time, key)
        if value is not None:
            _quarter(f"time.{key}", value)
    return run


def check_window(window_start: str, start: str, horizon: str) -> None:
    """The cumulative window must lie inside the recorded quarters."""
    w, a, h = (parse_quarter(x) for x in (window_start, start, horizon))
    if not a <= w <= h:
        raise ConfigError(f"window_start={window_start} is outside the recorded quarters; "
                          f"allowed: {start} to {horizon}")


@dataclass
class Plan:
    """Everything needed to run and report a comparison."""

    configs: dict[str, RunConfig]  # scenario → validated run config (baseline first)
    baseline: str
    seeds: list[int]  # replication r of every scenario uses seeds[r]
    start: str  # first recorded quarter
    horizon: str  # last recorded quarter (the same for every scenario)
    window_start: str  # first quarter of the cumulative measures
    inputs: Inputs
    draws: list[dict[str, float]] = dataclasses.field(default_factory=list)  # parameter draws
    draws_source: str | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)  # levers with no effect
    # scenario × draw index → the scenario's config with the draw (made once: a deep copy)
    drawn: dict[tuple[str, int], RunConfig] = dataclasses.field(default_factory=dict,
                                                                repr=False, compare=False)

    def with_draw(self, scenario: str, draw: int) -> RunConfig:
        """A scenario's run config with parameter draw ``draw`` applied."""
        if (scenario, draw) not in self.drawn:
            self.drawn[(scenario, draw)] = with_params(self.configs[scenario], self.draws[draw])
        return self.drawn[(scenario, draw)]

    def job_config(self, scenario: str, replication: int) -> RunConfig:
        """The exact run config of one replication: seed and parameter draw applied."""
        rc = self.configs[scenario]
        if self.draws:
            rc = self.with_draw(scenario, replication % len(self.draws))
        return dataclasses.replace(rc, seed=int(self.seeds[replication]),
                                   replication=int(replication),
                                   scenario=dataclasses.replace(rc.scenario, name=scenario))

    def draw_of(self, replication: int) -> int | None:
        """Index of the parameter draw replication ``replication`` uses (None: no draws)."""
        return replication % len(self.draws) if self.draws else None


def _scenario_config(name: str, cfg: CompareConfig, params: dict) -> RunConfig:
    """Compose one scenario with the comparison's parameters, calendar and lever overrides."""
    lever_overrides = list(cfg.scenario_overrides.get(name, []))
    for ov in lever_overrides:
        if not ov.split("=", 1)[0].lstrip("+~").startswith("scenario."):
            raise ConfigError(f"scenario_overrides.{name}: {ov!r} is not a lever override; "
                              "allowed: keys under 'scenario.', e.g. "
                              "scenario.agreements.0.budget_bn_per_year=4")
    try:
        composed = compose([*check_scenario_dir("scenario_dir", cfg.scenario_dir),
                            f"scenario={name}", *lever_overrides])
    except ConfigError as exc:
        where = f"scenario_overrides.{name}: " if lever_overrides else ""
        raise ConfigError(f"{where}{exc}") from None
    time = {k: v for k, v in dataclasses.asdict(cfg.time).items() if v is not None}
    extra = {"params": params, "time": time, "data_dir": cfg.data_dir,
             "network_file": cfg.network_file,
             "output": {"events": False, "projects": False, "figures": False,
                        "summary": False, "graph": False}}
    return to_run_config(OmegaConf.merge(composed, extra))


def scenario_configs(cfg: CompareConfig, names: list[str], inputs: Inputs
                     ) -> tuple[dict[str, RunConfig], str, str]:
    """Validated run configs of scenarios on one calendar, with the comparison's parameters.

    Every scenario gets ``cfg.params``, ``cfg.time`` and ``cfg.data_dir`` and runs to the same
    horizon (``cfg.time.end``, else the latest end among them).

    Returns:
        Scenario → run config, the first recorded quarter and the horizon.

    Raises:
        ConfigError: an unknown scenario or key, a value out of range, or scenarios with
            different start quarters (one clear line).
    """
    default_params = OmegaConf.to_container(OmegaConf.structured(ModelParams()))
    params = changed(OmegaConf.to_container(OmegaConf.structured(cfg.params)), default_params)
    configs = {name: _scenario_config(name, cfg, params) for name in names}
    starts = {rc.time.start for rc in configs.values()}
    if len(starts) > 1:
        raise ConfigError("the scenarios start in different quarters "
                          f"({', '.join(sorted(starts))}); set time.start for the comparison")
    start = starts.pop()
    horizon = cfg.time.end or max((rc.time.end for rc in configs.values()), key=parse_quarter)
    for name, rc in configs.items():
        configs[name] = dataclasses.replace(rc, time=dataclasses.replace(rc.time, end=horizon))
        prepare(configs[name], inputs)
    return configs, start, horizon


def plan(cfg: CompareConfig, inputs: Inputs | None = None) -> Plan:
    """Validate the comparison and compose every scenario's run config.

    Args:
        cfg: the comparison config.
        inputs: pre-loaded inputs (default: load from ``cfg.data_dir`` or the package).

    Raises:
        ConfigError: an unknown scenario or key, a value out of range, scenarios with different
            start quarters, or a window outside the recorded quarters (one clear line).
    """
    check_ranges(cfg)
    check_scenario_dir("scenario_dir", cfg.scenario_dir)
    names = validate_compare(cfg, available_scenarios(cfg.scenario_dir))
    inputs = inputs if inputs is not None else load_inputs(cfg.data_dir)
    configs, start, horizon = scenario_configs(cfg, names, inputs)
    window_start, warnings = _window(cfg, configs, start, horizon, inputs.expressway)
    source = draws_path(cfg.parameter_draws)
    draws = load_draws(source) if source else []
    p = Plan(configs, cfg.baseline, replication_seeds(cfg.seed, cfg.replications), start,
             horizon, window_start, inputs, draws, cfg.parameter_draws, warnings)
    # every draw the replications use (r mod n) must validate with every scenario
    for i in range(min(len(draws), cfg.replications)):
        for name in configs:
            prepare(p.with_draw(name, i), inputs)
    return p


def _window(cfg: CompareConfig, configs: dict[str, RunConfig], start: str, horizon: str,
            expressway: pd.DataFrame | None = None) -> tuple[str, list[str]]:
    """The cumulative window's first quarter, and one warning per lever with no effect.

    By default the window starts when the first lever of a compared scenario takes effect:
    before that quarter scenario and baseline are the same run. A scenario whose levers all
    start after the horizon cannot differ from the baseline and is refused.

    Raises:
        ConfigError: such a scenario, or a window outside the recorded quarters.
    """
    h = parse_quarter(horizon)
    firsts, warnings = [], []
    for name, rc in configs.items():
        if name == cfg.baseline:
            continue
        starts = sorted(parse_quarter(q) for _, q in lever_starts(rc, expressway))
        if starts and starts[0] > h:
            first = quarter_label(starts[0])
            raise ConfigError(f"scenario {name}: its levers start in {first} or later, after "
                              f"the horizon {horizon}, so it cannot differ from the baseline; "
                              f"set time.end={first} or later (up to {LATEST_END})")
        firsts += starts[:1]
        warnings += [f"scenario {name}: {w}" for w in inert_levers(rc, expressway)]
    window_start = cfg.window_start or quarter_label(
        max(parse_quarter(start), min(firsts, default=parse_quarter(start))))
    check_window(window_start, start, horizon)
    return window_start, warnings


def draws_path(path: str | None) -> str | None:
    """The draws file: as given, or relative to the project when not found from here.

    The default (``configs/params/posterior_draws.csv``) then works from any folder.
    """
    if not path or Path(path).is_file() or Path(path).is_absolute():
        return path or None
    shipped = PROJECT_ROOT / path
    return str(shipped) if shipped.is_file() else path


def uncertainty(p: Plan) -> str:
    """Which uncertainty the intervals of a comparison include."""
    if p.draws:
        return (f"parameters (posterior draws, {len(p.draws)} in {Path(p.draws_source).name}) "
                "× chance (seeds)")
    return "chance (seeds) only; parameters at their defaults"


def run(p: Plan, workers: int | None = None, progress: bool = True
        ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    """Run every scenario × replication; return the quarterly series, a run log and details.

    Returns:
        ``series``: :func:`simulation.analysis.kpis.run_series` of every run, concatenated;
        ``runs``: one row per run with ``scenario, replication, seed, wall_time_s``;
        ``details``: ``sectors`` (:func:`simulation.analysis.kpis.run_sectors`) and ``ties``
        (:func:`simulation.analysis.kpis.run_ties`) of every run, concatenated (for the figures),
        and ``costs`` (:func:`simulation.analysis.kpis.run_costs`) when the model records them.

    Raises:
        RunFailedError: a replication failed (the message names scenario and seed).
    """
    jobs = [dataclasses.replace(j, config=p.job_config(j.scenario, j.replication))
            for j in make_jobs(p.configs, p.seeds)]
    values, seconds = run_jobs(jobs, kpis.run_rows, workers=workers, progress=progress,
                               desc=f"{len(p.configs)} scenarios × {len(p.seeds)} runs")
    tables = {name: arrays.join([v[name] for v in values]) for name in values[0]}
    runs = pd.DataFrame({"scenario": [j.scenario for j in jobs],
                         "replication": [j.replication for j in jobs],
                         "seed": [j.seed for j in jobs],
                         "draw": pd.array([p.draw_of(j.replication) for j in jobs],
                                          dtype="Int64"),
                         "wall_time_s": seconds})
    series = tables.pop("series")
    return series, runs, tables


def summarise(series: pd.DataFrame, p: Plan, level: float = 0.90, method: str = "t"
              ) -> pd.DataFrame:
    """The comparison table: every scenario against the baseline, on both boundary sets.

    Returns:
        One row per boundary set × scenario × location × indicator × measure, with the
        columns of :func:`simulation.analysis.paired.paired_table` plus ``boundaries``,
        ``location_name``, ``label``, ``unit``, ``baseline_scenario``, ``interval``.
    """
    out = []
    for b, boundaries in enumerate(measures.BOUNDARIES):
        units = measures.locations(p.inputs, boundaries)
        names = measures.unit_names(units)
        agg = measures.aggregate(series.astype({"scenario": str, "quarter": str,
                                                "location": str}), units)
        table = paired_table(measures.measures(agg, p.window_start, p.horizon), p.baseline, level,
                             method)
        table.insert(0, "boundaries", boundaries)
        table.insert(3, "location_name", table["location"].map(names))
        order = {name: i for i, name in enumerate(names)}
        table["_order"] = b * 1000 + table["location"].map(order)
        out.append(table)
    t = pd.concat(out, ignore_index=True)
    t.insert(1, "baseline_scenario", p.baseline)
    t.insert(6, "label", t["kpi"].map({k.name: k.label for k in kpis.KPIS}))
    t.insert(8, "unit", [kpis.KPI_BY_NAME[k].unit_of(m)
                         for k, m in zip(t["kpi"], t["measure"], strict=True)])
    t["interval"] = f"{level * 100:g} % {method}; {uncertainty(p)}"
    scenario_order = t["scenario"].map({name: i for i, name in enumerate(p.configs)})
    kpi_order = t["kpi"].map({k.name: i for i, k in enumerate(kpis.KPIS)})
    t = t.assign(_s=scenario_order, _k=kpi_order, _m=t["measure"].map({"horizon": 0,
                                                                        "cumulative": 1}))
    t = t.sort_values(["_s", "_order", "_k", "_m"], kind="stable")
    return t.drop(columns=["_s", "_order", "_k", "_m"]).reset_index(drop=True)


def cost_benefit(series: pd.DataFrame, p: Plan, rate: float, level: float = 0.90,
                 method: str = "t", costs_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cost and benefit table of a comparison (:func:`costs.cost_benefit_table`).

    Args:
        series: the quarterly series of every run.
        p: the plan (partners, HCMC, baseline, window).
        rate: real discount rate per year.
        level, method: the interval.
        costs_table: every run's costs (``details["costs"]``), None when the model records none.
    """
    return costs.cost_benefit_table(series, costs_table, budget_levels(p), p.baseline,
                                    p.window_start, p.horizon, rate, level, method)


def budget_levels(p: Plan) -> costs.BudgetLevels:
    """The budget each place belongs to, with the 1 July 2025 reform of the baseline's run."""
    loc = p.inputs.locations
    codes = list(loc.index)
    reform = getattr(p.configs[p.baseline].params, "reform", None)
    successor = {}
    if reform is not None and reform.enabled and "new_code" in loc:
        index = successor_map(codes, list(loc["new_code"]), list(loc["role"]))
        successor = {c: codes[i] for c, i in zip(codes, index, strict=True)}
    return costs.BudgetLevels(frozenset(loc.index[loc["role"] == "partner"]),
                              str(loc.index[loc["role"] == "origin"][0]), successor,
                              reform.quarter if successor else None)
