"""The posterior of the model: its summaries, the error model, the shipped defaults and draws."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from simulation.analysis.abc import Generation, Prior
from simulation.analysis.moments import TARGETS, Z90, error_scale, standardised
from simulation.analysis.posterior import (
    coverage_table,
    identifiability,
    summary,
    synthetic_facts,
)
from simulation.config.keys import resolve
from simulation.config.schema import CalibrateConfig, CompareConfig, RunConfig
from simulation.runs.draws import load_draws

from .conftest import ROOT

POSTERIOR = ROOT / "experiments" / "posterior"


def test_standardised_errors_use_the_side_of_the_band():
    t = TARGETS[0]  # licensed a year in Nghệ An: 1.9 in 1.0–4.0
    lo, hi = error_scale(t)
    assert lo == pytest.approx((t.central - t.low) / Z90)
    z = standardised({t.moment: t.low}, [t])
    assert z[0] == pytest.approx(-Z90)  # the band's edge is 1.645 σ away on its own side
    assert standardised({t.moment: t.high}, [t])[0] == pytest.approx(Z90)
    assert np.isinf(standardised({}, [t])[0])


def test_synthetic_facts_follow_the_split_normal_error_model():
    rng = np.random.default_rng(1)
    m = np.array([t.central for t in TARGETS])
    facts = pd.DataFrame([synthetic_facts(m, rng) for _ in range(20000)])
    for t in TARGETS:
        lo, hi = error_scale(t)
        above = facts[t.moment] > t.central
        assert above.mean() == pytest.approx(lo / (lo + hi), abs=0.015), t.moment
        gap = (facts.loc[above, t.moment] - t.central).mean()
        assert gap == pytest.approx(lo * np.sqrt(2 / np.pi), rel=0.05), t.moment


def test_summary_contraction_and_classes():
    prior = Prior(("a", "b"), (0.0, 0.0), (1.0, 1.0))
    rng = np.random.default_rng(0)
    theta = np.column_stack([rng.normal(0.5, 0.05, 4000), rng.uniform(0, 1, 4000)])
    g = Generation(1, theta, np.zeros((4000, 1)), np.zeros(4000), 1.0, np.full(4000, 1 / 4000))
    s = summary(g, prior).set_index("parameter")
    assert s.loc["a", "contraction"] == pytest.approx(1 - 0.05 ** 2 * 12, abs=0.01)
    assert s.loc["a", "identifiability"] == "identified"
    assert abs(s.loc["b", "contraction"]) < 0.05
    assert s.loc["b", "identifiability"] == "not identified"
    assert s.loc["a", "q25"] < s.loc["a", "median"] < s.loc["a", "q75"]
    assert identifiability(0.3) == "weakly identified"


def test_coverage_table_counts_and_expected_ranges():
    cov = pd.DataFrame({"parameter": ["a"] * 10, "in50": [True] * 5 + [False] * 5,
                        "in90": [True] * 9 + [False], "cdf": np.linspace(0.05, 0.95, 10),
                        "ess": 50.0})
    row = coverage_table(cov).iloc[0]
    assert row["coverage50"] == 0.5 and row["coverage90"] == 0.9
    assert row["expected90"] == "0.70–1.00"
    assert row["cdf_ks_p"] > 0.5


# --------------------------------------------------------------------------- what is shipped


def _calibrated_keys() -> list[str]:
    cfg = OmegaConf.load(ROOT / "configs" / "calibrate.yaml")
    return [p["key"] for p in cfg.parameters]


def test_shipped_defaults_are_the_posterior_median():
    run = json.loads((POSTERIOR / "run.json").read_text(encoding="utf-8"))
    keys = _calibrated_keys()
    assert sorted(k.removeprefix("params.") for k in run["median"]) == sorted(keys)
    for key, median in run["median"].items():
        value, meta = resolve(RunConfig(), key)
        assert value == pytest.approx(median, rel=5e-3), key
        assert "posterior median, ABC-SMC" in meta["source"], key


def test_comparisons_run_over_the_posterior_draws_by_default():
    from simulation.apps.calibrate_abc import INSTALLED_DRAWS

    path = CompareConfig().parameter_draws
    assert ROOT / path == INSTALLED_DRAWS  # what calibrate install=true writes
    draws = load_draws(str(ROOT / path))
    assert len(draws) >= 100
    assert sorted(draws[0]) == sorted(_calibrated_keys())
    summary_ = pd.read_csv(POSTERIOR / "summary.csv").set_index("parameter")
    table = pd.DataFrame(draws)
    for key in table.columns:  # the draws are the posterior's: medians agree
        lo, hi = summary_.loc[f"params.{key}", ["q25", "q75"]]
        assert lo <= table[key].median() <= hi, key


@pytest.mark.slow
def test_calibrate_app_writes_a_posterior_folder(tmp_path):
    from simulation.apps.calibrate_abc import run_abc

    cfg = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(CalibrateConfig), {
        "parameters": [{"key": "utility.xi_province", "low": 0.0, "high": 1.0},
                       {"key": "lifecycle.realisation_share", "low": 0.6, "high": 0.8}],
        "params": {"firms": {"n_agents": 3000}}, "replications": 2, "workers": 2,
        "progress": False, "seed": 3,
        # min_ess = all particles: generation 0 cannot stop the run, so generation 1 runs
        "abc": {"reference": 6, "population": 6, "generations": 1, "min_ess": 6.0,
                "chunk": 3, "draws": 5, "coverage_datasets": 2, "folder": str(tmp_path),
                "draws_file": str(tmp_path / "draws.csv")}}))
    est = run_abc(cfg)
    assert len(est["generations"]) == 2
    for name in ("posterior.csv", "summary.csv", "correlations.csv", "coverage.csv",
                 "coverage_summary.csv", "report.md", "run.json", "fingerprint.json",
                 "figures/marginals.png",
                 "figures/predictive.png", "figures/coverage.png"):
        assert (tmp_path / name).is_file(), name
    draws = load_draws(str(tmp_path / "draws.csv"))
    assert len(draws) == 5 and set(draws[0]) == {"utility.xi_province",
                                                 "lifecycle.realisation_share"}
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert set(run["median"]) == {"params.utility.xi_province",
                                  "params.lifecycle.realisation_share"}
    assert "## Coverage check" in (tmp_path / "report.md").read_text(encoding="utf-8")
    # a second run reads every simulation from the history (resume) and gives the same draws
    first = (tmp_path / "draws.csv").read_text(encoding="utf-8")
    run_abc(cfg)
    assert (tmp_path / "draws.csv").read_text(encoding="utf-8") == first


def test_backcast_figure_marks_a_failed_fact(tmp_path):
    from simulation.figures.posterior import facts_figure
    from simulation.figures.style import save_figure

    facts = pd.DataFrame({"fact": ["passes", "fails"], "observed": [3.0, float("nan")],
                          "model_mean": [2.5, 9.0], "model_p05": [1.0, 7.0],
                          "model_p95": [4.0, 11.0], "band": ["1–6", "0–5"],
                          "pass": [True, False]})
    fig = facts_figure(facts, "note")
    shown = [ax for ax in fig.axes if ax.get_visible()][:2]
    assert [ax.get_facecolor()[:3] != (1.0, 1.0, 1.0) for ax in shown] == [False, True]
    save_figure(fig, tmp_path / "backcast", ("png",))
    assert (tmp_path / "backcast.png").stat().st_size > 10_000


def test_a_history_of_another_run_is_refused_not_resumed(tmp_path):
    from simulation.analysis.abc import Settings
    from simulation.analysis.posterior import check_history, history_signature
    from simulation.errors import ConfigError

    prior = Prior(("params.utility.xi_province",), (-0.5,), (1.5,))
    sig = history_signature(prior, Settings(), ["params.firms.n_agents=10000"], [1, 2])
    check_history(tmp_path / "history", sig)  # a new folder: signed
    check_history(tmp_path / "history", sig)  # the same run: resumes
    wider = Prior(prior.names, (-1.5,), (1.5,))
    with pytest.raises(ConfigError, match=r"abc.folder: .*another run \(its prior differ"):
        check_history(tmp_path / "history", history_signature(
            wider, Settings(), ["params.firms.n_agents=10000"], [1, 2]))
    unsigned = tmp_path / "old" / "history"
    unsigned.mkdir(parents=True)
    (unsigned / "gen0_0000.parquet").write_bytes(b"")
    with pytest.raises(ConfigError, match="without a signature"):
        check_history(unsigned, sig)
