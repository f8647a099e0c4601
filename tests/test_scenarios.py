"""Scenario files and policy levers: composition, documentation, direction of effects."""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.config import ScenarioConfig
from simulation.config.compose import CONFIG_DIR, available_scenarios, compose
from simulation.errors import ConfigError
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare

REQUIRED = {
    "baseline": set(),
    "agreement_2025": {"agreements", "human_capital", "potential"},
    "incentives": {"incentives"},
    "digital_transformation": {"digital"},
    "industrial_land": {"land"},
    "promotion": {"promotions"},
    "full_package": {"agreements", "human_capital", "potential", "incentives", "digital",
                     "land", "promotions"},
    "extension_2030": {"agreements", "human_capital", "potential"},
}
LEVER_GROUPS = [f.name for f in dataclasses.fields(ScenarioConfig)
                if f.name not in ("name", "description")]
SMALL = ["params.firms.n_agents=4000", "time.start=2022Q1", "time.spinup_quarters=4"]


@functools.cache
def composed(name: str):
    return prepare(compose([f"scenario={name}"]))[0]


def levers_set(rc) -> set[str]:
    return {g for g in LEVER_GROUPS if getattr(rc.scenario, g)}


def test_required_scenarios_exist():
    assert set(REQUIRED) <= set(available_scenarios())


@pytest.mark.parametrize("name", available_scenarios())
def test_every_scenario_composes_and_validates(name):
    rc = composed(name)
    assert rc.scenario.name == name  # the file name is the scenario's label everywhere
    assert name == "baseline" or rc.scenario.description != ScenarioConfig().description
    if name in REQUIRED:
        assert levers_set(rc) == REQUIRED[name]


def test_agreement_2025_covers_eight_fields_nine_partners_to_2025():
    rc, inputs = prepare(compose(["scenario=agreement_2025"]))
    (a,) = rc.scenario.agreements
    assert (a.provinces, a.fields, a.start, a.end) == (["all"], ["all"], "2023Q2", "2025Q4")
    assert len(inputs.fields) == 8
    assert (inputs.locations["role"] == "partner").sum() == 9


def test_extension_2030_sets_the_horizon_and_cli_still_wins():
    rc = composed("extension_2030")
    assert rc.time.end == "2030Q4"
    assert all(lv.end == "2030Q4" for g in ("agreements", "human_capital", "potential")
               for lv in getattr(rc.scenario, g))
    base = composed("agreement_2025")
    for g in ("agreements", "human_capital", "potential"):  # same levers, longer window
        ext = [dataclasses.replace(lv, end="2025Q4") for lv in getattr(rc.scenario, g)]
        assert ext == getattr(base.scenario, g)
    rc2, _ = prepare(compose(["scenario=extension_2030", "time.end=2027Q4"]))
    assert rc2.time.end == "2027Q4"


def test_full_package_is_the_union_of_its_parts():
    full = composed("full_package")
    for part in ("agreement_2025", "incentives", "digital_transformation", "industrial_land",
                 "promotion"):
        rc = composed(part)
        for g in levers_set(rc):
            assert getattr(full.scenario, g) == getattr(rc.scenario, g), (part, g)


def test_scenario_plus_one_lever_override():
    rc, _ = prepare(compose(["scenario=agreement_2025",
                             "scenario.agreements.0.budget_bn_per_year=4"]))
    assert rc.scenario.agreements[0].budget_bn_per_year == 4.0
    assert rc.scenario.human_capital  # the rest of the scenario is kept


@pytest.mark.parametrize("overrides, pattern", [
    (["scenario=agreement_2025", "scenario.agreementz.0.budget_bn_per_year=4"],
     r"unknown config key 'scenario.agreementz'; allowed keys under 'scenario': name, "
     r"description, agreements, incentives"),
    (["scenario=agreement_2025", "scenario.agreements.0.budgett=4"],
     r"allowed keys under 'scenario.agreements\[0\]': provinces, fields, start, end"),
    (["+scenario.subsidies=[{}]"], r"unknown config key 'scenario.subsidies'"),
    (["scenario.agreements.0.budget_bn_per_year=4"], r"scenario.agreements has no element 0"),
    (["scenario=agreement_2025", "scenario.agreements.0.budget_bn_per_year=-1"],
     r"scenario.agreements.0.budget_bn_per_year=-1.0 is out of range"),
    (["scenario.incentives=[{cit_regime: holiday}]"],
     r"cit_regime='holiday' is unknown; allowed: none, park, difficult, special"),
])
def test_bad_lever_fails_with_one_line_naming_what_is_allowed(overrides, pattern):
    with pytest.raises(ConfigError) as err:
        prepare(compose(overrides))
    assert re.search(pattern, str(err.value)), str(err.value)
    assert "\n" not in str(err.value)


def test_every_lever_and_field_is_documented():
    readme = (CONFIG_DIR / "scenario" / "README.md").read_text(encoding="utf-8")
    hints = typing.get_type_hints(ScenarioConfig)
    for group in LEVER_GROUPS:
        assert f"`{group}`" in readme, group
        (lever,) = typing.get_args(hints[group])
        for sub in dataclasses.fields(lever):
            assert f"`{sub.name}`" in readme, (group, sub.name)
    for name in available_scenarios():
        assert f"`{name}`" in readme, name


# --------------------------------------------------------------------------- directions


def _keep(res):
    return res


def _config(overrides: list[str]):
    return prepare(compose([*SMALL, "output.events=false", "output.projects=true",
                            *overrides]))[0]


@pytest.fixture(scope="module")
def lever_runs() -> dict[str, list]:
    """Every lever and its baseline on the same three seeds, in one batch of runs."""
    configs = {}
    for lever, (overrides, shared, _) in LEVERS.items():
        configs.setdefault(_baseline_of(shared), _config(shared))
        configs[lever] = _config(shared + overrides)
    jobs = make_jobs(configs, replication_seeds(11, 3))
    values, _ = run_jobs(jobs, _keep, workers=1, progress=False)
    runs: dict[str, list] = {}
    for job, res in zip(jobs, values, strict=True):
        runs.setdefault(job.scenario, []).append(res)
    return runs


def _baseline_of(shared: list[str]) -> str:
    return "baseline" + "".join(f"|{o}" for o in shared)


PARTNER_SITES = ["bac_kan", "cao_bang", "ha_nam", "ha_tinh", "nghe_an", "quang_binh",
                 "quang_tri", "thanh_hoa", "thua_thien_hue"]


def _partners(df: pd.DataFrame, res) -> pd.DataFrame:
    """The partners' rows on pre-2025 boundaries (by place), or their units (ties)."""
    if "site" in df:
        return df[df["site"].isin(PARTNER_SITES)]
    return df[df["location"].isin(res.ties["location"].unique())]


def _after(df: pd.DataFrame, q: str = "2023Q2") -> pd.DataFrame:
    return df[df["quarter"].astype(str) >= q]


def registered(res) -> float:
    return _after(_partners(res.investment, res))["registered_bn"].sum()


def at_end(table: str, col: str):
    def f(res) -> float:
        df = _partners(getattr(res, table), res)
        return df[df["quarter"] == df["quarter"].astype(str).max()][col].mean()
    return f


def modern_projects(res) -> float:
    return float(_partners(res.project_list, res)["modern"].sum())


def subsidies(res) -> float:
    return _after(_partners(res.investment, res))["capex_subsidy_bn"].sum()


def tourism_agri(res) -> float:
    inv = _after(_partners(res.investment, res))
    return inv[inv["sector"].isin(["tourism", "agri_food"])]["registered_bn"].sum()


def partner_peer_reach(res) -> float:
    net = res.network
    net = net[(net["metric"] == "share_with_peer_present") & net["node"].isin(PARTNER_SITES)]
    return float(net[net["quarter"] == net["quarter"].astype(str).max()]["value"].sum())


def partner_links(res) -> float:
    net = res.network
    net = net[(net["layer"] == "cooperation") & (net["metric"] == "degree")
              & net["node"].isin(PARTNER_SITES)]
    return float(net[net["quarter"] == net["quarter"].astype(str).max()]["value"].sum())


def hcmc_retained(res) -> float:
    rev = res.revenue
    return rev[rev["location"] == "hcmc"]["retained_bn"].sum()


def construction_starts(res) -> float:
    pr = _after(_partners(res.projects, res))
    return pr[pr["state"] == "construction"]["entered"].sum()


# parameters a lever test shares with its own baseline, where the default signal is too small
# for a few runs: scarce land (the land lever), a strong human-capital effect (modern projects)
SCARCE_LAND = ["params.land.hcmc_accessible_share=0.002"]
STRONG_MODERN = ["params.project.modern_human=8"]
STRONG_PEERS = ["params.consideration.a_peers=10", "params.information.iota_peers=1"]
# lever → (overrides, params shared with its baseline, [(indicator, direction)]); the first
# indicator is the mechanism the lever moves, the second the KPI it should move (README.md)
LEVERS = {
    "agreements": (["scenario.agreements=[{initial_strength: 0.4, budget_bn_per_year: 4}]"],
                   [], [(at_end("ties", "strength"), +1), (registered, +1)]),
    "incentives": (["scenario.incentives=[{cit_regime: special, capex_subsidy_pct: 20}]"],
                   [], [(subsidies, +1), (registered, +1)]),
    "promotions": (["scenario.promotions=[{events_per_year: 8}]"],
                   [], [(at_end("locations", "promotion"), +1), (registered, +1)]),
    "digital": (["scenario.digital=[{dx_gain_per_year: 0.5, firm_readiness_gain_per_year: "
                 "0.3}]"], [], [(at_end("locations", "dx_index"), +1), (registered, +1)]),
    "land": (["scenario.land=[{hectares_per_year: 200}]"], SCARCE_LAND,
             [(at_end("locations", "land_available_ha"), +1), (construction_starts, +1)]),
    "transport": (["scenario.transport=[{sections: [all], opening: 2023Q2}]"],
                  [], [(at_end("locations", "road_km"), -1), (registered, +1)]),
    "human_capital": (["scenario.human_capital=[{start: 2022Q1, gain_per_year: 1.0}]"],
                      STRONG_MODERN, [(at_end("locations", "human_capital"), +1),
                                      (modern_projects, +1)]),
    "potential": (["scenario.potential=[{multiplier: 3.0}]"], [], [(tourism_agri, +1)]),
    "fiscal": (["scenario.fiscal=[{provinces: [hcmc], retention_rate: 0.5}]"],
               [], [(hcmc_retained, +1)]),
    "matchmaking": (["scenario.matchmaking=[{events_per_year: 12, firms_per_event: 400}]"],
                    [], [(registered, +1)]),
    "associations": (["scenario.associations=[{events_per_year: 12, links_per_event: 8000}]"],
                     STRONG_PEERS, [(partner_peer_reach, +1), (registered, +1)]),
    "regional": (["scenario.regional=[{provinces: [all], weight: 3.0}]"],
                 [], [(partner_links, +1), (at_end("ties", "felt_strength"), +1)]),
}


def test_every_lever_group_has_a_direction_test():
    assert set(LEVERS) == set(LEVER_GROUPS)


@pytest.mark.parametrize("lever", list(LEVERS))
def test_lever_moves_its_kpi_in_the_documented_direction(lever, lever_runs):
    _, shared, checks = LEVERS[lever]
    reference = lever_runs[_baseline_of(shared)]
    for indicator, sign in checks:
        diffs = np.array([indicator(s) - indicator(b)
                          for s, b in zip(lever_runs[lever], reference, strict=True)])
        assert sign * diffs.mean() > 0, (lever, indicator.__name__, diffs)


def test_human_capital_only_flips_projects_to_modern_technology(lever_runs):
    for run, base in zip(lever_runs["human_capital"], lever_runs[_baseline_of(STRONG_MODERN)],
                         strict=True):
        new, old = run.project_list, base.project_list
        assert len(new) == len(old)  # common random numbers: the same projects
        assert (new["capital_bn"].to_numpy() == old["capital_bn"].to_numpy()).all()
        assert (new["modern"].to_numpy() >= old["modern"].to_numpy()).all()


def test_fiscal_rule_moves_money_between_budgets_not_the_economy(lever_runs):
    for run, base in zip(lever_runs["fiscal"], lever_runs["baseline"], strict=True):
        for table in ("investment", "jobs"):
            pd.testing.assert_frame_equal(getattr(run, table).drop(columns="scenario"),
                                          getattr(base, table).drop(columns="scenario"))
        assert run.revenue["collected_bn"].sum() == pytest.approx(
            base.revenue["collected_bn"].sum(), rel=1e-12)


def test_scenario_readme_lists_every_scenario_file():
    listed = set(re.findall(r"^\| `(\w+)` \|", (Path(CONFIG_DIR) / "scenario" / "README.md")
                            .read_text(encoding="utf-8"), flags=re.M))
    assert set(available_scenarios()) <= listed
