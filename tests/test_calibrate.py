"""The calibration command recovers known parameters from data the model simulated itself."""

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

import simulation
from simulation.analysis.calibration import calibrate, validate_calibrate
from simulation.analysis.moments import TARGETS, moment_parts, pool_moments
from simulation.apps.calibrate import write_outputs
from simulation.config.schema import CalibrateConfig
from simulation.errors import ConfigError
from simulation.runs.replicate import replication_seeds

from .conftest import ROOT, run_cli

SMALL = {"firms": {"n_agents": 8000}}
TIME = ["time.spinup_quarters=12", "params.firms.n_agents=8000"]
TRUE = {"utility.xi_province": 0.7, "lifecycle.realisation_share": 0.68}


def _cfg(**kw) -> CalibrateConfig:
    base = {"parameters": [{"key": "utility.xi_province", "low": 0.2, "high": 1.4},
                           {"key": "lifecycle.realisation_share", "low": 0.55, "high": 0.9}],
            "params": {**SMALL, "firms": {"n_agents": 8000}}, "replications": 4, "seed": 5,
            "design_points": 16, "refine_iterations": 30, "progress": False, "workers": 2}
    base.update(kw)
    obj = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(CalibrateConfig), base))
    assert isinstance(obj, CalibrateConfig)
    return obj


@pytest.mark.slow
def test_parameter_recovery(tmp_path, inputs):
    # "observed" moments: the model itself at known parameters. The data use the calibration's
    # own seeds (common random numbers), so the objective is exactly 0 at the truth and the test
    # checks identification and the search, not sampling noise.
    cfg = _cfg(output_dir=str(tmp_path), report_dir=str(tmp_path))
    truth = [f"params.{k}={v}" for k, v in TRUE.items()]
    data = [moment_parts(simulation.run(truth + ["params.firms.n_agents=8000",
                                                 f"seed={s}", "output.events=true"],
                                        inputs=inputs))
            for s in replication_seeds(cfg.seed, cfg.replications)]
    observed = pool_moments(data)
    cfg.targets = {k: observed[k] for k in ("licensed_per_year", "disbursed_share")}
    validate_calibrate(cfg, [t.moment for t in TARGETS])
    fit = calibrate(cfg)
    got = fit["parameters"]
    assert abs(got["utility.xi_province"] - TRUE["utility.xi_province"]) < 0.1, got
    assert abs(got["lifecycle.realisation_share"] - TRUE["lifecycle.realisation_share"]) < 0.02
    assert fit["J"] < 0.05
    paths = write_outputs(cfg, fit)
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith("# @package params") and "xi_province" in text
    draws = pd.read_csv(paths[1])
    assert list(draws.columns) == ["utility.xi_province", "lifecycle.realisation_share", "J"]
    assert len(draws) >= 2 and np.all(np.diff(draws["J"]) >= 0)
    assert "Moments at the optimum" in paths[2].read_text(encoding="utf-8")


def test_calibration_settings_are_validated():
    moments = [t.moment for t in TARGETS]
    with pytest.raises(ConfigError, match="xi_partnr.*allowed under 'params.utility'"):
        validate_calibrate(_cfg(parameters=[{"key": "utility.xi_partnr", "low": 0, "high": 1}]),
                           moments)
    with pytest.raises(ConfigError, match="allowed: 1 to 6"):
        validate_calibrate(_cfg(parameters=[{"key": f"utility.{k}", "low": 0, "high": 1}
                                            for k in ("xi_home", "xi_near", "xi_far",
                                                      "xi_province", "beta_wage",
                                                      "beta_potential", "beta_tax")]), moments)
    with pytest.raises(ConfigError, match="leaves the allowed range"):
        validate_calibrate(_cfg(parameters=[{"key": "utility.nest_rho", "low": 0.5,
                                             "high": 2}]), moments)
    with pytest.raises(ConfigError, match="unknown moment"):
        validate_calibrate(_cfg(targets={"jobs": 3.0}), moments)


@pytest.mark.cli
def test_calibrate_cli_bad_input_is_one_line(tmp_path):
    proc = run_cli(["+parameters=[{key: utility.nope, low: 0, high: 1}]",
                    f"output_dir={tmp_path}", f"report_dir={tmp_path}"], cwd=ROOT,
                   module="simulation.calibrate")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "utility.nope" in lines[0]
    assert not list(tmp_path.iterdir())
