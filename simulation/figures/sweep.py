"""Figures of a parameter sweep: an indicator against one swept parameter, or over two.

Both take a table of cells (one row per setting of the swept parameters) holding the mean over
the seeds of that setting and the interval of the mean.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.labels import Labels
from simulation.figures.style import PALETTE, SEQUENTIAL, finish, number_axis, talk_style


def _ticks(values: list) -> list[str]:
    return [f"{v:g}" if isinstance(v, int | float) else str(v) for v in values]


def response(cells: pd.DataFrame, param: str, panels: list[tuple[str, str]], title: str,
             note: str, lab: Labels) -> Figure:
    """Each indicator against one swept parameter: mean over seeds with its interval.

    Args:
        cells: columns ``param`` (the swept values), ``kpi``, ``mean``, ``low``, ``high``.
        param: the swept parameter's column.
        panels: (indicator, panel title with its unit), in display order.
        title: figure title.
        note: footnote (seeds per setting, interval, data year).
        lab: display text.
    """
    numeric = pd.api.types.is_numeric_dtype(cells[param])
    values = sorted(cells[param].unique()) if numeric else list(dict.fromkeys(cells[param]))
    ncols = 2 if len(panels) in (2, 4) else min(len(panels), 3)
    nrows = math.ceil(len(panels) / ncols)
    with talk_style():
        fig, axes = plt.subplots(nrows, ncols, squeeze=False)
        for ax, (kpi, heading) in zip(axes.flat, panels, strict=False):
            sub = cells[cells["kpi"] == kpi].set_index(param).reindex(values)
            x = np.asarray(values, float) if numeric else np.arange(len(values))
            ax.fill_between(x, sub["low"], sub["high"], color=PALETTE[0], alpha=0.25,
                            linewidth=0)
            ax.errorbar(x, sub["mean"], yerr=[sub["mean"] - sub["low"],
                                              sub["high"] - sub["mean"]],
                        color=PALETTE[0], marker="o", ms=7, linewidth=2.2, capsize=3)
            if not numeric:
                ax.set_xticks(x, _ticks(values))
            ax.set_title(heading, loc="left", fontsize=15)
            ax.set_xlabel(lab.parameter(param), fontsize=14)
            ax.yaxis.set_major_locator(plt.MaxNLocator(4))
            number_axis(ax, "y", lab.lang)
        for ax in list(axes.flat)[len(panels):]:
            ax.set_visible(False)
        finish(fig, title, note)
    return fig


def heatmap(cells: pd.DataFrame, x: str, y: str, heading: str, note: str, lab: Labels,
            unit: str) -> Figure:
    """One indicator over a grid of two swept parameters: the mean in each cell ± half-width.

    Args:
        cells: one row per cell with columns ``x``, ``y``, ``mean``, ``low``, ``high``.
        x, y: the two swept parameters' columns.
        heading: figure title (indicator and unit).
        note: footnote.
        lab: display text.
        unit: unit of the indicator (colour bar label).
    """
    table = cells.pivot(index=y, columns=x, values="mean").sort_index(ascending=False)
    half = ((cells["high"] - cells["low"]) / 2).set_axis(cells.index)
    half = cells.assign(half=half).pivot(index=y, columns=x, values="half")
    half = half.loc[table.index, table.columns]
    grid = table.to_numpy(float)
    lo, hi = np.nanmin(grid), np.nanmax(grid)
    with talk_style():
        fig, ax = plt.subplots()
        im = ax.imshow(grid, cmap=SEQUENTIAL, aspect="auto")
        ax.set_xticks(np.arange(table.shape[1]), _ticks(list(table.columns)))
        ax.set_yticks(np.arange(table.shape[0]), _ticks(list(table.index)))
        ax.set_xlabel(lab.parameter(x))
        ax.set_ylabel(lab.parameter(y))
        ax.grid(False)
        small = table.size > 30
        for (i, j), v in np.ndenumerate(grid):
            dark = (v - lo) / ((hi - lo) or 1.0) < 0.6
            text = lab.compact(v) if small else f"{lab.compact(v)}\n± {lab.compact(half.iat[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=11 if small else 14,
                    color="white" if dark else "black")
        bar = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(unit)
        number_axis(bar.ax, "y", lab.lang)
        finish(fig, heading, note)
    return fig
