"""``hcmc-optimise`` (``python -m simulation.apps.optimise``): a policy search → a study folder.

Example::

    .venv/bin/hcmc-optimise name=packages trials=96 population=16 replications=8

Searches lever packages (:mod:`simulation.analysis.packages`) under a planned budget with
NSGA-II/III (Optuna), every package paired with the baseline at the same seeds, and writes
``<output_dir>/<name>/``: every package tried, the Pareto front (CSV, Parquet, Markdown), a
figure, and the chosen packages as scenario files that ``compare`` runs as they are
(``scenario_dir=<folder>``). The study is a journal file in the folder: re-running the same
command resumes a killed search, a larger ``trials=`` extends it, and several processes
(``--multirun worker=0,1,…`` on a launcher) share it. Bad input: one line, exit code 2, nothing
written; a failed run: one line naming scenario and seed, exit code 3.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from simulation.analysis import optimise as op
from simulation.analysis.comparison import FIGURE_FORMATS
from simulation.analysis.outcomes import PairedEvaluator
from simulation.analysis.packages import decode, describe, scenario_dict
from simulation.apps.common import (
    EXIT_RUN_FAILED,
    Prechecked,
    console_script,
    fail,
    hydra_job,
    one_line_errors,
)
from simulation.config.compose import config_yaml, to_config
from simulation.config.decide import OptimiseConfig
from simulation.config.keys import changed
from simulation.config.params import ModelParams
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.decide import letters, pareto_figure
from simulation.figures.labels import Labels
from simulation.figures.style import save_figure
from simulation.figures.text import markdown_table
from simulation.figures.text import readable as number
from simulation.io import (
    atomic_write_text,
    git_commit,
    write_failure,
    write_manifest,
    write_parquet,
)

FILES = {
    "pareto.md": "the Pareto front: chosen packages, objectives with intervals, budget split, "
                 "and the compare command that re-runs them",
    "pareto.csv": "every Pareto package: decision variables, objectives (mean paired "
                  "difference and 90 % interval), planned budget by line",
    "pareto.parquet": "the same table as Parquet",
    "trials.parquet": "every package tried (the same columns, `pareto` marks the front)",
    "references.csv": "the reference scenarios at the same seeds (if any)",
    "scenario/": "the chosen packages as scenario files (`scenario_dir=<this folder>`)",
    "figures/": "pareto.png/.svg (English) and pareto_vi.png/.svg (Vietnamese)",
    "study.journal": "the Optuna study (resume: run the same command again)",
    "config.yaml": "the composed search config",
    "manifest.json": "written last: the folder is complete when it exists",
}


def to_optimise_config(cfg: DictConfig | dict) -> OptimiseConfig:
    """A typed OptimiseConfig (unknown keys and wrong types rejected in one line)."""
    return to_config(cfg, OptimiseConfig)


def check(cfg: OptimiseConfig) -> op.Setup:
    """Everything checked before anything runs (one-line errors)."""
    bad = [f for f in cfg.figure_formats if f not in FIGURE_FORMATS]
    if bad:
        raise ConfigError(f"figure_formats contains unknown {bad[0]!r}; allowed: "
                          + ", ".join(FIGURE_FORMATS))
    return op.setup(cfg)


def optimise_task(cfg: DictConfig) -> None:
    """The Hydra job: set up, search (or resume), write the study folder."""
    _, overrides = hydra_job()
    try:
        oc = to_optimise_config(cfg)
        s = _COMMAND.setup_for(oc)
    except (ConfigError, DataError) as exc:
        fail(str(exc))
    folder = Path(oc.output_dir) / oc.name
    commit = git_commit()
    with one_line_errors():
        study = op.open_study(s, folder)
        (folder / "manifest.json").unlink(missing_ok=True)  # incomplete while it runs
    done = op.states(study)[0]
    print(f"Policy search {oc.name!r}: {oc.trials} packages ({done} done), generations of "
          f"{oc.population}, {oc.replications} paired seeds each, objectives "
          f"{', '.join(oc.objectives)}; {s.start}–{s.horizon}; study in {folder}",
          file=sys.stderr)
    t0 = time.perf_counter()
    try:
        with PairedEvaluator(oc.objectives, s.units, s.seeds, oc.window_start, s.horizon,
                             oc.workers, oc.progress) as ev:
            base = ev.values([(oc.baseline, s.configs[oc.baseline])], "baseline")[0]
            refs = (ev.values([(r, s.configs[r]) for r in oc.references], "references")
                    if oc.references else None)
            told = op.search(s, study, ev, base, commit, lambda c, n: print(
                f"  {c} of {n} packages evaluated", file=sys.stderr))
            runs = ev.runs
    except RunFailedError as exc:
        write_failure(folder, exc, config_yaml(oc), scenario=exc.scenario, seed=exc.seed)
        fail(f"{exc} (details in {folder / 'failed.json'})", EXIT_RUN_FAILED)
    table = op.trials_table(s, study)
    references = (op.reference_table(s, refs, base, oc.references) if refs is not None
                  else pd.DataFrame())
    chosen = op.choose(table, s.objectives, oc.choose)
    waiting = len(op.states(study)[1])
    with one_line_errors():
        write_study(folder, s, table, references, chosen, commit, overrides,
                    {"search_s": time.perf_counter() - t0, "runs": runs, "told_here": told},
                    complete=waiting == 0)
    print(summary(s, table, chosen, folder))
    if waiting:
        print(f"\n{waiting} packages are still being evaluated by other workers; the last "
              "worker to finish rewrites these files.")


# --------------------------------------------------------------------------- the study folder


def package_name(cfg: OptimiseConfig, trial: int) -> str:
    """The scenario name of a chosen package."""
    return f"{cfg.name}_t{trial:04d}"


def compare_command(s: op.Setup, folder: Path, names: list[str]) -> str:
    """The compare command that re-runs packages with the search's seeds and settings."""
    cfg = s.cfg
    default = OmegaConf.to_container(OmegaConf.structured(ModelParams()))
    params = changed(OmegaConf.to_container(OmegaConf.structured(cfg.params)), default)
    args = [f"scenario_dir={folder}", f"scenarios=[{','.join([cfg.baseline, *names])}]"]
    if cfg.baseline != "baseline":
        args.append(f"baseline={cfg.baseline}")
    args += [f"replications={max(cfg.replications, 2)}", f"seed={cfg.seed}",
             f"window_start={cfg.window_start}",
             "parameter_draws=null"]  # the search ran at the default parameters (chance only)
    args += [f"params.{k}={v}" for k, v in _flat(params).items()]
    args += [f"time.{k}={v}" for k, v in vars(cfg.time).items() if v is not None]
    if cfg.data_dir:
        args.append(f"data_dir={cfg.data_dir}")
    return " ".join([console_script("hcmc-compare"), *(shlex.quote(a) for a in args)])


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v and all(not str(x).isdigit() for x in v):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def pareto_markdown(s: op.Setup, front: pd.DataFrame, references: pd.DataFrame,
                    chosen: list[int], command: str, folder: Path) -> str:
    """The Pareto table as Markdown, with how to read it and the compare command."""
    cfg = s.cfg
    name_of = dict(zip(chosen, letters(len(chosen)), strict=True))
    rows = []
    for r in front.sort_values(cfg.objectives[0], ascending=False).itertuples():
        p = decode(s.space, {v.name: front.loc[r.Index, v.name] for v in s.space.variables()})
        row = {"package": name_of.get(r.trial, ""), "trial": r.trial}
        for o in s.objectives:
            lo, hi = getattr(r, f"{o.name}_low"), getattr(r, f"{o.name}_high")
            row[f"Δ {o.name}"] = f"{number(getattr(r, o.name))} [{number(lo)}, {number(hi)}]"
        row["planned bn VND/yr"] = number(r.planned_bn)
        row["what"] = describe(p, s.province_names)
        row["file"] = (f"scenario/{package_name(cfg, r.trial)}.yaml" if r.trial in name_of
                       else "")
        rows.append(row)
    lines = [f"# Policy search `{cfg.name}`", "",
             f"{len(front)} Pareto packages of the packages tried; objectives "
             + ", ".join(f"**{o.label}** ({o.unit}, {'higher' if o.sense == 'max' else 'lower'}"
                         " is better)" for o in s.objectives)
             + f". Every package was run at the same {cfg.replications} seeds as the "
             f"baseline `{cfg.baseline}` (common random numbers); Δ is the mean paired "
             f"difference with its 90 % t-interval, {s.start}–{s.horizon}, cumulative "
             f"measures from {cfg.window_start}. Planned budget: at most "
             f"{number(cfg.budget.cap_bn_per_year)} bn VND a year (HCMC and partners), turned "
             "into levers with the model's unit costs `params.costs` (see "
             "docs/planners_guide.md).", "",
             "A package is on the Pareto front when no other package tried does at least as "
             "well on every objective and better on one. Packages with overlapping intervals "
             "cannot be told apart at this number of seeds: compare the chosen ones with more "
             "replications before deciding.", "", markdown_table(pd.DataFrame(rows)), ""]
    if not references.empty:
        ref = references.copy()
        lines += ["## Reference scenarios at the same seeds", "",
                  markdown_table(ref[["scenario", *cfg.objectives, "planned_bn"]].set_index(
                      "scenario").map(number).reset_index()), ""]
    lines += ["## Compare the chosen packages", "", "```bash", command, "```", ""]
    return "\n".join(lines)


def write_study(folder: Path, s: op.Setup, table: pd.DataFrame, references: pd.DataFrame,
                chosen: list[int], commit: str, overrides: list[str], timings: dict,
                complete: bool = True) -> None:
    """Tables, chosen packages, figures and (when the study is complete) the manifest."""
    cfg = s.cfg
    front = table[table["pareto"]].reset_index(drop=True)
    write_parquet(folder / "trials.parquet", table)
    write_parquet(folder / "pareto.parquet", front)
    atomic_write_text(folder / "pareto.csv", front.to_csv(index=False))
    if not references.empty:
        atomic_write_text(folder / "references.csv", references.to_csv(index=False))
    names = [package_name(cfg, t) for t in chosen]
    for old in (folder / "scenario").glob(f"{cfg.name}_t*.yaml"):
        if old.stem not in names:  # chosen by an earlier, shorter run of the study
            old.unlink()
    for letter, t in zip(letters(len(chosen)), chosen, strict=True):
        row = table.set_index("trial").loc[t]
        p = decode(s.space, {v.name: row[v.name] for v in s.space.variables()})
        name = package_name(cfg, t)
        description = f"Package {letter} of policy search {cfg.name} (trial {t}): " + describe(
            p, s.province_names)
        sc = s.package_config(p, name, description).scenario
        objectives = ", ".join(f"{o.name} {number(row[o.name])}" for o in s.objectives)
        header = (f"# Written by the policy search {cfg.name!r} (hcmc-optimise), trial {t}: "
                  f"mean paired differences over {cfg.replications} seeds: {objectives}.\n"
                  f"# Horizon {s.horizon}; re-run with the command in pareto.md.\n")
        atomic_write_text(folder / "scenario" / f"{name}.yaml",
                          header + OmegaConf.to_yaml(OmegaConf.create(scenario_dict(sc))))
    command = compare_command(s, folder, names)
    atomic_write_text(folder / "pareto.md", pareto_markdown(s, front, references, chosen,
                                                            command, folder))
    atomic_write_text(folder / "config.yaml", config_yaml(cfg))
    figures = _figures(folder, s, table, references, chosen, commit) if cfg.figures else []
    if complete:
        write_manifest(folder / "manifest.json", {
            "name": cfg.name, "objectives": cfg.objectives, "trials": int(len(table)),
            "pareto": int(len(front)), "chosen": names, "seeds": s.seeds,
            "start": s.start, "horizon": s.horizon, "problem_fingerprint": s.fingerprint,
            "commits": sorted({str(c) for c in table["commit"]}), "overrides": overrides,
            "compare_command": command, "wall_time_s": round(timings["search_s"], 1),
            "runs_this_process": timings["runs"], "files": sorted(FILES),
            "figures": [str(p.relative_to(folder)) for p in figures]}, commit)


def _figures(folder: Path, s: op.Setup, table: pd.DataFrame, references: pd.DataFrame,
             chosen: list[int], commit: str) -> list[Path]:
    cfg = s.cfg
    objectives = [(o.name, o.unit) for o in s.objectives]
    generations = int(table["generation"].max()) + 1 if len(table) else 0
    out = []
    for lang, suffix in (("en", ""), ("vi", "_vi")):
        lab = Labels(lang)
        names = [lab.outcome(o, short=True) for o, _ in objectives]
        budget = lab.number(cfg.budget.cap_bn_per_year)
        title = (lab.t("pareto title 3", x=names[0], y=names[1], z=names[2], budget=budget)
                 if len(names) > 2 else
                 lab.t("pareto title", x=names[0], y=names[-1], budget=budget))
        note = lab.t("pareto note", trials=len(table), generations=generations,
                     population=cfg.population, sampler=cfg.sampler.upper().replace("NSGA",
                                                                                     "NSGA-"),
                     seeds=cfg.replications, start=cfg.window_start, end=s.horizon) \
            + f" · {cfg.params.firms.n_agents:,} agents · commit {commit[:10]}"
        fig = pareto_figure(table, objectives, chosen, references, title, note, lab)
        out += save_figure(fig, folder / "figures" / f"pareto{suffix}", cfg.figure_formats)
    return out


def summary(s: op.Setup, table: pd.DataFrame, chosen: list[int], folder: Path) -> str:
    """What the terminal shows at the end: the chosen packages and where the files are."""
    by_trial = table.set_index("trial")
    lines = [f"\n{int(table['pareto'].sum())} Pareto packages of {len(table)}; chosen:"]
    for letter, t in zip(letters(len(chosen)), chosen, strict=True):
        row = by_trial.loc[t]
        vals = "  ".join(f"{o.name} {number(row[o.name])} [{number(row[o.name + '_low'])}, "
                         f"{number(row[o.name + '_high'])}]" for o in s.objectives)
        lines.append(f"  {letter} {package_name(s.cfg, t)}: {vals}")
    lines.append(f"\nStudy written to {folder} (pareto.md, pareto.csv, trials.parquet, "
                 "scenario/, figures/)")
    lines.append("Compare the chosen packages:\n  " + compare_command(
        s, folder, [package_name(s.cfg, t) for t in chosen]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- the command line


_COMMAND = Prechecked("optimise", to_optimise_config, check)
#: entry point of ``hcmc-optimise`` and ``python -m simulation.apps.optimise``
main = _COMMAND.main(optimise_task)


if __name__ == "__main__":
    main()
