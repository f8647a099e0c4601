"""The main KPIs of a run, for sweeps, sensitivity analysis and replication counts.

Each KPI is one number per run, computed from the tidy tables over the recorded horizon:

- ``registered_partners_bn``: capital registered by HCMC investors' licensed projects in the
  nine partner provinces, summed over the horizon (bn VND);
- ``licensed_partners``: projects licensed in the partners over the horizon (projects);
- ``total_jobs_partners``: direct and indirect jobs in the partners at the last quarter
  (persons);
- ``retained_partners_bn``: budget revenue retained by the partners' budgets, summed over the
  horizon (bn VND).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

KPIS = {
    "registered_partners_bn": "registered capital in partners, total (bn VND)",
    "licensed_partners": "projects licensed in partners, total",
    "total_jobs_partners": "jobs in partners at the end (persons)",
    "retained_partners_bn": "revenue retained by partners, total (bn VND)",
}
RUN_KEYS = ["scenario", "replication", "seed"]


def partner_codes(inputs=None) -> list[str]:
    """Location codes of the partner provinces (from the shipped data by default)."""
    if inputs is None:
        from simulation.data import load_inputs

        inputs = load_inputs()
    loc = inputs.locations
    return list(loc.index[loc["role"] == "partner"])


def kpi_table(tables: Mapping[str, pd.DataFrame], partners: list[str],
              by: list[str] | None = None) -> pd.DataFrame:
    """One row per run (``by`` columns, default scenario/replication/seed), one column per KPI.

    Args:
        tables: the tidy tables (``investment``, ``jobs``, ``revenue``), of one run or many
            runs stacked (e.g. a collected sweep, which adds a ``job`` column).
        partners: location codes counted as partners.
        by: columns identifying a run (for a collected sweep: ``["job"]`` plus swept keys).
    """
    by = list(by or RUN_KEYS)

    def part(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["location"].astype(str).isin(partners)]

    inv = part(tables["investment"])
    jobs = part(tables["jobs"])
    rev = part(tables["revenue"])
    last = jobs["quarter"].astype(str).max()
    out = pd.DataFrame({
        "registered_partners_bn": inv.groupby(by, observed=True)["registered_bn"].sum(),
        "licensed_partners": inv.groupby(by, observed=True)["licensed_projects"].sum(),
        "total_jobs_partners": jobs[jobs["quarter"].astype(str) == last]
        .groupby(by, observed=True)["total_jobs"].sum(),
        "retained_partners_bn": rev.groupby(by, observed=True)["retained_bn"].sum(),
    })
    return out.fillna(0.0).reset_index()
