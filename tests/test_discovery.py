"""Scenario discovery: the sample, PRIM on a known box, robustness, and the command line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.analysis import discovery as dc
from simulation.apps.discover import to_discover_config
from simulation.config.compose import compose
from simulation.config.decide import DiscoverConfig, PrimConfig, Uncertainty
from simulation.errors import ConfigError

from .conftest import run_cli

TINY = ["params.firms.n_agents=2000", "time.spinup_quarters=8", "time.start=2023Q1"]


def cfg_of(overrides):
    return to_discover_config(compose(overrides, "discover"))


class _Light:
    """What PRIM and robustness read of a setup (no model needed)."""

    def __init__(self, cfg, sense="max"):
        from simulation.analysis.outcomes import OUTCOMES

        self.cfg = cfg
        self.outcome = OUTCOMES["partner_direct_jobs" if sense == "max" else "programme_cost_bn"]
        self.policies = [cfg.policy, *cfg.policies]


def test_the_latin_hypercube_puts_one_future_in_every_stratum():
    cfg = cfg_of(["futures=50"])
    f = dc.sample(cfg)
    assert list(f.columns) == [u.name for u in cfg.uncertainties] and len(f) == 50
    for u in cfg.uncertainties:
        strata = np.floor((f[u.name] - u.low) / (u.high - u.low) * 50).astype(int)
        assert sorted(strata) == list(range(50)), u.name
    pd.testing.assert_frame_equal(f, dc.sample(cfg))  # the sampling seed fixes it
    assert not f.equals(dc.sample(cfg_of(["futures=50", "sampling_seed=1"])))


def test_a_future_sets_every_key_of_an_uncertainty():
    cfg = cfg_of([])
    row = dc.sample(cfg).iloc[0]
    values = dc.future_values(cfg, row)
    for y in range(2025, 2031):
        assert values[f"params.opportunity.macro_by_year.{y}"] == row["macro_demand"]
    assert values["params.utility.theta_info"] == row["theta_info"]


@pytest.mark.parametrize("unc, message", [
    ({"name": "x", "keys": ["params.utility.theta_infos"], "low": 0.1, "high": 0.2},
     "unknown 'params.utility.theta_infos'; allowed under 'params.utility': xi_home"),
    ({"name": "x", "keys": ["scenario.agreements"], "low": 0.1, "high": 0.2},
     "deep uncertainties are behavioural parameters"),
    ({"name": "x", "keys": ["params.utility.nest_rho"], "low": 0.5, "high": 1.5},
     "range [0.5, 1.5] leaves the allowed [0.05, 1.0] of params.utility.nest_rho"),
    ({"name": "x", "keys": ["params.utility.nest_rho"], "low": 0.5, "high": 0.5},
     "must have low < high"),
    ({"name": "x", "keys": [], "low": 0.1, "high": 0.2}, "keys is empty"),
])
def test_a_bad_uncertainty_fails_with_one_line(unc, message):
    with pytest.raises(ConfigError) as err:
        dc.check_uncertainty(0, Uncertainty(**unc))
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("overrides, message", [
    (["policy=utopia"], "policy: unknown scenario 'utopia'"),
    (["policies=[baseline]"], "policies include the baseline"),
    (["outcome=jobs"], "outcome='jobs' is unknown; allowed: partner_direct_jobs"),
    (["futures=2"], "futures=2 is out of range"),
    (["uncertainties=[]"], "uncertainties is empty"),
    (["scenario_dir=/nonexistent"], "has no 'scenario' subfolder"),
])
def test_bad_discovery_settings_fail_with_one_line(overrides, message):
    with pytest.raises(ConfigError) as err:
        dc.setup(cfg_of(overrides))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_pick_reads_the_most_covering_box_dense_enough():
    traj = pd.DataFrame({"coverage": [1.0, 0.9, 0.8, 0.6, 0.4],
                         "density": [0.3, 0.5, 0.78, 0.85, 0.95]})
    assert dc.pick(traj, 0.8) == 3
    assert dc.pick(traj, 0.5) == 1
    assert dc.pick(traj, 0.99) == 4  # nothing dense enough: the densest


def test_prim_finds_a_box_that_was_planted():
    rng = np.random.default_rng(3)
    n = 300
    x = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n),
                      "c": rng.uniform(0, 1, n)})
    miss = (x["a"] > 0.6) & (x["b"] < 0.4)  # the policy fails there
    cfg = DiscoverConfig(policy="p", target=10.0, prim=PrimConfig(min_density=0.9, boxes=1),
                         uncertainties=[Uncertainty(k, [f"params.{k}"], 0.0, 1.0)
                                        for k in "abc"])
    results = x.assign(p=np.where(miss, 5.0, 20.0))
    (box,) = dc.prim_boxes(_Light(cfg), results)
    lim = box.limits.set_index("uncertainty")
    assert set(lim.index) == {"a", "b"}  # c is irrelevant and left free
    assert lim.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert lim.loc["b", "high"] == pytest.approx(0.4, abs=0.05)
    assert box.density >= 0.9 and box.coverage >= 0.9
    inside = (x["a"] >= lim.loc["a", "low"]) & (x["b"] <= lim.loc["b", "high"])
    assert box.coverage == pytest.approx((inside & miss).sum() / miss.sum())
    assert box.density == pytest.approx((inside & miss).sum() / inside.sum())
    table = dc.boxes_table([box])
    assert list(table["uncertainty"]) == list(lim.index) and (table["box"] == 1).all()


def test_a_planted_box_is_significant_and_a_box_of_noise_is_flagged():
    rng = np.random.default_rng(5)
    n = 300
    x = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n)})
    cfg = DiscoverConfig(policy="p", target=10.0, prim=PrimConfig(min_density=0.8, boxes=1),
                         uncertainties=[Uncertainty(k, [f"params.{k}"], 0.0, 1.0)
                                        for k in "ab"])
    planted = x.assign(p=np.where(x["a"] > 0.7, 5.0, 20.0))
    (box,) = dc.prim_boxes(_Light(cfg), planted)
    assert dc.caveats(box, 0.8) == []  # dense enough, and its limit on a is significant
    noise = x.iloc[:48].assign(p=rng.choice([5.0, 20.0], 48))  # misses unrelated to a, b
    (box,) = dc.prim_boxes(_Light(cfg), noise)
    warnings = dc.caveats(box, 0.8)
    assert any("quasi-p-value below 0.1" in w for w in warnings)


def test_no_box_when_the_policy_never_misses():
    cfg = DiscoverConfig(policy="p", target=0.0, uncertainties=[Uncertainty("a", ["x"], 0, 1)])
    results = pd.DataFrame({"a": np.linspace(0, 1, 20), "p": np.ones(20)})
    assert dc.prim_boxes(_Light(cfg), results) == []


def test_robustness_share_and_regret_by_hand():
    cfg = DiscoverConfig(policy="a", policies=["b", "c"], target=10.0)
    results = pd.DataFrame({"a": [12.0, 8.0, 10.0, 0.0], "b": [9.0, 11.0, 10.0, 2.0],
                            "c": [12.0, 12.0, 5.0, 1.0]})
    r = dc.robustness(_Light(cfg), results).set_index("policy")
    assert r["share_meeting_target"].to_dict() == {"a": 0.5, "b": 0.5, "c": 0.5}
    # best per future: 12, 12, 10, 2 → regrets a: 0, 4, 0, 2; b: 3, 1, 0, 0; c: 0, 0, 5, 1
    assert r["mean_regret"].to_dict() == {"a": 1.5, "b": 1.0, "c": 1.5}
    assert r["max_regret"].to_dict() == {"a": 4.0, "b": 3.0, "c": 5.0}
    assert r["best_in_share"].to_dict() == {"a": 0.5, "b": 0.5, "c": 0.5}
    # for a cost, lower is better: the target is a ceiling and regret is the excess
    low = dc.robustness(_Light(cfg, "min"), results).set_index("policy")
    assert low.loc["a", "share_meeting_target"] == 0.75
    assert low.loc["a", "mean_regret"] == pytest.approx((3 + 0 + 5 + 0) / 4)


@pytest.mark.cli
def test_discover_writes_a_complete_folder_and_the_same_seed_gives_the_same_futures(tmp_path):
    args = [*TINY, "futures=8", "replications=1", "policy=promotion",
            "policies=[agreement_2025]", "target=1000", "figure_formats=[png]",
            "progress=false"]
    folders = []
    for run in ("a", "b"):
        proc = run_cli([*args, f"output_dir={tmp_path / run}"], cwd=tmp_path,
                       module="simulation.apps.discover")
        assert proc.returncode == 0, proc.stderr
        assert "ipyparallel" not in proc.stderr
        (folder,) = (tmp_path / run).iterdir()
        folders.append(folder)
    for f in ("discovery.md", "futures.parquet", "futures.csv", "boxes.csv", "trajectory.csv",
              "robustness.csv", "config.yaml", "manifest.json", "figures/prim_boxes.png",
              "figures/prim_boxes_vi.png", "figures/robustness.png"):
        assert (folders[0] / f).is_file(), f
    a, b = (pd.read_parquet(f / "futures.parquet") for f in folders)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns[-3:]) == ["baseline_level", "promotion", "agreement_2025"]
    robust = pd.read_csv(folders[0] / "robustness.csv").set_index("policy")
    assert robust.loc["promotion", "share_meeting_target"] == pytest.approx(
        (a["promotion"] >= 1000).mean())


@pytest.mark.cli
def test_bad_discovery_input_fails_on_the_command_line_and_writes_nothing(tmp_path):
    proc = run_cli([f"output_dir={tmp_path / 'x'}", "policy=utopia"], cwd=tmp_path,
                   module="simulation.apps.discover")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: policy: unknown scenario 'utopia'")
    assert not (tmp_path / "x").exists()
