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

from simulation.figures.labels import Labels
from simulation.figures.style import INK, PALETTE, finish, number_axis, talk_style

BASELINE_COLOR = "#777777"
# scenario colours: the palette without yellow (too pale for lines on white) and the greys
# (the baseline is grey), then Paul Tol's muted hues, black last
SCENARIO_COLORS = ([c for c in PALETTE if c not in ("#F0E442", "#999999", "#000000")]
                   + ["#882255", "#44AA99", "#999933", "#332288", "#000000"])
_EN = Labels("en")


def scenario_color(i: int) -> str:
    """Colour of the i-th compared scenario (the same in every figure)."""
    return SCENARIO_COLORS[i % len(SCENARIO_COLORS)]


def difference_bars(table: pd.DataFrame, title: str, unit: str, note: str,
                    main: list[str], other: list[str], total: str | None = None,
                    labels: Labels | None = None, boundaries: str = "pre2025") -> Figure:
    """Paired differences with their intervals, one bar per scenario and location.

    Args:
        table: rows of the comparison table for one indicator, measure and boundary set, with
            ``scenario, location, location_name, difference, diff_low, diff_high``.
        title: figure title (with its unit).
        unit: unit of the differences (axis label).
        note: footnote (scenarios, replications, interval, data year).
        main: locations of the left panel (the partner provinces), top to bottom.
        other: locations of the right panel (the partners' and the national total, HCMC and
            the non-partner regions), which have their own scale.
        total: the location of ``other`` that is the partners' total (set apart in bold).
        labels: display text (default English; location names from ``location_name``).
        boundaries: ``pre2025`` or ``post2025`` (the names of the units after the reform).
    """
    lab = labels or _EN
    scenarios = list(dict.fromkeys(table["scenario"]))
    n = len(scenarios)
    sub = table.set_index(["location", "scenario"])
    names = table.drop_duplicates("location").set_index("location")["location_name"]
    if labels is not None:
        names = pd.Series(labels.names(list(names.index), boundaries))
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
                        label=lab.scenario(sc), xerr=err,
                        error_kw={"ecolor": INK, "elinewidth": 1.0,
                                  "capsize": 2 if n <= 4 else 0})
            ax.set_yticks(np.arange(len(locs)), [str(names.get(c, c)) for c in locs])
            for i, code in enumerate(locs):
                if code == total:
                    ax.get_yticklabels()[i].set_fontweight("bold")
                    ax.axhline(i + 0.5, color=INK, linewidth=0.8)
            ax.set_ylim(len(locs) - 0.5, -0.5)
            ax.axvline(0, color=INK, linewidth=1)
            ax.xaxis.set_major_locator(plt.MaxNLocator(4 if ax is axes[0] else 2))
            number_axis(ax, "x", lab.lang)
            ax.set_xlabel(unit)
        axes[0].set_title(lab.t("partner provinces"), loc="left")
        axes[1].set_title(lab.t("totals and others"), loc="left")
        handles, texts = axes[0].get_legend_handles_labels()
        finish(fig, title, note, legend=(handles, texts, min(n, 4)))
    return fig


def quarter_axis(ax: Axes, quarters: list[str], max_ticks: int = 6) -> None:
    """Year ticks on an axis indexed by quarter position (at most ``max_ticks``)."""
    ticks = [i for i, q in enumerate(quarters) if q.endswith("Q1")] or [0]
    step = max(1, math.ceil(len(ticks) / max_ticks))
    ticks = ticks[::step]
    ax.set_xticks(ticks, [quarters[i][:4] for i in ticks])
    ax.set_xlim(-0.5, len(quarters) - 0.5)


def fan(ax: Axes, values: pd.DataFrame, color: str, label: str, bands: bool = True) -> None:
    """Median line with 50 % and 90 % bands of a quarter × replication frame."""
    q = np.quantile(values.to_numpy(float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    x = np.arange(values.shape[0])
    if bands and values.shape[1] > 1:
        ax.fill_between(x, q[0], q[4], color=color, alpha=0.18, linewidth=0)
        ax.fill_between(x, q[1], q[3], color=color, alpha=0.38, linewidth=0)
    ax.plot(x, q[2], color=color, linewidth=2.5, label=label)


def fan_chart(values: pd.DataFrame, baseline: str, title: str, unit: str, note: str,
              difference: bool = True, order: list[str] | None = None,
              labels: Labels | None = None) -> Figure:
    """Fan charts over quarters, one panel per scenario (median, 50 % and 90 % bands).

    Args:
        values: columns ``scenario, replication, quarter, value`` (one location, one indicator).
        baseline: the reference scenario.
        title: figure title (with its unit).
        unit: unit of the values (axis label).
        note: footnote.
        difference: draw the paired difference scenario − baseline (replication by
            replication); otherwise draw the levels of the scenario over the baseline's.
        order: scenarios in display order (default: order of appearance); panel k gets the
            colour of the k-th compared scenario, as in :func:`difference_bars`.
        labels: display text (default English).
    """
    lab = labels or _EN
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
                fan(ax, wide[sc][base.columns] - base, color, lab.t("paired difference"))
                ax.axhline(0, color=INK, linewidth=1)
            else:
                fan(ax, base, BASELINE_COLOR, lab.scenario(baseline))
                fan(ax, wide[sc], color, lab.scenario(sc))
                ax.legend(frameon=False, loc="upper left", fontsize=12)
            ax.set_title(lab.scenario(sc), loc="left", fontsize=16)
            quarter_axis(ax, quarters)
            ax.yaxis.set_major_locator(plt.MaxNLocator(5))
            number_axis(ax, "y", lab.lang)
        for ax in axes[:, 0]:
            ax.set_ylabel(unit)
        finish(fig, title, note + " · " + lab.t("bands note"))
    return fig


FISCAL_LEVELS = ("partners", "hcmc", "other_provinces", "central", "national")


def net_fiscal_bars(benefits: pd.DataFrame, title: str, note: str,
                    labels: Labels | None = None) -> Figure:
    """Net fiscal effect (present value) per budget level, one bar per scenario, with intervals.

    Args:
        benefits: the cost and benefit table (``cost_benefit.parquet``) with rows
            ``net_fiscal_<level>_pv_bn``.
        title, note: heading (with the discount rate) and footnote.
        labels: display text (default English).
    """
    lab = labels or _EN
    scenarios = list(dict.fromkeys(benefits["scenario"]))
    sub = benefits.set_index(["scenario", "quantity"])
    n = len(scenarios)
    with talk_style():
        fig, ax = plt.subplots()
        height = 0.8 / n
        for j, sc in enumerate(scenarios):
            keys = [(sc, f"net_fiscal_{lv}_pv_bn") for lv in FISCAL_LEVELS]
            rows = sub.reindex(keys)
            est = rows["estimate"].to_numpy(float)
            err = np.vstack([est - rows["low"].to_numpy(float),
                             rows["high"].to_numpy(float) - est])
            y = np.arange(len(FISCAL_LEVELS)) + (j - (n - 1) / 2) * height
            ax.barh(y, est, height=height * 0.9, color=scenario_color(j),
                    label=lab.scenario(sc), xerr=err,
                    error_kw={"ecolor": INK, "elinewidth": 1.0, "capsize": 2})
        ax.set_yticks(np.arange(len(FISCAL_LEVELS)),
                      [lab.t(f"level {lv}") for lv in FISCAL_LEVELS])
        ax.get_yticklabels()[-1].set_fontweight("bold")
        ax.axhline(len(FISCAL_LEVELS) - 1.5, color=INK, linewidth=0.8)
        ax.set_ylim(len(FISCAL_LEVELS) - 0.5, -0.5)
        ax.axvline(0, color=INK, linewidth=1)
        ax.set_xlabel(lab.unit("bn VND"))
        number_axis(ax, "x", lab.lang)
        handles, texts = ax.get_legend_handles_labels()
        finish(fig, title, note, legend=(handles, texts, min(n, 4)))
    return fig
