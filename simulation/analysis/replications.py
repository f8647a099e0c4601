"""How many replications (seeds) a KPI needs for a given precision.

With a pilot of ``n`` seeds giving mean ``m`` and standard deviation ``s``, the confidence
interval of the mean over ``R`` seeds has half-width ``t(R−1)·s/√R``. The seeds needed for a
half-width of at most ``h·|m|`` (relative precision ``h``) are the smallest ``R`` with
``t(R−1)·CV/√R ≤ h``, ``CV = s/|m|`` (Law 2015, *Simulation Modeling and Analysis*, ch. 9).
The pilot's CV is itself an estimate: treat ``R`` as a planning figure and check the interval
reached after the run.
For a scenario-minus-baseline difference, pass the per-seed paired differences: common random
numbers make their spread, and so ``R``, smaller.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def replications_needed(cv: float, rel_half_width: float, confidence: float = 0.95,
                        minimum: int = 2) -> int:
    """Smallest number of seeds whose CI half-width is ≤ ``rel_half_width`` × |mean|."""
    if not math.isfinite(cv):
        raise ValueError(f"coefficient of variation {cv} is not finite (mean 0?)")
    if cv == 0:
        return minimum
    q = 0.5 + confidence / 2
    # t(R−1)/√R falls with R, and t > z: start at the normal-theory bound and count up
    r = max(minimum, math.ceil((stats.norm.ppf(q) * cv / rel_half_width) ** 2))
    while stats.t.ppf(q, r - 1) * cv / math.sqrt(r) > rel_half_width:
        r += 1
    return r


def replication_table(kpis: pd.DataFrame, columns: list[str],
                      targets: tuple[float, ...] = (0.10, 0.05, 0.02),
                      confidence: float = 0.95) -> pd.DataFrame:
    """Per KPI: pilot size, mean, sd, CV and the seeds needed for each relative half-width."""
    rows = []
    for col in columns:
        x = kpis[col].to_numpy(dtype=float)
        mean, sd = float(np.mean(x)), float(np.std(x, ddof=1))
        cv = sd / abs(mean) if mean else float("inf")
        row = {"kpi": col, "pilot_seeds": len(x), "mean": mean, "sd": sd, "cv": cv}
        for h in targets:
            row[f"R for ±{h:.0%}"] = (replications_needed(cv, h, confidence)
                                     if math.isfinite(cv) else None)
        rows.append(row)
    return pd.DataFrame(rows)
