"""Pattern-oriented validation: the documented patterns of MODEL_SPEC §1 as measurable indicators.

Each indicator is computed per baseline replication from the tidy tables (and, for the
potential pattern, a paired counterfactual run with the same seed); the report gives the mean,
a 90 % interval across replications and whether the mean shows the required band or direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import kpis
from simulation.model.records import Results

# Counterfactual "potential": no information friction (θ_info = 0, every partner considered,
# full information access) and unconstrained industrial-park land.
POTENTIAL_OVERRIDES = ["params.utility.theta_info=0", "params.consideration.a0=10",
                       "params.land.hcmc_accessible_share=1", "params.utility.beta_congestion=0",
                       "params.lifecycle.pause_distance=0", "params.lifecycle.exit_distance=0"]


@dataclass(frozen=True)
class Pattern:
    """A documented pattern, its indicator and the band or direction it must show."""

    key: str
    pattern: str
    indicator: str
    low: float
    high: float


PATTERNS = [
    Pattern("stuck_at_information_sharing",
            "distance makes information exchange hard; many cooperation activities stay at "
            "information sharing",
            "share of partner × field pairs at level ≤ 1 in the last quarter", 0.5, 1.0),
    Pattern("pause_distance_slope",
            "some HCMC-investor projects pause or terminate, more so far away",
            "slope of the share of licensed projects ever paused or terminated on ln(road km), "
            "across locations", 0.0, np.inf),
    Pattern("paused_or_terminated_share",
            "some HCMC-investor projects pause or terminate",
            "share of licensed partner projects ever paused or terminated", 0.05, 0.5),
    Pattern("large_modern_share",
            "few large-scale, modern-technology processing projects",
            "share of licensed partner projects that are modern-technology and large "
            "(≥ params.project.large_threshold_bn)", 0.0, 0.05),
    Pattern("investment_to_potential",
            "HCMC investment is below the provinces' potential",
            "registered capital in partners, baseline / no-friction unconstrained-land "
            "counterfactual (same seed)", 0.0, 0.8),
    Pattern("revenue_where_operating",
            "where it works, it raises provincial budget revenue and creates local jobs",
            "share of partners with operating HCMC projects at the end that collect revenue "
            "and have direct jobs from them", 0.999, 1.0),
]


def _licensed_projects(res: Results) -> pd.DataFrame:
    """Per licensed project: location, whether it was ever paused or terminated."""
    ev = res.events
    key = ["project"]
    lic = ev.loc[ev["to_state"] == "licensed", key + ["location"]].drop_duplicates("project")
    bad = ev.loc[ev["to_state"].isin(["paused", "terminated"])
                 & ev["from_state"].isin(["licensed", "construction", "operating", "paused"]),
                 "project"].unique()
    lic = lic.assign(troubled=lic["project"].isin(bad))
    return lic


def stuck_share(res: Results) -> float:
    """Share of partner × field pairs at level ≤ 1 in the last recorded quarter."""
    last = kpis.rows(res, "tie_level", quarters=[kpis.last_quarter(res, "ties")])
    return float((last["level"] <= 1).mean())


def pause_distance_slope(res: Results, road_km: pd.Series) -> float:
    """OLS slope of the troubled share of licensed projects on ln(road km), across locations."""
    lic = _licensed_projects(res)
    share = lic.groupby("location", observed=True)["troubled"].agg(["mean", "size"])
    share = share[(share["size"] >= 5) & (share.index.astype(str) != "hcmc")]
    x = np.log(road_km.reindex(share.index.astype(str)).to_numpy())
    if len(share) < 3:
        return float("nan")
    return float(np.polyfit(x, share["mean"].to_numpy(), 1, w=np.sqrt(share["size"]))[0])


def troubled_share(res: Results, partners: list[str]) -> float:
    """Share of licensed partner projects ever paused or terminated."""
    lic = _licensed_projects(res)
    lic = lic[lic["location"].astype(str).isin(partners)]
    return float(lic["troubled"].mean()) if len(lic) else float("nan")


def large_modern_share(res: Results, partners: list[str]) -> float:
    """Share of licensed partner projects (recorded quarters) that are modern and large."""
    n = kpis.value(res, "licensed_projects", partners)
    return kpis.value(res, "large_modern_projects", partners) / n if n else float("nan")


def partner_capital(res: Results, partners: list[str]) -> float:
    """Registered capital in partners over the recorded horizon (bn VND)."""
    return kpis.value(res, "registered_bn", partners)


def revenue_where_operating(res: Results, partners: list[str]) -> float:
    """Share of partners with operating projects that collect revenue and have direct jobs."""
    last = [kpis.last_quarter(res, "projects")]
    op = kpis.total(res, "projects_operating", ["location"], quarters=last)
    op = op[op.index.astype(str).isin(partners) & (op > 0)]
    if op.empty:
        return float("nan")
    rl = kpis.total(res, "collected_bn", ["location"], quarters=last)
    jl = kpis.total(res, "direct_jobs", ["location"], quarters=last)
    ok = (rl.reindex(op.index) > 0) & (jl.reindex(op.index) > 0)
    return float(ok.mean())


def indicators(res: Results, counterfactual: Results, road_km: pd.Series,
               partners: list[str]) -> dict[str, float]:
    """All pattern indicators of one replication (baseline and its paired counterfactual)."""
    return {
        "stuck_at_information_sharing": stuck_share(res),
        "pause_distance_slope": pause_distance_slope(res, road_km),
        "paused_or_terminated_share": troubled_share(res, partners),
        "large_modern_share": large_modern_share(res, partners),
        "investment_to_potential": partner_capital(res, partners)
        / partner_capital(counterfactual, partners),
        "revenue_where_operating": revenue_where_operating(res, partners),
    }


def report(rows: list[dict[str, float]]) -> pd.DataFrame:
    """Mean, 90 % interval across replications and the verdict for every pattern."""
    df = pd.DataFrame(rows)
    out = []
    for p in PATTERNS:
        v = df[p.key].dropna()
        mean = float(v.mean())
        lo, hi = (np.percentile(v, [5, 95]) if len(v) else (np.nan, np.nan))
        out.append({"pattern": p.pattern, "indicator": p.indicator, "key": p.key,
                    "mean": mean, "p05": lo, "p95": hi, "replications": len(v),
                    "required": _band(p), "holds": bool(p.low <= mean <= p.high)})
    return pd.DataFrame(out)


def _band(p: Pattern) -> str:
    if np.isinf(p.high):
        return f"> {p.low:g}"
    return f"[{p.low:g}, {p.high:g}]"


def run_validation(run: Callable[[list[str]], Results], seeds: list[int], road_km: pd.Series,
                   partners: list[str], extra: list[str] | None = None) -> pd.DataFrame:
    """Baseline and counterfactual for each seed, then the pattern report.

    Args:
        run: function from override list to Results (e.g. ``simulation.run``).
        seeds: replication seeds (the counterfactual uses the same seed: paired).
        road_km: road distance from HCMC by location code.
        partners: partner location codes.
        extra: overrides applied to both runs (e.g. a smaller population).
    """
    extra = list(extra or [])
    rows = []
    for s in seeds:
        base = run(extra + [f"seed={s}", "output.events=true"])
        cf = run(extra + POTENTIAL_OVERRIDES + [f"seed={s}", "output.events=false"])
        rows.append(indicators(base, cf, road_km, partners))
    return report(rows)
