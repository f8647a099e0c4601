"""The model's emergent gravity: distance elasticity of new-project counts, partner premium.

MODEL_SPEC §5: the distance coefficient planners and the gravity literature mean (−0.3…−1.5,
central −0.9) is the *emergent* elasticity of new-project counts with respect to road distance,
with a size control; the utility's θ must be set to hit it, and the model reports it as an
output. The partner premium is likewise measured, not assumed: the ratio of a partner's
expected count to a non-partner's at the same distance and size.

Both come from a Poisson regression (maximum likelihood by iteratively reweighted least squares)
of the count of new projects at each place outside HCMC, pooled over the runs given, on
``ln road km``, ``ln GRDP per member`` and ``ln members`` (a composite's size), with a partner
dummy for the premium.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.model.records import Results


@dataclass(frozen=True)
class Gravity:
    """Emergent gravity estimates of a set of runs."""

    elasticity: float  # of new-project counts w.r.t. road distance (GRDP and size controls)
    elasticity_se: float  # its standard error (Poisson)
    partner_premium: float  # exp(partner dummy): partner / non-partner count at equal d, size
    places: int  # places in the regression
    projects: float  # new projects counted


def poisson_fit(y: np.ndarray, X: np.ndarray, iterations: int = 200
                ) -> tuple[np.ndarray, np.ndarray]:
    """Poisson regression coefficients and standard errors (IRLS, log link).

    Args:
        y: (n,) non-negative counts.
        X: (n, k) regressors including a constant column.
    """
    beta = np.zeros(X.shape[1])
    beta[0] = np.log(max(float(y.mean()), 1e-12))
    for _ in range(iterations):
        mu = np.exp(X @ beta)
        z = X @ beta + (y - mu) / mu
        xtw = X.T * mu
        new = np.linalg.solve(xtw @ X, xtw @ z)
        if np.max(np.abs(new - beta)) < 1e-12:
            beta = new
            break
        beta = new
    mu = np.exp(X @ beta)
    cov = np.linalg.inv((X.T * mu) @ X)
    return beta, np.sqrt(np.diag(cov))


def gravity(runs: list[Results], locations: pd.DataFrame) -> Gravity:
    """The emergent distance elasticity and partner premium of a set of runs.

    Args:
        runs: runs of one scenario (their new projects are pooled).
        locations: the input locations table (role, grdp_bn, members), indexed by code.
    """
    counts: pd.Series | None = None
    for res in runs:
        inv = res.investment
        c = inv.groupby(inv["site"].astype(str))["new_projects"].sum()
        counts = c if counts is None else counts.add(c, fill_value=0.0)
    first = runs[0].locations
    first = first[first["quarter"] == first["quarter"].iloc[0]]
    km = first.groupby(first["site"].astype(str))["road_km"].mean()
    away = [c for c in locations.index if locations.loc[c, "role"] != "origin"]
    members = locations.loc[away, "members"].to_numpy(float)
    X = np.column_stack([np.ones(len(away)), np.log(km.reindex(away).to_numpy()),
                         np.log(locations.loc[away, "grdp_bn"].to_numpy(float) / members),
                         np.log(members)])
    y = counts.reindex(away).fillna(0.0).to_numpy()
    beta, se = poisson_fit(y, X)
    partner = (locations.loc[away, "role"] == "partner").to_numpy(float)
    beta_p, _ = poisson_fit(y, np.column_stack([X, partner]))
    return Gravity(float(beta[1]), float(se[1]), float(np.exp(beta_p[-1])), len(away),
                   float(y.sum()))
