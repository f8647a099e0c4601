"""Summaries of saved or in-memory tables: headline numbers and calibration moments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.records import Results


def _year(q: pd.Series) -> pd.Series:
    return q.astype(str).str[:4].astype(int)


def headline(res: Results, names: pd.Series | None = None) -> pd.DataFrame:
    """Headline numbers by location over the recorded horizon (one run or the mean of runs).

    Columns: licensed projects per year, registered capital (cumulative, bn VND), average
    project size (bn VND), disbursed/registered capital of valid projects at the end, direct and
    total jobs at the end, revenue collected and retained in the last year (bn VND).
    """
    inv, jobs, rev = res.investment, res.jobs, res.revenue
    runs = inv.groupby(["scenario", "replication", "seed"], observed=True).ngroups
    years = _year(inv["quarter"]).nunique()
    last_q = inv["quarter"].astype(str).max()
    last_y = last_q[:4]

    def by_loc(df: pd.DataFrame, col: str) -> pd.Series:
        return df.groupby("location", observed=True)[col].sum() / runs

    out = pd.DataFrame({
        "licensed_per_year": by_loc(inv, "licensed_projects") / years,
        "registered_bn": by_loc(inv, "registered_bn"),
    })
    out["avg_project_bn"] = out["registered_bn"] / (out["licensed_per_year"] * years)
    end = inv[inv["quarter"].astype(str) == last_q]
    out["disbursed_share"] = by_loc(end, "disbursed_stock_bn") / by_loc(end, "registered_stock_bn")
    jend = jobs[jobs["quarter"].astype(str) == last_q]
    out["direct_jobs"] = by_loc(jend, "direct_jobs")
    out["total_jobs"] = by_loc(jend, "total_jobs")
    rlast = rev[rev["quarter"].astype(str).str.startswith(last_y)]
    out[f"collected_{last_y}_bn"] = by_loc(rlast, "collected_bn")
    out[f"retained_{last_y}_bn"] = by_loc(rlast, "retained_bn")
    out = out.replace([np.inf, -np.inf], np.nan)
    if names is not None:
        out.index = [names.get(i, i) for i in out.index]
    return out


def format_headline(table: pd.DataFrame) -> str:
    """Plain-text table for the terminal."""
    fmt = table.copy()
    for col in fmt.columns:
        digits = 2 if col in ("disbursed_share", "licensed_per_year") else 0
        fmt[col] = fmt[col].map(lambda v, d=digits: "–" if pd.isna(v) else f"{v:,.{d}f}")
    return fmt.to_string()


def calibration_moments(res: Results, province: str = "nghe_an") -> dict[str, float]:
    """The MODEL_SPEC §11 moments of a run (or the mean over runs in the tables).

    Returns:
        licensed projects per year in ``province``; its average project size (bn VND); the same
        for the small northern partners (Bắc Kạn, Cao Bằng); disbursed/registered capital of
        valid projects at the end, all partners; share of projects licensed in the first half of
        the horizon that were terminated within 20 quarters (needs the event log).
    """
    inv = res.investment
    runs = inv.groupby(["scenario", "replication", "seed"], observed=True).ngroups
    years = _year(inv["quarter"]).nunique()
    partners = res.ties["location"].astype(str).unique()
    one = inv[inv["location"].astype(str) == province]
    small = inv[inv["location"].astype(str).isin(["bac_kan", "cao_bang"])]
    last_q = inv["quarter"].astype(str).max()
    end = inv[(inv["quarter"].astype(str) == last_q)
              & inv["location"].astype(str).isin(partners)]
    out = {
        "licensed_per_year": one["licensed_projects"].sum() / runs / years,
        "avg_project_bn": one["registered_bn"].sum() / max(one["licensed_projects"].sum(), 1e-9),
        "small_licensed_per_year": small["licensed_projects"].sum() / runs / years / 2,
        "disbursed_share": end["disbursed_stock_bn"].sum() / end["registered_stock_bn"].sum(),
    }
    if res.events is not None:
        out["terminated_within_5y"] = terminated_share(res.events, partners)
    return out


def terminated_share(events: pd.DataFrame, partners, horizon_q: int = 20) -> float:
    """Share of licensed partner projects terminated within ``horizon_q`` quarters of licensing.

    Only projects licensed early enough to be observed for the whole window count.
    """
    ev = events[events["location"].astype(str).isin(partners)]
    q = ev["quarter"].astype(str)
    idx = q.str[:4].astype(int) * 4 + q.str[-1].astype(int) - 1
    ev = ev.assign(qi=idx.to_numpy())
    key = ["scenario", "replication", "seed", "project"]
    lic = ev[ev["to_state"] == "licensed"].groupby(key, observed=True)["qi"].min()
    term = ev[ev["to_state"] == "terminated"].groupby(key, observed=True)["qi"].min()
    last = int(ev["qi"].max())
    lic = lic[lic <= last - horizon_q]
    if lic.empty:
        return float("nan")
    t = term.reindex(lic.index)
    return float(((t - lic) <= horizon_q).mean())
