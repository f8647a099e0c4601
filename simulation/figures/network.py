"""The network layers on one slide: roads, cooperation ties and the firms' peer network.

Three panels: (1) the road layer on the map, expressway-shortened edges thicker, each partner
labelled with its effective km from HCMC; (2) the cooperation layer on the map, agreement ties
HCMC → unit (width = mean strength, colour = highest level over the fields) and dashed
province links; (3) the peer layer as the complementary CDF of firms' peer counts on log–log
axes, with the target tail and the realised statistics. Inputs are the tables of the network's
graph view (``nodes, road, province, agreement``) and an array of peer degrees.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from simulation.figures import geo
from simulation.figures.labels import Labels
from simulation.figures.mapbase import HALO, ORIGIN_COLOR, arc, base_map, label_column
from simulation.figures.maps import frame
from simulation.figures.style import FIGSIZE, FONT, INK, PALETTE, talk_style

BBOX = (99.6, 110.0, 9.7, 23.5)  # HCMC to Cao Bằng, with room for labels over Laos
ROAD_COLOR = "#8C8C8C"
EXPRESS_COLOR = PALETTE[0]
LINK_COLOR = PALETTE[3]
LEVEL_COLORS = ("#B0B0B0", PALETTE[1], PALETTE[0], PALETTE[2])  # tie levels 0–3
OTHER_COLOR = "#9A9A9A"
MAX_TIE_WIDTH = 9.0  # points: the strongest agreement tie
LEGEND_BAND = 0.115  # figure fraction under the maps for their legends
LABEL_SIZE = 12
LEGEND_SIZE = 11
PANEL_TITLE_SIZE = 15
TITLE_ROOM = 0.085  # figure fraction above the panels for titles of up to two lines


def _wrap(fig: Figure, text: str, width: float, size: float, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width`` (figure fraction), measured."""
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(family=FONT, size=size, weight=weight)
    limit = width * fig.get_figwidth() * fig.dpi

    def fits(line: str) -> bool:
        return renderer.get_text_width_height_descent(line, prop, ismath=False)[0] <= limit

    lines: list[str] = []
    for word in text.split(" "):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _panel_title(ax: Axes, text: str, width: float) -> None:
    """A bold panel title wrapped to the panel's width (figure fraction)."""
    ax.set_title(_wrap(ax.figure, text, width, PANEL_TITLE_SIZE, "bold"),
                 fontsize=PANEL_TITLE_SIZE, loc="left", fontweight="bold", linespacing=1.1)


def _xy(nodes: pd.DataFrame, code: str) -> tuple[float, float]:
    return float(nodes.at[code, "lon"]), float(nodes.at[code, "lat"])


def _places(nodes: pd.DataFrame) -> tuple[str, list[str], list[str]]:
    loc = nodes[nodes["kind"] == "location"]
    origin = str(loc.index[loc["role"] == "origin"][0])
    partners = [str(c) for c in loc.index[loc["role"] == "partner"]]
    others = [str(c) for c in loc.index if c != origin and c not in partners]
    return origin, partners, others


def _points(ax: Axes, nodes: pd.DataFrame, colors: list | None = None) -> None:
    origin, partners, others = _places(nodes)
    ax.scatter(nodes.loc[others, "lon"], nodes.loc[others, "lat"], marker="D", s=36,
               color=OTHER_COLOR, edgecolors="white", linewidths=0.8, zorder=5)
    ax.scatter(nodes.loc[partners, "lon"], nodes.loc[partners, "lat"], s=90,
               c=colors if colors is not None else INK, edgecolors="white", linewidths=1.2,
               zorder=6)
    lon, lat = _xy(nodes, origin)
    ax.plot(lon, lat, marker="*", ms=22, color=ORIGIN_COLOR, mec="white", mew=1.2, zorder=7)
    ax.text(lon - 0.4, lat - 0.1, nodes.at[origin, "label"], fontsize=13, ha="right",
            va="center", fontweight="bold", **HALO, zorder=8)


def _label_partners(ax: Axes, nodes: pd.DataFrame, values: Mapping[str, str]) -> None:
    _, partners, _ = _places(nodes)
    table = nodes.loc[partners, ["lat", "lon"]].copy()
    table["name"] = [f"{nodes.at[c, 'label']}  {values[c]}" for c in partners]
    label_column(ax, table, partners, x=float(table["lon"].min()) - 0.45, gap=0.8,
                 fontsize=LABEL_SIZE)


def _other_handle(lab: Labels) -> Line2D:
    return Line2D([], [], marker="D", ls="none", color=OTHER_COLOR, mec="white", ms=7,
                  label=lab.t("other locations"))


def _roads_panel(ax: Axes, nodes: pd.DataFrame, road: pd.DataFrame, lab: Labels,
                 km_from_origin: Mapping[str, float]) -> list:
    seg = np.array([[_xy(nodes, u), _xy(nodes, v)]
                    for u, v in zip(road["u"], road["v"], strict=True)]).reshape(-1, 2, 2)
    saved = 1.0 - road["effective_km"].to_numpy(float) / road["km"].to_numpy(float)
    fast = saved > 1e-9
    ax.add_collection(LineCollection(seg[~fast], colors=ROAD_COLOR, linewidths=1.6, zorder=2))
    ax.add_collection(LineCollection(seg[fast], colors=EXPRESS_COLOR, zorder=3,
                                     linewidths=2.0 + 10.0 * saved[fast], capstyle="round"))
    junction = nodes[nodes["kind"] == "junction"]
    ax.scatter(junction["lon"], junction["lat"], s=12, color=ROAD_COLOR, zorder=4)
    _points(ax, nodes)
    _label_partners(ax, nodes, {c: lab.number(float(v)) for c, v in km_from_origin.items()})
    return [Line2D([], [], color=ROAD_COLOR, lw=1.6, label=lab.t("road")),
            Line2D([], [], color=EXPRESS_COLOR, lw=5, label=lab.t("expressway open")),
            _other_handle(lab)]


def _cooperation_panel(ax: Axes, nodes: pd.DataFrame, province: pd.DataFrame,
                       agreement: pd.DataFrame, lab: Labels) -> list:
    origin, partners, _ = _places(nodes)
    if len(province):
        wmax = float(province["weight"].max())
        for u, v, w in zip(province["u"], province["v"], province["weight"], strict=True):
            ax.add_patch(FancyArrowPatch(
                _xy(nodes, u), _xy(nodes, v), connectionstyle="arc3,rad=0.35", arrowstyle="-",
                linewidth=1.2 + 1.8 * w / wmax, color=LINK_COLOR, linestyle=(0, (3, 2)),
                alpha=0.9, zorder=3, shrinkA=0, shrinkB=0))
    ties = (agreement.set_index("v")[["mean_strength", "level_max"]] if len(agreement)
            else pd.DataFrame(columns=["mean_strength", "level_max"]))
    vmax = max(float(ties["mean_strength"].max()) if len(ties) else 0.0, 1e-9)
    for code in ties.sort_values("mean_strength").index:
        m = float(ties.at[code, "mean_strength"])
        arc(ax, _xy(nodes, origin), _xy(nodes, code), 0.8 + (MAX_TIE_WIDTH - 0.8) * m / vmax,
            LEVEL_COLORS[int(ties.at[code, "level_max"])], rad=0.12, alpha=0.8, zorder=4)
    level = {c: int(ties.at[c, "level_max"]) if c in ties.index else 0 for c in partners}
    _points(ax, nodes, [LEVEL_COLORS[level[c]] for c in partners])
    strength = {c: float(ties.at[c, "mean_strength"]) if c in ties.index else 0.0
                for c in partners}
    _label_partners(ax, nodes, {c: lab.number(v, 2) for c, v in strength.items()})
    handles = [Line2D([], [], color=LEVEL_COLORS[k], lw=5, label=lab.t(f"tie level {k}"))
               for k in range(4)]
    return handles + [Line2D([], [], color=LINK_COLOR, lw=2, ls=(0, (3, 2)),
                             label=lab.t("province link")),
                      Line2D([], [], color=INK, lw=0.8, label=lab.t("tie width"))]


def _peers_panel(ax: Axes, degrees: np.ndarray, summary: Mapping[str, float], lab: Labels,
                 tail_exponent: float | None) -> None:
    deg = np.asarray(degrees)
    k = np.sort(deg[deg > 0])
    ks, first = np.unique(k, return_index=True)
    ccdf = (len(k) - first) / len(deg)  # share of all firms with at least k peers
    ax.loglog(ks, ccdf, "o", ms=5, color=PALETTE[0], alpha=0.85, mec="none")
    if tail_exponent is not None and len(ks) > 2:
        k0 = float(np.quantile(k, 0.9))
        c0 = float((deg >= k0).mean())
        xs = np.array([k0, float(ks[-1])])
        ax.loglog(xs, c0 * (xs / k0) ** -tail_exponent, "--", color=INK, lw=1.8,
                  label=lab.t("peer slope", alpha=lab.number(tail_exponent, 2)))
        ax.legend(loc="lower left", frameon=False, fontsize=13)
    ax.set_xlabel(lab.t("peer degree"), fontsize=14)
    ax.set_ylabel(lab.t("peer ccdf"), fontsize=14)
    ax.tick_params(labelsize=13)
    ax.grid(True, which="major", alpha=0.3)
    ax.text(0.03, 0.12, lab.t("peer summary", n=lab.number(summary["firms"]),
                              mean=lab.number(summary["mean_degree"], 1),
                              max=lab.number(summary["max_degree"]),
                              share=lab.number(summary["homophily"], 2),
                              value=lab.number(summary["clustering"], 3)),
            transform=ax.transAxes, ha="left", va="bottom", fontsize=13, color=INK,
            linespacing=1.5)


def network_figure(nodes: pd.DataFrame, road: pd.DataFrame, province: pd.DataFrame,
                   agreement: pd.DataFrame, km_from_origin: Mapping[str, float],
                   degrees: np.ndarray, peer_summary: Mapping[str, float], lab: Labels,
                   title: str, note: str, tail_exponent: float | None = None) -> Figure:
    """Roads, cooperation ties and the peer network of one quarter, on one 16:9 slide.

    Args:
        nodes: Graph nodes (index = id) with ``kind`` (location|junction), ``role``, ``lat``,
            ``lon`` (degrees).
        road: Road edges ``u, v, km, effective_km`` (km).
        province: Province links ``u, v, weight`` (unitless).
        agreement: Agreement ties ``u`` (origin), ``v``, ``mean_strength`` (0–1),
            ``level_max`` (0–3).
        km_from_origin: Partner code → effective km from HCMC (labels of the road panel).
        degrees: Peers per firm, shape (n,).
        peer_summary: ``firms``, ``mean_degree``, ``max_degree``, ``homophily`` (same-sector
            share of ties) and ``clustering`` (global).
        lab: Display text in the figure's language.
        title: Figure title.
        note: Footnote (scenario, quarter, data year).
        tail_exponent: Target CCDF exponent, drawn as a reference slope (optional).
    """
    nodes = nodes.copy()
    nodes["label"] = [lab.location(str(c)) for c in nodes.index]
    with talk_style():
        fig = plt.figure()
        extra = lab.t("map source") if geo.available() else lab.t("no outline")
        bottom, top = frame(fig, title, f"{note} · {lab.t('effective km note')} · {extra}")
        y0, height = bottom + LEGEND_BAND, top - bottom - LEGEND_BAND - TITLE_ROOM
        # the maps' width follows from their height and the local equirectangular aspect
        lon0, lon1, lat0, lat1 = BBOX
        width = (height * FIGSIZE[1] / FIGSIZE[0] * (lon1 - lon0)
                 * np.cos(np.radians((lat0 + lat1) / 2)) / (lat1 - lat0))
        # legends under the maps; the cooperation legend runs on under the peer panel
        panels = (("roads panel", lambda ax: _roads_panel(ax, nodes, road, lab, km_from_origin),
                   1, width),
                  ("cooperation panel", lambda ax: _cooperation_panel(ax, nodes, province,
                                                                       agreement, lab),
                   3, 0.98 - (width + 0.03)))
        for i, (name, draw, ncol, room) in enumerate(panels):
            x0 = 0.005 + i * (width + 0.025)
            ax = fig.add_axes((x0, y0, width, height))
            base_map(ax, lab, BBOX, context=False, min_area=20.0)
            handles = draw(ax)
            for h in handles:
                h.set_label(_wrap(fig, h.get_label(), room / ncol - 0.035, LEGEND_SIZE))
            _panel_title(ax, lab.t(name), width)
            fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x0, y0 - 0.005),
                       ncol=ncol, frameon=False, fontsize=LEGEND_SIZE, handlelength=1.8,
                       columnspacing=1.0, borderaxespad=0.0)
        left = 2 * width + 0.1
        peer = fig.add_axes((left, y0 + 0.1, 0.985 - left, height - 0.1))
        _peers_panel(peer, degrees, peer_summary, lab, tail_exponent)
        _panel_title(peer, lab.t("peers panel"), 0.985 - left)
    return fig
