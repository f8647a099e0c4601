"""Multi-objective policy search: Optuna's NSGA-II/III over lever packages, paired seeds.

:func:`setup` checks an :class:`~simulation.config.decide.OptimiseConfig` and composes the
baseline, the base scenario and the reference scenarios exactly as ``compare`` would (same
parameters, calendar and replication seeds). :func:`search` then runs the study generation by
generation: it asks the sampler for one population of packages
(:mod:`simulation.analysis.packages`), runs every package at the same replication seeds as the
baseline (common random numbers) on the one process pool, and tells the sampler the mean paired
differences of the objectives (:mod:`simulation.analysis.outcomes`).

The study lives in a journal file (or SQLite) in the study folder, so a killed search resumes
where it stopped: the packages asked but not told are re-evaluated from their stored
parameters, and the sampler of each generation is seeded from the master seed, the worker and
the number of trials so far, so a resumed study asks for the same packages as an uninterrupted
one. Several processes (``worker=0,1,…``, e.g. on a cluster launcher) can share one study.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis import comparison, measures
from simulation.analysis.outcomes import MAXIMISE, Outcome, PairedEvaluator, check_outcomes
from simulation.analysis.packages import Package, Space, check_space, decode, planned_budget
from simulation.analysis.packages import scenario_of as package_scenario
from simulation.analysis.paired import interval
from simulation.config.compose import available_scenarios, config_yaml
from simulation.config.decide import SAMPLERS, STORAGES, OptimiseConfig
from simulation.config.schema import CompareConfig, RunConfig
from simulation.config.validate import check_ranges
from simulation.errors import ConfigError
from simulation.runs.replicate import replication_seeds
from simulation.runs.runner import prepare

#: a live worker stores an asked trial's parameters one by one, then signs it: how long to wait
#: before taking an unsigned trial for one a killed process left (seconds)
SIGN_WAIT_S = 1.0
WORKER, DIFFS, COMMIT = "worker", "paired_differences", "commit"
FINGERPRINT = "problem_fingerprint"
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass
class Setup:
    """A checked search problem: configs, seeds, decision space and objectives."""

    cfg: OptimiseConfig
    configs: dict[str, RunConfig]  # baseline, base scenario and references, on one calendar
    seeds: list[int]
    start: str
    horizon: str
    space: Space
    objectives: list[Outcome]
    units: pd.DataFrame
    province_names: dict[str, str]
    fingerprint: str

    def package_config(self, package: Package, name: str, description: str) -> RunConfig:
        """The run config of a package: the base scenario with the package's levers."""
        import dataclasses

        base = self.configs[self.cfg.base_scenario]
        sc = package_scenario(base.scenario, package, name, description)
        return dataclasses.replace(base, scenario=sc)


def _problem_text(cfg: OptimiseConfig) -> str:
    """What defines the problem (a resumed study must have the same)."""
    keep = {k: getattr(cfg, k) for k in ("objectives", "levers", "budget", "base_scenario",
                                         "baseline", "population", "sampler", "replications",
                                         "seed", "window_start", "params", "time", "data_dir")}
    return "\n".join(f"{k}: {config_yaml(v) if hasattr(v, '__dataclass_fields__') else v!r}"
                     for k, v in keep.items())


def setup(cfg: OptimiseConfig) -> Setup:
    """Check the search and compose its scenarios (one-line errors, nothing run).

    Raises:
        ConfigError: a bad name, objective, lever space, scenario, sampler or storage.
    """
    check_ranges(cfg)
    if not cfg.name or set(cfg.name) - _NAME_CHARS or cfg.name[0].isdigit():
        raise ConfigError(f"name={cfg.name!r}; allowed: lower-case letters, digits and _, "
                          "not starting with a digit (it names the study and its packages)")
    if cfg.sampler not in SAMPLERS:
        raise ConfigError(f"sampler={cfg.sampler!r} is unknown; allowed: {', '.join(SAMPLERS)}")
    if cfg.storage not in STORAGES:
        raise ConfigError(f"storage={cfg.storage!r} is unknown; allowed: {', '.join(STORAGES)}")
    objectives = check_outcomes("objectives", cfg.objectives)
    names = list(dict.fromkeys([cfg.baseline, cfg.base_scenario, *cfg.references]))
    available = available_scenarios()
    for key, values in (("baseline", [cfg.baseline]), ("base_scenario", [cfg.base_scenario]),
                        ("references", cfg.references)):
        for v in values:
            if v not in available:
                raise ConfigError(f"{key}: unknown scenario {v!r}; available scenarios: "
                                  + ", ".join(available))
    cc = CompareConfig(scenarios=names, baseline=cfg.baseline, seed=cfg.seed,
                       window_start=cfg.window_start, params=cfg.params, time=cfg.time,
                       data_dir=cfg.data_dir)
    from simulation.data import load_inputs

    inputs = load_inputs(cfg.data_dir)
    configs, start, horizon = comparison.scenario_configs(cc, names, inputs)
    comparison.check_window(cfg.window_start, start, horizon)
    loc = inputs.locations
    partners = list(loc.index[loc["role"] == "partner"])
    fields = list(inputs.fields.index)
    check_space(cfg.levers, partners, fields, list(inputs.sectors.index))
    base = configs[cfg.base_scenario]
    space = Space(cfg.levers, cfg.budget, base.params.costs, tuple(partners), tuple(fields),
                  cfg.levers.end or horizon,
                  tuple(float(1.0 - loc.loc[p, "dx_index"]) for p in partners))
    s = Setup(cfg, configs, replication_seeds(cfg.seed, cfg.replications), start, horizon,
              space, objectives, measures.locations(inputs, "pre2025"),
              loc["name_vi"].to_dict(),
              hashlib.sha256(_problem_text(cfg).encode()).hexdigest()[:16])
    middle = {v.name: (v.choices[0] if v.choices else (v.low + v.high) / 2)
              for v in space.variables()}
    try:  # a package of the space must validate like any run (lever window, names, ranges)
        prepare(s.package_config(decode(space, middle), f"{cfg.name}_check", ""), inputs)
    except ConfigError as exc:
        raise ConfigError(f"levers: a package of this space is not a valid scenario: {exc}"
                          ) from None
    return s


# --------------------------------------------------------------------------- the study


def _optuna():
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    return optuna


def open_study(s: Setup, folder: Path):
    """Create or load the study in ``folder`` (refused if it was made for another problem)."""
    optuna = _optuna()
    folder.mkdir(parents=True, exist_ok=True)
    if s.cfg.storage == "journal":
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend

        storage = JournalStorage(JournalFileBackend(str(folder / "study.journal")))
    else:
        storage = f"sqlite:///{folder / 'study.db'}"
    directions = ["maximize" if o.sense == MAXIMISE else "minimize" for o in s.objectives]
    study = optuna.create_study(study_name=s.cfg.name, storage=storage, directions=directions,
                                load_if_exists=True)
    stored = study.user_attrs.get(FINGERPRINT)
    if stored is None:
        study.set_user_attr(FINGERPRINT, s.fingerprint)
        study.set_user_attr("problem", _problem_text(s.cfg))
    elif stored != s.fingerprint:
        raise ConfigError(f"{folder} holds a study of another problem (objectives, levers, "
                          "budget, seeds or parameters differ); nothing was changed. Choose "
                          "another name= or output_dir=")
    return study


def distributions(space: Space) -> dict:
    """Optuna distributions of the decision variables."""
    optuna = _optuna()
    return {v.name: (optuna.distributions.CategoricalDistribution(list(v.choices))
                     if v.choices else optuna.distributions.FloatDistribution(v.low, v.high))
            for v in space.variables()}


def _sampler(s: Setup, n_trials: int):
    optuna = _optuna()
    seed = int(np.random.SeedSequence([s.cfg.seed, s.cfg.worker, n_trials]).generate_state(1)[0])
    cls = optuna.samplers.NSGAIIISampler if s.cfg.sampler == "nsga3" else \
        optuna.samplers.NSGAIISampler
    return cls(population_size=s.cfg.population, seed=seed)


def states(study) -> tuple[int, list]:
    """Complete trials and the running ones (failed ones were asked again)."""
    from optuna.trial import TrialState

    trials = study.get_trials(deepcopy=False)
    complete = sum(t.state == TrialState.COMPLETE for t in trials)
    return complete, [t for t in trials if t.state == TrialState.RUNNING]


def search(s: Setup, study, evaluator: PairedEvaluator, baseline: np.ndarray, commit: str,
           on_generation: Callable[[int, int], None] | None = None) -> int:
    """Run generations until the study holds ``cfg.trials`` packages; return those told here.

    With several workers, two that find the study one generation short at the same moment
    both run it, so the study may end with up to ``population`` packages per extra worker more.

    Args:
        s: the problem.
        study: from :func:`open_study`.
        evaluator: outcomes of configs at the seeds (its names are the objectives).
        baseline: the baseline's outcomes, shape ``(seeds, objectives)``.
        commit: the code version, stored with every trial.
        on_generation: called with (complete trials, target) after each generation.
    """
    from optuna.trial import TrialState

    dists = distributions(s.space)
    started = datetime.now()  # Optuna stamps trials with naive local times too
    told = 0
    def unsigned(running: list) -> list:
        return [t for t in running if WORKER not in t.user_attrs
                and t.datetime_start is not None and t.datetime_start < started]

    while True:
        complete, running = states(study)
        if unsigned(running):  # a live worker signs its trials right after asking them (its
            # parameters are stored one by one first): look again before taking them over
            time.sleep(SIGN_WAIT_S)
            complete, running = states(study)
        # asked by a killed process of this worker, or asked before this search began and
        # never signed with a worker (its process was killed between asking and signing)
        orphans = {t.number for t in unsigned(running)}
        mine = [t for t in running if t.user_attrs.get(WORKER) == s.cfg.worker
                or t.number in orphans]
        for t in mine:  # ask the same again
            study.tell(t.number, state=TrialState.FAIL)
            study.enqueue_trial(t.params)
        others = len(running) - len(mine)  # being evaluated by other workers
        k = len(mine) or min(s.cfg.population, s.cfg.trials - complete - others)
        if k <= 0:
            return told
        study.sampler = _sampler(s, complete)
        batch = []
        for _ in range(k):
            trial = study.ask(dists)
            trial.set_user_attr(WORKER, s.cfg.worker)
            batch.append(trial)
        if mine:  # fixed parameters skip the sampler, which would place the trial in a
            # generation; place it now, as the sampler would have (complete trials decide)
            frozen = {t.number: t for t in study.get_trials(deepcopy=False)}
            for trial in batch:
                study.sampler.get_trial_generation(study, frozen[trial.number])
        packages = [decode(s.space, t.params) for t in batch]
        configs = [(f"package {t.number}", s.package_config(p, f"{s.cfg.name}_t{t.number:04d}",
                                                            ""))
                   for t, p in zip(batch, packages, strict=True)]
        values = evaluator.values(configs, desc=f"{k} packages × {len(s.seeds)} seeds")
        for t, p, v in zip(batch, packages, values, strict=True):
            diffs = v - baseline  # (seeds, objectives): paired differences
            t.set_user_attr(DIFFS, diffs.tolist())
            t.set_user_attr("planned_bn", p.planned_bn)
            t.set_user_attr(COMMIT, commit)
            study.tell(t, diffs.mean(axis=0).tolist())
            told += 1
        if on_generation is not None:
            on_generation(states(study)[0], s.cfg.trials)


# --------------------------------------------------------------------------- results


def trials_table(s: Setup, study, level: float = 0.90) -> pd.DataFrame:
    """Every complete package: decision variables, objectives with intervals, planned budget.

    Columns: ``trial, generation, pareto``, the decision variables, per objective ``<name>``
    (mean paired difference), ``<name>_low``, ``<name>_high`` (t-interval), ``planned_<line>_bn``,
    ``planned_bn`` (total a year), ``worker``, ``commit``.
    """
    from optuna.trial import TrialState

    done = [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.COMPLETE]
    front = {t.number for t in study.best_trials}
    rows = []
    for t in sorted(done, key=lambda t: t.number):
        d = np.asarray(t.user_attrs[DIFFS], float)
        lo, hi = interval(d.T, level)
        row = {"trial": t.number, "generation": _generation(t), "pareto": t.number in front}
        row.update(t.params)
        for j, o in enumerate(s.objectives):
            row[o.name], row[f"{o.name}_low"], row[f"{o.name}_high"] = t.values[j], lo[j], hi[j]
        planned = t.user_attrs.get("planned_bn", {})
        row.update({f"planned_{k}_bn": v for k, v in planned.items()})
        row["planned_bn"] = float(sum(planned.values()))
        row["worker"] = t.user_attrs.get(WORKER)
        row["commit"] = t.user_attrs.get(COMMIT)
        rows.append(row)
    return pd.DataFrame(rows)


def _generation(trial) -> int | None:
    for key, value in trial.system_attrs.items():
        if key.endswith(":generation"):
            return int(value)
    return None


def choose(table: pd.DataFrame, objectives: list[Outcome], k: int) -> list[int]:
    """Up to ``k`` Pareto packages spread along the front (trial numbers).

    The best package for each objective first, then, one at a time, the package farthest (in
    objectives scaled to [0, 1] over the front) from those already chosen; packages with the
    same objectives as a chosen one are not chosen again.
    """
    front = table[table["pareto"]].sort_values("trial")
    if front.empty or k <= 0:
        return []
    z = np.column_stack([front[o.name].to_numpy(float) * (1 if o.sense == MAXIMISE else -1)
                         for o in objectives])
    span = z.max(axis=0) - z.min(axis=0)
    z = (z - z.min(axis=0)) / np.where(span > 0, span, 1.0)
    trials = front["trial"].to_numpy()
    chosen: list[int] = []
    for j in range(z.shape[1]):
        i = int(np.argmax(z[:, j]))
        if i not in chosen:
            chosen.append(i)
    chosen = chosen[:k]
    while len(chosen) < min(k, len(trials)):
        dist = np.min(np.linalg.norm(z[:, None, :] - z[None, chosen, :], axis=2), axis=1)
        dist[chosen] = -1.0
        if dist.max() <= 0:  # only duplicates of chosen packages are left
            break
        chosen.append(int(np.argmax(dist)))
    return [int(trials[i]) for i in chosen]


def reference_table(s: Setup, values: np.ndarray, baseline: np.ndarray, names: list[str],
                    level: float = 0.90) -> pd.DataFrame:
    """Reference scenarios' objectives (paired, same seeds) and planned budget a year."""
    rows = []
    for name, v in zip(names, values, strict=True):
        d = v - baseline
        lo, hi = interval(d.T, level)
        row: dict = {"scenario": name}
        for j, o in enumerate(s.objectives):
            row[o.name], row[f"{o.name}_low"], row[f"{o.name}_high"] = (
                float(d[:, j].mean()), lo[j], hi[j])
        planned = planned_budget(s.configs[name].scenario, s.space)
        row.update({f"planned_{k}_bn": v for k, v in planned.items()})
        row["planned_bn"] = float(sum(planned.values()))
        rows.append(row)
    return pd.DataFrame(rows)
