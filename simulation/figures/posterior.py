"""The posterior shown: marginals against the prior, the posterior predictive, the coverage check.

Every function takes tables (the final ABC population with its weights and moments, the
parameter summary, the coverage table) and returns a Figure; nothing here runs the model.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.analysis.abc import weighted_quantile
from simulation.analysis.moments import TARGETS
from simulation.figures.style import PALETTE, finish, talk_style


def _grid(n: int, cols: int = 4) -> tuple[int, int]:
    cols = min(cols, n)
    return math.ceil(n / cols), cols


def _short(key: str) -> str:
    return key.removeprefix("params.")


def marginals_figure(population: pd.DataFrame, summary: pd.DataFrame, note: str) -> Figure:
    """Weighted posterior histogram of every parameter over its prior box, median and 90 %."""
    rows, cols = _grid(len(summary))
    with talk_style():
        fig, axes = plt.subplots(rows, cols, squeeze=False)
        for ax, r in zip(axes.flat, summary.itertuples(), strict=False):
            bins = np.linspace(r.prior_low, r.prior_high, 21)
            ax.hist(population[r.parameter], bins=bins, weights=population["weight"],
                    density=True, color=PALETTE[0], alpha=0.75, label="posterior")
            ax.axhline(1.0 / (r.prior_high - r.prior_low), color=PALETTE[8], lw=2, ls="--",
                       label="prior")
            ax.axvline(r.median, color=PALETTE[5], lw=2.5, label="median (default)")
            ax.axvspan(r.q05, r.q95, color=PALETTE[5], alpha=0.08)
            ax.set_title(_short(r.parameter), fontsize=14)
            ax.set_yticks([])
            ax.tick_params(axis="x", labelsize=12)
            ax.set_xlabel(f"contraction {r.contraction:.2f}", fontsize=12)
        for ax in list(axes.flat)[len(summary):]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        finish(fig, "Posterior of the calibrated parameters (ABC-SMC, pre-2023 targets)", note,
               (handles, labels, 3))
    return fig


def predictive_figure(population: pd.DataFrame, note: str) -> Figure:
    """Posterior predictive of every moment (5–95 % and 25–75 %) against its target band."""
    with talk_style():
        fig, axes = plt.subplots(1, len(TARGETS), squeeze=False)
        w = population["weight"].to_numpy()
        for ax, t in zip(axes.flat, TARGETS, strict=True):
            x = population[f"m_{t.moment}"].to_numpy(float)
            ok = np.isfinite(x)
            q = weighted_quantile(x[ok], w[ok], np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
            ax.axhspan(t.low, t.high, color=PALETTE[2], alpha=0.18, label="target band")
            ax.axhline(t.central, color=PALETTE[2], lw=2, label="target")
            ax.vlines(0, q[0], q[4], color=PALETTE[0], lw=4, label="model 5–95 %")
            ax.vlines(0, q[1], q[3], color=PALETTE[0], lw=12, label="model 25–75 %")
            ax.plot(0, q[2], "o", color="white", mec=PALETTE[0], ms=9, label="model median")
            ax.set_xlim(-1, 1)
            ax.set_xticks([])
            lo = min(t.low, q[0])
            hi = max(t.high, q[4])
            pad = 0.08 * (hi - lo)
            ax.set_ylim(lo - pad, hi + pad)
            ax.set_title(textwrap.fill(t.moment.replace("_", " "), 13), fontsize=12)
            ax.tick_params(axis="y", labelsize=12)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        finish(fig, "Posterior predictive of the calibration moments against the pre-2023 "
               "targets", note, (handles, labels, 5))
    return fig


def coverage_figure(coverage: pd.DataFrame, note: str) -> Figure:
    """Histogram of the posterior CDF at the truth per parameter (flat if calibrated)."""
    names = list(dict.fromkeys(coverage["parameter"]))
    rows, cols = _grid(len(names))
    with talk_style():
        fig, axes = plt.subplots(rows, cols, squeeze=False)
        for ax, name in zip(axes.flat, names, strict=False):
            u = coverage.loc[coverage["parameter"] == name, "cdf"].to_numpy()
            ax.hist(u, bins=np.linspace(0, 1, 11), color=PALETTE[0], alpha=0.8)
            ax.axhline(len(u) / 10, color=PALETTE[8], ls="--", lw=2)
            in50 = np.mean(np.abs(u - 0.5) < 0.25)
            in90 = np.mean(np.abs(u - 0.5) < 0.45)
            ax.set_title(_short(name), fontsize=14)
            ax.set_xlabel(f"50 %: {in50:.2f} · 90 %: {in90:.2f}", fontsize=12)
            ax.tick_params(labelsize=12)
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        finish(fig, "Coverage check: posterior CDF at the true value of synthetic datasets "
               "(uniform = calibrated)", note)
    return fig


def facts_figure(facts: pd.DataFrame, note: str) -> Figure:
    """Observed facts after March 2023 against the model's mean and 5–95 % range (one panel each).

    Each panel has its own scale; the band that the fact must lie in is shaded.
    """
    rows, cols = _grid(len(facts), 5)
    with talk_style():
        fig, axes = plt.subplots(rows, cols, squeeze=False)
        for ax, r, ok in zip(axes.flat, facts.itertuples(), facts["pass"], strict=False):
            lo, hi = (float(x) for x in r.band.split("–"))
            ax.axhspan(lo, hi, color=PALETTE[2], alpha=0.18, label="accepted band")
            ax.vlines(0, r.model_p05, r.model_p95, color=PALETTE[0], lw=6,
                      label="model 5–95 %")
            ax.plot(0, r.model_mean, "o", color="white", mec=PALETTE[0], ms=10,
                    label="model mean")
            if np.isfinite(r.observed):
                ax.plot(0, r.observed, "D", color=PALETTE[5], ms=10, label="observed")
            ax.set_xlim(-1, 1)
            ax.set_xticks([])
            ax.set_title(textwrap.fill(r.fact, 26), fontsize=10)
            ax.tick_params(axis="y", labelsize=11)
            ax.set_facecolor("#FFFFFF" if ok else "#FBEAEA")  # "pass" is no tuple field
        for ax in list(axes.flat)[len(facts):]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        finish(fig, "After March 2023: the model under the agreements against what was "
               "observed", note, (handles, labels, 4))
    return fig
