"""Seeds needed per KPI, from a collected sweep over seeds.

Usage: .venv/bin/python experiments/replications/replications.py SWEEP_DIR [OUT_DIR]
Writes replications.csv and replications.md (OUT_DIR defaults to this folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from simulation.analysis.fingerprint import write_fingerprint
from simulation.analysis.kpis import RUN_KPIS, kpi_table, partner_codes
from simulation.analysis.replications import replication_table


def main(sweep: Path, out: Path) -> pd.DataFrame:
    """Compute the table from ``<sweep>/collected`` and write it."""
    collected = sweep / "collected"
    tables = {t: pd.read_parquet(collected / f"{t}.parquet")
              for t in ("investment", "jobs", "revenue")}
    agents = "params.firms.n_agents"
    by = [agents, "seed"] if agents in tables["investment"] else ["seed"]
    per_seed = kpi_table(tables, partner_codes(), by=by)
    parts = []
    for n, group in per_seed.groupby(agents) if agents in by else [(None, per_seed)]:
        part = replication_table(group, list(RUN_KPIS))
        if n is not None:
            part.insert(0, "n_agents", n)
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "replications.csv", index=False, float_format="%.4g")
    shown = table.copy()
    shown["kpi"] = shown["kpi"].map({k: v.description for k, v in RUN_KPIS.items()})
    if "n_agents" in shown:
        shown["n_agents"] = shown["n_agents"].map(lambda v: f"{v:,}")
    shown["mean"] = shown["mean"].map(lambda v: f"{v:,.0f}")
    shown["sd"] = shown["sd"].map(lambda v: f"{v:,.0f}")
    shown["cv"] = shown["cv"].map(lambda v: f"{v:.2f}")
    head = "| " + " | ".join(shown.columns) + " |"
    sep = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in r) + " |" for r in shown.itertuples(index=False)]
    (out / "replications.md").write_text("\n".join([head, sep, *rows]) + "\n", encoding="utf-8")
    print("\n".join([head, sep, *rows]))
    write_fingerprint(out, sweep=str(sweep), command="see README.md (sweep, then this script)")
    return table


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent)
