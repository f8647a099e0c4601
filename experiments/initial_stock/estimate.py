"""Estimate the initial stock of HCMC-firm projects (simulation/data/initial_stock.csv).

Method (documented in README.md): the stock of operating projects at the first recorded
quarter in each place and sector is the model's baseline flow of licensed projects there
(2020Q1–2023Q1, averaged over seeds) times a stock-to-flow ratio A. Where a stock is sourced
(Nghệ An, Hà Tĩnh) the place gets exactly that stock; everywhere else A is the pooled ratio of
the sourced stocks (Nghệ An, Hà Tĩnh, and HCMC's own export-processing and industrial zones for
the sectors that need park land) to the model's flows at those anchors. The capital of the
stock is the same flow's registered capital scaled alike. Two passes: without a stock, then
with the first estimate in place (agglomeration, congestion and labour change the flows).

Usage: .venv/bin/python experiments/initial_stock/estimate.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import pandas as pd

import simulation
from simulation.data.inputs import default_data_dir

HERE = Path(__file__).resolve().parent
WINDOW = ("2020Q1", "2023Q1")
#: Sourced stocks of operating HCMC-firm projects in 2020Q1 (see README.md for each derivation)
ANCHORS = {"nghe_an": 50.0, "ha_tinh": 16.0}
HOME_ZONES = 1100.0  # HCMC's own zones (HEPZA domestic projects), sectors needing park land
SOURCE_ANCHORED = ("ESTIMATE: sourced stock of {anchor:g} operating HCMC-investor projects in "
                   "2020Q1 split over sectors by the model's baseline flow (2020Q1–2023Q1, "
                   "{seeds} seeds); experiments/initial_stock/README.md")
SOURCE_POOLED = ("ESTIMATE: model baseline flow of licensed projects (2020Q1–2023Q1, {seeds} "
                 "seeds) × stock-to-flow ratio {A:.1f} pooled over the sourced stocks (Nghệ An, "
                 "Hà Tĩnh, HCMC's zones); experiments/initial_stock/README.md")


def flows(data_dir: Path, seeds: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Licensed projects and registered capital per year by site and sector (baseline)."""
    parts = []
    for seed in range(1, seeds + 1):
        res = simulation.run([f"seed={seed}", f"data_dir={data_dir}"])
        inv = res.investment
        q = inv["quarter"].astype(str)
        inv = inv[(q >= WINDOW[0]) & (q <= WINDOW[1])]
        parts.append(inv.groupby(["site", "sector"], observed=True)[
            ["licensed_projects", "registered_bn"]].sum())
    years = 3.25
    total = sum(parts) / (len(parts) * years)
    return total["licensed_projects"].unstack(), total["registered_bn"].unstack()


def ratios(count: pd.DataFrame, needs_ip: pd.Series) -> tuple[float, pd.Series]:
    """The pooled stock-to-flow ratio and each place's own (anchors exact, others pooled)."""
    flow_at = sum(float(count.loc[a].sum()) for a in ANCHORS)
    flow_at += float(count.loc["hcmc", needs_ip[needs_ip].index].sum())
    pooled = (sum(ANCHORS.values()) + HOME_ZONES) / flow_at
    own = pd.Series(pooled, index=count.index)
    for site, stock in ANCHORS.items():
        own[site] = stock / float(count.loc[site].sum())
    return pooled, own


def write(data_dir: Path, count: pd.DataFrame, capital: pd.DataFrame, own: pd.Series,
          pooled: float, seeds: int) -> pd.DataFrame:
    """Write the stock table (every place and sector with a flow) and return it."""
    rows = []
    for site in count.index:
        for sector in count.columns:
            n, k = (float(count.loc[site, sector]) * own[site],
                    float(capital.loc[site, sector]) * own[site])
            if n <= 0:
                continue
            source = (SOURCE_ANCHORED.format(anchor=ANCHORS[site], seeds=seeds)
                      if site in ANCHORS else SOURCE_POOLED.format(A=pooled, seeds=seeds))
            rows.append({"location": site, "sector": sector, "projects": round(n, 3),
                         "registered_bn": round(k, 1), "source": source, "estimated": 1,
                         "note": "operating projects at the first recorded quarter; real 2023 "
                         "bn VND"})
    table = pd.DataFrame(rows)
    table.to_csv(data_dir / "initial_stock.csv", index=False)
    return table


def main() -> None:
    """Estimate the stock and write it to the data folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=default_data_dir())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for f in default_data_dir().glob("*.csv"):
            shutil.copy(f, work / f.name)
        (work / "initial_stock.csv").write_text(
            "location,sector,projects,registered_bn,source,estimated,note\n", encoding="utf-8")
        needs_ip = simulation.load_inputs(work).sectors["needs_ip_land"] > 0
        for _ in range(2):  # without a stock, then with the first estimate in place
            count, capital = flows(work, args.seeds)
            pooled, own = ratios(count, needs_ip)
            table = write(work, count, capital, own, pooled, args.seeds)
        shutil.copy(work / "initial_stock.csv", args.out / "initial_stock.csv")
    by_site = table.groupby("location", sort=False)[["projects", "registered_bn"]].sum()
    by_site["stock_to_flow"] = own.reindex(by_site.index)
    print(f"pooled stock-to-flow ratio {pooled:.1f}; HCMC zones: "
          f"{float(count.loc['hcmc', needs_ip[needs_ip].index].sum()) * own['hcmc']:.0f} "
          f"projects (anchor {HOME_ZONES:g})")
    print(by_site.round(1).to_string())


if __name__ == "__main__":
    main()
