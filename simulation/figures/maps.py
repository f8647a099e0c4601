"""Maps: investment flows from HCMC drawn by capital; cooperation ties by strength per field.

Both take small tables (places, values by place) and return a figure in the presentation style.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from simulation.figures import geo
from simulation.figures.labels import Labels
from simulation.figures.mapbase import (
    HALO,
    ORIGIN_COLOR,
    arc,
    archipelago_inset,
    base_map,
    free_labels,
    label_column,
)
from simulation.figures.style import (
    INK,
    MARGIN,
    MUTED,
    PALETTE,
    SEQUENTIAL,
    footnote,
    talk_style,
    title,
)
from simulation.figures.text import tick

FLOW_COLOR = PALETTE[0]  # blue arcs: capital flowing from HCMC
INSET = (0.6, 0.0, 0.4, 0.2)  # the archipelagos' inset in a mainland map (axes fraction)
MAX_WIDTH = 16.0  # points: the line width of the largest flow


def _origin(places: pd.DataFrame) -> str:
    return str(places.index[places["role"] == "origin"][0])


def flow_map(places: pd.DataFrame, flows: pd.Series, title: str, note: str, lab: Labels,
             unit: str, scale: float | None = None) -> Figure:
    """Capital registered by HCMC investors, drawn as arcs from HCMC to each partner.

    Args:
        places: from :func:`simulation.figures.mapbase.places_table`.
        flows: place code → capital (VND bn) over the period; partners are drawn as arcs whose
            width is proportional to the capital, other places are listed with their value.
        title: figure title (with its unit).
        note: footnote.
        lab: display text.
        unit: unit of the values (for the bar axis).
        scale: the value drawn with the widest arc and the longest bar (default: the largest
            partner here); give the same one to the maps of several scenarios so that equal
            widths mean equal capital.
    """
    origin = _origin(places)
    partners = [c for c in places.index[places["role"] == "partner"]]
    values = flows.reindex(places.index).fillna(0.0)
    biggest = max(float(values[partners].max()), scale or 0.0, 1e-9)
    o = (float(places.at[origin, "lon"]), float(places.at[origin, "lat"]))
    with talk_style():
        fig = plt.figure()
        extra = lab.t("map source") if geo.available() else lab.t("no outline")
        bottom, top = frame(fig, title, f"{note} · {extra}")
        ax = fig.add_axes((MARGIN, bottom, 0.5 - MARGIN, top - bottom))
        base_map(ax, lab)
        for code in sorted(partners, key=lambda c: -values[c]):
            v = float(values[code])
            end = (float(places.at[code, "lon"]), float(places.at[code, "lat"]))
            if v > 0:
                arc(ax, o, end, 1.0 + (MAX_WIDTH - 1.0) * v / biggest, FLOW_COLOR, alpha=0.6)
        _points(ax, places, partners, origin)
        lons = places.loc[partners, "lon"]
        label_column(ax, places, partners, x=float(lons.min()) - 0.9, gap=0.62)
        ax.text(o[0] - 0.3, o[1] - 0.15, places.at[origin, "name"], fontsize=14, ha="right",
                va="top", fontweight="bold", **HALO, zorder=6)
        others = [c for c in places.index if c not in partners and c != origin]
        for code in others:
            lon, lat = float(places.at[code, "lon"]), float(places.at[code, "lat"])
            ax.plot(lon, lat, marker="D", ms=7, color="#999999", mec="white", zorder=5)
        free_labels(ax, [(float(places.at[c, "lon"]), float(places.at[c, "lat"]),
                          str(places.at[c, "name"])) for c in others],
                    markers=[(float(places.at[c, "lon"]), float(places.at[c, "lat"]))
                             for c in places.index],
                    fontsize=11, color=MUTED, style="italic")
        text = [f"{places.at[c, 'name']}: {lab.number(values[c])}" for c in others]
        text.insert(0, f"{places.at[origin, 'name']} ({lab.t('at home')}): "
                       f"{lab.number(values[origin])}")
        listed = fig.text(0.64, bottom + 0.01, f"{lab.t('not to scale')}, {unit}:\n"
                          + "\n".join(text), fontsize=12, color=MUTED, va="bottom",
                          linespacing=1.4)
        # the bars start above the list (its height grows with the places not drawn)
        listed_top = fig.transFigure.inverted().transform(
            listed.get_window_extent(fig.canvas.get_renderer()))[1, 1]
        bars = fig.add_axes((0.64, listed_top + 0.04, 0.28, top - listed_top - 0.1))
        order = sorted(partners, key=lambda c: values[c])
        bars.barh(np.arange(len(order)), [values[c] for c in order], color=FLOW_COLOR,
                  alpha=0.8)
        bars.set_yticks(np.arange(len(order)), [places.at[c, "name"] for c in order])
        for i, c in enumerate(order):
            bars.text(values[c] + biggest * 0.02, i, lab.compact(values[c]), va="center",
                      fontsize=13, color=INK)
        bars.set_xlim(0, biggest * 1.25)
        bars.set_xticks([])
        bars.grid(False)
        bars.spines["bottom"].set_visible(False)
        bars.set_title(lab.t("registered capital") + f", {unit}", loc="left", fontsize=16)
        bars.tick_params(axis="y", length=0)
    return fig


def _points(ax, places: pd.DataFrame, partners: list[str], origin: str,
            colors: list | None = None, size: float = 9) -> None:
    ax.scatter(places.loc[partners, "lon"], places.loc[partners, "lat"], s=size ** 2,
               c=colors if colors is not None else INK, edgecolors="white", linewidths=1.2,
               zorder=5)
    ax.plot(places.at[origin, "lon"], places.at[origin, "lat"], marker="*", ms=22,
            color=ORIGIN_COLOR, mec="white", mew=1.2, zorder=6)


def frame(fig: Figure, heading: str, note: str) -> tuple[float, float]:
    """Title and footnote of a figure whose axes are placed by hand.

    Returns:
        The free band ``(bottom, top)`` between footnote and title, in figure fractions.
    """
    t_lines = title(fig, heading)
    n_lines = footnote(fig, note)
    return 0.045 + 0.027 * n_lines, 1 - (0.085 + 0.05 * (t_lines - 1))


def tie_scale(top: float) -> float:
    """Upper end of the tie-strength colour scale for a largest strength ``top``."""
    return max(0.1, math.ceil(top * 10) / 10)


def ties_map(places: pd.DataFrame, ties: pd.DataFrame, title: str, note: str, lab: Labels,
             fields: list[str], vmax: float | None = None) -> Figure:
    """Tie strength HCMC–partner: a map of the mean over fields and a partner × field grid.

    Args:
        places: from :func:`simulation.figures.mapbase.places_table`.
        ties: place × field table of tie strength in [0, 1] (partners only).
        title: figure title.
        note: footnote.
        lab: display text (field names).
        fields: cooperation fields in display order (grid columns).
        vmax: top of the colour scale (default: from the largest strength here); give the
            same one to the maps of several scenarios so that one colour is one strength.
    """
    origin = _origin(places)
    partners = sorted([c for c in ties.index if c in places.index],
                      key=lambda c: -float(places.at[c, "lat"]))  # north to south, as on a map
    grid = ties.reindex(index=partners, columns=fields).astype(float)
    vmax = vmax or tie_scale(float(np.nanmax(grid.to_numpy())))
    norm = Normalize(0.0, vmax)
    cmap = plt.get_cmap(SEQUENTIAL)
    mean = grid.mean(axis=1)
    o = (float(places.at[origin, "lon"]), float(places.at[origin, "lat"]))
    with talk_style():
        fig = plt.figure()
        extra = lab.t("map source") if geo.available() else lab.t("no outline")
        bottom, top = frame(fig, title, f"{note} · {extra}")
        ax = fig.add_axes((MARGIN, bottom, 0.3 - MARGIN, top - bottom - 0.04))
        base_map(ax, lab, geo.MAINLAND, context=False, min_area=20.0)
        archipelago_inset(ax, lab, INSET)
        for code in sorted(partners, key=lambda c: mean[c]):
            end = (float(places.at[code, "lon"]), float(places.at[code, "lat"]))
            arc(ax, o, end, 1.0 + 9.0 * mean[code] / vmax, cmap(norm(mean[code])), rad=0.0,
                alpha=0.9)
        _points(ax, places, partners, origin, colors=[cmap(norm(mean[c])) for c in partners])
        label_column(ax, places, partners, x=float(places.loc[partners, "lon"].min()) - 0.6,
                     gap=0.75, fontsize=12)
        ax.set_title(lab.t("mean tie"), fontsize=14, loc="left")
        height = (top - bottom) * 0.78
        heat = fig.add_axes((0.51, bottom, 0.35, height))
        cells = grid.to_numpy().T  # rows: fields, columns: partners (north to south)
        heat.imshow(cells, cmap=cmap, norm=norm, aspect="auto")
        for (i, j), v in np.ndenumerate(cells):
            heat.text(j, i, lab.number(v, 2), ha="center", va="center", fontsize=11,
                      color="white" if norm(v) < 0.6 else INK)
        heat.set_yticks(np.arange(len(fields)), [lab.field(f) for f in fields], fontsize=14)
        heat.set_xticks(np.arange(len(partners)), [places.at[c, "name"] for c in partners],
                        rotation=35, ha="left", rotation_mode="anchor", fontsize=14)
        heat.xaxis.tick_top()
        heat.tick_params(length=0)
        heat.grid(False)
        for side in heat.spines.values():
            side.set_visible(False)
        cax = fig.add_axes((0.885, bottom, 0.012, height))
        bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax)
        bar.ax.yaxis.set_major_locator(MaxNLocator(5))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tick(v, lab.lang)))
        bar.set_label(lab.t("tie strength"), fontsize=14, labelpad=8)
    return fig
