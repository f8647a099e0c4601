"""ABC-SMC against a posterior known in closed form, its resume, and the coverage check.

The toy model: two parameters with a uniform prior on [−4, 4]², summaries ``s = θ + N(0, τ²)``,
facts ``c`` and the error model of the calibration (``z = s − c`` in units of σ = 1, Gaussian
kernel at ε = 1). The exact posterior is then N(c, 1 + τ²) per parameter (truncated to the box,
which is negligible here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.abc import (
    Prior,
    Settings,
    abc_smc,
    choose_eps,
    ess,
    importance_posterior,
    log_kernel,
    normalise,
    posterior_cdf_at,
    resample,
    weighted_quantile,
)

FACTS = np.array([0.5, -1.0])
TAU = 0.3
PRIOR = Prior(("a", "b"), (-4.0, -4.0), (4.0, 4.0))


class Toy:
    """s = θ + noise; returns z = s − c; counts its calls."""

    def __init__(self, seed: int = 0, facts: np.ndarray = FACTS):
        self.rng = np.random.default_rng(seed)
        self.facts = facts
        self.calls = 0

    def __call__(self, theta: np.ndarray, label: str) -> tuple[np.ndarray, pd.DataFrame]:
        self.calls += len(theta)
        s = theta + TAU * self.rng.standard_normal(theta.shape)
        return s - self.facts, pd.DataFrame({"s_a": s[:, 0], "s_b": s[:, 1]})


SETTINGS = Settings(reference=500, population=500, generations=5, min_ess=200, chunk=100,
                    seed=3)


def _summary(gen):
    mean = gen.weights @ gen.theta
    sd = np.sqrt(gen.weights @ (gen.theta - mean) ** 2)
    return mean, sd


def test_abc_smc_recovers_the_closed_form_posterior():
    gens = abc_smc(PRIOR, Toy(), SETTINGS)
    post = gens[-1]
    assert post.eps == pytest.approx(1.0)  # the exact error model was reached
    assert post.ess >= SETTINGS.min_ess
    assert [g.eps for g in gens] == sorted((g.eps for g in gens), reverse=True)
    mean, sd = _summary(post)
    exact_sd = np.sqrt(1 + TAU ** 2)
    np.testing.assert_allclose(mean, FACTS, atol=4 * exact_sd / np.sqrt(post.ess))
    np.testing.assert_allclose(sd, exact_sd, rtol=0.15)
    # the weighted median and the 5–95 % interval are those of the normal
    med = [weighted_quantile(post.theta[:, j], post.weights, 0.5) for j in range(2)]
    np.testing.assert_allclose(med, FACTS, atol=0.25)
    q05, q95 = (weighted_quantile(post.theta[:, 0], post.weights, q) for q in (0.05, 0.95))
    assert q95 - q05 == pytest.approx(2 * 1.6449 * exact_sd, rel=0.2)


def test_same_seed_same_posterior_and_resume_reads_the_stored_chunks(tmp_path):
    first = abc_smc(PRIOR, Toy(seed=1), SETTINGS, folder=tmp_path)

    def must_not_run(theta, label):
        raise AssertionError(f"simulated again: {label}")

    again = abc_smc(PRIOR, must_not_run, SETTINGS, folder=tmp_path)  # everything on disk
    assert len(again) == len(first)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a.theta, b.theta)
        np.testing.assert_array_equal(a.weights, b.weights)
    # an interrupted run: drop the last generation's last chunk; only it is simulated again
    last = sorted(tmp_path.glob(f"gen{first[-1].t}_*.parquet"))[-1]
    last.unlink()
    toy = Toy(seed=1)
    resumed = abc_smc(PRIOR, toy, SETTINGS, folder=tmp_path)
    assert toy.calls == SETTINGS.chunk
    np.testing.assert_array_equal(resumed[-1].theta, first[-1].theta)
    assert (tmp_path / f"population_{first[-1].t}.parquet").is_file()


def test_tolerance_keeps_the_ess_share_and_never_goes_below_its_floor():
    rng = np.random.default_rng(0)
    z = 3 * rng.standard_normal((400, 3))
    eps = choose_eps(z, np.zeros(400), 1.0, 0.4)
    assert eps > 1.0
    assert ess(normalise(log_kernel(z, eps))) == pytest.approx(160, rel=1e-3)
    assert choose_eps(0.01 * z, np.zeros(400), 1.0, 0.4) == 1.0
    assert np.isneginf(log_kernel(np.array([[np.nan, 0.0]]), 1.0)[0])


def test_weighted_quantile_and_resampling():
    x = np.array([3.0, 1.0, 2.0, 4.0])
    w = np.full(4, 0.25)
    assert weighted_quantile(x, w, 0.5) == pytest.approx(2.5)
    idx = resample(np.array([0.5, 0.25, 0.25, 0.0]), 8, np.random.default_rng(1))
    assert np.bincount(idx, minlength=4).tolist() == [4, 2, 2, 0]


def test_importance_posterior_is_calibrated_on_the_toy():
    """The coverage check's method: ranks of the truth are uniform when the posterior is right."""
    rng = np.random.default_rng(7)
    ref = PRIOR.sample(rng, 4000)
    ref_s = ref + TAU * rng.standard_normal(ref.shape)
    cdf = []
    for _ in range(200):
        truth = PRIOR.sample(rng, 1)[0]
        facts = truth + TAU * rng.standard_normal(2) + rng.standard_normal(2)  # + error
        w = importance_posterior(ref, ref_s - facts)
        cdf.append(posterior_cdf_at(ref, w, truth))
    cdf = np.asarray(cdf)
    inside50 = np.mean(np.abs(cdf - 0.5) < 0.25)
    inside90 = np.mean(np.abs(cdf - 0.5) < 0.45)
    assert inside50 == pytest.approx(0.5, abs=0.08)
    assert inside90 == pytest.approx(0.9, abs=0.05)
