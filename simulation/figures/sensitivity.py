"""A sensitivity study shown: Morris μ*–σ and Sobol bars, and the indices as Markdown."""

from __future__ import annotations

import math
import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter, MaxNLocator

from simulation.analysis.sensitivity import Result
from simulation.figures.style import PALETTE, finish, talk_style
from simulation.figures.text import markdown_table


def _short(key: str) -> str:
    return key.removeprefix("params.")


def _grid(n: int) -> tuple[int, int]:
    cols = 2 if n > 1 else 1
    return math.ceil(n / cols), cols


def _label(ax, xs: np.ndarray, ys: np.ndarray, labels: list[str], gap: float = 0.075) -> None:
    """Name points to the left of them, pushing labels apart vertically so none overlap."""
    x_max = max(float(np.max(xs)), 1e-12) * 1.05
    y_max = max(float(np.max(ys)), 1e-12) * 1.25
    ax.set_xlim(0, x_max)
    ax.set_ylim(0, y_max)
    order = np.argsort(ys)
    placed: list[float] = []
    for i in order:
        y = ys[i] / y_max
        if placed and y - placed[-1] < gap:
            y = placed[-1] + gap
        placed.append(y)
        ax.annotate(labels[i], (xs[i], ys[i]), xytext=(xs[i] / x_max - 0.02, y),
                    textcoords="axes fraction", ha="right", va="center", fontsize=11,
                    arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6})


def morris_figure(morris: pd.DataFrame, titles: dict[str, str], note: str,
                  label_top: int = 5) -> Figure:
    """μ* (mean absolute elementary effect) against σ, one panel per KPI.

    Parameters kept for the Sobol stage are drawn filled and named (without a selection, the
    ``label_top`` largest μ* are named); the others are hollow.
    """
    outputs = list(dict.fromkeys(morris["output"]))
    rows, cols = _grid(len(outputs))
    with talk_style():
        fig, axes = plt.subplots(rows, cols, figsize=(13.333, 7.5 * rows / 1.6), squeeze=False)
        for ax, out in zip(axes.flat, outputs, strict=False):
            d = morris[morris["output"] == out]
            sel = d["selected"] if "selected" in d else np.zeros(len(d), bool)
            ax.scatter(d.loc[~sel, "mu_star"], d.loc[~sel, "sigma"], s=50,
                       facecolors="none", edgecolors=PALETTE[8], label="screened out")
            ax.scatter(d.loc[sel, "mu_star"], d.loc[sel, "sigma"], s=70, color=PALETTE[0],
                       label="selected (most influential)")
            top = d[sel & (d["mu_star"] > 0)] if sel.any() else d.nlargest(label_top, "mu_star")
            _label(ax, top["mu_star"].to_numpy(), top["sigma"].to_numpy(),
                   [_short(p) for p in top["parameter"]])
            ax.set_title(textwrap.fill(titles.get(out, out), 44), fontsize=14)
            ax.set_xlabel("μ* (mean |elementary effect|)", fontsize=13)
            ax.set_ylabel("σ (interactions, nonlinearity)", fontsize=13)
            ax.tick_params(labelsize=12)
            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(MaxNLocator(5))
                axis.set_major_formatter(EngFormatter(sep=""))
        for ax in list(axes.flat)[len(outputs):]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        finish(fig, "Morris screening of the uncertain parameters", note,
               legend=(handles, labels, 2))
    return fig


def sobol_figure(sobol: pd.DataFrame, titles: dict[str, str], note: str) -> Figure:
    """First-order (S1) and total-order (ST) Sobol indices with confidence bars, per KPI."""
    outputs = list(dict.fromkeys(sobol["output"]))
    rows, cols = _grid(len(outputs))
    with talk_style():
        fig, axes = plt.subplots(rows, cols, figsize=(13.333, 7.5 * rows / 1.6), squeeze=False)
        for ax, out in zip(axes.flat, outputs, strict=False):
            d = sobol[sobol["output"] == out].sort_values("ST")
            y = np.arange(len(d))
            h = 0.38
            ax.barh(y + h / 2, d["ST"], h, xerr=d["ST_conf"], color=PALETTE[0],
                    label="total order ST", capsize=3)
            ax.barh(y - h / 2, d["S1"], h, xerr=d["S1_conf"], color=PALETTE[1],
                    label="first order S1", capsize=3)
            ax.set_yticks(y, [_short(p) for p in d["parameter"]], fontsize=11)
            ax.axvline(0, color="#555555", lw=0.8)
            ax.set_title(textwrap.fill(titles.get(out, out), 44), fontsize=14)
            ax.set_xlabel("share of output variance", fontsize=13)
            ax.tick_params(axis="x", labelsize=12)
        for ax in list(axes.flat)[len(outputs):]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        finish(fig, "Sobol indices of the influential parameters (bars: 95 % bootstrap "
               "intervals)", note, legend=(handles[::-1], labels[::-1], 2))
    return fig


def indices_markdown(result: Result, info: dict[str, Any]) -> str:
    """Morris ranking (relative μ* per KPI) and Sobol indices with their intervals."""
    m = result.morris.pivot(index="parameter", columns="output", values="mu_star_rel")
    m = m.loc[m.max(axis=1).sort_values(ascending=False).index]
    m = m.map(lambda v: f"{v:.2f}").reset_index()
    m["parameter"] = m["parameter"].str.removeprefix("params.")
    lines = [f"Model runs: {info['model_runs']:,}; seeds per point: {info['seeds']}; "
             f"overrides: {info['overrides']}; commit {info['git_commit']}.", "",
             "### Morris screening: μ* relative to the largest μ* of each KPI", "",
             markdown_table(m, align=False), ""]
    if not result.sobol.empty:
        s = result.sobol.copy()
        s["parameter"] = s["parameter"].str.removeprefix("params.")
        s["S1 (95 % CI)"] = [f"{a:.2f} ± {b:.2f}" for a, b in zip(s.S1, s.S1_conf, strict=True)]
        s["ST (95 % CI)"] = [f"{a:.2f} ± {b:.2f}" for a, b in zip(s.ST, s.ST_conf, strict=True)]
        cols = ["output", "parameter", "S1 (95 % CI)", "ST (95 % CI)"]
        lines += ["### Sobol indices of the selected parameters", "",
                  markdown_table(s[cols], align=False), ""]
    noise = info.get("seed_noise_share") or {}
    if noise:
        lines += ["### Seed noise", "",
                  "Variance across seeds at the default point divided by the variance across "
                  "the Sobol sample (near 0: parameters dominate; near 1: noise dominates):", ""]
        lines += [f"- {k}: {v:.2f}" if v is not None else f"- {k}: n/a" for k, v in noise.items()]
        lines.append("")
    return "\n".join(lines)
