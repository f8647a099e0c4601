"""Decision-support figures: the Pareto front of a policy search, PRIM boxes, robustness.

Every function takes the tables the commands write (``trials``/``pareto``, ``boxes``,
``robustness``, ``futures``) and returns a Matplotlib figure in the presentation style, with
every word from the EN/VI catalog (:mod:`simulation.figures.labels`).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from simulation.analysis.discovery import SIGNIFICANT_QP
from simulation.figures.compare import scenario_color
from simulation.figures.labels import Labels
from simulation.figures.style import INK, MUTED, PALETTE, finish, number_axis, talk_style

GREY = "#BBBBBB"
MISS, MEET = PALETTE[5], PALETTE[0]  # vermillion, blue
USE_COLORS = {"agreements": PALETTE[0], "promotions": PALETTE[1], "digital": PALETTE[2],
              "land": PALETTE[3]}


def letters(n: int) -> list[str]:
    """A, B, C, … for the chosen packages."""
    return [chr(ord("A") + i) if i < 26 else f"P{i + 1}" for i in range(n)]


def _axis_label(lab: Labels, name: str, unit: str, width: int = 48) -> str:
    return textwrap.fill(f"Δ {lab.outcome(name, short=True)} ({lab.unit(unit)})", width)


def pareto_figure(trials: pd.DataFrame, objectives: list[tuple[str, str]], chosen: list[int],
                  references: pd.DataFrame | None, title: str, note: str,
                  labels: Labels | None = None) -> Figure:
    """Packages in objective space with the Pareto front, and the chosen packages' budgets.

    Two objectives: one panel; three or more: the first against the second and against the
    third (the front is the same set of packages in both).

    Args:
        trials: every package (:func:`simulation.analysis.optimise.trials_table`).
        objectives: (name, unit) of the objectives.
        chosen: trial numbers of the chosen packages (labelled A, B, …).
        references: hand-written scenarios evaluated at the same seeds (or None).
        title, note: heading and footnote.
        labels: display text.
    """
    lab = labels or Labels("en")
    pairs = [(0, 1)] if len(objectives) == 2 else [(0, 1), (0, 2)]
    if len(objectives) == 1:
        pairs = [(0, 0)]
    with talk_style():
        widths = [2.1, 1] if len(pairs) == 1 else [1.2, 1.2, 0.9]
        fig, axes = plt.subplots(1, len(pairs) + 1, gridspec_kw={"width_ratios": widths})
        for k, (i, j) in enumerate(pairs):
            _front_panel(axes[k], trials, objectives[i], objectives[j], chosen, references,
                         lab, line=len(objectives) == 2)
        _budget_bars(axes[-1], trials, chosen, letters(len(chosen)), lab)
        handles, texts = axes[0].get_legend_handles_labels()
        finish(fig, title, note, legend=(handles, texts, 2))
    return fig


def _front_panel(ax, trials: pd.DataFrame, x: tuple[str, str], y: tuple[str, str],
                 chosen: list[int], references: pd.DataFrame | None, lab: Labels,
                 line: bool) -> None:
    (xn, xu), (yn, yu) = x, y
    front = trials[trials["pareto"]].sort_values(xn)
    rest = trials[~trials["pareto"]]
    color = PALETTE[0]
    ax.scatter(rest[xn], rest[yn], s=28, color=GREY, label=lab.t("other packages"), zorder=1)
    ax.errorbar(front[xn], front[yn],
                xerr=[front[xn] - front[f"{xn}_low"], front[f"{xn}_high"] - front[xn]],
                yerr=[front[yn] - front[f"{yn}_low"], front[f"{yn}_high"] - front[yn]],
                fmt="none", ecolor=color, alpha=0.3, elinewidth=1, zorder=2)
    if line:
        ax.plot(front[xn], front[yn], color=color, linewidth=1.5, zorder=2)
    ax.scatter(front[xn], front[yn], s=90, color=color, edgecolors=INK, linewidths=0.6,
               zorder=3, label=lab.t("pareto front"))
    by_trial = trials.set_index("trial")
    for name, t in zip(letters(len(chosen)), chosen, strict=True):
        px, py = by_trial.loc[t, xn], by_trial.loc[t, yn]
        ax.scatter([px], [py], s=320, facecolors="none", edgecolors=INK, linewidths=2, zorder=4)
        ax.annotate(name, (px, py), xytext=(9, 9), textcoords="offset points", fontsize=17,
                    fontweight="bold", zorder=5)
    if references is not None and not references.empty:
        for i, r in enumerate(references.itertuples()):
            ax.scatter([getattr(r, xn)], [getattr(r, yn)], marker="*", s=420,
                       color=scenario_color(i + 1), edgecolors=INK, zorder=4,
                       label=f"{lab.scenario(r.scenario)} "
                             f"({lab.number(r.planned_bn)} {lab.t('bn VND per year')})")
    width = 48 if line else 30
    ax.set_xlabel(_axis_label(lab, xn, xu, width))
    ax.set_ylabel(_axis_label(lab, yn, yu, width))
    number_axis(ax, "x", lab.lang)
    number_axis(ax, "y", lab.lang)


def _budget_bars(ax, trials: pd.DataFrame, chosen: list[int], names: list[str],
                 lab: Labels) -> None:
    """Planned budget a year of each chosen package, by budget line (stacked)."""
    by_trial = trials.set_index("trial")
    lines = [c.removeprefix("planned_").removesuffix("_bn") for c in trials.columns
             if c.startswith("planned_") and c != "planned_bn"]
    left = np.zeros(len(chosen))
    y = np.arange(len(chosen))
    for line in lines:
        v = np.array([by_trial.loc[t, f"planned_{line}_bn"] for t in chosen], float)
        ax.barh(y, v, left=left, color=USE_COLORS.get(line, MUTED), label=lab.t(f"use {line}"))
        left += v
    ax.set_yticks(y, names)
    ax.set_ylim(len(chosen) - 0.5, -0.5)
    ax.set_xlabel(lab.t("bn VND per year"))
    number_axis(ax, "x", lab.lang)
    ax.set_title(textwrap.fill(lab.t("chosen packages"), 22), loc="left", fontsize=15)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
              fontsize=12)
    notes = []
    for t in chosen:
        extra = []
        row = by_trial.loc[t]
        if "cit_regime" in row and isinstance(row["cit_regime"], str):
            extra.append(lab.t("cit short", regime=lab.t(str(row["cit_regime"]))))
        if "capex_subsidy_pct" in row and pd.notna(row["capex_subsidy_pct"]) \
                and round(float(row["capex_subsidy_pct"]), 1) > 0:
            extra.append(lab.t("subsidy short", pct=lab.number(row["capex_subsidy_pct"], 1)))
        notes.append(textwrap.fill(", ".join(extra), 22))
    if any(notes):
        ax.set_xlim(0, max(left.max(), 1e-9) * 2.0)
        for i, text in enumerate(notes):
            ax.annotate(text, (left[i], i), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=11, color=MUTED)


def prim_figure(futures: pd.DataFrame, boxes: pd.DataFrame, gain: str, missed: np.ndarray,
                target: float, unit: str, names: dict[str, str], title: str, note: str,
                labels: Labels | None = None) -> Figure:
    """PRIM boxes: each box's restricted ranges, and the futures in the first box's plane.

    Args:
        futures: one row per future (uncertainties and the policy's gain ``gain``).
        boxes: :func:`simulation.analysis.discovery.boxes_table`.
        gain: the column of the policy's paired gain.
        missed: per future, True when the policy misses the target.
        target: the target (a line on the gain axis).
        unit: the outcome's unit.
        names: uncertainty → display name.
        title, note: heading and footnote.
        labels: display text.
    """
    lab = labels or Labels("en")
    with talk_style():
        fig, (ax, sx) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        rows = boxes.dropna(subset=["uncertainty"])
        ticks, tick_labels, y = [], [], 0.0
        for b, sub in rows.groupby("box", sort=True):
            first = sub.iloc[0]
            pct = {k: f"{first[k] * 100:.0f}\u00a0%" for k in ("coverage", "density")}
            ax.text(-0.02, y, lab.t("box stats", n=int(b), coverage=pct["coverage"],
                                    density=pct["density"],
                                    futures=int(first["futures_in_box"])),
                    fontsize=14, fontweight="bold", va="center", ha="left",
                    transform=ax.get_yaxis_transform())
            qp = sub[["qp_low", "qp_high"]].to_numpy(float)
            if not (np.nan_to_num(qp, nan=1.0) < SIGNIFICANT_QP).any():
                y += 0.6
                ax.text(-0.02, y, lab.t("box chance"), fontsize=12, style="italic",
                        color="#555555", va="center", ha="left",
                        transform=ax.get_yaxis_transform())
            y += 1.0
            for r in sub.itertuples():
                span = r.full_high - r.full_low
                lo, hi = (r.low - r.full_low) / span, (r.high - r.full_low) / span
                ax.barh(y, 1.0, left=0.0, height=0.5, color="#EEEEEE")
                ax.barh(y, hi - lo, left=lo, height=0.5, color=MISS, alpha=0.85)
                for v, at in ((r.low, lo), (r.high, hi)):
                    ax.text(at, y + 0.28, lab.number(v, 3 if abs(v) < 0.1 else 2),
                            ha="center", va="top", fontsize=12)
                ticks.append(y)
                tick_labels.append(names.get(r.uncertainty, r.uncertainty))
                y += 1.0
            y += 0.4
        ax.set_yticks(ticks, tick_labels)
        ax.set_ylim(max(y, 2.0) - 0.3, -0.7)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xticks([0, 1], [lab.t("range low"), lab.t("range high")])
        ax.grid(False)
        ax.set_title(textwrap.fill(lab.t("boxes title"), 42), loc="left", fontsize=16)
        _box_plane(sx, futures, rows, gain, missed, target, unit, names, lab)
        finish(fig, title, note)
    return fig


def _box_plane(ax, futures: pd.DataFrame, rows: pd.DataFrame, gain: str, missed: np.ndarray,
               target: float, unit: str, names: dict[str, str], lab: Labels) -> None:
    """Futures in the plane of the first box's two first dimensions (or one and the gain)."""
    first = rows[rows["box"] == rows["box"].min()] if not rows.empty else rows
    dims = list(first["uncertainty"])[:2] or [str(futures.columns[0])]
    xd = dims[0]
    yd = dims[1] if len(dims) > 1 else gain
    for mask, color, key in ((~missed, MEET, "meets target"), (missed, MISS, "misses target")):
        ax.scatter(futures.loc[mask, xd], futures.loc[mask, yd], s=26, color=color,
                   alpha=0.8, label=lab.t(key))
    lim = first.set_index("uncertainty") if not first.empty else None
    if lim is not None and xd in lim.index:
        x0, x1 = lim.loc[xd, "low"], lim.loc[xd, "high"]
        if yd in lim.index:
            y0, y1 = lim.loc[yd, "low"], lim.loc[yd, "high"]
        else:
            y0, y1 = ax.get_ylim()
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INK,
                               linewidth=2.2, linestyle="--", zorder=5))
    if yd == gain:
        ax.axhline(target, color=INK, linewidth=1)
        ax.annotate(lab.t("target"), (1.0, target), xycoords=("axes fraction", "data"),
                    xytext=(-4, 4), textcoords="offset points", ha="right", fontsize=12)
        ax.set_ylabel(f"Δ ({lab.unit(unit)})")
        number_axis(ax, "y", lab.lang)
    else:
        ax.set_ylabel(names.get(yd, yd))
    ax.set_xlabel(names.get(xd, xd))
    ax.set_title(textwrap.fill(lab.t("futures title"), 36), loc="left", fontsize=16)
    ax.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="best", fontsize=12)


def robustness_figure(table: pd.DataFrame, unit: str, title: str, note: str,
                      labels: Labels | None = None) -> Figure:
    """Share of futures meeting the target and mean regret, per policy."""
    lab = labels or Labels("en")
    with talk_style():
        fig, (ax, bx) = plt.subplots(1, 2)
        y = np.arange(len(table))
        colors = [scenario_color(i) for i in range(len(table))]
        names = [lab.scenario(p) for p in table["policy"]]
        share = table["share_meeting_target"].to_numpy(float) * 100
        ax.barh(y, share, color=colors)
        for i, v in enumerate(share):
            ax.annotate(f"{lab.number(v)}\u00a0%", (v, i), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=14)
        ax.set_xlim(0, 100)
        ax.set_xlabel(lab.t("share meeting"))
        bx.barh(y, table["mean_regret"], color=colors,
                xerr=[np.zeros(len(table)), table["p90_regret"] - table["mean_regret"]],
                error_kw={"ecolor": INK, "capsize": 3})
        bx.set_xlabel(textwrap.fill(f"{lab.t('mean regret')} ({lab.unit(unit)})", 40))
        number_axis(bx, "x", lab.lang)
        for a in (ax, bx):
            a.set_yticks(y, names)
            a.set_ylim(len(table) - 0.5, -0.5)
        bx.set_yticklabels([])
        finish(fig, title, note)
    return fig
