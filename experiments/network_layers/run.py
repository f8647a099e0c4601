"""How much of the partners' investment runs through each network layer (paired switches).

Each layer of the cooperation network is switched off in turn (``params.network.*=false``) and
compared with the model with every layer on, on the same seeds, under the baseline and under the
March 2023 agreements. The difference "all layers on − this layer off" is what the layer carries.

    .venv/bin/python experiments/network_layers/run.py [--replications N]

writes ``results/network_layers/layers.csv`` (one row per scenario × switch × replication) and
``experiments/network_layers/report.md`` (means and 90 % t intervals).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.config.compose import compose, to_run_config
from simulation.data import load_inputs
from simulation.model.records import Results
from simulation.runs.replicate import make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare
from simulation.timeline import parse_quarter

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WINDOW = ("2023Q2", "2025Q4")
MASTER_SEED = 2023
SWITCHES = {
    "all layers on": [],
    "peer learning off": ["params.network.peer_effects=false"],
    "agreement ties off": ["params.network.agreement_ties=false"],
    "province links off": ["params.network.province_links=false"],
    "road graph off (data km)": ["params.network.road_graph=false"],
}
SCENARIOS = ("baseline", "agreement_2025")
PARTNERS: list[str] = [str(c) for c, r in load_inputs().locations["role"].items()
                       if r == "partner"]


def reduce(res: Results) -> dict[str, float]:
    """The partners' new projects, licences and capital in the window; peers' reach at its end."""
    inv = res.investment
    q = inv["quarter"].astype(str).map(parse_quarter)
    w = inv[(q >= parse_quarter(WINDOW[0])) & (q <= parse_quarter(WINDOW[1]))
            & inv["site"].astype(str).isin(PARTNERS)]
    net = res.network
    reach = net[(net["metric"].astype(str) == "share_with_peer_present")
                & (net["quarter"].astype(str) == WINDOW[1])
                & net["node"].astype(str).isin(PARTNERS)]["value"]
    return {"new_projects": float(w["new_projects"].sum()),
            "licensed_projects": float(w["licensed_projects"].sum()),
            "registered_bn": float(w["registered_bn"].sum()),
            "peer_reach_max": float(reach.max()) if len(reach) else 0.0}


def main(argv: list[str] | None = None) -> None:
    """Run every scenario × switch on paired seeds; write the CSV and the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    model = current()
    inputs = load_inputs()
    configs = {}
    for sc in SCENARIOS:
        for label, overrides in SWITCHES.items():
            rc = to_run_config(compose([f"scenario={sc}", f"time.end={WINDOW[1]}",
                                        "output.events=false", "output.graph=false",
                                        *overrides]))
            prepare(rc, inputs)
            configs[f"{sc}|{label}"] = rc
    seeds = replication_seeds(MASTER_SEED, args.replications)
    jobs = make_jobs(configs, seeds)
    values, seconds = run_jobs(jobs, reduce, args.workers, desc="runs")
    rows = [{"scenario": j.scenario.split("|")[0], "switch": j.scenario.split("|")[1],
             "replication": j.replication, "seed": j.seed, **v}
            for j, v in zip(jobs, values, strict=True)]
    df = pd.DataFrame(rows)
    out = ROOT / "results" / "network_layers"
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / "layers.csv", index=False)
    (HERE / "report.md").write_text(report(df, args.replications, sum(seconds)),
                                    encoding="utf-8")
    write_fingerprint(HERE, model, replications=args.replications,
                      command=" ".join([".venv/bin/python experiments/network_layers/run.py",
                                        *(sys.argv[1:] if argv is None else argv)]))
    print(f"wrote {out / 'layers.csv'} and {HERE / 'report.md'}")


def _ci(x: np.ndarray, nd: int) -> str:
    m = float(x.mean())
    h = float(stats.t.ppf(0.95, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))) if len(x) > 1 \
        else float("nan")
    return f"{m:+,.{nd}f} [{m - h:+,.{nd}f}, {m + h:+,.{nd}f}]"


def report(df: pd.DataFrame, replications: int, cpu_s: float) -> str:
    """One table per scenario: what each layer carries (all on − layer off)."""
    lines = ["# What each network layer carries for the partners", "",
             f"The nine partners' new projects, licences and registered capital (VND bn of "
             f"2023), {WINDOW[0]}–{WINDOW[1]}: all layers on minus the layer off, paired over "
             f"{replications} replications (master seed {MASTER_SEED}); mean and 90 % t "
             "interval. Generated by `experiments/network_layers/run.py`.", ""]
    for sc in SCENARIOS:
        s = df[df["scenario"] == sc]
        on = s[s["switch"] == "all layers on"].set_index("replication")
        lines += [f"## {sc}", "",
                  f"With all layers on: {on['new_projects'].mean():,.1f} new projects, "
                  f"{on['licensed_projects'].mean():,.1f} licences, VND "
                  f"{on['registered_bn'].mean():,.0f} bn in the partners; at most "
                  f"{100 * on['peer_reach_max'].mean():.1f} % of HCMC firms have a peer "
                  "operating in any one partner at the end.", "",
                  "| layer | new projects carried | licences carried | registered capital "
                  "carried, VND bn | share of the partners' registered capital |",
                  "|---|---:|---:|---:|---:|"]
        for label in list(SWITCHES)[1:]:
            off = s[s["switch"] == label].set_index("replication")
            d = on[["new_projects", "licensed_projects", "registered_bn"]] - off[
                ["new_projects", "licensed_projects", "registered_bn"]]
            share = d["registered_bn"].mean() / on["registered_bn"].mean()
            lines.append(f"| {label.replace(' off', '').replace(' (data km)', '')} | "
                         f"{_ci(d['new_projects'].to_numpy(), 1)} | "
                         f"{_ci(d['licensed_projects'].to_numpy(), 1)} | "
                         f"{_ci(d['registered_bn'].to_numpy(), 0)} | {100 * share:.0f} % |")
        lines.append("")
    lines.append(f"CPU time of the runs: {cpu_s:.0f} s.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
