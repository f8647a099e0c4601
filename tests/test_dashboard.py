"""The dashboard without a browser: controls → overrides, paired runs, numbers, texts, set-up."""

from __future__ import annotations

import inspect
import re
import socket
import struct
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

import simulation
import simulation.config.compose
from simulation.analysis.live import headline_numbers, largest_gain, snapshot
from simulation.apps.dashboard import assets
from simulation.apps.dashboard.app import model_params
from simulation.apps.dashboard.components import place_names as location_names
from simulation.apps.dashboard.levers import (
    LEVER_START,
    Levers,
    check_scenario_dir,
    compose_cached,
    hydra_value,
    scenario_names,
)
from simulation.apps.dashboard.live import DashboardModel
from simulation.errors import ConfigError
from simulation.figures import live as charts
from simulation.figures.labels import PHRASES, tr
from simulation.figures.text import number as fmt
from simulation.timeline import parse_quarter

from .conftest import run_cli

N = 3000  # firm agents in these tests
LONG_RUN = """\
# @package _global_
time:
  end: 2030Q4
scenario:
  name: long_run
  description: A scenario file that sets its own horizon.
"""
SCENARIO = """\
name: with_agreement
description: One agreement with two partners.
agreements:
  - provinces: [nghe_an, thanh_hoa]
    budget_bn_per_year: 3.0
"""


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> str:
    d = tmp_path_factory.mktemp("scen")
    (d / "scenario").mkdir()
    (d / "scenario" / "with_agreement.yaml").write_text(SCENARIO)
    (d / "scenario" / "broken.yaml").write_text("name: broken\nagreements:\n  - budgt: 1.0\n")
    (d / "scenario" / "long_run.yaml").write_text(LONG_RUN)
    return str(d)


@pytest.fixture(scope="module")
def finished() -> DashboardModel:
    """A dashboard run with extra levers, stepped to the end of the horizon."""
    m = DashboardModel(agreement_budget=4.0, incentive_regime="special", land_ha=50, n_agents=N)
    while m.running:
        m.step()
    return m


# ------------------------------------------------------------------ controls → overrides
@pytest.mark.parametrize("value", [
    [{"provinces": ["all"], "start": "2023Q2", "budget_bn_per_year": 2.5}],
    {"a": [1, 2.5, True, None, "x y"], "b": {"c": "2030Q4"}}, "all", 0.08, 7, False])
def test_hydra_value_parses_back_to_the_same_value(value):
    parsed = OverridesParser.create().parse_override(f"key={hydra_value(value)}").value()
    assert parsed == value


def test_hydra_value_refuses_what_it_cannot_write():
    with pytest.raises(ValueError):
        hydra_value('say "hi"')
    with pytest.raises(ValueError):
        hydra_value({"not a key": 1})


def test_levers_are_appended_to_the_scenario_levers(scenario_dir):
    lv = Levers("with_agreement", agreement_budget=2.0, incentive_regime="park", dx_gain=0.08,
                land_ha=50, n_agents=N, horizon="2030Q4", scenario_dir=scenario_dir)
    overrides, end = lv.overrides()
    assert end == "2030Q4"
    rc, _ = simulation.runs.runner.prepare(compose_cached(tuple(overrides)))
    s = rc.scenario
    assert s.name == "with_agreement" and rc.time.end == "2030Q4" and rc.params.firms.n_agents == N
    assert [a.provinces for a in s.agreements] == [["nghe_an", "thanh_hoa"], ["all"]]
    assert [a.budget_bn_per_year for a in s.agreements] == [3.0, 2.0]
    assert s.agreements[1].start == LEVER_START and s.agreements[1].end == "2030Q4"
    assert [i.cit_regime for i in s.incentives] == ["park"]
    assert [d.dx_gain_per_year for d in s.digital] == [0.08]
    assert [x.hectares_per_year for x in s.land] == [50.0]
    # no extra levers: exactly the scenario file
    plain = Levers("with_agreement", n_agents=N, scenario_dir=scenario_dir)
    assert not any(o.startswith(("scenario.", "time.")) for o in plain.overrides()[0])
    assert lv.baseline_overrides(end)[0] == "scenario=baseline"
    assert f"time.end={end}" in lv.baseline_overrides(end)


def test_auto_horizon_follows_the_scenario_file_and_the_baseline_follows_it(scenario_dir):
    """A file that sets time.end itself: `auto` keeps it, and the baseline is paired to it."""
    lv = Levers("long_run", land_ha=20, n_agents=N, scenario_dir=scenario_dir)
    overrides, end = lv.overrides()
    assert end == "2030Q4" and not any(o.startswith("time.end") for o in overrides)
    assert "end:\"2030Q4\"" in overrides[-1]  # the extra lever lasts to the end
    assert "time.end=2030Q4" in lv.baseline_overrides(end)
    short, end = Levers("long_run", horizon="2025Q4", n_agents=N,
                        scenario_dir=scenario_dir).overrides()
    assert end == "2025Q4" and "time.end=2025Q4" in short


def test_scenario_choices_and_folder_check(scenario_dir, tmp_path):
    names = scenario_names(scenario_dir)
    assert names[0] == "baseline"
    assert {"with_agreement", "broken", "long_run"} <= set(names)
    assert set(simulation.config.compose.available_scenarios()) <= set(names)
    with pytest.raises(ConfigError, match="--scenario-dir=.*no 'scenario' subfolder"):
        check_scenario_dir(str(tmp_path))
    with pytest.raises(ConfigError, match="incentive_regime='gold'.*none, park"):
        Levers(incentive_regime="gold").overrides()


# ------------------------------------------------------------------ the paired runs
def _by_quarter_location(df: pd.DataFrame, col: str, quarters: list[str],
                         codes: list[str]) -> np.ndarray:
    """By place (pre-2025 boundaries), as the dashboard draws them."""
    return (df.groupby(["quarter", "site"], observed=True)[col].sum().unstack("site")
            .reindex(index=quarters, columns=codes).to_numpy())


@pytest.mark.parametrize("which", ["scenario", "baseline"])
def test_dashboard_numbers_equal_the_runners_tables(finished, which):
    """The dashboard shows what `python -m simulation <its overrides>` computes, paired."""
    m = finished if which == "scenario" else finished.baseline
    overrides = finished.overrides if which == "scenario" else finished.baseline_overrides
    res = simulation.run(overrides)
    q, codes = m.track.quarters, m.world.locations.codes
    assert q == list(res.investment["quarter"].cat.categories)
    pairs = {"licensed": (res.investment, "licensed_projects"),
             "registered": (res.investment, "registered_bn"),
             "disbursed": (res.investment, "disbursed_bn"),
             "jobs": (res.jobs, "total_jobs"), "revenue": (res.revenue, "collected_bn")}
    for series, (table, col) in pairs.items():
        expected = _by_quarter_location(table, col, q, codes)
        np.testing.assert_allclose(m.track.array(series, m.world.locations.n), expected,
                                   rtol=1e-12, atol=1e-9, err_msg=series)


def test_scenario_and_baseline_agree_until_the_levers_start(finished):
    snap = snapshot(finished)
    before = [i for i, q in enumerate(snap.quarters) if parse_quarter(q) < parse_quarter(
        LEVER_START)]
    after = [i for i in range(len(snap.quarters)) if i not in before]
    for s in snap.scenario:
        np.testing.assert_array_equal(snap.scenario[s][before], snap.baseline[s][before])
    assert not np.array_equal(snap.scenario["licensed"][after], snap.baseline["licensed"][after])


def test_headline_numbers_are_partner_totals(finished):
    snap = snapshot(finished)
    p = finished.world.locations.partners
    got = {m.key: m for m in headline_numbers(snap)}
    sc, bl = finished.track, finished.baseline.track
    for key, how in (("licensed", "sum"), ("registered", "sum"), ("disbursed", "sum"),
                     ("revenue", "sum"), ("jobs", "last")):
        for track, value in ((sc, got[key].scenario), (bl, got[key].baseline)):
            arr = track.array(key, finished.world.locations.n)[:, p]
            assert value == pytest.approx(arr.sum() if how == "sum" else arr[-1].sum())
    reg = got["registered"]
    assert reg.difference == pytest.approx(reg.scenario - reg.baseline)
    assert reg.percent == pytest.approx(100 * reg.difference / reg.baseline)
    code, diff = largest_gain(snap)
    assert code in [finished.world.locations.codes[i] for i in p] and diff != 0


def test_baseline_is_its_own_pair_and_stepping_past_the_end_does_nothing():
    m = DashboardModel(n_agents=N, horizon="2025Q4")
    assert m.baseline is m and m.track.quarters == []  # spin-up quarters are not shown
    while m.running:
        m.step()
    n = len(m.track.quarters)
    assert m.track.quarters[-1] == "2025Q4" and n == len(m.horizon_quarters)
    m.step()
    assert len(m.track.quarters) == n
    assert all(x.difference == 0 for x in headline_numbers(snapshot(m)))


@pytest.mark.parametrize("name", simulation.config.compose.available_scenarios())
def test_every_project_scenario_builds_with_extra_levers(name):
    m = DashboardModel(scenario_name=name, agreement_budget=1.0, n_agents=2000)
    assert m.error is None, m.error
    assert m.cfg.scenario.name == name and m.cfg.scenario.agreements[-1].budget_bn_per_year == 1
    assert m.baseline is not m and m.baseline.cfg.time.end == m.cfg.time.end
    m.step()
    assert m.track.quarters == [m.horizon_quarters[0]]


def test_bad_scenario_file_is_one_clear_line_not_a_crash(scenario_dir):
    m = DashboardModel(scenario_name="broken", n_agents=N, scenario_dir=scenario_dir)
    assert m.error.startswith("scenario/broken.yaml: unknown config key 'budgt'; allowed keys")
    assert "budget_bn_per_year" in m.error and "\n" not in m.error
    assert not m.running
    m.step()  # the buttons may still ask: nothing happens
    m2 = DashboardModel(scenario_name="nowhere", n_agents=N)
    assert "unknown scenario 'nowhere'" in m2.error


def test_model_params_are_keyword_arguments_of_the_model():
    params = model_params("en", None, 7)
    sig = inspect.signature(DashboardModel.__init__).parameters
    assert set(params) <= set(sig)
    # Mesa's SolaraViz replaces a `scenario` argument with its own Scenario object
    assert "scenario" not in sig and "scenario" not in params
    for name, p in params.items():
        if isinstance(p, dict):
            assert p["value"] in p["values"], name
            assert sig[name].default == p["value"] or name == "seed", name


# ------------------------------------------------------------------ texts and figures
def test_texts_exist_in_both_languages_in_nfc():
    for key, (en, vn) in PHRASES.items():
        assert en and vn, key
        assert unicodedata.is_normalized("NFC", tr(key, "vi")), key
    assert tr("jobs", "vi") == "Việc làm trong quý (người)"


def test_place_names_are_vietnamese_with_diacritics(inputs):
    vi_names = location_names(inputs.locations, "vi")
    en_names = location_names(inputs.locations, "en")
    assert vi_names["nghe_an"] == en_names["nghe_an"] == "Nghệ An"
    assert vi_names["thua_thien_hue"] == "Thừa Thiên Huế"
    assert en_names["north_far"] == "Rest of the North"
    assert vi_names["north_far"] == "Phía Bắc còn lại"
    assert all(unicodedata.is_normalized("NFC", n) for n in vi_names.values())


def test_number_formats():
    assert fmt(1234567.891, "en", 1) == "1,234,567.9"
    assert fmt(1234567.891, "vi", 1) == "1.234.567,9"
    assert fmt(12.0, "en", signed=True) == "+12" and fmt(-0.2, "en", signed=True) == "0"
    assert fmt(float("nan"), "en") == "–"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_charts_render(finished, lang):
    snap = snapshot(finished)
    names = location_names(finished.inputs.locations, lang)
    assert _png_size(charts.province_bars(snap, names, lang)) == (1200, 430)
    assert _png_size(charts.time_series(snap, lang)) == (1200, 350)
    assert _png_size(charts.location_map(snap, names, lang)) == (640, 940)


# ------------------------------------------------------------------ set-up and launcher
def test_asset_list_covers_what_the_installed_solara_loads():
    import ipyvuetify
    import solara
    from solara.server import settings

    assert int(ipyvuetify.__version__.split(".")[0]) < 3  # the Vue 2 front end
    root = Path(solara.__file__).parent
    page = (root / "server" / "templates" / "solara.html.j2").read_text()
    grid = (root / "widgets" / "vue" / "gridlayout.vue").read_text()
    wanted = {r for r in assets.referenced_packages(page) if "vuetify3" not in r}
    wanted |= assets.referenced_packages(grid)
    wanted.add(re.match(r"/([^/]+@[^/]+)/", settings.assets.fontawesome_path).group(1))
    assert wanted == set(assets.PACKAGES)
    assert assets.missing() == [], "run `make dashboard-assets` (npm registry, once)"


@pytest.mark.cli
def test_launcher_rejects_bad_input_with_one_line(tmp_path):
    root = Path(__file__).resolve().parent.parent
    r = run_cli(["--scenario-dir", str(tmp_path)], cwd=root, module="simulation.dashboard")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("error: --scenario-dir=") and "scenario/<name>.yaml" in r.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = run_cli(["--port", str(port)], cwd=root, module="simulation.dashboard")
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    r = run_cli(["--seed", "-3"], cwd=root, module="simulation.dashboard")
    assert r.returncode == 2 and r.stderr == "error: --seed=-3 is out of range; allowed 0 or more\n"
