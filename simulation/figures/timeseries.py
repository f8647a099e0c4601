"""Paths over quarters: fan charts of the headline indicators and province small multiples.

Inputs are long tables with one value per run and quarter; a fan is the median across
replications with the 50 % and 90 % bands (a single replication draws its line only).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.compare import (
    BASELINE_COLOR,
    fan,
    quarter_axis,
    scenario_color,
)
from simulation.figures.labels import Labels
from simulation.figures.style import finish, number_axis, talk_style


def _colors(scenarios: list[str], baseline: str | None) -> dict[str, str]:
    others = [s for s in scenarios if s != baseline]
    out = {s: scenario_color(i) for i, s in enumerate(others)}
    if baseline is not None:
        out[baseline] = BASELINE_COLOR
    return out


def _wide(values: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """Quarter × replication frame of one scenario (and one panel)."""
    return (values.pivot_table(index="quarter", columns="replication", values="value",
                               observed=True).reindex(quarters))


def _hide_rest_and_legend(axes, used: int, scenarios: list[str]) -> tuple | None:
    """Hide the panels after the first ``used``; the scenarios' legend when there are several."""
    for ax in list(axes.flat)[used:]:
        ax.set_visible(False)
    if len(scenarios) < 2:
        return None
    handles, texts = axes.flat[0].get_legend_handles_labels()
    return handles, texts, min(len(scenarios), 5)


def kpi_fans(values: pd.DataFrame, panels: list[tuple[str, str]], title: str, note: str,
             lab: Labels, scenarios: list[str], baseline: str | None = None) -> Figure:
    """One panel per indicator, one fan per scenario (median, 50 % and 90 % bands).

    Args:
        values: columns ``scenario, replication, quarter, kpi, value``.
        panels: (indicator, panel title with its unit), in display order.
        title: figure title.
        note: footnote (scenario, replications, data year).
        lab: display text.
        scenarios: scenarios in display order.
        baseline: the reference scenario (grey), if any.
    """
    quarters = sorted(values["quarter"].astype(str).unique())
    colors = _colors(scenarios, baseline)
    reps = values.groupby("scenario", observed=True)["replication"].nunique().max()
    ncols = 2 if len(panels) in (2, 4) else min(len(panels), 3)
    nrows = math.ceil(len(panels) / ncols)
    with talk_style():
        fig, axes = plt.subplots(nrows, ncols, sharex=True, squeeze=False)
        for ax, (kpi, heading) in zip(axes.flat, panels, strict=False):
            sub = values[values["kpi"] == kpi]
            for sc in scenarios:
                one = sub[sub["scenario"] == sc]
                if len(one):
                    fan(ax, _wide(one, quarters), colors[sc], lab.scenario(sc))
            ax.set_title(heading, loc="left", fontsize=15)
            quarter_axis(ax, quarters)
            ax.yaxis.set_major_locator(plt.MaxNLocator(4))
            number_axis(ax, "y", lab.lang)
            ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        legend = _hide_rest_and_legend(axes, len(panels), scenarios)
        band = lab.t("bands note") if reps > 1 else lab.t("one run note")
        finish(fig, title, f"{note} · {band}", legend)
    return fig


def province_multiples(values: pd.DataFrame, units: list[str], names: dict[str, str],
                       title: str, note: str, lab: Labels, scenarios: list[str],
                       baseline: str | None = None) -> Figure:
    """Small multiples: one panel per province, the indicator's path for every scenario.

    Each panel has its own vertical scale (provinces differ by orders of magnitude); the
    median is drawn with the 90 % band across replications.

    Args:
        values: columns ``scenario, replication, quarter, location, value``.
        units: provinces (reporting units) in display order.
        names: unit → display name.
        title: figure title (indicator and unit).
        note: footnote.
        lab: display text.
        scenarios: scenarios in display order.
        baseline: the reference scenario (grey), if any.
    """
    quarters = sorted(values["quarter"].astype(str).unique())
    colors = _colors(scenarios, baseline)
    ncols = 3 if len(units) == 9 else 4
    nrows = math.ceil(len(units) / ncols)
    with talk_style():
        fig, axes = plt.subplots(nrows, ncols, sharex=True, squeeze=False)
        for ax, unit in zip(axes.flat, units, strict=False):
            sub = values[values["location"] == unit]
            for sc in scenarios:
                one = sub[sub["scenario"] == sc]
                if not len(one):
                    continue
                wide = _wide(one, quarters)
                q = wide.quantile([0.05, 0.5, 0.95], axis=1)
                x = range(len(quarters))
                if wide.shape[1] > 1:
                    ax.fill_between(x, q.loc[0.05], q.loc[0.95], color=colors[sc], alpha=0.2,
                                    linewidth=0)
                ax.plot(x, q.loc[0.5], color=colors[sc], linewidth=2.2, label=lab.scenario(sc))
            ax.set_title(names.get(unit, unit), loc="left", fontsize=14)
            quarter_axis(ax, quarters, max_ticks=3 if ncols > 3 else 4)
            ax.yaxis.set_major_locator(plt.MaxNLocator(3))
            ax.tick_params(labelsize=12)
            number_axis(ax, "y", lab.lang)
            ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        legend = _hide_rest_and_legend(axes, len(units), scenarios)
        reps = values.groupby("scenario", observed=True)["replication"].nunique().max()
        band = (lab.t("median") + ", " + lab.t("band 90") if reps > 1
                else lab.t("one run note"))
        finish(fig, title, f"{note} · {band} · {lab.t('own scale')}", legend)
    return fig
