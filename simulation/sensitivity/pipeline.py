"""Morris screening, selection of the influential parameters, Sobol indices (SALib).

The pipeline takes any evaluator ``f(X, keys) → Y`` (one column per output), so the same code
runs the model and, in the tests, an analytic function with known indices (Ishigami).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simulation.sensitivity.problem import Study

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
    Y = np.atleast_2d(evaluate(X, keys, "Morris"))
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
    Y = np.atleast_2d(evaluate(X, keys, "Sobol"))
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
    if not chosen:  # nothing influential: no Sobol stage
        return Result(m, [], pd.DataFrame(columns=["output", "parameter", "S1", "S1_conf",
                                                   "ST", "ST_conf"]), {"morris": m_samples})
    s, s_samples = sobol(study, chosen, evaluate, outputs)
    return Result(m, chosen, s, {"morris": m_samples, "sobol": s_samples})
