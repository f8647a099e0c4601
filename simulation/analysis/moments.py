"""The calibration moments of MODEL_SPEC §11, their targets, and a check of runs against them.

Moments are ratios of sums over runs (:func:`moment_parts` of each run, pooled by
:func:`pool_moments`), so pooling the parts of single runs gives exactly the moments of their
concatenated tables; the calibration pools them over the seeds of a parameter vector. Every
target is a fact (or a literature value) dated before the March 2023 agreements, measured on
the pre-agreement window :data:`CALIBRATION_WINDOW`.

Each target's band is read as a 90 % interval of the error between the model's moment and the
fact (measurement, definition and the chance of one history): :func:`error_scale` gives the
standard deviation on each side of the central value (a split normal, so asymmetric bands stay
asymmetric), and :func:`standardised` the signed error of a moment in those units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import kpis
from simulation.analysis.gravity import poisson_elasticity
from simulation.analysis.kpis import RUN_KEYS
from simulation.model.records import Results, concat

SMALL_NORTH = ["bac_kan", "cao_bang"]  # the small northern partners of the third target


@dataclass(frozen=True)
class Target:
    """One calibration target: the moment, its central value and the accepted band."""

    moment: str
    description: str
    central: float
    low: float
    high: float
    source: str


#: The pre-agreement window: moments of flows are measured on quarters before the March 2023
#: agreements, so the calibration uses only facts dated before them (MODEL_SPEC §11).
CALIBRATION_WINDOW = ("2020Q1", "2023Q1")

TARGETS = [
    Target("licensed_per_year", "new HCMC-investor projects a year in Nghệ An, 2020Q1–2023Q1",
           1.9, 1.0, 4.0, "63 projects by 2024 − 45 in 2003–2014 − 3 in 2023–24 = 15 in "
           "2015–2022 (≈1.9/yr); 4/yr in 2003–2014 (province_facts.csv, "
           "additional_locations_facts.csv)"),
    Target("avg_project_bn", "average registered capital per project in Nghệ An, bn VND 2023",
           650.0, 300.0, 1000.0, "VND 15,350 bn nominal / 45 projects in 2003–2014, deflated "
           "to 2023 VND with the GDP deflator (deflator.csv)"),
    Target("small_licensed_per_year", "new projects a year in Bắc Kạn and Cao Bằng (each)",
           0.2, 0.0, 0.75, "MODEL_SPEC §11: a smaller number in the small northern provinces"),
    Target("disbursed_share", "disbursed / registered capital of valid projects, partners",
           0.64, 0.55, 0.72, "Vietnam's FDI stock (MODEL_SPEC §11)"),
    Target("terminated_within_5y", "share of licensed projects terminated within 5 years",
           0.15, 0.10, 0.20, "MODEL_SPEC §11: roughly 10–20 %"),
    Target("home_jobs_per_project", "direct jobs per operating HCMC project at home, 2022Q4",
           168.0, 100.0, 250.0, "HEPZA 2022: 281,000 workers in 1,674 projects "
           "(province_facts.csv, additional_locations_facts.csv)"),
    Target("distance_elasticity", "emergent elasticity of new-project counts w.r.t. road "
           "distance (GRDP and size controls), 2020Q1–2023Q1", -0.9, -1.5, -0.3,
           "gravity meta-analyses: Disdier & Head 2008 ≈ −0.9; venture capital ≈ −0.3 "
           "(MODEL_SPEC §§5, 10; simulation/analysis/gravity.py)"),
]
TARGET_BY_MOMENT = {t.moment: t for t in TARGETS}
#: z of a two-sided 90 % interval: a band is central ± Z90 error standard deviations
Z90 = 1.6448536269514722


def error_scale(t: Target) -> tuple[float, float]:
    """Standard deviations of the error below and above the central value (split normal)."""
    return (t.central - t.low) / Z90, (t.high - t.central) / Z90


def standardised(moments: dict[str, float], targets: list[Target] | None = None,
                 centrals: dict[str, float] | None = None) -> np.ndarray:
    """Signed errors ``(moment − central) / σ_side`` of every target (NaN moment → inf).

    Args:
        moments: the model's moments.
        targets: the targets (default :data:`TARGETS`), whose bands give the σ of each side.
        centrals: central values to use instead of the targets' (synthetic data of a coverage
            check); the σ stay the targets'.
    """
    out = []
    for t in targets or TARGETS:
        c = t.central if centrals is None else centrals[t.moment]
        v = moments.get(t.moment, np.nan)
        lo, hi = error_scale(t)
        out.append(np.inf if not np.isfinite(v) else (v - c) / (lo if v < c else hi))
    return np.asarray(out, dtype=float)


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


def moment_parts(res: Results, province: str = "nghe_an") -> dict[str, float]:
    """Sums behind the MODEL_SPEC §11 moments, so moments can be pooled over runs.

    Pooled moments are ratios of sums over runs (:func:`pool_moments`); pooling the parts of
    single runs gives exactly the moments of their concatenated tables.
    """
    inv = res.investment
    runs = inv.groupby(RUN_KEYS, observed=True).ngroups
    q = sorted(set(inv["quarter"].astype(str)))
    window = [x for x in q if CALIBRATION_WINDOW[0] <= x <= CALIBRATION_WINDOW[1]]
    where = kpis.partners(res)
    end = [window[-1]]
    parts = {
        "run_years": float(runs * len(window) / 4.0),
        "licensed": kpis.value(res, "licensed_projects", [province], window),
        "registered": kpis.value(res, "registered_bn", [province], window),
        "small_licensed": kpis.value(res, "licensed_projects", SMALL_NORTH, window),
        "disbursed_end": kpis.value(res, "disbursed_stock_bn", where, end),
        "registered_end": kpis.value(res, "registered_stock_bn", where, end),
        "home_jobs": kpis.value(res, "direct_jobs", ["hcmc"], ["2022Q4"]),
        "home_operating": kpis.value(res, "projects_operating", ["hcmc"], ["2022Q4"]),
    }
    if res.events is not None:
        eligible, terminated = terminated_counts(res.events, where)
        parts.update(term_eligible=float(eligible), term_count=float(terminated))
    parts.update(gravity_parts(res, window))
    return parts


def gravity_parts(res: Results, window: list[str]) -> dict[str, float]:
    """New projects by place outside HCMC in the window, and the place's road km (per run).

    Keys ``new@<place>`` (summed over runs) and ``km@<place>`` (km × runs, so the pooled value
    divided by ``runs`` is the mean distance).
    """
    inv = kpis.rows(res, "new_projects", quarters=window)
    counts = inv.groupby(inv["location"].astype(str), observed=True)["new_projects"].sum()
    loc = res.locations
    first = loc[loc["quarter"].astype(str) == window[0]]
    place = first["site" if "site" in first.columns else "location"].astype(str)
    km = first.groupby(place, observed=True)["road_km"].sum()
    runs = float(res.investment.groupby(RUN_KEYS, observed=True).ngroups)
    out = {"runs": runs}
    for place in km.index:
        if place != "hcmc":
            out[f"new@{place}"] = float(counts.get(place, 0.0))
            out[f"km@{place}"] = float(km[place])
    return out


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
        "home_jobs_per_project": ratio(tot["home_jobs"], tot["home_operating"]),
    }
    if "term_eligible" in tot:
        out["terminated_within_5y"] = ratio(tot["term_count"], tot["term_eligible"])
    places = [k[4:] for k in tot if k.startswith("new@")]
    if places:
        out["distance_elasticity"] = distance_elasticity(
            pd.Series({p: tot[f"new@{p}"] for p in places}),
            pd.Series({p: tot[f"km@{p}"] / tot["runs"] for p in places}))
    return out


def distance_elasticity(counts: pd.Series, km: pd.Series) -> float:
    """Emergent distance elasticity of pooled new-project counts by place (gravity.py)."""
    from simulation.data import load_inputs

    loc = _locations(load_inputs)
    places = [p for p in counts.index if p in loc.index]
    if counts[places].sum() <= 0:
        return float("nan")
    return poisson_elasticity(counts[places].to_numpy(float), km[places].to_numpy(float),
                              loc.loc[places, "grdp_bn"].to_numpy(float),
                              loc.loc[places, "members"].to_numpy(float))[0]


_LOCATIONS: list[pd.DataFrame] = []


def _locations(load) -> pd.DataFrame:
    """The shipped locations table, loaded once per process."""
    if not _LOCATIONS:
        _LOCATIONS.append(load().locations)
    return _LOCATIONS[0]


def calibration_moments(res: Results, province: str = "nghe_an") -> dict[str, float]:
    """The MODEL_SPEC §11 moments of a run (pooled over the runs in the tables).

    Returns:
        licensed projects per year in ``province`` in :data:`CALIBRATION_WINDOW`; its average
        project size (bn VND 2023); the same for the small northern partners (Bắc Kạn, Cao
        Bằng); disbursed/registered capital of valid projects at the window's end, all
        partners; direct jobs per operating project at home in 2022Q4; share of licensed
        partner projects terminated within 20 quarters of licensing (needs the event log).
    """
    return pool_moments([moment_parts(res, province)])


def terminated_counts(events: pd.DataFrame, partners, horizon_q: int = 20) -> tuple[int, int]:
    """Licensed partner projects observable for ``horizon_q`` quarters, and those terminated.

    Only projects licensed early enough to be observed for the whole window count.
    """
    place = events["site"] if "site" in events.columns else events["location"]
    ev = events[place.astype(str).isin(partners)]
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
