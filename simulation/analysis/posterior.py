"""The model's posterior: ABC-SMC on the pre-2023 moments, its summaries and its coverage check.

The simulator of :mod:`simulation.analysis.abc` is the model run with every calibration seed
at a parameter vector (:class:`~simulation.analysis.evaluate.ModelEvaluator`, common random
numbers), its moments pooled over the seeds and turned into standardised errors against the
targets (:func:`simulation.analysis.moments.standardised`: each band is a 90 % interval of the
error, a split normal).

The coverage check is simulation-based calibration with the prior sample of generation 0 as a
reference table: synthetic "facts" are made from parameter vectors drawn from the prior, run
with *other* seeds, plus an error drawn from the error model; each gets the importance-sampling
posterior of the reference table under the same kernel, and the posterior CDF at the true value
is recorded. Where the posterior is calibrated these values are uniform, so the 50 % and 90 %
central intervals cover the truth in 50 % and 90 % of the datasets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.abc import (
    Generation,
    Prior,
    importance_posterior,
    posterior_cdf_at,
    resample,
    weighted_quantile,
)
from simulation.analysis.evaluate import MOMENTS, ModelEvaluator
from simulation.analysis.moments import TARGETS, error_scale, standardised

#: Contraction (1 − posterior variance / prior variance) above which a parameter counts as
#: identified by the targets, and below which it is essentially prior-driven.
IDENTIFIED, WEAK = 0.5, 0.2


class MomentSimulator:
    """Parameters → standardised errors of the pooled moments (and the moments themselves).

    Args:
        evaluator: a ``kind="moments"`` evaluator (open, as a context manager).
        keys: the calibrated keys (``params.…``), in the order of the columns of θ.
        centrals: target values to compare with (default: the targets' central values).
    """

    def __init__(self, evaluator: ModelEvaluator, keys: list[str],
                 centrals: dict[str, float] | None = None):
        self.evaluator, self.keys, self.centrals = evaluator, keys, centrals

    def moments(self, theta: np.ndarray, label: str) -> np.ndarray:
        """Pooled moments (n × moments) at every row of θ."""
        return self.evaluator(theta, self.keys, label)

    def __call__(self, theta: np.ndarray, label: str) -> tuple[np.ndarray, pd.DataFrame]:
        """Standardised errors and the moments (columns ``m_<moment>``) of every row."""
        m = self.moments(theta, label)
        return to_errors(m, self.centrals), pd.DataFrame(m, columns=[f"m_{k}" for k in MOMENTS])


def to_errors(m: np.ndarray, centrals: dict[str, float] | None = None) -> np.ndarray:
    """Standardised errors of every row of a moments matrix (columns: :data:`MOMENTS`)."""
    return np.vstack([standardised(dict(zip(MOMENTS, row, strict=True)), TARGETS, centrals)
                      for row in np.atleast_2d(m)])


# --------------------------------------------------------------------------- summaries


def summary(post: Generation, prior: Prior) -> pd.DataFrame:
    """Per parameter: prior box, posterior median, 50 % and 90 % intervals, contraction, z.

    Contraction is ``1 − var_post / var_prior`` (how much the targets narrowed the prior; 0:
    not at all); the identifiability class follows :data:`IDENTIFIED` and :data:`WEAK`.
    """
    w = post.weights
    rows = []
    for j, name in enumerate(prior.names):
        x = post.theta[:, j]
        q = weighted_quantile(x, w, np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
        mean = float(w @ x)
        sd = float(np.sqrt(w @ (x - mean) ** 2))
        contraction = 1.0 - (sd / prior.sd[j]) ** 2
        rows.append({"parameter": name, "prior_low": prior.low[j], "prior_high": prior.high[j],
                     "median": q[2], "q05": q[0], "q25": q[1], "q75": q[3], "q95": q[4],
                     "mean": mean, "sd": sd, "contraction": contraction,
                     "identifiability": identifiability(contraction)})
    return pd.DataFrame(rows)


def identifiability(contraction: float) -> str:
    """``identified``, ``weakly identified`` or ``not identified`` (prior-driven)."""
    if contraction >= IDENTIFIED:
        return "identified"
    return "weakly identified" if contraction >= WEAK else "not identified"


def correlations(post: Generation, names: tuple[str, ...]) -> pd.DataFrame:
    """Weighted posterior correlation matrix."""
    w = post.weights
    d = post.theta - w @ post.theta
    cov = (d * w[:, None]).T @ d
    sd = np.sqrt(np.diag(cov))
    return pd.DataFrame(cov / np.outer(sd, sd), index=list(names), columns=list(names))


def draws(post: Generation, names: tuple[str, ...], n: int, seed: int) -> pd.DataFrame:
    """``n`` equally weighted posterior draws (systematic resampling, then shuffled)."""
    rng = np.random.default_rng(seed)
    idx = resample(post.weights, n, rng)
    rng.shuffle(idx)
    return pd.DataFrame(post.theta[idx], columns=list(names))


def medians(post: Generation, names: tuple[str, ...]) -> dict[str, float]:
    """The posterior median of every parameter (the shipped defaults)."""
    return {k: float(weighted_quantile(post.theta[:, j], post.weights, 0.5))
            for j, k in enumerate(names)}


# --------------------------------------------------------------------------- coverage


def synthetic_facts(m: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Facts generated by the error model around the model's moments ``m`` (split normal)."""
    out = {}
    for t, v in zip(TARGETS, m, strict=True):
        lo, hi = error_scale(t)
        if rng.random() < lo / (lo + hi):  # the fact lies above the model: the low side's σ
            out[t.moment] = float(v + abs(rng.normal(0.0, lo)))
        else:
            out[t.moment] = float(v - abs(rng.normal(0.0, hi)))
    return out


def coverage(reference: Generation, prior: Prior, truths: np.ndarray, truth_moments: np.ndarray,
             seed: int) -> pd.DataFrame:
    """Simulation-based calibration on the reference table (generation 0 of the ABC).

    Args:
        reference: the prior sample with its moments (extra columns ``m_*``).
        prior: the prior.
        truths: parameter vectors drawn from the prior (datasets × parameters).
        truth_moments: their moments, simulated with other seeds than the reference table.
        seed: seed of the synthetic errors.

    Returns:
        One row per dataset × parameter: the truth, the posterior CDF at the truth, the
        posterior median and 50 %/90 % intervals, whether each covers the truth, and the ESS of
        the dataset's importance weights.
    """
    rng = np.random.default_rng(seed)
    ref_m = reference.extra[[f"m_{k}" for k in MOMENTS]].to_numpy()
    rows = []
    for d, (truth, m) in enumerate(zip(truths, truth_moments, strict=True)):
        facts = synthetic_facts(m, rng)
        w = importance_posterior(reference.theta, to_errors(ref_m, facts))
        cdf = posterior_cdf_at(reference.theta, w, truth)
        n_eff = float(1.0 / np.sum(w ** 2))
        for j, name in enumerate(prior.names):
            q = weighted_quantile(reference.theta[:, j], w, np.array([0.05, 0.25, 0.5, 0.75,
                                                                      0.95]))
            rows.append({"dataset": d, "parameter": name, "truth": truth[j], "cdf": cdf[j],
                         "median": q[2], "q05": q[0], "q25": q[1], "q75": q[3], "q95": q[4],
                         "in50": bool(q[1] <= truth[j] <= q[3]),
                         "in90": bool(q[0] <= truth[j] <= q[4]), "ess": n_eff})
    return pd.DataFrame(rows)


def coverage_table(cov: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: coverage of the 50 % and 90 % intervals with binomial 90 % ranges."""
    out = []
    for name, g in cov.groupby("parameter", sort=False):
        n = len(g)
        row = {"parameter": name, "datasets": n}
        for level, col in ((0.5, "in50"), (0.9, "in90")):
            lo, hi = binomial_range(n, level)
            row[f"coverage{int(level * 100)}"] = float(g[col].mean())
            row[f"expected{int(level * 100)}"] = f"{lo:.2f}–{hi:.2f}"
        row["cdf_ks_p"] = ks_uniform_p(g["cdf"].to_numpy())
        row["median_ess"] = float(g["ess"].median())
        out.append(row)
    return pd.DataFrame(out)


def binomial_range(n: int, p: float, level: float = 0.9) -> tuple[float, float]:
    """Central ``level`` range of a binomial share with ``n`` trials and probability ``p``."""
    from scipy.stats import binom

    lo, hi = binom.ppf([(1 - level) / 2, (1 + level) / 2], n, p)
    return float(lo / n), float(hi / n)


def ks_uniform_p(u: np.ndarray) -> float:
    """p-value of a Kolmogorov–Smirnov test that ``u`` is uniform on [0, 1]."""
    from scipy.stats import kstest

    return float(kstest(u, "uniform").pvalue)


# --------------------------------------------------------------------------- the whole estimate


def history_signature(prior: Prior, settings, overrides: list[str], seeds: list[int]) -> dict:
    """What the stored simulations of a run depend on, besides the model's code."""
    import dataclasses

    return {"prior": {n: [float(lo), float(hi)] for n, lo, hi in
                      zip(prior.names, prior.low, prior.high, strict=True)},
            "settings": dataclasses.asdict(settings), "overrides": list(overrides),
            "seeds": [int(x) for x in seeds],
            "targets": [[t.moment, t.central, t.low, t.high] for t in TARGETS]}


def check_history(history, signature: dict) -> None:
    """Refuse to resume from simulations made with another prior, targets or settings.

    A folder's ``history/`` is reused chunk by chunk, so stored chunks of another run would
    silently enter this one; the signature is written with the first chunk and compared on
    every later start.
    """
    import json

    from simulation.errors import ConfigError
    from simulation.io import atomic_write_text

    path = history / "signature.json"
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored != json.loads(json.dumps(signature)):
            diff = sorted(k for k in signature if stored.get(k) != json.loads(
                json.dumps(signature[k])))
            raise ConfigError(f"abc.folder: {history} holds simulations of another run (its "
                              f"{', '.join(diff)} differ); allowed: the same settings to "
                              "resume, or another abc.folder (or delete that history/ folder)")
        return
    if history.is_dir() and any(history.glob("gen*_*.parquet")):
        raise ConfigError(f"abc.folder: {history} holds simulations without a signature "
                          "(an earlier version's run); allowed: another abc.folder, or delete "
                          "that history/ folder to start afresh")
    history.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(signature, indent=1) + "\n")


def estimate(prior: Prior, settings, overrides: list[str], seeds: list[int],
             coverage_seeds: list[int], datasets: int, folder, workers: int | None = None,
             progress: bool = True, log=print) -> dict:
    """ABC-SMC (resumable in ``folder``), then the coverage check on its reference table.

    Args:
        prior: the uniform box over the calibrated ``params.…`` keys.
        settings: :class:`simulation.analysis.abc.Settings`.
        overrides: fixed overrides of every run (e.g. the agent count).
        seeds: the calibration seeds run at every particle (common random numbers).
        coverage_seeds: other seeds, for the synthetic datasets of the coverage check.
        datasets: synthetic datasets of the coverage check (0: no check).
        folder: where the chunks, populations and the coverage runs are stored.
        workers, progress: the process pool's size and progress bars.
        log: receives one line per finished chunk and generation.

    Returns:
        ``generations`` (all, the posterior last), ``summary``, ``correlations``,
        ``coverage`` (per dataset and parameter) and ``coverage_table``, and ``runs``.
    """
    from pathlib import Path

    from simulation.analysis.abc import abc_smc
    from simulation.io import write_parquet

    keys = list(prior.names)
    folder = Path(folder)
    check_history(folder / "history", history_signature(prior, settings, overrides, seeds))
    with ModelEvaluator(overrides, [], seeds, workers, progress, kind="moments") as ev:
        gens = abc_smc(prior, MomentSimulator(ev, keys), settings, folder / "history", log)
        runs = ev.runs
    out = {"generations": gens, "summary": summary(gens[-1], prior),
           "correlations": correlations(gens[-1], prior.names), "runs": runs}
    if datasets > 0:
        path = folder / "coverage_runs.parquet"
        rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 10_000]))
        truths = prior.sample(rng, datasets)
        stored = pd.read_parquet(path) if path.is_file() else None
        if (stored is not None and {f"m_{k}" for k in MOMENTS} <= set(stored.columns)
                and len(stored) == len(truths) and np.allclose(stored[keys].to_numpy(), truths)):
            m = stored[[f"m_{k}" for k in MOMENTS]].to_numpy()
        else:
            with ModelEvaluator(overrides, [], coverage_seeds, workers, progress,
                                kind="moments") as ev:
                m = ev(truths, keys, "coverage datasets")
                out["runs"] += ev.runs
            write_parquet(path, pd.concat([pd.DataFrame(truths, columns=keys), pd.DataFrame(
                m, columns=[f"m_{k}" for k in MOMENTS])], axis=1))
        cov = coverage(gens[0], prior, truths, m, settings.seed + 1)
        out.update(coverage=cov, coverage_table=coverage_table(cov))
    return out
