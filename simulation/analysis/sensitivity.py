"""Global sensitivity analysis with SALib: Morris screening, then Sobol indices.

A study (:class:`Study`, read from YAML by :func:`load_study`, every entry checked against the
config schema) names the uncertain parameters ``params.*`` with their ranges, what is measured
(the partner KPIs' levels, their paired differences between scenarios and a baseline, or the
calibration moments), the common overrides, the seeds and the sample sizes; policy levers
(``scenario.*``) are refused as parameters.
:func:`run` screens every parameter with Morris elementary effects, keeps the influential ones
and estimates their first- and total-order Sobol indices with bootstrap confidence intervals.
It takes any evaluator ``f(X, keys) → Y`` (one column per output), so the same code runs the
model (:class:`~simulation.analysis.evaluate.ModelEvaluator`, on the project's replication pool)
and, in the tests, an analytic function with known indices (Ishigami).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simulation.analysis.evaluate import OUTPUT_KINDS, ModelEvaluator
from simulation.analysis.kpis import RUN_KPIS
from simulation.config.compose import available_scenarios
from simulation.config.keys import KeyNotFound, resolve
from simulation.config.schema import RunConfig
from simulation.errors import ConfigError

__all__ = ["ModelEvaluator", "Result", "Study", "check_parameter", "evaluator", "load_study",
           "morris", "run", "select", "sobol"]

# --------------------------------------------------------------------------- the study

# Smallest Sobol base sample. On the Ishigami function (20 sampling seeds) the median of the
# largest error of S1 and ST is 0.64 at 4 points, 0.21 at 32, 0.12 at 64 and 0.09 at 128, and
# estimates outside [0, 1] become rarer as the sample grows (docs/researchers_guide.md).
MIN_SOBOL_N = 64
INDEX_TOLERANCE = 0.05  # an estimate this far outside [0, 1] is reported


@dataclass
class Study:
    """A Morris-then-Sobol study."""

    parameters: dict[str, tuple[float, float]]  # key → (low, high)
    kpis: list[str] = field(default_factory=lambda: list(RUN_KPIS))
    outputs: str = "kpis"  # kpis (levels or differences) or moments (calibration moments)
    scenarios: list[str] = field(default_factory=list)  # differences scenario − baseline
    baseline: str = "baseline"
    overrides: list[str] = field(default_factory=list)  # applied to every run
    seeds: list[int] = field(default_factory=lambda: [2023])  # same seeds for every sample
    morris_trajectories: int = 10
    morris_levels: int = 4
    threshold: float = 0.25  # keep a parameter if μ*/max μ* ≥ this for some KPI
    max_selected: int = 8
    sobol_n: int = 128  # base sample size (a power of 2)
    sobol_stage: bool = True  # false: Morris screening only
    resamples: int = 1000  # bootstrap resamples for the confidence intervals
    confidence: float = 0.95
    sampling_seed: int = 12345

    def problem(self, keys: list[str] | None = None) -> dict[str, Any]:
        """The SALib problem dict for all parameters or a subset."""
        keys = list(keys or self.parameters)
        return {"num_vars": len(keys), "names": keys,
                "bounds": [list(self.parameters[k]) for k in keys]}


def _field_meta(key: str) -> tuple[Any, tuple[float | None, float | None]]:
    """Default value and allowed range of a schema key such as ``params.utility.theta_info``."""
    try:
        obj, meta = resolve(RunConfig(), key)
    except KeyNotFound as exc:
        if not exc.allowed:
            raise ConfigError(f"{key}: not a parameter of the schema") from None
        raise ConfigError(f"unknown parameter '{key}'; allowed under "
                          f"'{key.rsplit('.', 1)[0]}': {', '.join(exc.allowed)}") from None
    if isinstance(obj, bool) or not isinstance(obj, int | float):
        raise ConfigError(f"{key}: not a numeric parameter (default {obj!r})")
    return obj, meta.get("range", (None, None))


def check_parameter(key: str, bounds: Any) -> tuple[float, float]:
    """Validate one uncertain parameter and its range; return ``(low, high)``."""
    if key.startswith("scenario."):
        raise ConfigError(f"{key} is a policy lever; a sensitivity study varies the uncertain "
                          "parameters params.* only")
    if not key.startswith("params."):
        raise ConfigError(f"{key}: uncertain parameters live under params.*")
    _, (lo, hi) = _field_meta(key)
    if (not isinstance(bounds, list | tuple) or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)):
        raise ConfigError(f"{key}: range {bounds!r} must be [low, high] numbers")
    low, high = float(bounds[0]), float(bounds[1])
    if not low < high:
        raise ConfigError(f"{key}: range [{low}, {high}] must have low < high")
    if (lo is not None and low < lo) or (hi is not None and high > hi):
        raise ConfigError(f"{key}: range [{low}, {high}] leaves the allowed [{lo}, {hi}]")
    return low, high


def load_study(path: str | Path) -> Study:
    """Read and check a study file.

    Raises:
        ConfigError: unreadable file, unknown key, lever, bad range or unknown KPI.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read study file {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ConfigError(f"{path}: needs a 'parameters' mapping of params.* keys to "
                          "[low, high]")
    allowed = {f.name for f in dataclasses.fields(Study)}
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"{path}: unknown entry '{key}'; allowed: "
                              + ", ".join(sorted(allowed)))
    raw["parameters"] = {k: check_parameter(k, v) for k, v in raw["parameters"].items()}
    for kpi in raw.get("kpis", []):
        if kpi not in RUN_KPIS:
            raise ConfigError(f"{path}: unknown KPI '{kpi}'; allowed: {', '.join(RUN_KPIS)}")
    study = Study(**raw)
    if study.sobol_n < 2 or study.sobol_n & (study.sobol_n - 1):
        raise ConfigError(f"{path}: sobol_n={study.sobol_n} must be a power of 2")
    if study.outputs not in OUTPUT_KINDS:
        raise ConfigError(f"{path}: outputs={study.outputs!r}; allowed: "
                          + ", ".join(OUTPUT_KINDS))
    known = available_scenarios()
    for name in [study.baseline, *study.scenarios]:
        if name not in known:
            raise ConfigError(f"{path}: unknown scenario {name!r}; available: "
                              + ", ".join(known))
    if study.outputs == "moments" and study.scenarios:
        raise ConfigError(f"{path}: outputs=moments measures the calibration moments of one "
                          "scenario; drop 'scenarios'")
    if len(study.seeds) < 1:
        raise ConfigError(f"{path}: seeds must list at least one seed")
    if study.sobol_stage and study.sobol_n < MIN_SOBOL_N:
        raise ConfigError(f"{path}: sobol_n={study.sobol_n} is too small for Sobol indices; "
                          f"allowed: a power of 2 from {MIN_SOBOL_N} (with fewer points the "
                          "estimates fall outside [0, 1])")
    return study


def evaluator(study: Study, workers: int | None = None, progress: bool = True
              ) -> ModelEvaluator:
    """The model evaluator a study describes (use it as a context manager)."""
    return ModelEvaluator(study.overrides, study.kpis, study.seeds, workers, progress,
                          scenarios=study.scenarios, baseline=study.baseline,
                          kind=study.outputs)


def implausible_indices(sobol_table: pd.DataFrame, tolerance: float = INDEX_TOLERANCE
                        ) -> list[str]:
    """One line per output whose Sobol estimates leave [0, 1] by more than ``tolerance``.

    Indices are shares of variance: an estimate below 0 or above 1 means the sample is too
    small for that output (or the output is nearly constant), not a property of the model.
    """
    out: list[str] = []
    if sobol_table.empty:  # a screening-only study has no Sobol indices
        return out
    for output, rows in sobol_table.groupby("output", sort=False):
        worst = [f"{col}={v:.2f} for {p}" for col in ("S1", "ST")
                 for p, v in zip(rows["parameter"], rows[col], strict=True)
                 if v < -tolerance or v > 1 + tolerance]
        if worst:
            out.append(f"Sobol indices of {output} outside [0, 1] ({', '.join(worst[:3])}): "
                       "the sample is too small for this output; raise sobol_n")
    return out


# --------------------------------------------------------------------------- Morris, then Sobol

Evaluator = Callable[..., np.ndarray]


@dataclass
class Result:
    """Tables of a study: Morris per (output, parameter), the selection, Sobol indices."""

    morris: pd.DataFrame
    selected: list[str]
    sobol: pd.DataFrame
    samples: dict[str, pd.DataFrame]  # "morris"/"sobol" → X and Y of every point


def _frame(X: np.ndarray, Y: np.ndarray, keys: list[str], outputs: list[str]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame(X, columns=keys), pd.DataFrame(Y, columns=outputs)], axis=1)


def _defined(Y: np.ndarray) -> np.ndarray:
    """Outputs with undefined values (e.g. the average size of no project) set to the median.

    An undefined value carries no information on the effect of a parameter step; the median of
    its output makes that step's elementary effect small instead of poisoning the whole column.
    """
    Y = np.array(Y, dtype=float)
    for j in range(Y.shape[1]):
        bad = ~np.isfinite(Y[:, j])
        if bad.any() and not bad.all():
            Y[bad, j] = np.median(Y[~bad, j])
    return Y


def morris(study: Study, evaluate: Evaluator, outputs: list[str]
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Morris elementary effects of every parameter on every output.

    Returns:
        A table with columns output, parameter, mu_star, mu_star_conf, sigma, mu,
        mu_star_rel (μ* divided by the largest μ* of that output), and the samples.
    """
    problem = study.problem()
    keys = problem["names"]
    X = morris_sample.sample(problem, N=study.morris_trajectories,
                             num_levels=study.morris_levels, seed=study.sampling_seed)
    Y = _defined(np.atleast_2d(evaluate(X, keys, "Morris")))
    rows = []
    for j, name in enumerate(outputs):
        si = morris_analyze.analyze(problem, X, Y[:, j], num_resamples=study.resamples,
                                    conf_level=study.confidence, num_levels=study.morris_levels,
                                    seed=study.sampling_seed)
        top = float(np.nanmax(si["mu_star"])) or 1.0
        for i, key in enumerate(keys):
            rows.append({"output": name, "parameter": key, "mu_star": si["mu_star"][i],
                         "mu_star_conf": si["mu_star_conf"][i], "sigma": si["sigma"][i],
                         "mu": si["mu"][i], "mu_star_rel": si["mu_star"][i] / top})
    return pd.DataFrame(rows), _frame(X, Y, keys, outputs)


def select(morris_table: pd.DataFrame, threshold: float, max_selected: int) -> list[str]:
    """Parameters whose μ* is at least ``threshold`` × the largest μ* for some output.

    At most ``max_selected``, the most influential first (by their largest relative μ*).
    """
    best = morris_table.groupby("parameter")["mu_star_rel"].max().sort_values(ascending=False)
    return list(best[best >= threshold].index[:max_selected])


def sobol(study: Study, keys: list[str], evaluate: Evaluator, outputs: list[str]
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First- and total-order Sobol indices with bootstrap intervals (Saltelli/Jansen)."""
    problem = study.problem(keys)
    X = sobol_sample.sample(problem, study.sobol_n, calc_second_order=False,
                            seed=study.sampling_seed)
    Y = _defined(np.atleast_2d(evaluate(X, keys, "Sobol")))
    rows = []
    for j, name in enumerate(outputs):
        si = sobol_analyze.analyze(problem, Y[:, j], calc_second_order=False,
                                   num_resamples=study.resamples, conf_level=study.confidence,
                                   seed=study.sampling_seed)
        for i, key in enumerate(keys):
            rows.append({"output": name, "parameter": key, "S1": si["S1"][i],
                         "S1_conf": si["S1_conf"][i], "ST": si["ST"][i],
                         "ST_conf": si["ST_conf"][i]})
    return pd.DataFrame(rows), _frame(X, Y, keys, outputs)


def run(study: Study, evaluate: Evaluator, outputs: list[str]) -> Result:
    """Morris on all parameters, then Sobol on the selected ones (the others at defaults)."""
    m, m_samples = morris(study, evaluate, outputs)
    chosen = select(m, study.threshold, study.max_selected)
    m["selected"] = m["parameter"].isin(chosen)
    if not chosen or not study.sobol_stage:  # nothing influential, or screening only
        return Result(m, chosen, pd.DataFrame(columns=["output", "parameter", "S1", "S1_conf",
                                                   "ST", "ST_conf"]), {"morris": m_samples})
    s, s_samples = sobol(study, chosen, evaluate, outputs)
    return Result(m, chosen, s, {"morris": m_samples, "sobol": s_samples})
