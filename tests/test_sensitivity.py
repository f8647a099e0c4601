"""Sensitivity pipeline: known indices of the Ishigami function, study checks, model points."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami
from scipy import stats

from simulation.analysis.kpis import RUN_KPIS, kpi_table, partner_codes
from simulation.analysis.replications import replications_needed
from simulation.analysis.sensitivity import (
    MIN_SOBOL_N,
    ModelEvaluator,
    Study,
    check_parameter,
    implausible_indices,
    load_study,
)
from simulation.analysis.sensitivity import run as run_study
from simulation.errors import ConfigError
from simulation.runs.runner import run

from .conftest import run_cli

A, B = 7.0, 0.1


def ishigami_indices():
    """Closed-form first- and total-order indices of Ishigami (Saltelli et al. 2008, §4.9)."""
    pi = math.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}


def ishigami(X, keys, label=""):
    """Ishigami of x1..x3 (absent ones at 0); x4 is a dummy with no effect."""
    cols = [X[:, keys.index(k)] if k in keys else np.zeros(len(X)) for k in ("x1", "x2", "x3")]
    return Ishigami.evaluate(np.column_stack(cols), A, B)[:, None]


def test_pipeline_recovers_ishigami_indices_and_screens_out_a_dummy():
    pi = math.pi
    study = Study(parameters={k: (-pi, pi) for k in ("x1", "x2", "x3", "x4")},
                  morris_trajectories=40, sobol_n=2048, threshold=0.1, max_selected=4,
                  resamples=200)
    result = run_study(study, ishigami, ["y"])
    assert result.selected == ["x1", "x2", "x3"] or set(result.selected) == {"x1", "x2", "x3"}
    dummy = result.morris.set_index("parameter").loc["x4"]
    assert dummy["mu_star"] == 0 and not dummy["selected"]
    sobol = result.sobol.set_index("parameter")
    for key, (s1, st) in ishigami_indices().items():
        assert sobol.loc[key, "S1"] == pytest.approx(s1, abs=0.05), key
        assert sobol.loc[key, "ST"] == pytest.approx(st, abs=0.05), key
        # the bootstrap interval covers the true value
        assert abs(sobol.loc[key, "ST"] - st) <= sobol.loc[key, "ST_conf"] + 0.01, key


@pytest.mark.parametrize(("key", "bounds", "message"), [
    ("scenario.agreements", [0, 1], "is a policy lever"),
    ("params.utility.theta_infoo", [0, 1], "unknown parameter 'params.utility.theta_infoo'"),
    ("params.information.iota_dx", [0.2, 0.9], "leaves the allowed [0.0, 0.65]"),
    ("params.utility.theta_info", [0.5, 0.5], "must have low < high"),
    ("params.utility.theta_info", ["a", 1], "must be [low, high] numbers"),
    ("seed", [1, 2], "uncertain parameters live under params.*"),
])
def test_study_refuses_bad_parameters(key, bounds, message):
    with pytest.raises(ConfigError, match=None) as err:
        check_parameter(key, bounds)
    assert message in str(err.value)


@pytest.mark.cli
def test_study_file_errors_are_one_line_with_exit_code_2(tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text("parameters:\n  scenario.promotions: [0, 1]\n")
    proc = run_cli([str(study), "--out", str(tmp_path / "o")], cwd=tmp_path,
                   module="simulation.sensitivity")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: scenario.promotions is a policy lever; a sensitivity study varies the "
        "uncertain parameters params.* only"]
    study.write_text("parameters:\n  params.utility.theta_info: [0.2, 0.8]\nsobol_n: 100\n")
    with pytest.raises(ConfigError, match="sobol_n=100 must be a power of 2"):
        load_study(study)


def test_model_points_equal_plain_runs_with_the_same_seed():
    overrides = ["params.firms.n_agents=3000"]
    kpis = list(RUN_KPIS)
    X = np.array([[0.5, 0.5], [0.9, 0.2]])
    keys = ["params.utility.theta_info", "params.information.iota_dx"]
    with ModelEvaluator(overrides, kpis, seeds=[7], workers=1) as ev:
        Y = ev(X, keys)
    partners = partner_codes()
    for row, y in zip(X, Y, strict=True):
        res = run([*overrides, "seed=7", f"{keys[0]}={row[0]}", f"{keys[1]}={row[1]}"])
        expected = kpi_table(res.tables(), partners)[kpis].to_numpy()[0]
        np.testing.assert_allclose(y, expected, rtol=1e-12)
    assert not np.allclose(Y[0], Y[1])  # the parameters matter


@pytest.mark.parametrize("cv", [0.05, 0.3, 0.7])
@pytest.mark.parametrize("h", [0.1, 0.05])
def test_replications_needed_is_the_smallest_r_meeting_the_precision(cv, h):
    r = replications_needed(cv, h)

    def half_width(n):
        return stats.t.ppf(0.975, n - 1) * cv / math.sqrt(n)

    assert half_width(r) <= h
    assert r == 2 or half_width(r - 1) > h


def test_a_sobol_sample_too_small_for_indices_is_refused(tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text("parameters:\n  params.utility.theta_info: [0.2, 0.8]\nsobol_n: 4\n")
    with pytest.raises(ConfigError) as err:
        load_study(study)
    assert f"sobol_n=4 is too small for Sobol indices; allowed: a power of 2 from " \
           f"{MIN_SOBOL_N}" in str(err.value)
    study.write_text(f"parameters:\n  params.utility.theta_info: [0.2, 0.8]\n"
                     f"sobol_n: {MIN_SOBOL_N}\n")
    assert load_study(study).sobol_n == MIN_SOBOL_N


def test_indices_outside_zero_one_are_named_in_one_line_per_output():
    pi = math.pi
    study = Study(parameters={k: (-pi, pi) for k in ("x1", "x2", "x3")}, sobol_n=4,
                  morris_trajectories=4, threshold=0.0, resamples=50)
    result = run_study(study, ishigami, ["y"])  # 4 points: far too few for Ishigami
    table = result.sobol.assign(output="y")
    lines = implausible_indices(table)
    outside = ((table[["S1", "ST"]] < -0.05) | (table[["S1", "ST"]] > 1.05)).any().any()
    assert bool(lines) == bool(outside)
    good = table.assign(S1=0.3, ST=0.6)
    assert implausible_indices(good) == []
    bad = good.copy()
    bad.loc[bad.index[0], "S1"] = -0.22
    (line,) = implausible_indices(bad)
    assert line.startswith(f"Sobol indices of y outside [0, 1] (S1=-0.22 for "
                           f"{bad['parameter'].iloc[0]}):")
