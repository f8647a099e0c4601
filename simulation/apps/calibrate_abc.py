"""The ABC-SMC face of the calibrate app: run (or resume) the posterior and write its folder."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from simulation.analysis.abc import Prior, Settings, generation_frame, weighted_quantile
from simulation.analysis.fingerprint import current, write_fingerprint
from simulation.analysis.moments import TARGETS
from simulation.analysis.posterior import draws, estimate, medians
from simulation.config.compose import CONFIG_DIR
from simulation.config.keys import changed
from simulation.config.params import ModelParams
from simulation.config.schema import CalibrateConfig
from simulation.figures.posterior import coverage_figure, marginals_figure, predictive_figure
from simulation.figures.style import save_figure
from simulation.io import atomic_write_text, command_line, git_commit, shown_path, write_manifest
from simulation.runs.replicate import default_workers, replication_seeds

#: the seed stream of the coverage check's synthetic datasets (the calibration uses stream 0)
PARAMS_DIR = CONFIG_DIR / "params"
INSTALLED_DRAWS = PARAMS_DIR / "posterior_draws.csv"  # compare's default: output_name=posterior
COVERAGE_STREAM = 1


def overrides_of(params: ModelParams) -> list[str]:
    """The app's fixed ``params`` as Hydra overrides (only what differs from the defaults)."""
    now = OmegaConf.to_container(OmegaConf.structured(params))
    default = OmegaConf.to_container(OmegaConf.structured(ModelParams()))

    def flat(d: dict, prefix: str) -> list[str]:
        out = []
        for k, v in d.items():
            out += flat(v, f"{prefix}{k}.") if isinstance(v, dict) else [f"{prefix}{k}={v}"]
        return out

    return flat(changed(now, default), "params.")


def prior_of(cfg: CalibrateConfig) -> Prior:
    """The uniform prior box of the calibrated keys (``params.…``)."""
    return Prior(tuple(f"params.{b.key}" for b in cfg.parameters),
                 tuple(float(b.low) for b in cfg.parameters),
                 tuple(float(b.high) for b in cfg.parameters))


def run_abc(cfg: CalibrateConfig) -> dict:
    """Estimate the posterior, write the folder and the draws file; return the estimate."""
    t0 = time.perf_counter()
    commit, model = git_commit(), current()
    prior = prior_of(cfg)
    a = cfg.abc
    settings = Settings(reference=a.reference, population=a.population,
                        generations=a.generations, eps_final=a.eps_final,
                        ess_share=a.ess_share, min_ess=a.min_ess, chunk=a.chunk, seed=cfg.seed)
    overrides = overrides_of(cfg.params)
    seeds = replication_seeds(cfg.seed, cfg.replications)
    folder = Path(a.folder)
    est = estimate(prior, settings, overrides, seeds,
                   replication_seeds(cfg.seed, cfg.replications, COVERAGE_STREAM),
                   a.coverage_datasets, folder, cfg.workers, cfg.progress,
                   log=lambda line: print(line, file=sys.stderr, flush=True))
    wall = time.perf_counter() - t0
    post = est["generations"][-1]
    names = tuple(k.removeprefix("params.") for k in prior.names)
    population = generation_frame(post, prior.names)
    atomic_write_text(folder / "posterior.csv", population.to_csv(index=False))
    atomic_write_text(folder / "summary.csv", est["summary"].to_csv(index=False))
    atomic_write_text(folder / "correlations.csv", est["correlations"].to_csv())
    sample = draws(post, names, a.draws, cfg.seed)
    draws_file = Path(a.draws_file) if a.draws_file else folder / "posterior_draws.csv"
    atomic_write_text(draws_file, sample.round(6).to_csv(index=False))
    installed = PARAMS_DIR / f"{cfg.output_name}_draws.csv"
    if cfg.install:  # checked before the run: never over an existing file
        atomic_write_text(installed, sample.round(6).to_csv(index=False))
    note = (f"ABC-SMC, {len(est['generations'])} generations, {est['runs']:,} runs "
            f"({len(seeds)} seeds per particle, {' '.join(overrides) or 'default agents'}); "
            f"commit {commit[:10]}")
    figs = folder / "figures"
    save_figure(marginals_figure(population, est["summary"], note), figs / "marginals", ("png",))
    save_figure(predictive_figure(population, note), figs / "predictive", ("png",))
    if "coverage" in est:
        atomic_write_text(folder / "coverage.csv", est["coverage"].to_csv(index=False))
        atomic_write_text(folder / "coverage_summary.csv",
                          est["coverage_table"].to_csv(index=False))
        save_figure(coverage_figure(est["coverage"], note), figs / "coverage", ("png",))
    info = {"method": "ABC-SMC", "date": date.today().isoformat(), "seeds": seeds,
            "overrides": overrides, "parameters": list(prior.names),
            "prior": {k: [lo, hi] for k, lo, hi in zip(prior.names, prior.low, prior.high,
                                                        strict=True)},
            "settings": OmegaConf.to_container(OmegaConf.structured(a)),
            "generations": [{"t": g.t, "eps": g.eps, "ess": g.ess, "particles": len(g.weights)}
                            for g in est["generations"]],
            "model_runs": est["runs"], "wall_time_s": round(wall, 1),
            "workers": cfg.workers or default_workers(), "model_fingerprint": model,
            "median": medians(post, prior.names), "draws_file": str(draws_file),
            "installed": shown_path(installed) if cfg.install else None}
    info = write_manifest(folder / "run.json", info, commit)
    write_fingerprint(folder, model, commit, model_runs=est["runs"], seeds=len(seeds),
                      command=" ".join([".venv/bin/hcmc-calibrate", *sys.argv[1:]]))
    atomic_write_text(folder / "report.md", report(est, info, population))
    print(f"\nposterior of {len(prior.names)} parameters after {est['runs']:,} runs "
          f"({wall:.0f} s); written to {shown_path(folder)}")
    if cfg.install:
        print(f"installed: {shown_path(installed)}"
              + (" (the draws comparisons run over by default)"
                 if installed == INSTALLED_DRAWS else ""))
    else:
        print(f"not installed (install=true copies the draws to {shown_path(installed)}; "
              f"output_name=posterior makes them the default of comparisons); to compare over "
              "them: " + command_line("hcmc-compare",
                                      f"parameter_draws={shown_path(draws_file)}"))
    print(_md(est["summary"][["parameter", "median", "q05", "q95", "contraction",
                                         "identifiability"]]))
    return est


def _md(df: pd.DataFrame) -> str:
    return df.to_markdown(index=False, floatfmt=".4g")


def predictive_table(population: pd.DataFrame) -> pd.DataFrame:
    """Posterior predictive of every moment next to its target band."""
    w = population["weight"].to_numpy()
    rows = []
    for t in TARGETS:
        x = population[f"m_{t.moment}"].to_numpy(float)
        ok = np.isfinite(x)
        q = weighted_quantile(x[ok], w[ok], np.array([0.05, 0.5, 0.95]))
        rows.append({"moment": t.moment, "target": t.central, "band": f"{t.low:g}–{t.high:g}",
                     "median": q[1], "p05": q[0], "p95": q[2],
                     "median_in_band": bool(t.low <= q[1] <= t.high)})
    return pd.DataFrame(rows)


def report(est: dict, info: dict, population: pd.DataFrame) -> str:
    """The posterior report (Markdown)."""
    gens = pd.DataFrame(info["generations"])
    s = est["summary"].copy()
    s["parameter"] = s["parameter"].str.removeprefix("params.")
    parts = [
        f"# Posterior (ABC-SMC), {info['date']}\n",
        f"{info['model_runs']:,} model runs in {info['wall_time_s']:.0f} s on "
        f"{info['workers']} processes; {len(info['seeds'])} seeds per particle (the same for "
        f"every particle); overrides: {' '.join(info['overrides']) or 'none'}; commit "
        f"{info.get('git_commit', '')[:10]}.\n",
        "## Generations\n", _md(gens), "",
        "## Parameters\n\nMedian (the shipped default), 50 % and 90 % intervals, contraction "
        "(1 − posterior variance / prior variance) and identifiability.\n",
        _md(s[["parameter", "prior_low", "prior_high", "median", "q25", "q75", "q05",
                          "q95", "contraction", "identifiability"]]), "",
        "## Posterior correlations\n",
        _md(est["correlations"].rename(
            index=lambda k: k.removeprefix("params."),
            columns=lambda k: k.removeprefix("params.")).reset_index(names="parameter")), "",
        "## Posterior predictive of the targets\n", _md(predictive_table(population)),
        ""]
    if "coverage_table" in est:
        c = est["coverage_table"].copy()
        c["parameter"] = c["parameter"].str.removeprefix("params.")
        parts += ["## Coverage check\n\nSynthetic datasets from prior draws (other seeds, plus "
                  "the error model's noise); importance-sampling posterior on the prior "
                  "reference table; share of datasets whose 50 % / 90 % interval covers the "
                  "truth, with the 90 % range expected by chance.\n", _md(c), ""]
    return "\n".join(parts) + "\n"
