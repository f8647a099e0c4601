"""Calibration targets of MODEL_SPEC §11 and the check of a set of baseline runs against them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import calibration_moments
from simulation.model.records import Results, concat


@dataclass(frozen=True)
class Target:
    """One calibration target: the moment, its central value and the accepted band."""

    moment: str
    description: str
    central: float
    low: float
    high: float
    source: str


TARGETS = [
    Target("licensed_per_year", "new HCMC-investor projects a year in Nghệ An", 4.0, 2.5, 6.0,
           "45 projects 2003–2014 (≈4/yr); 3 in 2023–24 (province_facts.csv)"),
    Target("avg_project_bn", "average registered capital per project in Nghệ An, bn VND",
           340.0, 200.0, 500.0, "VND 15,350 bn / 45 projects (province_facts.csv)"),
    Target("small_licensed_per_year", "new projects a year in Bắc Kạn and Cao Bằng (each)",
           0.5, 0.0, 1.5, "MODEL_SPEC §11: a smaller number in the small northern provinces"),
    Target("disbursed_share", "disbursed / registered capital of valid projects, partners",
           0.64, 0.55, 0.72, "Vietnam's FDI stock 2023–2024 (MODEL_SPEC §11)"),
    Target("terminated_within_5y", "share of licensed projects terminated within 5 years",
           0.15, 0.10, 0.20, "MODEL_SPEC §11: roughly 10–20 %"),
]


def check(runs: list[Results]) -> pd.DataFrame:
    """Targets next to the model's pooled moments and their spread across runs.

    Args:
        runs: baseline runs with the event log (``output.events=true``), one per seed.

    Returns:
        One row per target: central value, band, model value (pooled over runs), the 5–95 %
        range across single runs, and whether the pooled value is inside the band.
    """
    pooled = calibration_moments(concat(runs))
    single = pd.DataFrame([calibration_moments(r) for r in runs])
    rows = []
    for t in TARGETS:
        v = float(pooled[t.moment])
        lo, hi = np.nanpercentile(single[t.moment], [5, 95])
        rows.append({"moment": t.moment, "description": t.description, "target": t.central,
                     "band_low": t.low, "band_high": t.high, "model": v,
                     "runs_p05": lo, "runs_p95": hi, "in_band": t.low <= v <= t.high,
                     "source": t.source})
    return pd.DataFrame(rows)
