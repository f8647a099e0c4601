"""Paired scenario-minus-baseline differences with intervals across replications.

Replication ``r`` of a scenario and of the baseline share a seed (common random numbers), so
their difference ``d_r`` removes the noise the two runs have in common. Two intervals are
available for the mean difference:

* ``t`` (default): ``mean(d) ± t_{n-1} · sd(d) / √n``, the confidence interval of the expected
  difference (Monte Carlo uncertainty; it narrows as replications are added);
* ``percentile``: the empirical quantiles of the ``d_r`` themselves, the range in which the
  difference of a single pair of runs falls (it does not narrow with more replications).

Ratios of two paired differences (cost per job, a benefit–cost ratio) get Fieller's interval
(:func:`ratio_interval`): the set of ratios ``ρ`` for which ``mean(a) − ρ·mean(b)`` is not
significantly different from zero. It is unbounded when the denominator itself cannot be told
apart from zero, which is the honest answer for "cost per job" of a policy without a clear
job effect.

:func:`welch_interval` gives the interval an unpaired comparison (independent seeds) would
report, for the evidence that pairing pays off (experiments/pairing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INTERVALS = ("t", "percentile")
_KEYS = ["location", "kpi", "measure"]


def t_quantile(q: float, df: float) -> float:
    """Student's t quantile, ``scipy.stats.t.ppf(q, df)`` to the bit.

    It is what ``t.ppf`` computes (``scipy.special.stdtrit``), without importing
    ``scipy.stats`` (0.4 s of every comparison's start-up).
    """
    from scipy.special import stdtrit

    return stdtrit(df, q)


def interval(d: np.ndarray, level: float = 0.90, method: str = "t"
             ) -> tuple[np.ndarray, np.ndarray]:
    """Interval of the mean of each row of ``d`` (rows: quantities, columns: replications).

    Args:
        d: paired differences, shape (m, n) with n replications.
        level: coverage, e.g. 0.90.
        method: ``t`` or ``percentile`` (see the module docstring).

    Returns:
        Lower and upper bounds, each of shape (m,); NaN when n < 2.
    """
    d = np.atleast_2d(np.asarray(d, dtype=float))
    n = d.shape[1]
    if method not in INTERVALS:
        raise ValueError(f"interval method {method!r}; allowed: {', '.join(INTERVALS)}")
    if n < 2:
        nan = np.full(d.shape[0], np.nan)
        return nan, nan.copy()
    alpha = (1.0 - level) / 2.0
    if method == "percentile":
        lo, hi = np.quantile(d, [alpha, 1.0 - alpha], axis=1)
        return lo, hi
    mean = d.mean(axis=1)
    half = t_quantile(1.0 - alpha, n - 1) * d.std(axis=1, ddof=1) / np.sqrt(n)
    return mean - half, mean + half


def ratio_interval(a: np.ndarray, b: np.ndarray, level: float = 0.90, method: str = "t"
                   ) -> tuple[float, float]:
    """Interval of ``mean(a) / mean(b)`` from paired replications ``a_r, b_r``.

    Args:
        a, b: numerator and denominator per replication (e.g. Δ cost and Δ jobs).
        level: coverage.
        method: ``t``: Fieller's interval, from the roots of
            ``(ā − ρ b̄)² = t² (s_aa − 2ρ s_ab + ρ² s_bb)`` with the variances and covariance
            of the means; ``percentile``: quantiles of the per-replication ratios ``a_r / b_r``.

    Returns:
        ``(low, high)``; ``(-inf, inf)`` when the denominator's interval contains zero (t), NaN
        with fewer than two replications.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = a.size
    if method not in INTERVALS:
        raise ValueError(f"interval method {method!r}; allowed: {', '.join(INTERVALS)}")
    if n < 2:
        return float("nan"), float("nan")
    alpha = (1.0 - level) / 2.0
    if method == "percentile":
        with np.errstate(divide="ignore", invalid="ignore"):
            r = a / b
        lo, hi = np.quantile(r, [alpha, 1.0 - alpha])
        return float(lo), float(hi)
    t2 = t_quantile(1.0 - alpha, n - 1) ** 2
    cov = np.cov(a, b, ddof=1) / n
    s_aa, s_ab, s_bb = cov[0, 0], cov[0, 1], cov[1, 1]
    ma, mb = a.mean(), b.mean()
    qa = mb * mb - t2 * s_bb
    if qa <= 0:
        return float("-inf"), float("inf")
    qb = ma * mb - t2 * s_ab
    qc = ma * ma - t2 * s_aa
    half = np.sqrt(max(qb * qb - qa * qc, 0.0))
    return float((qb - half) / qa), float((qb + half) / qa)


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = 0.90) -> tuple[float, float]:
    """Interval of mean(a) − mean(b) for independent samples (Welch's t)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = np.sqrt(va + vb)
    if se == 0:
        diff = a.mean() - b.mean()
        return float(diff), float(diff)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = t_quantile(0.5 + level / 2.0, df) * se
    diff = a.mean() - b.mean()
    return float(diff - half), float(diff + half)


def paired_table(measures: pd.DataFrame, baseline: str, level: float = 0.90,
                 method: str = "t") -> pd.DataFrame:
    """Scenario minus baseline for every scenario, location, indicator and measure.

    Args:
        measures: long table ``scenario, replication, seed, location, kpi, measure, value``
            (from :func:`simulation.measures.measures`).
        baseline: the reference scenario.
        level: interval coverage.
        method: ``t`` or ``percentile``.

    Returns:
        Columns ``scenario, location, kpi, measure, baseline_level, scenario_level,
        difference, diff_low, diff_high, relative_change, n_replications``. Levels and the
        difference are means over replications; ``relative_change`` is the difference over the
        baseline level (NaN when the baseline level is 0).

    Raises:
        ValueError: the baseline is missing, or a replication of a scenario was run with a
            different seed than the same replication of the baseline (not paired).
    """
    scenarios = list(measures["scenario"].unique())  # in order of appearance
    if baseline not in scenarios:
        raise ValueError(f"baseline scenario {baseline!r} is not in the measures")
    wide = measures.pivot_table(index=_KEYS, columns=["scenario", "replication"],
                                values="value", aggfunc="first", observed=True, sort=False)
    seeds = (measures.drop_duplicates(["scenario", "replication"])
             .set_index(["scenario", "replication"])["seed"])
    base = wide[baseline]
    out = []
    for scenario in scenarios:
        if scenario == baseline:
            continue
        sc = wide[scenario]
        reps = [r for r in sc.columns if r in base.columns]
        for r in reps:
            if seeds[(scenario, r)] != seeds[(baseline, r)]:
                raise ValueError(
                    f"replication {r} of {scenario!r} has seed {seeds[(scenario, r)]} but the "
                    f"baseline has seed {seeds[(baseline, r)]}: the runs are not paired")
        b, s = base[reps].to_numpy(float), sc[reps].to_numpy(float)
        d = s - b
        lo, hi = interval(d, level, method)
        b_mean, diff = b.mean(axis=1), d.mean(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(b_mean != 0, diff / b_mean, np.nan)
        frame = sc.index.to_frame(index=False)
        frame.insert(0, "scenario", scenario)
        frame["baseline_level"] = b_mean
        frame["scenario_level"] = s.mean(axis=1)
        frame["difference"] = diff
        frame["diff_low"], frame["diff_high"] = lo, hi
        frame["relative_change"] = rel
        frame["n_replications"] = len(reps)
        out.append(frame)
    if not out:
        raise ValueError("nothing to compare: only the baseline scenario was run")
    return pd.concat(out, ignore_index=True)

