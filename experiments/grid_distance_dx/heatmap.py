"""Heatmap of registered capital in the partners over θ_info × ι_D, from a collected sweep.

Usage: .venv/bin/python experiments/grid_distance_dx/heatmap.py SWEEP_DIR [OUT_DIR]
(SWEEP_DIR after ``.venv/bin/hcmc-collect SWEEP_DIR``; OUT_DIR defaults to this folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from scipy import stats

from simulation.analysis.fingerprint import write_fingerprint
from simulation.analysis.kpis import kpi_table, partner_codes
from simulation.figures.labels import Labels
from simulation.figures.style import save_figure
from simulation.figures.sweep import heatmap

X, Y = "params.utility.theta_info", "params.information.iota_dx"
KPI = "registered_partners_bn"


def per_run(collected: Path) -> pd.DataFrame:
    """The KPI of every job (one row per grid cell and seed)."""
    tables = {t: pd.read_parquet(collected / f"{t}.parquet")
              for t in ("investment", "jobs", "revenue")}
    return kpi_table(tables, partner_codes(), by=["job", X, Y, "seed"])


def _interval(g) -> pd.DataFrame:
    out = g.agg(["mean", "std", "count"]).reset_index()
    out["half_width"] = stats.t.ppf(0.975, out["count"] - 1) * out["std"] / out["count"] ** 0.5
    return out


def cells(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean over seeds and 95 % t-interval half-width of the KPI in each grid cell."""
    return _interval(runs.groupby([X, Y])[KPI])


def dx_effect(runs: pd.DataFrame) -> pd.DataFrame:
    """Effect of the largest ι_D against ι_D = 0 at each θ_info, paired by seed.

    Also the half-width the same seeds would give unpaired (independent draws), to show what
    common random numbers buy.
    """
    wide = runs.pivot_table(index=[X, "seed"], columns=Y, values=KPI)
    hi, lo = wide.columns.max(), wide.columns.min()
    diff = (wide[hi] - wide[lo]).rename("effect").reset_index()
    out = _interval(diff.groupby(X)["effect"])
    n = out["count"]
    sd_unpaired = (wide[hi].groupby(X).var() + wide[lo].groupby(X).var()).pow(0.5).to_numpy()
    out["half_width_unpaired"] = stats.t.ppf(0.975, n - 1) * sd_unpaired / n ** 0.5
    return out.rename(columns={"mean": f"effect_iota_dx_{hi:g}_vs_{lo:g}"})


def main(sweep: Path, out: Path) -> None:
    """Write grid.csv, dx_effect.csv and heatmap.png."""
    runs = per_run(sweep / "collected")
    c = cells(runs)
    out.mkdir(parents=True, exist_ok=True)
    c.to_csv(out / "grid.csv", index=False, float_format="%.1f")
    effect = dx_effect(runs)
    effect.to_csv(out / "dx_effect.csv", index=False, float_format="%.1f")
    print(effect.round(2).to_string(index=False))
    seeds = int(c["count"].min())
    cells_ = c.assign(low=c["mean"] - c["half_width"], high=c["mean"] + c["half_width"])
    fig = heatmap(
        cells_, X, Y, "Registered capital in the nine partners, 2020–2025 (bn VND)",
        f"Baseline scenario · mean of {seeds} seeds per cell (paired: same seeds in every cell)"
        " · ± 95 % t-interval half-width · 20,000 firm agents", Labels("en"), "bn VND")
    save_figure(fig, out / "heatmap", ("png",))
    write_fingerprint(out, sweep=str(sweep), command="see README.md (sweep, then this script)")
    print(f"wrote grid.csv, dx_effect.csv and heatmap.png in {out}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent)
