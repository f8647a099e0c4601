"""Decision variables → scenario levers under a budget: closed forms of the encoding."""

import pytest
from omegaconf import OmegaConf

from simulation.analysis.packages import (
    READINESS_PER_DX,
    Space,
    check_space,
    decode,
    planned_budget,
    scenario_dict,
    scenario_of,
)
from simulation.config.compose import compose
from simulation.config.decide import LeverSpace, PackageBudget
from simulation.config.params import CostConfig
from simulation.config.scenario import ScenarioConfig
from simulation.errors import ConfigError
from simulation.runs.runner import prepare

PROV = ("p1", "p2", "p3")
FIELDS = ("f1", "f2")


def space(dx_gap=(), **kw):
    levers = LeverSpace(**{k: v for k, v in kw.items() if k in LeverSpace.__dataclass_fields__})
    budget = PackageBudget(**{k: v for k, v in kw.items()
                              if k in PackageBudget.__dataclass_fields__})
    return Space(levers, budget, CostConfig(), PROV, FIELDS, "2025Q4", dx_gap)


def point(sp, **values):
    x = {v.name: (v.choices[0] if v.choices else 0.5) for v in sp.variables()}
    x.update(values)
    return x


def test_the_budget_is_split_by_use_and_province_and_spent_in_full():
    sp = space(cap_bn_per_year=120.0, split_fields=True)
    x = point(sp, **{"use.agreements": 1.0, "use.promotions": 1.0, "use.digital": 0.0,
                     "use.land": 2.0, "province.p1": 1.0, "province.p2": 1.0,
                     "province.p3": 2.0, "field.f1": 3.0, "field.f2": 1.0})
    p = decode(sp, x)
    assert p.use_shares == {"agreements": 0.25, "promotions": 0.25, "digital": 0.0,
                            "land": 0.5}
    assert p.province_shares == {"p1": 0.25, "p2": 0.25, "p3": 0.5}
    assert p.planned_total_bn == pytest.approx(120.0)
    # p3 gets 120 × 0.25 × 0.5 = 15 bn for agreements: 3/4 to f1, 1/4 to f2
    ag = {(a["provinces"][0], a["fields"][0]): a["budget_bn_per_year"]
          for a in p.levers["agreements"]}
    assert ag[("p3", "f1")] == pytest.approx(11.25) and ag[("p3", "f2")] == pytest.approx(3.75)
    # promotion: 7.5 bn in p1 at 0.5 bn an event; land: 15 bn in p1 at 1.5 bn a hectare
    promo = {e["provinces"][0]: e["events_per_year"] for e in p.levers["promotions"]}
    land = {e["provinces"][0]: e["hectares_per_year"] for e in p.levers["land"]}
    assert promo["p1"] == pytest.approx(15.0) and land["p1"] == pytest.approx(10.0)
    assert "digital" not in p.levers and "incentives" not in p.levers


def test_equal_shares_without_a_split_and_one_agreement_entry_per_province():
    sp = space(cap_bn_per_year=90.0, split_provinces=False, uses=["agreements"])
    p = decode(sp, point(sp, **{"use.agreements": 0.3}))
    assert [v.name for v in sp.variables()] == ["use.agreements"]
    assert [(a["provinces"], a["fields"], a["budget_bn_per_year"])
            for a in p.levers["agreements"]] == [([c], ["all"], 15.0) for c in PROV]
    assert p.planned_total_bn == pytest.approx(90.0)


def test_all_zero_weights_mean_equal_shares_and_the_total_can_be_searched():
    sp = space(cap_bn_per_year=100.0, search_total=True)
    x = point(sp, total=0.4, **{f"use.{u}": 0.0 for u in sp.levers.uses},
              **{f"province.{c}": 0.0 for c in PROV})
    p = decode(sp, x)
    assert set(p.use_shares.values()) == {0.25}
    assert p.total_bn == pytest.approx(40.0)
    # amounts are rounded down (to 0.01 ha, 1e-5 of DX gain...): never above the budget
    assert 40.0 - 0.05 < p.planned_total_bn <= 40.0


def test_dx_gain_is_capped_at_one_and_the_unspent_money_is_not_planned():
    sp = space(cap_bn_per_year=3000.0, uses=["digital"], split_provinces=False)
    p = decode(sp, point(sp))
    gains = [d["dx_gain_per_year"] for d in p.levers["digital"]]
    assert gains == [1.0, 1.0, 1.0]  # 1000 bn each would buy a gain of 5 a year
    assert p.planned_bn["digital"] == pytest.approx(3 * 200.0)  # 1.0 / 0.01 × 2 bn
    small = decode(space(cap_bn_per_year=12.0, uses=["digital"], split_provinces=False),
                   point(sp))
    d = small.levers["digital"][0]
    assert d["dx_gain_per_year"] == pytest.approx(0.02)  # 4 bn / (2 bn per 0.01)
    assert d["firm_readiness_gain_per_year"] == pytest.approx(0.02 * READINESS_PER_DX)
    # priced on the province's open gap, as the model prices DX: half the gap, twice the gain
    half = decode(space(dx_gap=(0.5, 1.0, 1.0), cap_bn_per_year=12.0, uses=["digital"],
                        split_provinces=False), point(sp))
    assert [d["dx_gain_per_year"] for d in half.levers["digital"]] == pytest.approx(
        [0.04, 0.02, 0.02])
    assert half.planned_total_bn == pytest.approx(12.0)


def test_incentives_are_searched_only_when_asked():
    sp = space(uses=[], cit_regimes=["none", "special"], capex_subsidy_max_pct=10.0)
    assert [v.name for v in sp.variables()][-2:] == ["cit_regime", "capex_subsidy_pct"]
    p = decode(sp, point(sp, cit_regime="special", capex_subsidy_pct=2.345))
    assert p.levers["incentives"] == [{"provinces": ["all"], "sectors": ["all"],
                                       "start": "2023Q2", "end": "2025Q4",
                                       "cit_regime": "special", "capex_subsidy_pct": 2.35}]
    assert "incentives" not in decode(sp, point(sp, cit_regime="none",
                                                capex_subsidy_pct=0.0)).levers


@pytest.mark.parametrize("kw, message", [
    ({"uses": ["roads"]}, "levers.uses contains unknown 'roads'"),
    ({"uses": ["land", "land"]}, "names a budget line twice"),
    ({"cit_regimes": ["generous"]}, "levers.cit_regimes contains unknown 'generous'"),
    ({"incentive_sectors": ["mining"]}, "levers.incentive_sectors contains unknown 'mining'"),
    ({"uses": []}, "nothing to search"),
])
def test_a_bad_lever_space_fails_with_one_line(kw, message):
    with pytest.raises(ConfigError) as err:
        check_space(LeverSpace(**kw), list(PROV), list(FIELDS), ["agri_food"])
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_package_written_as_a_file_composes_to_the_same_scenario(inputs, tmp_path):
    loc = inputs.locations
    partners = tuple(loc.index[loc["role"] == "partner"])
    sp = Space(LeverSpace(split_fields=True, cit_regimes=["special"]), PackageBudget(),
               CostConfig(), partners, tuple(inputs.fields.index), "2025Q4")
    p = decode(sp, point(sp, **{"province.nghe_an": 1.0, "field.investment": 0.9}))
    base = prepare(compose(["scenario=agreement_2025"]))[0]
    sc = scenario_of(base.scenario, p, "pkg_test", "a package")
    assert len(sc.agreements) == 1 + len(p.levers["agreements"])  # the base's kept
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "pkg_test.yaml").write_text(
        OmegaConf.to_yaml(OmegaConf.create(scenario_dict(sc))), encoding="utf-8")
    rc, _ = prepare(compose([f'hydra.searchpath=["file://{tmp_path}"]', "scenario=pkg_test"]))
    assert rc.scenario == sc


def test_planned_budget_of_a_hand_written_scenario(inputs):
    loc = inputs.locations
    partners = tuple(loc.index[loc["role"] == "partner"])
    gaps = tuple(1.0 - loc.loc[list(partners), "dx_index"])
    sp = Space(LeverSpace(), PackageBudget(), CostConfig(), partners,
               tuple(inputs.fields.index), "2025Q4", gaps)
    rc = prepare(compose(["scenario=full_package"]))[0]
    got = planned_budget(rc.scenario, sp)
    (digital,) = rc.scenario.digital
    (promotion,) = rc.scenario.promotions
    (land,) = rc.scenario.land
    n_fields = len(inputs.fields)
    assert got["agreements"] == pytest.approx(
        sum(a.budget_bn_per_year for a in rc.scenario.agreements) * 9 * n_fields)
    assert got["promotions"] == pytest.approx(promotion.events_per_year * 0.5 * 9)
    assert got["digital"] == pytest.approx(digital.dx_gain_per_year / 0.01 * 2.0 * sum(gaps))
    assert got["land"] == pytest.approx(land.hectares_per_year * 1.5 * 9)
    assert planned_budget(ScenarioConfig(), sp) == {u: 0.0 for u in got}


def test_no_point_of_the_space_plans_more_than_the_budget():
    import numpy as np

    sp = space(cap_bn_per_year=137.0, split_fields=True, search_total=True)
    rng = np.random.default_rng(5)
    for _ in range(200):
        x = {v.name: float(rng.uniform(v.low, v.high)) for v in sp.variables()}
        p = decode(sp, x)
        assert p.planned_total_bn <= p.total_bn + 1e-9
        assert p.planned_total_bn >= p.total_bn - 0.2  # only rounding is lost
