"""Replications, pairing, aggregation, intervals and the `compare` app."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from simulation.analysis import kpis, measures
from simulation.analysis.paired import interval, paired_table, welch_interval
from simulation.config.compose import available_scenarios, compose
from simulation.errors import ConfigError, RunFailedError
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare
from simulation.timeline import parse_quarter, quarter_label

from .conftest import run_cli

TINY = ["params.firms.n_agents=3000", "time.start=2023Q1", "time.spinup_quarters=8"]


# --------------------------------------------------------------------------- seeds, pairing


def test_replication_seeds_come_from_one_master_seed():
    seeds = replication_seeds(2023, 20)
    assert seeds == replication_seeds(2023, 20)  # deterministic
    assert len(set(seeds)) == 20 and all(0 <= s < 2**63 for s in seeds)
    assert replication_seeds(2023, 25)[:20] == seeds  # more replications keep the first ones
    assert replication_seeds(2024, 20) != seeds
    assert set(replication_seeds(2023, 20, stream=1)).isdisjoint(seeds)


def test_jobs_give_replication_r_of_every_scenario_the_same_seed():
    a = prepare(compose(["scenario=baseline"]))[0]
    b = prepare(compose(["scenario=promotion"]))[0]
    jobs = make_jobs({"baseline": a, "promotion": b}, replication_seeds(7, 3))
    by = {(j.scenario, j.replication): j for j in jobs}
    for r in range(3):
        assert by[("baseline", r)].seed == by[("promotion", r)].seed
        assert by[("promotion", r)].config.seed == by[("promotion", r)].seed
        assert by[("promotion", r)].config.scenario.name == "promotion"


@pytest.fixture(scope="module")
def paired_series():
    """Baseline and expressway (from 2025Q1) on two common seeds, run in two processes."""
    configs = {name: prepare(compose([f"scenario={name}", *TINY]))[0]
               for name in ("baseline", "expressway")}
    jobs = make_jobs(configs, replication_seeds(5, 2))
    values, _ = run_jobs(jobs, kpis.run_series, workers=2, progress=False)
    return pd.concat(values, ignore_index=True), jobs


def test_same_seed_same_results_in_any_process(paired_series):
    series, jobs = paired_series
    again, _ = run_jobs(jobs[:1], kpis.run_series, workers=1, progress=False)
    first = series[(series["scenario"] == "baseline") & (series["replication"] == 0)]
    pd.testing.assert_frame_equal(first.reset_index(drop=True), again[0])


def test_common_random_numbers_pair_the_scenarios(paired_series):
    series, _ = paired_series
    s = series.set_index(["scenario", "replication", "quarter", "location"])[kpis.SERIES]
    base, road = s.loc["baseline"], s.loc["expressway"]
    ex = prepare(compose([]))[1].expressway
    first = quarter_label(int(ex.loc[ex["opening_q"] >= parse_quarter("2020Q1"), "opening_q"]
                              .min()))  # the first section that opens in the run
    before = base.index.get_level_values("quarter") < first
    # identical until the lever starts: the same seed draws the same world and decisions
    pd.testing.assert_frame_equal(base[before], road[before])
    assert not base.loc[0].equals(base.loc[1])  # replications differ
    assert not base[~before].equals(road[~before])  # the lever acts


def test_paired_table_refuses_unpaired_runs(paired_series):
    series, _ = paired_series
    m = measures.measures(series.astype({"scenario": str}), "2023Q2", "2025Q4")
    paired_table(m, "baseline")  # paired: fine
    m.loc[(m["scenario"] == "expressway") & (m["replication"] == 1), "seed"] += 1
    with pytest.raises(ValueError, match="not paired"):
        paired_table(m, "baseline")


def _keep_unless(res):
    if res.investment["replication"].iloc[0] == 1:
        raise ArithmeticError("boom")
    return len(res.investment)


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_replication_names_scenario_and_seed(workers):
    rc = prepare(compose(["params.firms.n_agents=500", "time.start=2020Q1", "time.end=2020Q2",
                          "time.spinup_quarters=0"]))[0]
    jobs = make_jobs({"promotion": rc}, [101, 202, 303])
    with pytest.raises(RunFailedError) as err:
        run_jobs(jobs, _keep_unless, workers=workers, progress=False)
    assert (err.value.scenario, err.value.seed) == ("promotion", 202)
    assert "scenario='promotion' seed=202" in str(err.value) and "boom" in str(err.value)


# --------------------------------------------------------------------------- statistics


def test_t_and_percentile_intervals():
    d = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    lo, hi = interval(d, 0.90, "t")
    half = 2.131847 * np.sqrt(2.5) / np.sqrt(5)  # t(0.95, 4) from tables
    assert lo[0] == pytest.approx(3 - half, rel=1e-6) and hi[0] == pytest.approx(3 + half)
    lo, hi = interval(np.arange(101.0)[None, :], 0.90, "percentile")
    assert (lo[0], hi[0]) == pytest.approx((5.0, 95.0))
    lo, hi = interval(np.full((1, 4), 7.0), 0.9, "t")
    assert (lo[0], hi[0]) == (7.0, 7.0)


def test_welch_interval_matches_scipy():
    from scipy import stats

    rng = np.random.default_rng(0)
    a, b = rng.normal(1, 1, 15), rng.normal(0, 3, 15)
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.90)
    assert welch_interval(a, b, 0.90) == pytest.approx((ci.low, ci.high))


def test_measures_follow_their_definitions(paired_series):
    series, _ = paired_series
    one = series[(series["scenario"] == "baseline") & (series["replication"] == 0)
                 & (series["location"] == "nghe_an")].set_index("quarter")
    m = measures.measures(series.astype({"scenario": str}), "2024Q1", "2025Q4")
    m = m[(m["scenario"] == "baseline") & (m["replication"] == 0)
          & (m["location"] == "nghe_an")].set_index(["kpi", "measure"])["value"]
    quarters_2024_25 = [f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5)]
    assert m["registered_bn", "horizon"] == pytest.approx(
        one.loc[[f"2025Q{q}" for q in range(1, 5)], "registered_bn"].sum())
    assert m["registered_bn", "cumulative"] == pytest.approx(
        one.loc[quarters_2024_25, "registered_bn"].sum())
    assert m["total_jobs", "horizon"] == pytest.approx(one.loc["2025Q4", "total_jobs"])
    assert m["total_jobs", "cumulative"] == pytest.approx(
        one.loc[quarters_2024_25, "total_jobs"].sum() / 4)
    assert m["projects_operating", "cumulative"] == pytest.approx(
        one.loc[quarters_2024_25, "entered_operating"].sum())


def test_aggregation_to_post_2025_boundaries_preserves_totals(paired_series):
    series, _ = paired_series
    inputs = prepare(compose([]))[1]
    series = series.astype({"scenario": str, "quarter": str, "location": str})
    keys = ["scenario", "replication", "quarter"]
    pre = measures.aggregate(series, measures.locations(inputs, "pre2025"))
    post = measures.aggregate(series, measures.locations(inputs, "post2025"))
    everything = series.groupby(keys)[kpis.SERIES].sum()
    for agg in (pre, post):
        units = agg[~agg["location"].isin(measures.TOTALS)]
        pd.testing.assert_frame_equal(units.groupby(keys)[kpis.SERIES].sum(), everything)
        national = agg[agg["location"] == measures.NATIONAL].set_index(keys)[kpis.SERIES]
        pd.testing.assert_frame_equal(national.sort_index(), everything.sort_index(),
                                      check_names=False)
    totals = [a[a["location"] == measures.PARTNERS].set_index(keys)[kpis.SERIES]
              for a in (pre, post)]
    pd.testing.assert_frame_equal(*totals)
    assert set(post["location"]) == {"hcmc", "thai_nguyen", "cao_bang", "ninh_binh", "ha_tinh",
                                     "nghe_an", "quang_tri", "thanh_hoa", "hue", "south_near",
                                     "central", "north_far", *measures.TOTALS}
    # Bình Dương and Bà Rịa–Vũng Tàu are part of HCMC on post-2025 boundaries
    merged_hcmc = post.set_index(keys + ["location"])[kpis.SERIES].xs("hcmc", level="location")
    pd.testing.assert_frame_equal(merged_hcmc, s_hcmc := (
        series.set_index(keys + ["location"])[kpis.SERIES].xs("hcmc", level="location")
        + series.set_index(keys + ["location"])[kpis.SERIES].xs("binh_duong", level="location")
        + series.set_index(keys + ["location"])[kpis.SERIES].xs("ba_ria_vung_tau",
                                                                level="location")))
    assert s_hcmc.shape[0] > 0
    s = series.set_index(keys + ["location"])[kpis.SERIES]
    merged = post.set_index(keys + ["location"])[kpis.SERIES].xs("quang_tri", level="location")
    pd.testing.assert_frame_equal(merged, s.xs("quang_binh", level="location")
                                  + s.xs("quang_tri", level="location"))


# --------------------------------------------------------------------------- compare config


@pytest.mark.parametrize("overrides, message", [
    (["scenarios=[baseline]"], "holds only the baseline"),
    (["interval=bootstrap"], "interval='bootstrap' is unknown; allowed: t, percentile"),
    (["replications=1"], "replications=1 is out of range"),
    (["window_start=2019Q1"], "window_start=2019Q1 is outside the recorded quarters"),
    (["replicationz=3"], "unknown config key 'replicationz'; allowed keys: scenarios, baseline"),
    (['+scenario_overrides.agreement_2025=["scenario.agreements.0.budgett=4"]'],
     "scenario_overrides.agreement_2025: unknown config key 'scenario.agreements[0].budgett'; "
     "allowed keys under 'scenario.agreements[0]': provinces, fields"),
    (['+scenario_overrides.agreement_2025=["params.firms.n_agents=10"]'],
     "is not a lever override"),
    (['scenario_overrides.agreement_2025=["scenario.agreements.0.budget_bn_per_year=4"]'],
     "add a scenario's overrides with a leading '+'"),
    (['+scenario_overrides.agreement_2052=["scenario.agreements.0.budget_bn_per_year=4"]'],
     "scenario_overrides: unknown scenario 'agreement_2052'; available scenarios: "),
])
def test_bad_comparison_settings_fail_with_one_line(overrides, message):
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    with pytest.raises(ConfigError) as err:
        plan(compose_compare(overrides))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_window_starts_when_the_first_compared_lever_takes_effect():
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    assert plan(compose_compare([])).window_start == "2023Q2"  # the 2023 agreements
    ex = plan(compose_compare(["scenarios=[expressway]"]))
    opened = ex.inputs.expressway["opening_q"]  # the first section opening in the recorded run
    assert ex.window_start == quarter_label(int(opened[opened >= parse_quarter("2020Q1")].min()))
    assert ex.window_start == "2021Q2"  # Túy Loan–La Sơn
    assert plan(compose_compare(["scenarios=[expressway,promotion]"])).window_start == "2021Q2"
    later = ['+scenario_overrides.promotion=["scenario.promotions.0.start=2026Q1",'
             '"scenario.promotions.0.end=2028Q4"]']
    p = plan(compose_compare(["scenarios=[promotion]", "time.end=2030Q4", *later]))
    assert (p.window_start, p.horizon, p.warnings) == ("2026Q1", "2030Q4", [])
    p = plan(compose_compare(["scenarios=[promotion]", "window_start=2024Q1", *later,
                              "time.end=2030Q4"]))
    assert p.window_start == "2024Q1"  # set explicitly


def test_a_scenario_that_cannot_act_before_the_horizon_is_refused_or_named():
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    later = ['+scenario_overrides.promotion=["scenario.promotions.0.start=2026Q1",'
             '"scenario.promotions.0.end=2028Q4"]']
    with pytest.raises(ConfigError) as err:
        plan(compose_compare(["scenarios=[promotion]", *later]))
    assert str(err.value) == (
        "scenario promotion: its levers start in 2026Q1 or later, after the horizon 2025Q4, "
        "so it cannot differ from the baseline; set time.end=2026Q1 or later (up to 2030Q4)")
    partly = ['+scenario_overrides.agreement_2025=["scenario.agreements.0.start=2026Q1",'
              '"scenario.agreements.0.end=2028Q4"]']
    p = plan(compose_compare(["scenarios=[agreement_2025]", *partly]))
    assert p.warnings == [
        "scenario agreement_2025: scenario.agreements.0 starts 2026Q1, after the horizon "
        "time.end=2025Q4: it has no effect in this run; set time.end=2026Q1 or later (up to "
        "2030Q4)"]


def test_comparison_runs_every_scenario_to_the_latest_horizon():
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    p = plan(compose_compare(["scenarios=[agreement_2025,extension_2030]", "replications=2"]))
    assert list(p.configs) == ["baseline", "agreement_2025", "extension_2030"]
    assert {rc.time.end for rc in p.configs.values()} == {"2030Q4"}
    p = plan(compose_compare(["scenarios=[agreement_2025]", "time.end=2024Q4",
                              '+scenario_overrides.agreement_2025=["scenario.agreements.0.'
                              'budget_bn_per_year=4"]', "params.firms.n_agents=5000"]))
    rc = p.configs["agreement_2025"]
    assert (rc.time.end, rc.params.firms.n_agents) == ("2024Q4", 5000)
    assert rc.scenario.agreements[0].budget_bn_per_year == 4.0


# --------------------------------------------------------------------------- the real CLI


@pytest.mark.cli
@pytest.mark.parametrize("module, args, expected", [
    ("simulation.compare", ["scenarios=[baseline,agreement_2052]"],
     "unknown scenario 'agreement_2052'; available scenarios: "),
    ("simulation", ["scenario=agreement_2025", "scenario.agreementz.0.budget_bn_per_year=4"],
     "unknown config key 'scenario.agreementz'; allowed keys under 'scenario': name, "
     "description, agreements, incentives, promotions, digital, land, transport, "
     "human_capital, potential, fiscal"),
])
def test_unknown_scenario_or_lever_fails_on_the_command_line(module, args, expected, tmp_path):
    out = tmp_path / "out"
    res = run_cli([*args, f"output.dir={out}" if module == "simulation" else
                   f"output_dir={out}"], cwd=tmp_path, module=module)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], res.stderr
    if "available scenarios" in expected:
        assert all(name in lines[0] for name in available_scenarios())
    assert not out.exists()  # nothing half-written


@pytest.mark.cli
def test_compare_app_writes_a_complete_comparison(tmp_path):
    out = tmp_path / "comparisons"
    res = run_cli(["scenarios=[baseline,agreement_2025]", "replications=3", "seed=2023",
                   "workers=1", "params.firms.n_agents=3000", "time.spinup_quarters=8",
                   "figure_kpis=[registered_bn]", "figure_formats=[png]", f"output_dir={out}"],
                  cwd=tmp_path, module="simulation.compare")
    assert res.returncode == 0, res.stderr
    *_, written, figures = res.stdout.strip().splitlines()
    (folder,) = out.iterdir()
    assert written.startswith(f"Comparison written to {folder.relative_to(tmp_path)} ")
    assert figures.endswith(f"/hcmc-plot {folder.relative_to(tmp_path)}")
    assert "100%" in res.stderr and "6/6" in res.stderr  # the progress bar
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("comparison.md", "comparison.csv", "comparison.parquet", "series.parquet",
                 "runs.csv", "config.yaml", "scenarios/agreement_2025.yaml",
                 "cost_benefit.csv", "cost_benefit.parquet", "costs.parquet"):
        assert (folder / name).is_file() and name in manifest["files"], name
    pngs = sorted(p.name for p in (folder / "figures").glob("*.png"))
    assert pngs == ["difference_registered_bn.png", "fan_difference_registered_bn.png",
                    "fan_levels_registered_bn.png", "net_fiscal.png"]
    benefits = pd.read_csv(folder / "cost_benefit.csv").set_index("quantity")
    for q in ("programme_cost_bn", "net_fiscal_national_pv_bn", "cost_per_job_m",
              "benefit_cost_ratio", "partner_direct_jobs", "national_direct_jobs",
              "diverted_direct_jobs"):
        assert benefits.loc[q, "n_replications"] == 3 and benefits.loc[q, "unit"], q
    assert "Costs and benefits" in res.stdout and "cost_per_job_m" in res.stdout

    table = pd.read_parquet(folder / "comparison.parquet")
    pd.testing.assert_frame_equal(table, pd.read_csv(folder / "comparison.csv"),
                                  check_dtype=False)
    assert {"boundaries", "scenario", "baseline_scenario", "location", "location_name", "kpi",
            "measure", "unit", "baseline_level", "scenario_level", "difference", "diff_low",
            "diff_high", "relative_change", "n_replications", "interval"} <= set(table.columns)
    assert set(table["kpi"]) == {k.name for k in kpis.KPIS}
    assert {"registered_bn", "disbursed_bn", "direct_jobs", "total_jobs", "collected_bn",
            "retained_bn", "tax_expenditure_bn", "projects_operating",
            "projects_terminated"} <= set(table["kpi"])
    assert set(table["measure"]) == {"horizon", "cumulative"}
    assert set(table["boundaries"]) == {"pre2025", "post2025"}
    assert (table["n_replications"] == 3).all() and set(table["scenario"]) == {"agreement_2025"}
    # by default the replications run over the posterior draws, and the intervals say so
    assert manifest["n_draws"] >= 100 and "× chance (seeds)" in manifest["uncertainty"]
    assert (table["interval"] == f"90 % t; {manifest['uncertainty']}").all()
    pre = table[table["boundaries"] == "pre2025"]
    assert {"hcmc", "nghe_an", "bac_kan", measures.PARTNERS} <= set(pre["location"])
    assert {"thai_nguyen", "ninh_binh", "hue"} <= set(table["location"])
    assert np.allclose(table["difference"], table["scenario_level"] - table["baseline_level"])
    assert (table["diff_low"] <= table["difference"] + 1e-9).all()
    assert (table["diff_high"] >= table["difference"] - 1e-9).all()

    runs = pd.read_csv(folder / "runs.csv")
    seeds = runs.pivot(index="replication", columns="scenario", values="seed")
    assert list(seeds["baseline"]) == list(seeds["agreement_2025"]) \
        == replication_seeds(2023, 3) == manifest["seeds"]
    report = (folder / "comparison.md").read_text(encoding="utf-8")
    assert "conditional projections" in report and "## agreement_2025" in report
    assert "| Indicator | Measure | Unit | Baseline | Scenario | Difference [90 % interval] |" \
        in report
    assert "### Costs and benefits" in report and "Fiscal benefit–cost ratio" in report
    assert "### National net effect" in report


# --------------------------------------------------------------------------- parameter draws


def test_comparison_over_parameter_draws_and_seeds(tmp_path):
    """Replication r uses draw r mod n with seed r in every scenario: still paired."""
    from simulation.analysis import comparison
    from simulation.apps.compare import compose_compare

    draws = tmp_path / "draws.csv"
    draws.write_text("utility.xi_province,project.size_scale,J\n0.6,0.8,1.0\n1.2,1.3,2.0\n",
                     encoding="utf-8")
    args = ["scenarios=[baseline,expressway]", "replications=4", "workers=1", "progress=false",
            "params.firms.n_agents=3000", "time.start=2023Q1", "time.spinup_quarters=8"]
    plan = comparison.plan(compose_compare(args + [f"parameter_draws={draws}"]))
    assert plan.draw_of(3) == 1
    rc = plan.job_config("expressway", 3)
    assert rc.params.utility.xi_province == 1.2 and rc.params.project.size_scale == 1.3
    assert rc.seed == plan.seeds[3] == plan.job_config("baseline", 3).seed
    series, runs, _ = comparison.run(plan, workers=1, progress=False)
    assert list(runs["draw"]) == [0, 1, 0, 1] * 2
    plain = comparison.plan(compose_compare(args + ["parameter_draws=null"]))
    assert plain.draws == [] and "seeds) only" in comparison.uncertainty(plain)
    assert "posterior draws, 2 in draws.csv" in comparison.uncertainty(plan)
    s0, _, _ = comparison.run(plain, workers=1, progress=False)
    key = ["scenario", "replication", "quarter", "location"]
    a = series.sort_values(key).reset_index(drop=True)
    b = s0.sort_values(key).reset_index(drop=True)
    assert not np.allclose(a["registered_bn"], b["registered_bn"])  # the draws matter


def test_run_fingerprints_rendered_once_per_configuration_are_each_runs_own(tmp_path):
    """The comparison's run fingerprints (one YAML per configuration) equal each run's own."""
    from simulation.analysis import comparison
    from simulation.apps.compare import compose_compare
    from simulation.config.compose import fingerprint, fingerprints

    draws = tmp_path / "draws.csv"
    draws.write_text("utility.xi_province\n0.6\n1.2\n", encoding="utf-8")
    plan = comparison.plan(compose_compare(["scenarios=[baseline,expressway]", "replications=5",
                                            f"parameter_draws={draws}"]))
    cfgs = [plan.job_config(s, r) for s in plan.configs for r in range(5)]
    fast = fingerprints(cfgs, "abc")
    assert fast == [fingerprint(c, "abc") for c in cfgs]
    assert len(set(fast)) == len(cfgs)  # seed, replication, draw and scenario all count
    assert fingerprints(cfgs[:1], "abd") != fast[:1]  # so does the code version


def test_run_fingerprints_with_the_posterior_draws_are_each_runs_own():
    """Every scenario with the shipped posterior draws (every drawn parameter): the
    fingerprints assembled from parts equal each run's own, rendered whole."""
    from simulation.analysis import comparison
    from simulation.apps.compare import compose_compare
    from simulation.config.compose import available_scenarios, fingerprint, fingerprints

    names = available_scenarios(None)
    plan = comparison.plan(compose_compare([f"scenarios=[{','.join(names)}]",
                                            "replications=3"]))
    assert plan.draws and len(plan.draws[0]) >= 2
    cfgs = [plan.job_config(s, r) for s in plan.configs for r in range(3)]
    assert fingerprints(cfgs, "abc") == [fingerprint(c, "abc") for c in cfgs]


@pytest.mark.cli
@pytest.mark.parametrize("content, message", [
    ("utility.xi_partnr\n1.0\n", "xi_partnr"),
    ("utility.nest_rho\n3.0\n", "row 2, column 'utility.nest_rho'"),
    ("utility.xi_province\nabc\n", "is not a number"),
])
def test_bad_parameter_draws_fail_with_one_line(tmp_path, content, message):
    bad = tmp_path / "draws.csv"
    bad.write_text(content, encoding="utf-8")
    res = run_cli([f"parameter_draws={bad}", f"output_dir={tmp_path / 'o'}"], cwd=tmp_path,
                  module="simulation.compare")
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode == 2 and len(lines) == 1 and message in lines[0], res.stderr
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- extra scenario folder


def _scenario_file(folder, name, text):
    (folder / "scenario").mkdir(parents=True, exist_ok=True)
    (folder / "scenario" / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_scenarios_of_an_extra_folder_are_compared_like_shipped_ones(tmp_path):
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    _scenario_file(tmp_path, "my_package", "name: my_package\ndescription: test\npromotions:\n"
                   "  - provinces: [nghe_an]\n    start: 2023Q2\n    end: 2025Q4\n"
                   "    events_per_year: 3.5\n")
    p = plan(compose_compare([f"scenario_dir={tmp_path}", "scenarios=[baseline,my_package]",
                              "replications=2"]))
    (promo,) = p.configs["my_package"].scenario.promotions
    assert (promo.provinces, promo.events_per_year) == (["nghe_an"], 3.5)
    assert p.configs["baseline"].scenario.promotions == []


@pytest.mark.parametrize("make, message", [
    (lambda d: None, "has no 'scenario' subfolder"),
    (lambda d: _scenario_file(d, "promotion", "name: promotion\n"), "a name of configs/scenario"),
])
def test_a_bad_extra_scenario_folder_fails_with_one_line(tmp_path, make, message):
    from simulation.analysis.comparison import plan
    from simulation.apps.compare import compose_compare

    make(tmp_path)
    with pytest.raises(ConfigError) as err:
        plan(compose_compare([f"scenario_dir={tmp_path}", "replications=2"]))
    assert message in str(err.value) and "\n" not in str(err.value)


# --------------------------------------------------------------------------- costs and benefits


def test_cost_benefit_of_a_real_comparison_adds_up_with_the_comparison_table():
    from simulation.analysis import comparison
    from simulation.apps.compare import compose_compare

    cc = compose_compare(["scenarios=[baseline,full_package]", "replications=2", *TINY,
                          "discount_rate=0.0"])
    p = comparison.plan(cc)
    series, _, details = comparison.run(p, workers=1, progress=False)
    assert "costs" in details  # the model records the programme's costs
    table = comparison.summarise(series, p)
    b = comparison.cost_benefit(series, p, 0.0, costs_table=details["costs"])
    b = b[b["scenario"] == "full_package"].set_index("quantity")["estimate"]
    t = table[(table["boundaries"] == "pre2025") & (table["scenario"] == "full_package")
              & (table["measure"] == "cumulative")].set_index(["location", "kpi"])
    # programme cost: what the costs table says the scenario spends beyond the baseline
    c = details["costs"]
    c = c[c["quarter"].astype(str) >= p.window_start]
    per_run = c.groupby(["scenario", "replication"], observed=True)["spent_bn"].sum()
    assert b["programme_cost_bn"] == pytest.approx(
        (per_run["full_package"] - per_run["baseline"]).mean())
    assert b["programme_cost_bn"] > 0
    # national net fiscal effect = Δ revenue collected in the country − Δ outlays
    assert b["net_fiscal_national_bn"] == pytest.approx(
        t.loc[("national", "collected_bn"), "difference"] - b["outlays_bn"], rel=1e-9, abs=1e-6)
    levels = ["partners", "hcmc", "other_provinces", "central"]
    assert sum(b[f"net_fiscal_{lv}_bn"] for lv in levels) == pytest.approx(
        b["net_fiscal_national_bn"], abs=1e-6)
    # with a zero discount rate present values are sums
    assert b["programme_cost_pv_bn"] == pytest.approx(b["programme_cost_bn"])
    # the partners' gain and the national net effect are the comparison table's
    h = table[(table["boundaries"] == "pre2025") & (table["scenario"] == "full_package")
              & (table["measure"] == "horizon")].set_index(["location", "kpi"])
    assert b["partner_direct_jobs"] == pytest.approx(h.loc[("partners", "direct_jobs"),
                                                           "difference"])
    assert b["national_direct_jobs"] == pytest.approx(h.loc[("national", "direct_jobs"),
                                                            "difference"])
    assert b["cost_per_job_m"] == pytest.approx(
        b["programme_cost_bn"] / b["partner_direct_jobs"] * 1e3)
    # benefit-cost ratio: revenue before incentives (collected + tax expenditure) over cost
    te = c[c["item"].astype(str).str.startswith("tax_expenditure")]
    te = te.groupby(["scenario", "replication"], observed=True)["spent_bn"].sum()
    d_te = (te.get("full_package", 0.0) - te.get("baseline", 0.0)).mean()
    assert b["tax_expenditure_bn"] == pytest.approx(d_te, abs=1e-6)
    assert b["benefit_cost_ratio"] == pytest.approx(
        (t.loc[("national", "collected_bn"), "difference"] + d_te) / b["programme_cost_bn"],
        rel=1e-9)

    # present values at 9 %: quarter k after the window start weighted by 1.09^(-k/4),
    # recomputed here from the costs table and the quarterly series
    r = comparison.cost_benefit(series, p, 0.09, costs_table=details["costs"])
    r = r[r["scenario"] == "full_package"].set_index("quantity")["estimate"]

    def pv(frame, column):
        q = frame["quarter"].astype(str)
        keep = (q >= p.window_start) & (q <= p.horizon)
        k = np.array([parse_quarter(x) for x in q[keep]]) - parse_quarter(p.window_start)
        f = frame[keep].assign(v=frame.loc[keep, column].to_numpy() * 1.09 ** (-k / 4.0))
        per = f.groupby(["scenario", "replication"], observed=True)["v"].sum()
        return (per["full_package"] - per["baseline"]).mean()

    cost_pv = pv(details["costs"], "spent_bn")
    assert 0 < cost_pv < b["programme_cost_bn"]  # discounting shrinks a positive stream
    assert r["programme_cost_pv_bn"] == pytest.approx(cost_pv, rel=1e-9)
    revenue_pv = pv(series.assign(quarter=series["quarter"].astype(str)), "collected_bn")
    outlays_pv = cost_pv - pv(c.pipe(lambda x: x[x["item"].astype(str).str.startswith(
        "tax_expenditure")]), "spent_bn")
    assert r["net_fiscal_national_pv_bn"] == pytest.approx(revenue_pv - outlays_pv,
                                                           rel=1e-9, abs=1e-6)
    assert r["benefit_cost_ratio"] == pytest.approx(
        (r["net_fiscal_national_pv_bn"] + cost_pv) / cost_pv, rel=1e-9)


@pytest.mark.parametrize("value", [0.5, 1e17, 1e-5, -2.5, 0.0, 3.0, 0.1 + 0.2, 123456789.123])
def test_config_text_assembled_from_parts_is_omegaconfs(value):
    """YamlParts writes a drawn number as YAML does (exponents, trailing zeros, signs), so
    the text it assembles is config_yaml's, character for character."""
    from simulation.config.keys import with_values
    from simulation.config.render import YamlParts, config_yaml
    from simulation.runs.runner import prepare

    rc, _ = prepare(compose(["scenario=agreement_2025"]))
    parts = YamlParts()
    assert parts(rc) == config_yaml(rc)
    drawn = with_values(rc, {"params.utility.xi_province": value,
                             "params.lifecycle.pause_base": value})
    assert parts(drawn) == config_yaml(drawn)
