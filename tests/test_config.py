"""Every config composes; every kind of bad input fails with one clear line and exit code 2."""

from pathlib import Path

import pytest

from simulation.config import parameter_table
from simulation.config.compose import CONFIG_DIR, available_scenarios, compose
from simulation.runs.runner import prepare

from .conftest import ROOT, copy_data, run_cli

SCENARIOS = available_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_composes_and_validates(scenario):
    rc, _ = prepare(compose([f"scenario={scenario}"]))
    assert rc.scenario.name == scenario


def test_every_yaml_file_is_used_by_some_composition():
    files = sorted(p.relative_to(CONFIG_DIR).as_posix() for p in CONFIG_DIR.rglob("*.yaml"))
    assert "config.yaml" in files
    for f in files:
        if f.startswith("scenario/"):
            assert Path(f).stem in SCENARIOS


def test_every_parameter_is_documented_with_range_unit_and_source():
    rows = parameter_table()
    assert len(rows) > 60
    for r in rows:
        assert r["unit"] and r["source"], r["key"]
        lo, hi = r["min"], r["max"]
        vals = r["default"].values() if isinstance(r["default"], dict) else [r["default"]]
        for v in vals:
            assert (lo is None or v >= lo) and (hi is None or v <= hi), r["key"]


BAD_INPUTS = [
    (["params.firms.nagents=5"], ["params.firms.nagents", "n_agents"]),
    (["params.firms.n_agents=many"], ["params.firms.n_agents", "'many'", "int"]),
    (["params.utility.nest_rho=1.7"], ["params.utility.nest_rho=1.7", "[0.05, 1.0]"]),
    (["data_dir=nowhere"], ["data_dir", "nowhere"]),
    (["params.ties.decay_half_life_years=9"], ["decay_half_life_years=9", "[2.0, 5.0]"]),
    (["scenario=utopia"], ["utopia", "baseline"]),
    (["time.end=2025Q5"], ["time.end", "2025Q5", "YYYYQn"]),
    (["time.end=2200Q1"], ["time.end=2200Q1 is beyond the model's horizon limit",
                           "up to 2030Q4"]),
    (["time.start=1900Q1"], ["time.start=1900Q1 is before the model's earliest start",
                             "from 2015Q1"]),
    (["+scenario.agreements=[{provinces: [hanoi]}]"], ["hanoi", "nghe_an"]),
]


@pytest.mark.cli
@pytest.mark.parametrize("args,needles", BAD_INPUTS, ids=[a[0][0] for a in BAD_INPUTS])
def test_bad_input_fails_with_one_clear_line(tmp_path, args, needles):
    out = tmp_path / "runs"
    proc = run_cli(args + [f"output.dir={out}"], cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert "Traceback" not in proc.stderr
    assert not out.exists()  # no half-written results


@pytest.mark.cli
@pytest.mark.parametrize("damage,needles", [
    ("garbage", ["provinces.csv"]),
    ("missing", ["sectors.csv"]),
    ("negative", ["provinces.csv", "road_km"]),
])
def test_corrupt_or_missing_data_file_fails_clearly(tmp_path, damage, needles):
    data = copy_data(tmp_path)
    if damage == "garbage":
        (data / "provinces.csv").write_bytes(b"\x00\xff\x13garbage\x00" * 50)
    elif damage == "missing":
        (data / "sectors.csv").unlink()
    else:
        text = (data / "provinces.csv").read_text(encoding="utf-8").splitlines()
        i = next(k for k, ln in enumerate(text) if ln.startswith("nghe_an,road_km,"))
        parts = text[i].split(",")
        parts[2] = "-1400"
        text[i] = ",".join(parts)
        (data / "provinces.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "runs"
    proc = run_cli([f"data_dir={data}", f"output.dir={out}"], cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for n in needles:
        assert n in lines[0]
    assert not out.exists()


def test_every_params_config_composes_and_validates():
    names = sorted(p.stem for p in (CONFIG_DIR / "params").glob("*.yaml"))
    for name in names:
        rc, _ = prepare(compose([f"+params={name}"]))
        assert rc.params != prepare(compose([]))[0].params  # the file changes something


def test_the_horizon_reaches_the_documented_limit_and_no_further():
    from simulation.config.schema import EARLIEST_START, LATEST_END
    from simulation.errors import ConfigError

    rc, _ = prepare(compose([f"time.end={LATEST_END}", f"time.start={EARLIEST_START}"]))
    assert (rc.time.start, rc.time.end) == (EARLIEST_START, LATEST_END)
    for override in ("time.end=2031Q1", "time.start=2014Q4"):
        with pytest.raises(ConfigError):
            prepare(compose([override]))


def test_levers_after_the_horizon_are_named_in_one_line_each():
    from simulation.config.validate import inert_levers

    late = "scenario.agreements=[{start: 2026Q1, end: 2028Q4}]"
    rc, _ = prepare(compose(["scenario=agreement_2025", late]))
    assert inert_levers(rc) == [
        "scenario.agreements.0 starts 2026Q1, after the horizon time.end=2025Q4: it has no "
        "effect in this run; set time.end=2026Q1 or later (up to 2030Q4)"]
    rc, _ = prepare(compose(["scenario=agreement_2025", late, "time.end=2026Q1"]))
    assert inert_levers(rc) == []
    assert inert_levers(prepare(compose(["scenario=full_package"]))[0]) == []


def test_a_reform_moved_after_the_horizon_is_named_and_the_actual_one_is_not():
    from simulation.config.validate import inert_levers
    from simulation.errors import ConfigError

    rc, _ = prepare(compose(["params.reform.quarter=2027Q1"]))
    assert inert_levers(rc) == [
        "params.reform.quarter=2027Q1 is after the horizon time.end=2025Q4: the run ends on "
        "the provinces before the reform (as params.reform.enabled=false)"]
    assert inert_levers(prepare(compose(["params.reform.quarter=2027Q1",
                                         "time.end=2027Q1"]))[0]) == []
    assert inert_levers(prepare(compose(["time.end=2024Q4"]))[0]) == []  # the actual reform
    with pytest.raises(ConfigError, match=r"output.peer_graph='maybe' has the wrong type; "
                                          r"allowed: true or false"):
        prepare(compose(["output.peer_graph=maybe"]))


@pytest.mark.cli
def test_a_run_warns_about_a_lever_after_the_horizon(tmp_path):
    proc = run_cli(["scenario=incentives", "scenario.incentives=[{start: 2027Q1, end: 2027Q4}]",
                    "params.firms.n_agents=2000", "output.figures=false",
                    f"output.dir={tmp_path}"], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "warning: scenario.incentives.0 starts 2027Q1, after the horizon time.end=2025Q4: it "
        "has no effect in this run; set time.end=2027Q1 or later (up to 2030Q4)"]
def test_dotted_keys_reach_entries_of_a_dict_parameter():
    from simulation.config.keys import resolve, with_values
    from simulation.config.schema import RunConfig

    value, meta = resolve(RunConfig(), "params.opportunity.macro_by_year.2023")
    assert value == 0.9 and meta["range"] == (0.0, 5.0)
    assert resolve(RunConfig(), "params.opportunity.macro_by_year.2028")[0] is None
    rc = with_values(RunConfig(), {"params.opportunity.macro_by_year.2028": 0.8,
                                   "params.utility.theta_info": 0.6})
    assert rc.params.opportunity.macro_by_year["2028"] == 0.8
    assert rc.params.opportunity.macro_by_year["2023"] == 0.9
    assert RunConfig().params.opportunity.macro_by_year.get("2028") is None  # a copy
    prepare(rc)  # still a valid run config
