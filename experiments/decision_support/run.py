"""The decision-support worked example, re-run with one command.

    .venv/bin/python experiments/decision_support/run.py

Four real command lines, one after the other (each printed, timed and recorded):

1. ``hcmc-compare`` with its defaults (agreement_2025 against the baseline, 20 paired
   replications): the cost and benefit table of the default comparison;
2. ``hcmc-optimise``: packages of up to 300 bn VND a year, three objectives (direct jobs in
   the partners, revenue they retain, programme cost), NSGA-III;
3. ``hcmc-compare`` of the chosen packages at 12 paired replications (the search's 4 seeds
   and 8 more), from the scenario files the search wrote;
4. ``hcmc-discover``: the futures in which package A (the most jobs) delivers less than three
   quarters of the gain the comparison of step 3 estimates, and the robustness of the chosen
   packages and the 2023 agreements.

Working folders go to ``results/decision_support/`` (git-ignored; removed at the start, so a
re-run after a model change starts a fresh study); the files the README quotes are copied to
``experiments/decision_support/results/`` with ``run.json`` (commands, wall times, the code
version and package versions: the model fingerprint). ``--quick`` runs a small version (a
smoke test of the script, not results).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from simulation.analysis.fingerprint import write_fingerprint

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# the commands run in the project folder and name folders relative to it, so that the
# commands, tables and manifests the example keeps hold no machine paths
WORK = Path("results") / "decision_support"
OUT = HERE / "results"
BIN = Path(sys.executable).parent  # the project's .venv/bin when run as documented

SEARCH = ["name=search", "objectives=[partner_direct_jobs,partner_retained_bn,"
          "programme_cost_bn]", "budget.cap_bn_per_year=300", "budget.search_total=true",
          "levers.cit_regimes=[none,special]", "levers.capex_subsidy_max_pct=5",
          "sampler=nsga3", "population=12", "trials=48", "replications=4", "choose=3",
          "references=[agreement_2025,full_package]"]
PACKAGE_REPLICATIONS = 12
DISCOVER = ["outcome=partner_direct_jobs", "futures=48", "replications=1"]
TARGET_SHARE = 0.75  # the planner's target: three quarters of the gain the package promises
QUICK = {"search": ["population=4", "trials=8", "replications=2", "choose=2"],
         "compare": ["replications=2", "params.firms.n_agents=2000"],
         "discover": ["futures=8", "replications=1"],
         "common": ["params.firms.n_agents=2000", "time.spinup_quarters=8"]}


def run(step: str, script: str, args: list[str], log: list[dict]) -> None:
    """Run one command line from the project folder; stop the example if it fails."""
    command = [str(BIN / script), *args]
    shown = " ".join([f".venv/bin/{script}", *(shlex.quote(a) for a in args)])
    print(f"\n[{step}] {shown}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT)
    wall = time.perf_counter() - t0
    log.append({"step": step, "command": shown, "wall_time_s": round(wall, 1),
                "exit_code": proc.returncode})
    if proc.returncode != 0:
        raise SystemExit(f"error: step {step!r} failed with exit code {proc.returncode}")


def only(folder: Path) -> Path:
    """The one results folder a command wrote under ``folder``."""
    (found,) = [p for p in folder.iterdir() if (p / "manifest.json").exists()]
    return found


def copy(src: Path, dst: Path) -> None:
    """Copy a file, making its folder."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def main() -> None:
    """Run the four steps and copy what the README quotes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small smoke run (not results)")
    args = ap.parse_args()
    work = WORK.with_name(WORK.name + "_quick") if args.quick else WORK
    out = ROOT / work / "copied" if args.quick else OUT
    common = QUICK["common"] if args.quick else []
    if (ROOT / work).exists():
        shutil.rmtree(ROOT / work)
    log: list[dict] = []
    t0 = time.perf_counter()

    # 1. the default comparison: its cost and benefit table
    run("default comparison", "hcmc-compare",
        [f"output_dir={work / 'compare_default'}", "progress=false",
         *(QUICK["compare"] if args.quick else [])], log)
    default = only(ROOT / work / "compare_default")

    # 2. the policy search
    search = [*SEARCH, *(QUICK["search"] if args.quick else []), *common]
    run("policy search", "hcmc-optimise", [f"output_dir={work}", "progress=false", *search],
        log)
    study = ROOT / work / "search"
    manifest = json.loads((study / "manifest.json").read_text(encoding="utf-8"))
    chosen = manifest["chosen"]

    # 3. the chosen packages compared at more seeds, from the files the search wrote
    reps = 2 if args.quick else PACKAGE_REPLICATIONS
    run("chosen packages", "hcmc-compare",
        [f"scenario_dir={work / 'search'}",
         f"scenarios=[baseline,{','.join(chosen)},agreement_2025]",
         f"replications={reps}", "seed=2023", f"output_dir={work / 'compare_packages'}",
         "parameter_draws=null",  # at the default parameters, as the search chose them
         "progress=false", *common], log)
    packages = only(ROOT / work / "compare_packages")
    table = pd.read_parquet(packages / "comparison.parquet")
    gain = table[(table["boundaries"] == "pre2025") & (table["location"] == "partners")
                 & (table["kpi"] == "direct_jobs") & (table["measure"] == "horizon")
                 ].set_index("scenario")["difference"]
    target = round(TARGET_SHARE * float(gain[chosen[0]]), -2)

    # 4. when does package A miss three quarters of its promised gain?
    rest = [*chosen[1:], "agreement_2025"]
    run("scenario discovery", "hcmc-discover",
        [f"scenario_dir={work / 'search'}", f"policy={chosen[0]}", f"policies=[{','.join(rest)}]",
         f"target={target:g}", f"output_dir={work / 'discovery'}", "progress=false",
         *(QUICK["discover"] if args.quick else DISCOVER), *common], log)
    discovery = only(ROOT / work / "discovery")

    # the files the README quotes
    if out.exists() and not args.quick:
        shutil.rmtree(out)
    for src, name in [(default / "cost_benefit.csv", "default_cost_benefit.csv"),
                      (default / "comparison.md", "default_comparison.md"),
                      (default / "figures" / "net_fiscal.png", "default_net_fiscal.png"),
                      (study / "pareto.md", "pareto.md"), (study / "pareto.csv", "pareto.csv"),
                      (study / "trials.parquet", "trials.parquet"),
                      (study / "references.csv", "references.csv"),
                      (study / "figures" / "pareto.png", "pareto.png"),
                      (study / "figures" / "pareto_vi.png", "pareto_vi.png"),
                      (study / "config.yaml", "search_config.yaml"),
                      (packages / "cost_benefit.csv", "packages_cost_benefit.csv"),
                      (packages / "comparison.md", "packages_comparison.md"),
                      (packages / "figures" / "net_fiscal.png", "packages_net_fiscal.png"),
                      (discovery / "discovery.md", "discovery.md"),
                      (discovery / "boxes.csv", "boxes.csv"),
                      (discovery / "robustness.csv", "robustness.csv"),
                      (discovery / "futures.csv", "futures.csv"),
                      (discovery / "config.yaml", "discovery_config.yaml"),
                      (discovery / "figures" / "prim_boxes.png", "prim_boxes.png"),
                      (discovery / "figures" / "prim_boxes_vi.png", "prim_boxes_vi.png"),
                      (discovery / "figures" / "robustness.png", "robustness.png")]:
        copy(src, out / name)
    for f in (study / "scenario").glob("*.yaml"):
        copy(f, out / "scenario" / f.name)
    manifests = {k: json.loads((p / "manifest.json").read_text(encoding="utf-8"))
                 for k, p in (("default comparison", default), ("policy search", study),
                              ("chosen packages", packages), ("scenario discovery", discovery))}
    commits = sorted({str(m.get("git_commit")) for m in manifests.values()})
    record = {"steps": log, "wall_time_s": round(time.perf_counter() - t0, 1),
              "chosen": chosen, "target": target, "target_rule": f"{TARGET_SHARE:g} × the "
              f"direct-jobs gain of {chosen[0]} in the comparison of step 3",
              "git_commits": commits, "packages": manifests["policy search"].get("packages"),
              "problem_fingerprint": manifests["policy search"].get("problem_fingerprint"),
              "created_utc": manifests["scenario discovery"].get("created_utc")}
    (out / "run.json").write_text(json.dumps(record, indent=2, ensure_ascii=False),
                                  encoding="utf-8")
    if not args.quick:
        write_fingerprint(HERE, command=".venv/bin/python experiments/decision_support/run.py")
    print(f"\nWorked example done in {record['wall_time_s'] / 60:.1f} min; results in "
          f"{out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
