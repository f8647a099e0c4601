"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), resumable on disk.

The posterior it targets: independent uniform priors on a box, and an error model between the
model's summaries and the facts. The simulator returns *standardised errors* ``z`` (one per
summary: ``(moment − fact) / σ``, see :func:`simulation.analysis.moments.standardised`); the
likelihood of the facts is the Gaussian kernel ``K_ε(z) = exp(−‖z‖² / (2ε²))`` averaged over
the model's chance. With ``ε = 1`` this is the exact posterior under the stated error model
(Wilkinson 2013, "Approximate Bayesian computation (ABC) gives exact results under the assumption
of model error"); larger ε are the tempering steps on the way.

Algorithm (population Monte Carlo, Beaumont et al. 2009, with kernel weights instead of a hard
threshold, and the tolerance chosen after each generation's simulations, as in the adaptive
schemes of Del Moral et al. 2012):

1. Generation 0 draws ``reference`` parameter vectors from the prior and simulates each (this
   prior sample is also the reference table of :func:`importance_posterior`).
2. Generation ``t ≥ 1`` draws ``population`` vectors from the previous weighted population,
   each moved by a Gaussian kernel with twice the population's weighted covariance (redrawn
   until it lies in the prior's box), and simulates each.
3. Every particle's weight is ``π(θ) K_ε(z) / q(θ)``, ``q`` the mixture it was drawn from (the
   prior in generation 0); the box truncation of ``q`` is a constant and cancels.
4. ε of the generation is the smallest value ≥ ``eps_final`` whose weights keep an effective
   sample size (ESS) of at least ``ess_share`` of the particles; the run stops after the first
   generation at ``eps_final`` with ESS ≥ ``min_ess``, or after ``generations``.

Nothing is rejected, so every simulation counts. Proposals come from a ``SeedSequence`` of
(seed, generation), so a run is reproducible and can resume: each chunk of simulations is
written to ``<folder>/gen<t>_<chunk>.parquet`` as it completes, and a restarted run reads the
chunks it finds (checking that their parameters are the ones it would draw) instead of
simulating them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from simulation.io import write_parquet

#: simulator: parameter matrix (n × k), a label → standardised errors (n × m) and extra
#: columns to store (n × anything; e.g. the raw moments)
Simulator = Callable[[np.ndarray, str], tuple[np.ndarray, pd.DataFrame]]


@dataclass(frozen=True)
class Prior:
    """Independent uniform priors on a box."""

    names: tuple[str, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (n × k)."""
        lo, hi = np.asarray(self.low), np.asarray(self.high)
        return lo + (hi - lo) * rng.random((n, len(self.names)))

    def inside(self, X: np.ndarray) -> np.ndarray:
        """Whether each row lies in the box."""
        X = np.atleast_2d(X)
        return np.all((X >= np.asarray(self.low)) & (X <= np.asarray(self.high)), axis=1)

    @property
    def sd(self) -> np.ndarray:
        """Prior standard deviations (uniform: width / √12)."""
        return (np.asarray(self.high) - np.asarray(self.low)) / np.sqrt(12.0)


@dataclass
class Settings:
    """Sizes and stopping rule of an ABC-SMC run."""

    reference: int = 600  # generation 0: prior draws (also the coverage reference table)
    population: int = 400  # particles of each later generation
    generations: int = 6  # at most, after generation 0
    eps_final: float = 1.0  # the error model's own scale: the exact posterior under it
    ess_share: float = 0.4  # ε is lowered while the ESS stays above this share
    min_ess: float = 150.0  # stop once a generation at eps_final keeps this ESS
    chunk: int = 50  # simulations per stored chunk (resume granularity)
    seed: int = 20230325


@dataclass
class Generation:
    """One generation: particles, standardised errors, weights and its ε."""

    t: int
    theta: np.ndarray  # (n × k)
    z: np.ndarray  # (n × m)
    log_q: np.ndarray  # log proposal density (up to a constant)
    eps: float
    weights: np.ndarray  # normalised
    extra: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ess(self) -> float:
        """Effective sample size of the weights (Kish)."""
        return float(1.0 / np.sum(self.weights ** 2))


def log_kernel(z: np.ndarray, eps: float) -> np.ndarray:
    """``log K_ε(z)``; an undefined summary (NaN or inf) gives −inf."""
    z = np.atleast_2d(z)
    d2 = np.sum(np.where(np.isfinite(z), z, np.inf) ** 2, axis=1)
    return -0.5 * d2 / eps ** 2


def normalise(log_w: np.ndarray) -> np.ndarray:
    """Normalised weights from log weights (all −inf: uniform)."""
    if not np.any(np.isfinite(log_w)):
        return np.full(len(log_w), 1.0 / len(log_w))
    w = np.exp(log_w - np.max(log_w))
    return w / w.sum()


def ess(w: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    return float(1.0 / np.sum(w ** 2))


def choose_eps(z: np.ndarray, log_base: np.ndarray, eps_final: float, share: float,
               eps_cap: float = 1e6) -> float:
    """The smallest ε ≥ ``eps_final`` whose weights keep ESS ≥ ``share`` × particles."""
    n = len(z)

    def gap(eps: float) -> float:
        return ess(normalise(log_base + log_kernel(z, eps))) - share * n

    if gap(eps_final) >= 0:
        return eps_final
    if gap(eps_cap) < 0:
        return eps_cap
    return float(brentq(gap, eps_final, eps_cap, xtol=1e-6 * eps_final, rtol=1e-6))


def weighted_cov(theta: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted covariance of the particles (k × k)."""
    mean = w @ theta
    d = theta - mean
    return (d * w[:, None]).T @ d / max(1.0 - np.sum(w ** 2), 1e-12)


def _log_mixture(theta: np.ndarray, centres: np.ndarray, w: np.ndarray, cov: np.ndarray
                 ) -> np.ndarray:
    """Log Σ_j w_j N(θ; centre_j, cov) for every row of θ (without the constant)."""
    inv = np.linalg.inv(cov)
    out = np.empty(len(theta))
    log_w = np.log(np.maximum(w, 1e-300))
    for i, x in enumerate(theta):
        d = x - centres
        e = -0.5 * np.einsum("ij,jk,ik->i", d, inv, d) + log_w
        mx = e.max()
        out[i] = mx + np.log(np.exp(e - mx).sum())
    return out


def propose(prior: Prior, prev: Generation, n: int, rng: np.random.Generator
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` moved particles from the previous population, inside the prior's box.

    Returns:
        The particles, the log density of the (untruncated) proposal mixture at each, and the
        kernel covariance (twice the weighted covariance, Beaumont et al. 2009).
    """
    cov = 2.0 * weighted_cov(prev.theta, prev.weights)
    cov += np.diag((1e-9 * prior.sd) ** 2)  # a degenerate population stays invertible
    chol = np.linalg.cholesky(cov)
    out = np.empty((0, prev.theta.shape[1]))
    while len(out) < n:
        idx = rng.choice(len(prev.weights), size=2 * n, p=prev.weights)
        cand = prev.theta[idx] + rng.standard_normal((2 * n, cov.shape[0])) @ chol.T
        out = np.vstack([out, cand[prior.inside(cand)]])
    out = out[:n]
    return out, _log_mixture(out, prev.theta, prev.weights, cov), cov


class Store:
    """The chunks and generations of a run in a folder (Parquet), for resuming and reading."""

    def __init__(self, folder: Path | str | None, names: tuple[str, ...]):
        self.folder = None if folder is None else Path(folder)
        self.names = names

    def chunk(self, t: int, c: int) -> pd.DataFrame | None:
        """A stored chunk, or None."""
        if self.folder is None:
            return None
        path = self.folder / f"gen{t}_{c:04d}.parquet"
        return pd.read_parquet(path) if path.is_file() else None

    def save_chunk(self, t: int, c: int, df: pd.DataFrame) -> None:
        """Store a finished chunk."""
        if self.folder is not None:
            write_parquet(self.folder / f"gen{t}_{c:04d}.parquet", df)

    def save_generation(self, g: Generation) -> None:
        """Store a finished generation (particles, errors, weights, ε)."""
        if self.folder is None:
            return
        df = generation_frame(g, self.names)
        write_parquet(self.folder / f"population_{g.t}.parquet", df)


def generation_frame(g: Generation, names: tuple[str, ...]) -> pd.DataFrame:
    """A generation as one table: parameters, errors z_*, weight, log_q, ε and extras."""
    df = pd.DataFrame(g.theta, columns=list(names))
    for j in range(g.z.shape[1]):
        df[f"z_{j}"] = g.z[:, j]
    df["weight"] = g.weights
    df["log_q"] = g.log_q
    df["eps"] = g.eps
    df["generation"] = g.t
    return pd.concat([df, g.extra.reset_index(drop=True)], axis=1)


def _simulate(theta: np.ndarray, simulate: Simulator, store: Store, t: int, chunk: int,
              progress: Callable[[str], None]) -> tuple[np.ndarray, pd.DataFrame]:
    """Simulate in chunks, reading chunks already stored (resume)."""
    zs, extras = [], []
    names = list(store.names)
    for c, start in enumerate(range(0, len(theta), chunk)):
        part = theta[start:start + chunk]
        stored = store.chunk(t, c)
        if stored is not None and np.allclose(stored[names].to_numpy(), part, rtol=0,
                                              atol=1e-12):
            zcols = sorted((k for k in stored.columns if k.startswith("z_")),
                           key=lambda k: int(k[2:]))
            zs.append(stored[zcols].to_numpy())
            extras.append(stored.drop(columns=names + zcols))
            continue
        z, extra = simulate(part, f"generation {t}, chunk {c + 1}")
        df = pd.DataFrame(part, columns=names)
        for j in range(z.shape[1]):
            df[f"z_{j}"] = z[:, j]
        store.save_chunk(t, c, pd.concat([df, extra.reset_index(drop=True)], axis=1))
        zs.append(z)
        extras.append(extra.reset_index(drop=True))
        progress(f"generation {t}: {min(start + chunk, len(theta))}/{len(theta)} simulated")
    return np.vstack(zs), pd.concat(extras, ignore_index=True)


def abc_smc(prior: Prior, simulate: Simulator, settings: Settings,
            folder: Path | str | None = None,
            progress: Callable[[str], None] = lambda s: None) -> list[Generation]:
    """Run (or resume) ABC-SMC; return every generation, the posterior last.

    Args:
        prior: the uniform box.
        simulate: parameters → standardised errors and extra columns (see :data:`Simulator`).
        settings: sizes, tolerance rule and seed.
        folder: where chunks and populations are stored (None: nowhere, no resume).
        progress: receives one line per finished chunk and generation.
    """
    store = Store(folder, prior.names)
    gens: list[Generation] = []
    for t in range(settings.generations + 1):
        rng = np.random.default_rng(np.random.SeedSequence([settings.seed, t]))
        if t == 0:
            theta = prior.sample(rng, settings.reference)
            log_q = np.zeros(len(theta))
        else:
            theta, log_q, _ = propose(prior, gens[-1], settings.population, rng)
        z, extra = _simulate(theta, simulate, store, t, settings.chunk, progress)
        log_base = -log_q  # uniform prior: π is constant on the box
        eps = choose_eps(z, log_base, settings.eps_final, settings.ess_share)
        if gens:
            eps = min(eps, gens[-1].eps)  # tolerances never rise
        w = normalise(log_base + log_kernel(z, eps))
        g = Generation(t, theta, z, log_q, eps, w, extra)
        gens.append(g)
        store.save_generation(g)
        progress(f"generation {t}: ε = {eps:.3g}, ESS = {g.ess:.0f} of {len(w)}")
        if eps <= settings.eps_final and g.ess >= settings.min_ess:
            break
    return gens


# --------------------------------------------------------------------------- summaries


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """Quantiles of weighted samples (the inverse of the weighted step CDF, midpoint rule)."""
    order = np.argsort(x)
    x, w = np.asarray(x)[order], np.asarray(w)[order]
    cdf = np.cumsum(w) - 0.5 * w
    cdf /= np.sum(w)
    return np.interp(q, cdf, x)


def resample(w: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``n`` equally weighted draws (systematic resampling)."""
    positions = (rng.random() + np.arange(n)) / n
    idx = np.searchsorted(np.cumsum(w), positions)
    return np.minimum(idx, len(w) - 1)


def importance_posterior(theta: np.ndarray, z: np.ndarray, eps: float = 1.0) -> np.ndarray:
    """Posterior weights of prior draws (a reference table) given their errors z (ε = 1)."""
    return normalise(log_kernel(z, eps))


def posterior_cdf_at(theta: np.ndarray, w: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """The posterior CDF at the true value, per parameter (uniform if the posterior is right).

    Ties between a draw and the truth count half, so the value is well defined for discrete
    (duplicated) samples.
    """
    below = (theta < truth).astype(float) + 0.5 * (theta == truth)
    return w @ below
