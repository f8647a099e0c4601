"""Sector breakdowns: levels by province and sector; scenario − baseline by sector."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.compare import scenario_color
from simulation.figures.labels import Labels
from simulation.figures.style import CATEGORICAL, INK, finish, number_axis, talk_style

# one colour per sector (Paul Tol's muted scheme, well apart from each other)
SECTOR_COLORS = [CATEGORICAL[i] for i in (0, 2, 5, 1, 6, 4, 7)]


def sector_bars(levels: pd.DataFrame, names: dict[str, str], title: str, note: str,
                lab: Labels, unit: str) -> Figure:
    """Stacked horizontal bars: one bar per province, one segment per sector.

    Args:
        levels: province × sector table of values (rows in display order, top first).
        names: province → display name.
        title: figure title.
        note: footnote.
        lab: display text (sector names).
        unit: unit of the values (axis label).
    """
    units = list(levels.index)
    sectors = list(levels.columns)
    with talk_style():
        fig, ax = plt.subplots()
        left = np.zeros(len(units))
        y = np.arange(len(units))
        for k, sector in enumerate(sectors):
            v = levels[sector].to_numpy(float)
            ax.barh(y, v, left=left, color=SECTOR_COLORS[k % len(SECTOR_COLORS)],
                    label=lab.sector(sector), edgecolor="white", linewidth=0.6)
            left += v
        top = float(left.max()) if len(left) else 0.0
        for i, total in enumerate(left):
            ax.text(total + top * 0.01, i, lab.compact(total), va="center", fontsize=13)
        ax.set_yticks(y, [names.get(u, u) for u in units])
        ax.set_ylim(len(units) - 0.5, -0.5)
        ax.set_xlim(0, top * 1.2 if top > 0 else 1)
        ax.set_xlabel(unit)
        ax.xaxis.set_major_locator(plt.MaxNLocator(5))
        number_axis(ax, "x", lab.lang)
        ax.grid(axis="y", visible=False)
        ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=14)
        finish(fig, title, note)
    return fig


def sector_differences(diffs: pd.DataFrame, sectors: list[str], scenarios: list[str],
                       title: str, note: str, lab: Labels, unit: str) -> Figure:
    """Paired differences scenario − baseline by sector, with their intervals.

    Args:
        diffs: columns ``scenario, sector, difference, diff_low, diff_high``.
        sectors: sectors in display order (top first).
        scenarios: compared scenarios in display order (colours as in every figure).
        title: figure title.
        note: footnote (replications, interval).
        lab: display text.
        unit: unit of the differences (axis label).
    """
    n = len(scenarios)
    height = 0.8 / max(n, 1)
    sub = diffs.set_index(["scenario", "sector"])
    with talk_style():
        fig, ax = plt.subplots()
        for j, sc in enumerate(scenarios):
            rows = sub.xs(sc, level="scenario").reindex(sectors)
            d = rows["difference"].to_numpy(float)
            err = np.vstack([d - rows["diff_low"].to_numpy(float),
                             rows["diff_high"].to_numpy(float) - d])
            y = np.arange(len(sectors)) + (j - (n - 1) / 2) * height
            ax.barh(y, d, height=height * 0.9, color=scenario_color(j), label=lab.scenario(sc),
                    xerr=err, error_kw={"ecolor": INK, "elinewidth": 1.0,
                                        "capsize": 2 if n <= 4 else 0})
        ax.set_yticks(np.arange(len(sectors)), [lab.sector(s) for s in sectors])
        ax.set_ylim(len(sectors) - 0.5, -0.5)
        ax.axvline(0, color=INK, linewidth=1)
        ax.set_xlabel(unit)
        ax.xaxis.set_major_locator(plt.MaxNLocator(5))
        number_axis(ax, "x", lab.lang)
        handles, texts = ax.get_legend_handles_labels()
        finish(fig, title, note, legend=(handles, texts, min(n, 4)))
    return fig
