"""The dashboard's figures, drawn with matplotlib from a snapshot and returned as PNG bytes.

Rendered on the server (no JavaScript charting library to ship), in the project's presentation
style, with Vietnamese names in NFC. Partners keep one colour in every figure. Layouts are
fixed (no layout engine), which halves the drawing time of a step while playing.
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from simulation.analysis.live import Snapshot, province_differences, province_totals
from simulation.figures.labels import tr
from simulation.figures.mapbase import free_labels, spread
from simulation.figures.style import CATEGORICAL, PALETTE, talk_style
from simulation.figures.text import number as fmt

DPI = 100
LEVEL_COLOURS = ["#BBBBBB", PALETTE[4], PALETTE[0], PALETTE[2]]  # cooperation levels 0..3
FLOW_COLOUR = PALETTE[1]
BASELINE_COLOUR = "#222222"
LABEL_OFFSET = 1.1  # degrees east of the easternmost partner: the column of partner names
LABEL_GAP = 0.62  # degrees of latitude between two names in that column


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _north_to_south(snap: Snapshot) -> list[int]:
    return sorted((int(i) for i in snap.partners), key=lambda i: -snap.lat[i])


def partner_colours(snap: Snapshot) -> dict[int, str]:
    """Location index → colour, one per partner, in north-to-south order."""
    return {i: CATEGORICAL[k % len(CATEGORICAL)] for k, i in enumerate(_north_to_south(snap))}


def _numbers(lang: str, top: float) -> FuncFormatter:
    """Tick labels with thousands separators (one decimal on a small axis)."""
    digits = 1 if top < 10 else 0
    return FuncFormatter(lambda v, _: fmt(v, lang, digits))


def when(snap: Snapshot, lang: str) -> str:
    """The quarter shown: the last recorded one, or the start of the run."""
    return snap.current or tr("start", lang, q=snap.horizon[0])


def _top(*arrays: np.ndarray) -> float:
    return max([float(np.max(a, initial=0.0)) for a in arrays] + [1.0])


def province_bars(snap: Snapshot, names: dict[str, str], lang: str) -> bytes:
    """Registered capital and revenue so far and jobs now, per partner; baseline as ticks.

    Means over the paired seeds. The number at the end of a bar is the mean of scenario minus
    the paired baseline, in dark when its interval leaves out 0 and in light grey when it does
    not (the difference cannot be told from chance with these seeds).
    """
    order = _north_to_south(snap)
    colours = partner_colours(snap)
    sc, bl = province_totals(snap, "scenario"), province_totals(snap, "baseline")
    diffs = province_differences(snap)
    panels = [("registered", "ax_registered"), ("jobs", "ax_jobs"), ("revenue", "ax_revenue")]
    with talk_style():
        fig = Figure(figsize=(12.0, 4.3))
        fig.subplots_adjust(left=0.145, right=0.985, top=0.74, bottom=0.09, wspace=0.22)
        axes = fig.subplots(1, 3, sharey=True)
        y = np.arange(len(order))
        for ax, (key, title) in zip(axes, panels, strict=True):
            s, b = sc[key][order], bl[key][order]
            top = _top(s, b)
            ax.barh(y, s, color=[colours[i] for i in order], height=0.72)
            ax.scatter(b, y, marker="|", s=320, linewidths=3, color=BASELINE_COLOUR, zorder=3)
            ax.set_title(tr(title, lang), fontsize=15, loc="left")
            ax.set_xlim(0, top * 1.32)
            ax.xaxis.set_major_locator(MaxNLocator(3))
            ax.xaxis.set_major_formatter(_numbers(lang, top))
            ax.tick_params(axis="x", labelsize=13)
            mean, low, high = (a[order] for a in diffs[key])
            for yi, (si, bi) in enumerate(zip(s, b, strict=True)):
                if abs(mean[yi]) >= 0.5:
                    clear = snap.seeds == 1 or low[yi] > 0 or high[yi] < 0
                    ax.text(max(si, bi) + top * 0.03, yi, fmt(mean[yi], lang, signed=True),
                            va="center", fontsize=12, color="#333333" if clear else "#A0A0A0")
        axes[0].set_yticks(y, [names[snap.codes[i]] for i in order], fontsize=14)
        axes[0].invert_yaxis()
        handles = [Line2D([], [], marker="|", linestyle="none", markersize=18, mew=3,
                          color=BASELINE_COLOUR, label=tr("legend_baseline", lang))]
        fig.legend(handles=handles, loc="upper right", frameon=False, fontsize=14,
                   bbox_to_anchor=(0.985, 1.0))
        if snap.seeds > 1:
            fig.text(0.84, 0.945, tr("bars_note", lang, n=snap.seeds), ha="right",
                     va="center", fontsize=11, color="#666666")
        fig.suptitle(f"{tr('chart_provinces', lang)}, {when(snap, lang)}", x=0.01, y=0.985,
                     ha="left", fontsize=18, fontweight="bold")
        return _png(fig)


def time_series(snap: Snapshot, lang: str) -> bytes:
    """Partner totals over the whole horizon: scenario solid, paired baseline dashed.

    Registered capital is cumulative since the first recorded quarter; jobs and revenue are
    per quarter.
    """
    n_q = len(snap.horizon)
    x = np.arange(len(snap.quarters))
    panels = [("registered", "ts_registered", True), ("jobs", "ts_jobs", False),
              ("revenue", "ts_revenue", False)]
    years = [(i, q[:4]) for i, q in enumerate(snap.horizon) if q.endswith("Q1")]
    step = max(1, math.ceil(len(years) / 5))  # at most five year labels per panel
    with talk_style():
        fig = Figure(figsize=(12.0, 3.5))
        fig.subplots_adjust(left=0.075, right=0.99, top=0.65, bottom=0.1, wspace=0.27)
        axes = fig.subplots(1, 3)
        for ax, (key, title, cumulative) in zip(axes, panels, strict=True):
            s = snap.scenario[key][:, snap.partners].sum(axis=1)
            b = snap.baseline[key][:, snap.partners].sum(axis=1)
            if cumulative:
                s, b = np.cumsum(s), np.cumsum(b)
            ax.plot(x, b, color=BASELINE_COLOUR, linestyle="--", linewidth=2,
                    label=tr("legend_baseline", lang))
            ax.plot(x, s, color=PALETTE[0], linewidth=3, label=tr("legend_scenario", lang))
            if len(x):
                ax.axvline(x[-1], color="#999999", linewidth=1)
            top = _top(s, b)
            ax.set_xlim(-0.5, n_q - 0.5)
            ax.set_ylim(0, top * 1.15)
            ax.set_xticks([i for i, _ in years[::step]], [y for _, y in years[::step]],
                          fontsize=13)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.yaxis.set_major_formatter(_numbers(lang, top))
            ax.tick_params(axis="y", labelsize=13)
            ax.set_title(tr(title, lang), fontsize=14, loc="left")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="upper right", ncols=2, frameon=False,
                   bbox_to_anchor=(0.985, 1.0),
                   fontsize=14)
        fig.suptitle(f"{tr('chart_time', lang)}, {when(snap, lang)}", x=0.01, y=0.98,
                     ha="left", fontsize=18, fontweight="bold")
        return _png(fig)


def location_map(snap: Snapshot, names: dict[str, str], lang: str) -> bytes:
    """Locations by latitude and longitude, with HCMC–partner ties and investment flows.

    Ties are straight lines (width: mean strength over the fields; colour: highest level);
    flows are arcs from HCMC whose width, like the circle of the partner, grows with the
    registered capital since the first recorded quarter (relative to the largest partner).
    """
    colours = partner_colours(snap)
    reg = province_totals(snap, "scenario")["registered"]
    top = max(float(reg[snap.partners].max(initial=0.0)), 1e-9)
    home = snap.home
    hx, hy = snap.lon[home], snap.lat[home]
    with talk_style():
        fig = Figure(figsize=(6.4, 9.4), dpi=DPI)
        fig.subplots_adjust(left=0.12, right=0.98, top=0.92, bottom=0.19)
        ax = fig.subplots()
        for i in _north_to_south(snap):
            ax.plot([hx, snap.lon[i]], [hy, snap.lat[i]], color=LEVEL_COLOURS[snap.tie_level[i]],
                    linewidth=1.0 + 9.0 * snap.tie_strength[i], alpha=0.8, zorder=1,
                    solid_capstyle="round")
        radius = {i: np.sqrt(60 + 900 * reg[i] / top) / 2 for i in snap.partners}
        for i in _north_to_south(snap):
            if reg[i] <= 0:
                continue
            ax.add_patch(FancyArrowPatch(
                (hx, hy), (snap.lon[i], snap.lat[i]), connectionstyle="arc3,rad=0.35",
                arrowstyle="-|>", mutation_scale=12 + 14 * reg[i] / top, shrinkA=10,
                shrinkB=radius[i] + 2, linewidth=0.8 + 7.0 * reg[i] / top, color=FLOW_COLOUR,
                alpha=0.85, zorder=2))
        # partner names in a column east of every circle, spread so no two overlap, each
        # tied to its circle by a thin line (circles never cover a name)
        north = _north_to_south(snap)
        label_lat = dict(zip(north, spread([snap.lat[i] for i in north], LABEL_GAP),
                             strict=True))
        label_lon = max(snap.lon[i] for i in north) + LABEL_OFFSET
        for i, code in enumerate(snap.codes):
            role = snap.roles[i]
            if role == "partner":
                ax.scatter(snap.lon[i], snap.lat[i], s=(2 * radius[i]) ** 2, color=colours[i],
                           zorder=3, edgecolor="white", linewidth=1.5)
                ax.plot([snap.lon[i], label_lon], [snap.lat[i], label_lat[i]], color="#AAAAAA",
                        linewidth=0.7, zorder=2.5)
                ax.annotate(f"{names[code]}  {fmt(reg[i], lang)}", (label_lon, label_lat[i]),
                            xytext=(3, 0), textcoords="offset points", va="center",
                            fontsize=12, zorder=4,
                            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.8})
            elif role == "origin":
                ax.scatter(hx, hy, s=420, marker="*", color="#CC0000", zorder=3)
                ax.annotate(names[code], (hx, hy), xytext=(14, -2), textcoords="offset points",
                            va="center", fontsize=13, fontweight="bold")
            else:
                ax.scatter(snap.lon[i], snap.lat[i], s=70, marker="s", color="#999999", zorder=3)
        ax.set_aspect(1.0 / np.cos(np.deg2rad(16.0)))  # equirectangular at Vietnam's middle
        ax.set_xlim(102.3, 111.7)
        ax.set_ylim(9.6, 23.4)
        # the other places' names where they cover no other name and no marker
        others = [i for i, role in enumerate(snap.roles) if role not in ("partner", "origin")]
        free_labels(ax, [(snap.lon[i], snap.lat[i], names[snap.codes[i]]) for i in others],
                    markers=list(zip(snap.lon, snap.lat, strict=True)), fontsize=11,
                    color="#666666")
        ax.grid(True, alpha=0.25)
        ax.tick_params(labelsize=11)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}°E"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}°N"))
        ax.text(0.99, 0.005, tr("map_note", lang), fontsize=9, color="#666666",
                transform=ax.transAxes, ha="right", va="bottom")
        levels = [Line2D([], [], color=LEVEL_COLOURS[k], linewidth=5, label=tr(f"level{k}", lang))
                  for k in range(4)]
        fig.legend(handles=levels, loc="lower left", bbox_to_anchor=(0.02, 0.055), ncols=2,
                   fontsize=11, frameon=False, title=tr("map_ties", lang), title_fontsize=11,
                   alignment="left")
        flows = [Line2D([], [], color=FLOW_COLOUR, linewidth=5, label=tr("map_flows", lang))]
        fig.legend(handles=flows, loc="lower left", bbox_to_anchor=(0.02, 0.0), fontsize=11,
                   frameon=False)
        fig.suptitle(f"{tr('chart_map', lang)}\n{when(snap, lang)}", x=0.02, y=0.99,
                     ha="left", fontsize=15, fontweight="bold")
        return _png(fig)
