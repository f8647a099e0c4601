"""The policy search: checks, paired evaluation, determinism, resume, and the packages it writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from simulation.analysis import optimise as op
from simulation.analysis.outcomes import OUTCOMES, PairedEvaluator, has_costs
from simulation.apps.optimise import to_optimise_config
from simulation.config.compose import compose
from simulation.errors import ConfigError

from .conftest import ROOT, run_cli

TINY = ["params.firms.n_agents=2000", "time.spinup_quarters=8", "time.start=2023Q1"]
SMALL = [*TINY, "trials=6", "population=2", "replications=2", "progress=false"]


def cfg_of(overrides):
    return to_optimise_config(compose(overrides, "optimise"))


def search(overrides, folder, workers=1, evaluator_cls=PairedEvaluator):
    s = op.setup(cfg_of(overrides))
    study = op.open_study(s, folder)
    with evaluator_cls(s.cfg.objectives, s.units, s.seeds, s.cfg.window_start, s.horizon,
                       workers, progress=False) as ev:
        base = ev.values([("baseline", s.configs["baseline"])])[0]
        op.search(s, study, ev, base, "test")
    return s, study, op.trials_table(s, study)


def outcomes(table, s):
    cols = [v.name for v in s.space.variables()] + s.cfg.objectives
    return table[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- checks


@pytest.mark.parametrize("overrides, message", [
    (["name=My Study"], "name='My Study'; allowed: lower-case letters"),
    (["objectives=[partner_jobs]"], "objectives contains unknown 'partner_jobs'; allowed: "
                                    "partner_direct_jobs"),
    (["objectives=[]"], "objectives is empty"),
    (["base_scenario=utopia"], "base_scenario: unknown scenario 'utopia'"),
    (["references=[utopia]"], "references: unknown scenario 'utopia'"),
    (["sampler=tpe"], "sampler='tpe' is unknown; allowed: nsga2, nsga3"),
    (["storage=redis"], "storage='redis' is unknown; allowed: journal, sqlite"),
    (["levers.uses=[roads]"], "levers.uses contains unknown 'roads'"),
    (["levers.start=2019Q1"], "levers: a package of this space is not a valid scenario"),
    (["budget.cap_bn_per_year=-1"], "budget.cap_bn_per_year=-1.0 is out of range"),
    (["population=1"], "population=1 is out of range"),
    (["window_start=2030Q1"], "window_start=2030Q1 is outside the recorded quarters"),
])
def test_bad_search_settings_fail_with_one_line(overrides, message):
    with pytest.raises(ConfigError) as err:
        op.setup(cfg_of(overrides))
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.skipif(has_costs(), reason="the model records programme costs")
def test_the_programme_cost_objective_needs_the_models_costs_table():
    with pytest.raises(ConfigError, match="records no costs table"):
        op.setup(cfg_of(["objectives=[partner_direct_jobs,programme_cost_bn]"]))


def test_choose_takes_each_objectives_best_then_spreads_along_the_front():
    table = pd.DataFrame({"trial": [0, 1, 2, 3, 4, 5],
                          "pareto": [True, True, True, True, True, False],
                          "jobs": [0.0, 10.0, 4.0, 5.0, 9.0, 1.0],
                          "cost": [0.0, 10.0, 3.0, 6.0, 9.0, 5.0]})
    objectives = [OUTCOMES["partner_direct_jobs"], OUTCOMES["programme_cost_bn"]]
    table = table.rename(columns={"jobs": objectives[0].name, "cost": objectives[1].name})
    # best jobs: trial 1; lowest cost: trial 0; then the farthest from both: trial 3 (5, 6)
    assert op.choose(table, objectives, 3) == [1, 0, 3]
    assert op.choose(table, objectives, 1) == [1]
    assert op.choose(table, objectives, 10) == [1, 0, 3, 2, 4]  # never off the front
    assert op.choose(table.assign(pareto=False), objectives, 3) == []
    twins = pd.concat([table, table.assign(trial=table["trial"] + 10)], ignore_index=True)
    assert op.choose(twins, objectives, 10) == [1, 0, 3, 2, 4]  # duplicates are not chosen


# --------------------------------------------------------------------------- a real search


@pytest.fixture(scope="module")
def reference_search(tmp_path_factory):
    return search(SMALL, tmp_path_factory.mktemp("ref") / "study")


def test_packages_are_paired_with_the_baseline_at_the_same_seeds(reference_search):
    s, study, table = reference_search
    assert len(table) == 6 and table["generation"].tolist() == [0, 0, 1, 1, 2, 2]
    assert table["pareto"].any()
    assert (table["planned_bn"] <= s.cfg.budget.cap_bn_per_year + 1e-9).all()
    # the objective is the mean of the per-seed paired differences, which are stored
    for t in study.trials:
        d = np.asarray(t.user_attrs[op.DIFFS])
        assert d.shape == (2, 2)
        np.testing.assert_allclose(t.values, d.mean(axis=0))
    # re-evaluating a package at the same seeds gives the same differences (no luck involved)
    t = study.trials[3]
    from simulation.analysis.packages import decode

    pkg = s.package_config(decode(s.space, t.params), "again", "")
    with PairedEvaluator(s.cfg.objectives, s.units, s.seeds, s.cfg.window_start, s.horizon,
                         1, False) as ev:
        v = ev.values([("baseline", s.configs["baseline"]), ("again", pkg)])
    np.testing.assert_allclose(v[1] - v[0], np.asarray(t.user_attrs[op.DIFFS]))


@pytest.mark.slow
def test_the_same_seed_gives_the_same_study_with_any_number_of_workers(reference_search,
                                                                       tmp_path):
    s, _, table = reference_search
    _, _, again = search(SMALL, tmp_path / "study", workers=2)
    pd.testing.assert_frame_equal(outcomes(again, s), outcomes(table, s))


class _Killed(Exception):
    pass


def _dies_in_second_generation(calls: list):
    class Evaluator(PairedEvaluator):
        def values(self, configs, desc="runs"):
            calls.append(len(configs))
            if len(calls) == 3:  # baseline, generation 0, then generation 1 dies
                raise _Killed
            return super().values(configs, desc)
    return Evaluator


def test_a_killed_search_resumes_to_the_same_study(reference_search, tmp_path):
    s, _, table = reference_search
    folder = tmp_path / "study"
    calls: list = []
    with pytest.raises(_Killed):
        search(SMALL, folder, evaluator_cls=_dies_in_second_generation(calls))
    study = op.open_study(s, folder)
    complete, running = op.states(study)
    assert complete == 2 and len(running) == 2  # asked, never told
    # resumed: the same packages asked again, then a generation sampled after the resume
    _, _, resumed = search(SMALL, folder)
    pd.testing.assert_frame_equal(outcomes(resumed, s), outcomes(table, s))


def test_a_trial_left_unsigned_by_a_killed_process_is_asked_again(tmp_path):
    folder = tmp_path / "study"
    s, study, _ = search([*SMALL, "trials=2"], folder)  # the first generation, complete
    # a process killed between asking a package and signing it with its worker leaves this
    study.sampler = op._sampler(s, 2)
    study.ask(op.distributions(s.space))
    assert op.states(study)[0] == 2 and len(op.states(study)[1]) == 1
    _, study, table = search(SMALL, folder)
    complete, running = op.states(study)
    assert complete == 6 == len(table) and running == []  # no package lost to the orphan


@pytest.mark.slow
def test_more_trials_extend_a_study_and_another_problem_is_refused(reference_search,
                                                                  tmp_path):
    s, _, table = reference_search
    folder = tmp_path / "study"
    search([*SMALL, "trials=2"], folder)
    _, _, extended = search(SMALL, folder)  # trials=6 now: two more generations
    pd.testing.assert_frame_equal(outcomes(extended, s), outcomes(table, s))
    with pytest.raises(ConfigError, match="holds a study of another problem"):
        op.open_study(op.setup(cfg_of([*SMALL, "budget.cap_bn_per_year=50"])), folder)


# --------------------------------------------------------------------------- the command line


@pytest.mark.cli
def test_optimise_writes_packages_that_compare_runs_as_they_are(tmp_path):
    out = tmp_path / "studies"
    proc = run_cli([*SMALL, f"output_dir={out}", "choose=2", "references=[promotion]",
                    "figure_formats=[png]"], cwd=tmp_path, module="simulation.apps.optimise")
    assert proc.returncode == 0, proc.stderr
    folder = out / "packages"
    for f in ("pareto.md", "pareto.csv", "pareto.parquet", "trials.parquet", "references.csv",
              "config.yaml", "manifest.json", "study.journal", "figures/pareto.png",
              "figures/pareto_vi.png"):
        assert (folder / f).is_file(), f
    front = pd.read_csv(folder / "pareto.csv").set_index("trial")
    files = sorted((folder / "scenario").glob("*.yaml"))
    assert 1 <= len(files) <= 2
    assert "Compare the chosen packages" in proc.stdout
    # the printed compare command, run as printed (from the project folder)
    command = proc.stdout.strip().splitlines()[-1].strip()
    assert command.startswith(str(ROOT / ".venv" / "bin" / "hcmc-compare")) or \
        command.startswith("/")
    import shlex

    args = shlex.split(command)[1:] + [f"output_dir={tmp_path / 'cmp'}", "figures=false",
                                       "progress=false"]
    cmp = run_cli(args, cwd=tmp_path, module="simulation.compare")
    assert cmp.returncode == 0, cmp.stderr
    (cmp_dir,) = (tmp_path / "cmp").iterdir()
    t = pd.read_parquet(cmp_dir / "comparison.parquet")
    jobs = t[(t["boundaries"] == "pre2025") & (t["location"] == "partners")
             & (t["kpi"] == "direct_jobs") & (t["measure"] == "horizon")].set_index("scenario")
    for f in files:
        trial = int(f.stem.rsplit("_t", 1)[1])
        assert jobs.loc[f.stem, "difference"] == pytest.approx(
            front.loc[trial, "partner_direct_jobs"], rel=1e-12)


@pytest.mark.cli
def test_bad_search_input_fails_on_the_command_line_and_writes_nothing(tmp_path):
    proc = run_cli([f"output_dir={tmp_path / 'x'}", "objectives=[jobs]"], cwd=tmp_path,
                   module="simulation.apps.optimise")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: objectives contains unknown 'jobs'")
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_a_search_killed_by_a_signal_resumes_with_the_same_command(reference_search, tmp_path):
    s, _, table = reference_search
    args = [*SMALL, f"output_dir={tmp_path}", "figures=false", "workers=1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "simulation.apps.optimise", *args],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # kill it once the first generation is told (its progress line)
        if "2 of 6 packages evaluated" in line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert not (tmp_path / "packages" / "manifest.json").exists()
    again = run_cli(args, cwd=tmp_path, module="simulation.apps.optimise")
    assert again.returncode == 0, again.stderr
    resumed = pd.read_parquet(tmp_path / "packages" / "trials.parquet")
    pd.testing.assert_frame_equal(outcomes(resumed, s), outcomes(table, s))
    assert (tmp_path / "packages" / "manifest.json").is_file()


@pytest.mark.slow
def test_several_workers_share_one_study_on_a_launcher(tmp_path):
    proc = run_cli(["--multirun", "hydra/launcher=parallel", "worker=0,1", "workers=1", *SMALL,
                    "trials=16", "population=4", f"output_dir={tmp_path}", "figures=false"],
                   cwd=tmp_path,
                   module="simulation.apps.optimise")
    assert proc.returncode == 0, proc.stderr
    trials = pd.read_parquet(tmp_path / "packages" / "trials.parquet")
    # two workers that decide at the same moment may both start a last generation
    assert 16 <= len(trials) <= 16 + 4 and trials["trial"].is_unique
    assert set(trials["worker"]) == {0, 1}  # both processes evaluated packages
    assert (tmp_path / "packages" / "manifest.json").is_file()
