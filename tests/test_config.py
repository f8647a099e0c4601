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
