"""Figures of a scenario comparison: difference bars with intervals, fan charts over quarters.

Both take tidy tables (the comparison table, or quarterly values per replication) and return a
Matplotlib figure in the presentation style; they never run or import the model.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation.plotting.style import PALETTE, footnote, talk_style, vi

BASELINE_COLOR = "#777777"
# scenario colours: the palette without yellow (too pale for lines on white) and the greys
# (the baseline is grey), then Paul Tol's muted hues, black last
SCENARIO_COLORS = ([c for c in PALETTE if c not in ("#F0E442", "#999999", "#000000")]
                   + ["#882255", "#44AA99", "#999933", "#332288", "#000000"])


def scenario_color(i: int) -> str:
    """Colour of the i-th compared scenario (the same in every figure)."""
    return SCENARIO_COLORS[i % len(SCENARIO_COLORS)]


def _thousands(ax: Axes, axis: str = "x") -> None:
    fmt = plt.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def difference_bars(table: pd.DataFrame, title: str, unit: str, note: str,
                    main: list[str], other: list[str], total: str | None = None) -> Figure:
    """Paired differences with their intervals, one bar per scenario and location.

    Args:
        table: rows of the comparison table for one indicator, measure and boundary set, with
            ``scenario, location, location_name, difference, diff_low, diff_high``.
        title: figure title.
        unit: unit of the differences (axis label).
        note: footnote (scenarios, replications, interval, data year).
        main: locations of the left panel (the partner provinces), top to bottom.
        other: locations of the right panel (totals, HCMC and the non-partner regions), which
            have their own scale.
        total: the location of ``other`` that is the partners' total (set apart in bold).
    """
    scenarios = list(dict.fromkeys(table["scenario"]))
    n = len(scenarios)
    sub = table.set_index(["location", "scenario"])
    names = table.drop_duplicates("location").set_index("location")["location_name"]
    with talk_style():
        fig, axes = plt.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        height = 0.8 / n
        for ax, locs in zip(axes, (main, other), strict=True):
            for j, sc in enumerate(scenarios):
                rows = sub.xs(sc, level="scenario").reindex(locs)
                y = np.arange(len(locs)) + (j - (n - 1) / 2) * height
                diff = rows["difference"].to_numpy(float)
                err = np.vstack([diff - rows["diff_low"].to_numpy(float),
                                 rows["diff_high"].to_numpy(float) - diff])
                ax.barh(y, diff, height=height * 0.9, color=scenario_color(j),
                        label=sc.replace("_", " "), xerr=err,
                        error_kw={"ecolor": "#222222", "elinewidth": 1.0,
                                  "capsize": 2 if n <= 4 else 0})
            ax.set_yticks(np.arange(len(locs)), [vi(str(names.get(c, c))) for c in locs])
            for i, code in enumerate(locs):
                if code == total:
                    ax.get_yticklabels()[i].set_fontweight("bold")
                    ax.axhline(i + 0.5, color="#222222", linewidth=0.8)
            ax.set_ylim(len(locs) - 0.5, -0.5)
            ax.axvline(0, color="#222222", linewidth=1)
            ax.xaxis.set_major_locator(plt.MaxNLocator(4 if ax is axes[0] else 3))
            _thousands(ax)
            ax.set_xlabel(unit)
        axes[0].set_title("Partner provinces", loc="left")
        axes[1].set_title("Totals and other regions", loc="left")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper left", ncol=min(n, 4), frameon=False,
                   fontsize=13, bbox_to_anchor=(0.01, 0.945))
        fig.suptitle(vi(title), fontsize=21, fontweight="bold", x=0.01, ha="left")
        fig.tight_layout(rect=(0, 0.05, 1, 0.95))  # makes room for the legend too
        footnote(fig, note)
    return fig


def _quarter_axis(ax: Axes, quarters: list[str]) -> None:
    ticks = [i for i, q in enumerate(quarters) if q.endswith("Q1")] or [0]
    step = max(1, math.ceil(len(ticks) / 6))
    ticks = ticks[::step]
    ax.set_xticks(ticks, [quarters[i][:4] for i in ticks])
    ax.set_xlim(-0.5, len(quarters) - 0.5)


def _fan(ax: Axes, values: pd.DataFrame, color: str, label: str) -> None:
    """Median line with 50 % and 90 % bands of a quarter × replication frame."""
    q = np.quantile(values.to_numpy(float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    x = np.arange(values.shape[0])
    ax.fill_between(x, q[0], q[4], color=color, alpha=0.18, linewidth=0)
    ax.fill_between(x, q[1], q[3], color=color, alpha=0.38, linewidth=0)
    ax.plot(x, q[2], color=color, linewidth=2.5, label=label)


def fan_chart(values: pd.DataFrame, baseline: str, title: str, unit: str, note: str,
              difference: bool = True, order: list[str] | None = None) -> Figure:
    """Fan charts over quarters, one panel per scenario (median, 50 % and 90 % bands).

    Args:
        values: columns ``scenario, replication, quarter, value`` (one location, one indicator).
        baseline: the reference scenario.
        title: figure title.
        unit: unit of the values (axis label).
        note: footnote.
        difference: draw the paired difference scenario − baseline (replication by
            replication); otherwise draw the levels of the scenario over the baseline's.
        order: scenarios in display order (default: order of appearance); panel k gets the
            colour of the k-th compared scenario, as in :func:`difference_bars`.
    """
    wide = values.pivot_table(index="quarter", columns=["scenario", "replication"],
                              values="value", observed=True, sort=False)
    quarters = sorted(wide.index.astype(str))
    wide = wide.reindex(quarters)
    present = set(values["scenario"])
    scenarios = [s for s in (order or dict.fromkeys(values["scenario"]))
                 if s != baseline and s in present]
    base = wide[baseline]
    ncols = min(len(scenarios), 3)
    nrows = math.ceil(len(scenarios) / ncols)
    with talk_style():
        fig, axes = plt.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        for k, ax in enumerate(axes.flat):
            if k >= len(scenarios):
                ax.set_visible(False)
                continue
            sc = scenarios[k]
            color = scenario_color(k)
            if difference:
                _fan(ax, wide[sc][base.columns] - base, color, "paired difference")
                ax.axhline(0, color="#222222", linewidth=1)
            else:
                _fan(ax, base, BASELINE_COLOR, baseline.replace("_", " "))
                _fan(ax, wide[sc], color, sc.replace("_", " "))
                ax.legend(frameon=False, loc="upper left", fontsize=12)
            ax.set_title(sc.replace("_", " "), loc="left", fontsize=16)
            _quarter_axis(ax, quarters)
            ax.yaxis.set_major_locator(plt.MaxNLocator(5))
            _thousands(ax, "y")
        for ax in axes[:, 0]:
            ax.set_ylabel(unit)
        fig.suptitle(vi(title), fontsize=21, fontweight="bold", x=0.01, ha="left")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        footnote(fig, note + " · bands: 50 % and 90 % of replications, line: median")
    return fig
