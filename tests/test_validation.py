"""Validation indicators: closed-form oracles, bands that can fail, and one small real run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.validation import (
    FACTS,
    PATTERNS,
    facts_table,
    gravity_share,
    pattern_values,
    patterns_table,
    pause_slope,
    run_values,
    troubled,
)
from simulation.model.records import Results


def test_pause_slope_is_the_weighted_least_squares_slope():
    km = pd.Series({"a": np.e, "b": np.e ** 2, "c": np.e ** 3, "hcmc": 20.0})
    # shares 0.1, 0.2, 0.3 on ln km 1, 2, 3: slope 0.1 exactly; HCMC and small places ignored
    t = pd.DataFrame({"size": [10, 20, 10, 500, 2], "sum": [1, 4, 3, 500, 2]},
                     index=["a", "b", "c", "hcmc", "d"])
    assert pause_slope(t, km) == pytest.approx(0.1)
    assert np.isnan(pause_slope(t.loc[["a", "b"]], km))  # fewer than three places


def test_gravity_share_is_mass_over_distance_to_the_elasticity():
    loc = pd.DataFrame({"role": ["origin", "partner", "province"],
                        "grdp_bn": [1e6, 100.0, 100.0]}, index=["hcmc", "p", "q"])
    km = pd.Series({"hcmc": 20.0, "p": 1000.0, "q": 100.0})
    expected = 1000.0 ** -0.9 / (1000.0 ** -0.9 + 100.0 ** -0.9)
    assert gravity_share(loc, km, ["p"]) == pytest.approx(expected)


def test_troubled_counts_pauses_and_terminations_after_licensing_only():
    ev = pd.DataFrame({
        "project": [1, 1, 1, 2, 2, 3, 4, 4],
        "site": ["x", "x", "x", "x", "x", "y", "y", "y"],
        "from_state": ["proposal", "licensed", "construction", "proposal", "licensed",
                       "proposal", "proposal", "licensed"],
        "to_state": ["licensed", "construction", "paused", "licensed", "construction",
                     "terminated", "licensed", "terminated"]})
    t = troubled(_results(ev))
    assert t.loc["x"].tolist() == [2, 1]  # two licensed, one paused
    assert t.loc["y"].tolist() == [1, 1]  # project 3 dropped out before licensing


def _results(ev: pd.DataFrame) -> Results:
    empty = pd.DataFrame()
    return Results(investment=empty, projects=empty, jobs=empty, revenue=empty, ties=empty,
                   locations=empty, events=ev)


def test_bands_exclude_the_value_without_the_pattern():
    """A pattern that passes at zero (or at any value) cannot fail: none may."""
    without = {"stuck_baseline": 0.0, "stuck_agreement": 0.0, "pause_distance_slope_low": 0.0,
               "troubled_share": 0.0, "large_modern_share": 0.0, "partner_to_gravity": 1.0,
               "na_jobs_per_project_2022": 0.0, "agreement_effect_na": 10.0}
    for p in PATTERNS:
        assert not p.low <= without[p.key] <= p.high, p.key
    for f in FACTS:
        assert not f.low <= 0.0 <= f.high, f.key


def test_tables_report_means_intervals_and_verdicts():
    rng = np.random.default_rng(0)

    def rows(shift: float) -> list[dict]:
        out = []
        for _ in range(40):
            r = {f.key: f.observed if np.isfinite(f.observed) else 0.8 for f in FACTS}
            r.update(stuck=0.9, pause_distance_slope=0.02 + 0.005 * rng.standard_normal(),
                     troubled_share=0.3, large_modern_share=0.01, partner_to_gravity=0.5,
                     na_jobs_per_project_2022=900.0)
            r["na_licensed_2023_24"] = 3.0 + shift
            out.append(r)
        return out

    base, factual = rows(0.0), rows(1.0)
    facts = facts_table(factual).set_index("key")
    assert facts.loc["na_licensed_2023_24", "model_mean"] == pytest.approx(4.0)
    assert facts.loc["na_licensed_2023_24", "error"] == pytest.approx(1.0)
    assert facts["pass"].all()
    pats = patterns_table(base, factual).set_index("key")
    assert pats["pass"].all()
    assert pats.loc["agreement_effect_na", "value"] == pytest.approx(1.0)
    assert pattern_values(base, factual)["agreement_effect_na"].tolist() == [1.0] * 40
    # a slope whose interval reaches 0 fails even though its mean is positive
    for r in base:
        r["pause_distance_slope"] = 0.001 + 0.05 * rng.standard_normal()
    assert not patterns_table(base, factual).set_index("key").loc["pause_distance_slope_low",
                                                                   "pass"]


def test_run_values_of_a_real_run(small_run):
    v = run_values(small_run)
    for key in ("na_licensed_2023_24", "na_valid_projects_2024", "stuck", "troubled_share",
                "partner_to_gravity", "budget_per_worker_2024", "home_jobs_per_project_2024"):
        assert np.isfinite(v[key]), key
    assert 0.0 <= v["stuck"] <= 1.0 and 0.0 <= v["troubled_share"] <= 1.0
    assert v["na_valid_projects_2024"] > 0  # the stock anchored on the sourced count
    assert "part:licensed" in v
