"""Markdown tables of a sensitivity study (for the experiment's README)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulation.analysis.sensitivity import Result


def _table(df: pd.DataFrame) -> str:
    head = "| " + " | ".join(df.columns) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body])


def markdown(result: Result, info: dict[str, Any]) -> str:
    """Morris ranking (relative μ* per KPI) and Sobol indices with their intervals."""
    m = result.morris.pivot(index="parameter", columns="output", values="mu_star_rel")
    m = m.loc[m.max(axis=1).sort_values(ascending=False).index]
    m = m.map(lambda v: f"{v:.2f}").reset_index()
    m["parameter"] = m["parameter"].str.removeprefix("params.")
    lines = [f"Model runs: {info['model_runs']:,}; seeds per point: {info['seeds']}; "
             f"overrides: {info['overrides']}; commit {info['git_commit']}.", "",
             "### Morris screening: μ* relative to the largest μ* of each KPI", "",
             _table(m), ""]
    if not result.sobol.empty:
        s = result.sobol.copy()
        s["parameter"] = s["parameter"].str.removeprefix("params.")
        s["S1 (95 % CI)"] = [f"{a:.2f} ± {b:.2f}" for a, b in zip(s.S1, s.S1_conf, strict=True)]
        s["ST (95 % CI)"] = [f"{a:.2f} ± {b:.2f}" for a, b in zip(s.ST, s.ST_conf, strict=True)]
        lines += ["### Sobol indices of the selected parameters", "",
                  _table(s[["output", "parameter", "S1 (95 % CI)", "ST (95 % CI)"]]), ""]
    noise = info.get("seed_noise_share") or {}
    if noise:
        lines += ["### Seed noise", "",
                  "Variance across seeds at the default point divided by the variance across "
                  "the Sobol sample (near 0: parameters dominate; near 1: noise dominates):", ""]
        lines += [f"- {k}: {v:.2f}" if v is not None else f"- {k}: n/a" for k, v in noise.items()]
        lines.append("")
    return "\n".join(lines)
