"""``python -m simulation.sensitivity STUDY.yaml --out DIR`` (``hcmc-sensitivity``): Morris, Sobol.

Writes into DIR: ``morris.csv``, ``sobol.csv``, ``indices.md`` (both as tables), the sampled
points with their outputs (``samples_morris.parquet``, ``samples_sobol.parquet``),
``morris.png``, ``sobol.png``, ``run.json`` (settings, code version, run count, wall time, seed
noise) and ``fingerprint.json`` (the model fingerprint the study ran with). The outputs are the
partner KPIs (levels), their paired differences scenario − baseline (``scenarios:`` in the
study) or the calibration moments (``outputs: moments``).
Bad input (unknown key, policy lever, range outside the allowed one) → one line, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.evaluate import ModelEvaluator
from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.analysis.kpis import RUN_KPIS
from simulation.analysis.moments import TARGET_BY_MOMENT
from simulation.analysis.sensitivity import (
    Result,
    evaluator,
    implausible_indices,
    load_study,
    run,
)
from simulation.apps.common import EXIT_BAD_INPUT, check_output, one_line_errors
from simulation.figures.sensitivity import indices_markdown, morris_figure, sobol_figure
from simulation.figures.style import save_figure
from simulation.io import (
    atomic_write_text,
    command_line,
    git_commit,
    write_manifest,
    write_parquet,
)


def seed_noise(evaluator: ModelEvaluator, n_seeds: int) -> np.ndarray:
    """KPI variance across ``n_seeds`` seeds at the default point (no parameter changed)."""
    seeds = np.arange(1, n_seeds + 1, dtype=float)[:, None]
    return np.var(evaluator(seeds, ["seed"], "seed noise"), axis=0, ddof=1)


def draw(result: Result, info: dict, out: Path) -> None:
    """Write ``indices.md``, ``morris.png`` and ``sobol.png`` from a study's tables."""
    atomic_write_text(out / "indices.md", indices_markdown(result, info))
    outputs = list(dict.fromkeys(result.morris["output"]))
    titles = {k: _title(k) for k in outputs}
    note = (f"{info['model_runs']:,} model runs · {' '.join(info['overrides'])} · seeds "
            f"{info['seeds']} (common random numbers) · commit {info['git_commit'][:10]}")
    save_figure(morris_figure(result.morris, titles, note), out / "morris", ("png",))
    if not result.sobol.empty:
        save_figure(sobol_figure(result.sobol, titles, note), out / "sobol", ("png",))


def _title(output: str) -> str:
    """A panel title: the KPI's or moment's description (a difference keeps its scenarios)."""
    kpi, _, diff = output.partition(": ")
    if kpi in RUN_KPIS:
        return RUN_KPIS[kpi].description + (f", {diff}" if diff else "")
    if output in TARGET_BY_MOMENT:
        return output.replace("_", " ")
    return output


def redraw(out: Path) -> int:
    """Redraw a finished study's figures and tables without running the model."""
    try:
        info = json.loads((out / "run.json").read_text(encoding="utf-8"))
        morris = pd.read_csv(out / "morris.csv")
        sobol = pd.read_csv(out / "sobol.csv")
    except (OSError, ValueError) as exc:
        print(f"error: {out} holds no finished study ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    draw(Result(morris, info["selected"], sobol, {}), info, out)
    print(f"redrawn in {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run a study; return the exit code."""
    parser = argparse.ArgumentParser(prog=command_line("hcmc-sensitivity"),
                                     description=__doc__.splitlines()[0])
    parser.add_argument("study", help="study file, e.g. experiments/sensitivity/study.yaml")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--noise-seeds", type=int, default=10,
                        help="seeds run at the default point to measure seed noise")
    parser.add_argument("--redraw", action="store_true",
                        help="only redraw figures and indices.md from the saved tables")
    args = parser.parse_args(argv)
    if args.redraw:
        return redraw(Path(args.out))
    t0 = time.perf_counter()
    commit = git_commit()  # the code that runs, before anything can change the work tree
    out = Path(args.out)
    with one_line_errors():
        study = load_study(args.study)
        model = current()
        check_output(out, "--out")  # before hours of model runs, not after
        with evaluator(study, args.workers) as ev:
            outputs = ev.outputs
            result = run(study, ev, outputs)
            noise = seed_noise(ev, args.noise_seeds) / len(study.seeds)
    with one_line_errors():  # e.g. the disk filled up during the study
        out.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out / "morris.csv", result.morris.to_csv(index=False))
        atomic_write_text(out / "sobol.csv", result.sobol.to_csv(index=False))
        for name, df in result.samples.items():
            write_parquet(out / f"samples_{name}.parquet", df)
    sobol_y = result.samples.get("sobol")
    samples = sobol_y if sobol_y is not None else result.samples["morris"]
    spread = samples[outputs].var(ddof=1).to_numpy()
    info = {
        "study": str(args.study), "overrides": study.overrides, "seeds": study.seeds,
        "outputs": study.outputs, "scenarios": study.scenarios, "baseline": study.baseline,
        "parameters": len(study.parameters), "selected": result.selected,
        "model_runs": ev.runs, "wall_time_s": round(time.perf_counter() - t0, 1),
        "workers": ev.workers,
        "seed_noise_share": {k: float(n / s) if s > 0 else None
                             for k, n, s in zip(outputs, noise, spread, strict=True)},
    }
    with one_line_errors():
        info = write_manifest(out / "run.json", info, commit)
        write_fingerprint(out, model, commit, command=".venv/bin/hcmc-sensitivity "
                          f"{args.study} --out {args.out}")
        draw(result, info, out)
    for warning in implausible_indices(result.sobol):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"selected: {', '.join(result.selected) or 'none'}")
    print(f"{info['model_runs']:,} model runs in {info['wall_time_s']:.0f} s; "
          f"results written to {out}")
    return 0
