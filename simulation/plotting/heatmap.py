"""A KPI over a two-parameter grid (mean over seeds), with the interval in each cell."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.plotting.style import footnote, talk_style


def grid_heatmap(cells: pd.DataFrame, x: str, y: str, title: str, x_label: str, y_label: str,
                 note: str, value_fmt: str = "{:,.0f}", unit: str = "") -> Figure:
    """Heatmap of ``cells`` (one row per grid cell: ``x``, ``y``, ``mean``, ``half_width``).

    Each cell shows the mean and ± the half-width of its confidence interval.
    """
    table = cells.pivot(index=y, columns=x, values="mean").sort_index(ascending=False)
    half = cells.pivot(index=y, columns=x, values="half_width").loc[table.index, table.columns]
    with talk_style():
        fig, ax = plt.subplots()
        im = ax.imshow(table.to_numpy(), cmap="viridis", aspect="auto")
        ax.set_xticks(np.arange(table.shape[1]), [f"{v:g}" for v in table.columns])
        ax.set_yticks(np.arange(table.shape[0]), [f"{v:g}" for v in table.index])
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.grid(False)
        lo, hi = np.nanmin(table.to_numpy()), np.nanmax(table.to_numpy())
        for i in range(table.shape[0]):
            for j in range(table.shape[1]):
                v, h = table.iat[i, j], half.iat[i, j]
                dark = (v - lo) / (hi - lo or 1) < 0.6
                ax.text(j, i, f"{value_fmt.format(v)}\n± {value_fmt.format(h)}", ha="center",
                        va="center", fontsize=13, color="white" if dark else "black")
        bar = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(unit)
        ax.set_title(title)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        footnote(fig, note)
    return fig
