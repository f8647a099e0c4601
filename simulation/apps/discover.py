"""``hcmc-discover`` (``python -m simulation.apps.discover``): scenario discovery → a folder.

Example::

    .venv/bin/hcmc-discover policy=full_package outcome=partner_direct_jobs target=15000

Samples ``futures`` futures over the deep uncertainties (Latin hypercube), runs the baseline
and every policy in every future at the same seeds, and writes
``<output_dir>/<stamp>_<name>/``: every future with each policy's paired gain, the PRIM boxes
of the futures in which ``policy`` misses ``target`` (coverage, density, restricted
dimensions), the robustness of every policy (share of futures meeting the target, regret) as
CSV and Markdown, and figures. Bad input: one line, exit code 2, no folder; a failed run: one
line naming scenario and seed, exit code 3.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig

from simulation.analysis import discovery as dc
from simulation.analysis.comparison import FIGURE_FORMATS
from simulation.analysis.outcomes import PairedEvaluator
from simulation.apps.common import (
    EXIT_RUN_FAILED,
    Prechecked,
    discard_if_empty,
    fail,
    hydra_job,
    one_line_errors,
)
from simulation.config.compose import config_yaml, to_config
from simulation.config.decide import DiscoverConfig
from simulation.errors import ConfigError, DataError, RunFailedError
from simulation.figures.decide import prim_figure, robustness_figure
from simulation.figures.labels import Labels
from simulation.figures.style import save_figure
from simulation.figures.text import markdown_table
from simulation.figures.text import readable as number
from simulation.io import (
    atomic_write_text,
    git_commit,
    write_failure,
    write_manifest,
    write_parquet,
)

FILES = {
    "discovery.md": "the report: robustness of every policy, the PRIM boxes and how to read them",
    "futures.parquet": "every future: the sampled uncertainties, the baseline's level and each "
                       "policy's mean paired gain (also futures.csv)",
    "boxes.csv": "one row per PRIM box and restricted dimension: coverage, density, mass, "
                 "futures in the box, range, quasi-p-values, sampled range",
    "trajectory.csv": "the peeling and pasting trajectory of each box",
    "robustness.csv": "per policy: share of futures meeting the target, gain quantiles, regret",
    "figures/": "prim_boxes and robustness (PNG and SVG; _vi: Vietnamese)",
    "config.yaml": "the composed discovery config",
    "manifest.json": "written last: the folder is complete when it exists",
}


def to_discover_config(cfg: DictConfig | dict) -> DiscoverConfig:
    """A typed DiscoverConfig (unknown keys and wrong types rejected in one line)."""
    return to_config(cfg, DiscoverConfig)


def check(cfg: DiscoverConfig) -> dc.Setup:
    """Everything checked before anything runs (one-line errors)."""
    bad = [f for f in cfg.figure_formats if f not in FIGURE_FORMATS]
    if bad:
        raise ConfigError(f"figure_formats contains unknown {bad[0]!r}; allowed: "
                          + ", ".join(FIGURE_FORMATS))
    return dc.setup(cfg)


def discover_task(cfg: DictConfig) -> None:
    """The Hydra job: sample, run, analyse, write."""
    out, overrides = hydra_job()
    if (out / "manifest.json").exists():
        fail(f"{out} already holds a complete discovery; nothing was overwritten. Start again "
             "in a second or set another output_dir")
    try:
        c = to_discover_config(cfg)
        s = _COMMAND.setup_for(c)
    except (ConfigError, DataError) as exc:
        discard_if_empty(out)
        fail(str(exc))
    futures = dc.sample(c)
    print(f"Scenario discovery: {len(futures)} futures × ({c.baseline} + "
          f"{', '.join(s.policies)}) × {c.replications} seeds = "
          f"{len(futures) * (len(s.policies) + 1) * c.replications} runs, "
          f"{s.start}–{s.horizon}", file=sys.stderr)
    commit = git_commit()
    t0 = time.perf_counter()
    try:
        with PairedEvaluator([c.outcome], s.units, s.seeds, c.window_start, s.horizon,
                             c.workers, c.progress) as ev:
            results = dc.evaluate(s, futures, ev)
    except RunFailedError as exc:
        write_failure(out, exc, config_yaml(c), scenario=exc.scenario, seed=exc.seed)
        fail(f"{exc} (details in {out / 'failed.json'})", EXIT_RUN_FAILED)
    boxes = dc.prim_boxes(s, results)
    robust = dc.robustness(s, results)
    with one_line_errors():
        write_discovery(out, s, results, boxes, robust, commit, overrides,
                        time.perf_counter() - t0)
    print(summary(s, boxes, robust, out))


def names(cfg: DiscoverConfig) -> dict[str, str]:
    """Uncertainty → a display name with its key (the first, for several)."""
    return {u.name: u.name for u in cfg.uncertainties}


def report(s: dc.Setup, boxes: list[dc.Box], robust: pd.DataFrame, n_futures: int) -> str:
    """The discovery report (Markdown)."""
    c, o = s.cfg, s.outcome
    sense = "at least" if o.sense == "max" else "at most"
    lines = [f"# Scenario discovery: when does `{c.policy}` miss its target?", "",
             f"Outcome: **{o.label}** ({o.unit}), paired gain of each policy over "
             f"`{c.baseline}` in the same future and at the same {c.replications} seeds "
             f"(common random numbers, shared by all futures), {s.start}–{s.horizon}, "
             f"cumulative from {c.window_start}. Target: a gain of {sense} "
             f"{number(c.target)} {o.unit}. {n_futures} futures, a Latin hypercube over:", "",
             markdown_table(pd.DataFrame([{"uncertainty": u.name, "keys": ", ".join(u.keys),
                                           "low": u.low, "high": u.high, "why": u.source}
                                          for u in c.uncertainties])), "",
             "## Robustness of the policies", "",
             "Share of futures meeting the target; the gain's 10th and 90th percentile over "
             "the futures; regret = in each future, the gap to the best policy of the set "
             "(0 when it is the best), its mean, 90th percentile and maximum.", "",
             markdown_table(robust.assign(**{
                 "share_meeting_target": robust["share_meeting_target"].map("{:.0%}".format),
                 "best_in_share": robust["best_in_share"].map("{:.0%}".format)}).round(1)), "",
             "## Conditions under which the policy misses the target (PRIM)", "",
             "PRIM peels the uncertainty space down to boxes where misses concentrate. "
             "**Coverage**: share of all futures that miss the target which fall in the box. "
             "**Density**: share of the futures in the box that miss. A box restricts only a "
             "few uncertainties; the others may take any sampled value. The quasi-p-value of "
             "a limit (small is good) says how unlikely such a restriction would be by chance. "
             f"Each box is read off PRIM's trajectory as the one with the highest coverage "
             f"whose density reaches {c.prim.min_density:.0%}.", ""]
    if not boxes:
        lines.append("No box: the policy meets the target in every future sampled.")
    for b in boxes:
        lines += [f"### Box {b.number}: coverage {b.coverage:.0%}, density {b.density:.0%}, "
                  f"{b.n} futures ({b.mass:.0%} of all)", ""]
        if b.limits.empty:
            lines.append("No restriction (the whole space).")
        else:
            lines.append(markdown_table(b.limits[["uncertainty", "low", "high", "qp_low",
                                                  "qp_high", "full_low", "full_high"]]
                                        .round(3)))
        lines += ["", *[f"**Caution.** {w}" for w in dc.caveats(b, c.prim.min_density)]]
        lines.append("")
    lines += ["## Files", "", *[f"- `{k}`: {v}" for k, v in FILES.items()], ""]
    return "\n".join(lines)


def write_discovery(out: Path, s: dc.Setup, results: pd.DataFrame, boxes: list[dc.Box],
                    robust: pd.DataFrame, commit: str, overrides: list[str],
                    wall: float) -> None:
    """Every file of the folder, the manifest last."""
    c = s.cfg
    write_parquet(out / "futures.parquet", results.reset_index())
    atomic_write_text(out / "futures.csv", results.reset_index().to_csv(index=False))
    table = dc.boxes_table(boxes)
    atomic_write_text(out / "boxes.csv", table.to_csv(index=False))
    traj = pd.concat([b.trajectory.assign(box=b.number, chosen=b.trajectory.index == b.chosen)
                      for b in boxes], ignore_index=True) if boxes else pd.DataFrame()
    atomic_write_text(out / "trajectory.csv", traj.to_csv(index=False))
    atomic_write_text(out / "robustness.csv", robust.to_csv(index=False))
    atomic_write_text(out / "discovery.md", report(s, boxes, robust, len(results)))
    atomic_write_text(out / "config.yaml", config_yaml(c))
    figures = _figures(out, s, results, table, robust, commit) if c.figures else []
    write_manifest(out / "manifest.json", {
        "policy": c.policy, "policies": s.policies, "baseline": c.baseline,
        "outcome": c.outcome, "target": c.target, "futures": int(len(results)),
        "seeds": s.seeds, "start": s.start, "horizon": s.horizon,
        "boxes": [{"coverage": b.coverage, "density": b.density, "mass": b.mass,
                   "restricted": list(b.limits.get("uncertainty", []))} for b in boxes],
        "overrides": overrides, "wall_time_s": round(wall, 1),
        "files": sorted(str(p.relative_to(out)) for p in out.rglob("*")
                        if p.is_file() and ".hydra" not in p.parts) + ["manifest.json"],
        "figures": [str(p.relative_to(out)) for p in figures]}, commit)


def _figures(out: Path, s: dc.Setup, results: pd.DataFrame, table: pd.DataFrame,
             robust: pd.DataFrame, commit: str) -> list[Path]:
    c, o = s.cfg, s.outcome
    missed = ~dc.meets(s, results[c.policy])
    paths = []
    for lang, suffix in (("en", ""), ("vi", "_vi")):
        lab = Labels(lang)
        note = lab.t("prim note", futures=len(results), seeds=c.replications,
                     density=f"{c.prim.min_density * 100:g}\u00a0%", start=c.window_start,
                     end=s.horizon) + f" · commit {commit[:10]}"
        title = lab.t("prim title", policy=lab.scenario(c.policy), outcome=lab.outcome(o.name),
                      target=lab.number(c.target), unit=lab.unit(o.unit))
        fig = prim_figure(results, table, c.policy, missed, c.target, o.unit, names(c), title,
                          note, lab)
        paths += save_figure(fig, out / "figures" / f"prim_boxes{suffix}", c.figure_formats)
        title = lab.t("robustness title", futures=len(results), outcome=lab.outcome(o.name),
                      target=lab.number(c.target), unit=lab.unit(o.unit))
        fig = robustness_figure(robust, o.unit, title, note, lab)
        paths += save_figure(fig, out / "figures" / f"robustness{suffix}", c.figure_formats)
    return paths


def summary(s: dc.Setup, boxes: list[dc.Box], robust: pd.DataFrame, out: Path) -> str:
    """What the terminal shows at the end."""
    lines = ["", f"Policies over the futures (target: {s.outcome.name} gain "
                 f"{'≥' if s.outcome.sense == 'max' else '≤'} {number(s.cfg.target)}):"]
    for r in robust.itertuples():
        lines.append(f"  {r.policy:<28} meets target in {r.share_meeting_target:4.0%} of "
                     f"futures; mean gain {number(r.mean)}; mean regret {number(r.mean_regret)}")
    for b in boxes:
        dims = "; ".join(f"{r.uncertainty} in [{r.low:.3g}, {r.high:.3g}]"
                         for r in b.limits.itertuples()) or "no restriction"
        lines.append(f"  Box {b.number} (coverage {b.coverage:.0%}, density {b.density:.0%}): "
                     + dims)
        lines += [f"    caution: {w}" for w in dc.caveats(b, s.cfg.prim.min_density)]
    lines.append(f"\nDiscovery written to {out} (discovery.md, futures.parquet, boxes.csv, "
                 "robustness.csv, figures/)")
    return "\n".join(lines)


_COMMAND = Prechecked("discover", to_discover_config, check)
#: entry point of ``hcmc-discover`` and ``python -m simulation.apps.discover``
main = _COMMAND.main(discover_task)


if __name__ == "__main__":
    main()
