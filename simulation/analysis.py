"""Summaries of saved or in-memory tables: headline numbers and calibration moments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model.records import Results


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


def moment_parts(res: Results, province: str = "nghe_an") -> dict[str, float]:
    """Sums behind the MODEL_SPEC §11 moments, so moments can be pooled over runs.

    Pooled moments are ratios of sums over runs (:func:`pool_moments`); pooling the parts of
    single runs gives exactly the moments of their concatenated tables.
    """
    inv = res.investment
    runs = inv.groupby(["scenario", "replication", "seed"], observed=True).ngroups
    years = _year(inv["quarter"]).nunique()
    partners = res.ties["location"].astype(str).unique()
    loc = inv["location"].astype(str)
    one = inv[loc == province]
    small = inv[loc.isin(["bac_kan", "cao_bang"])]
    end = inv[(inv["quarter"].astype(str) == inv["quarter"].astype(str).max())
              & loc.isin(partners)]
    parts = {
        "run_years": float(runs * years),
        "licensed": float(one["licensed_projects"].sum()),
        "registered": float(one["registered_bn"].sum()),
        "small_licensed": float(small["licensed_projects"].sum()),
        "disbursed_end": float(end["disbursed_stock_bn"].sum()),
        "registered_end": float(end["registered_stock_bn"].sum()),
    }
    if res.events is not None:
        eligible, terminated = terminated_counts(res.events, partners)
        parts.update(term_eligible=float(eligible), term_count=float(terminated))
    return parts


def pool_moments(parts: list[dict[str, float]]) -> dict[str, float]:
    """The §11 moments from the parts of one or more runs (ratios of sums)."""
    tot = {k: sum(p[k] for p in parts) for k in parts[0]}

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    out = {
        "licensed_per_year": ratio(tot["licensed"], tot["run_years"]),
        "avg_project_bn": ratio(tot["registered"], tot["licensed"]),
        "small_licensed_per_year": ratio(tot["small_licensed"], tot["run_years"]) / 2,
        "disbursed_share": ratio(tot["disbursed_end"], tot["registered_end"]),
    }
    if "term_eligible" in tot:
        out["terminated_within_5y"] = ratio(tot["term_count"], tot["term_eligible"])
    return out


def calibration_moments(res: Results, province: str = "nghe_an") -> dict[str, float]:
    """The MODEL_SPEC §11 moments of a run (pooled over the runs in the tables).

    Returns:
        licensed projects per year in ``province``; its average project size (bn VND); the same
        for the small northern partners (Bắc Kạn, Cao Bằng); disbursed/registered capital of
        valid projects at the end, all partners; share of licensed partner projects terminated
        within 20 quarters of licensing (needs the event log).
    """
    return pool_moments([moment_parts(res, province)])


def terminated_counts(events: pd.DataFrame, partners, horizon_q: int = 20) -> tuple[int, int]:
    """Licensed partner projects observable for ``horizon_q`` quarters, and those terminated.

    Only projects licensed early enough to be observed for the whole window count.
    """
    ev = events[events["location"].astype(str).isin(partners)]
    q = ev["quarter"].astype(str)
    idx = q.str[:4].astype(int) * 4 + q.str[-1].astype(int) - 1
    ev = ev.assign(qi=idx.to_numpy())
    key = ["scenario", "replication", "seed", "project"]
    lic = ev[ev["to_state"] == "licensed"].groupby(key, observed=True)["qi"].min()
    term = ev[ev["to_state"] == "terminated"].groupby(key, observed=True)["qi"].min()
    if lic.empty:
        return 0, 0
    last = int(ev["qi"].max())
    lic = lic[lic <= last - horizon_q]
    t = term.reindex(lic.index)
    return int(len(lic)), int(((t - lic) <= horizon_q).sum())

