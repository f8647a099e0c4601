"""The network layers on one slide: roads, cooperation ties and the firms' peer network.

Three panels: (1) the road layer on the map, expressway-shortened edges thicker, each partner
unit labelled with its effective km from HCMC; (2) the cooperation layer on the map, agreement
ties HCMC → unit (width = mean strength, colour = highest level over the fields) and dashed
province links; (3) the peer layer, either as the complementary CDF of firms' peer counts on
log–log axes with the target tail (the illustrative demo), or, for a run, as peer learning's
reach: the share of HCMC firms with a peer operating in each place, with the peer network's
summary. Inputs are the tables of the network's graph view (``nodes, road, province,
agreement``: :func:`simulation.model.network.graph.tables`) and an array of peer degrees or a
series of reach shares.

The maps show the units that exist in the graph's quarter: a place merged into another unit
(after the 1 July 2025 reform, e.g. Bắc Kạn into Thái Nguyên) is drawn hollow and joined to
its unit, and the units named after the reform carry the merged partners' ties.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from simulation.figures import geo
from simulation.figures.labels import Labels
from simulation.figures.mapbase import HALO, ORIGIN_COLOR, arc, base_map, label_column
from simulation.figures.maps import frame
from simulation.figures.style import FIGSIZE, FONT, INK, MUTED, PALETTE, talk_style

BBOX = (99.6, 110.0, 9.7, 23.5)  # HCMC to Cao Bằng, with room for labels over Laos
ROAD_COLOR = "#8C8C8C"
EXPRESS_COLOR = PALETTE[0]
LINK_COLOR = PALETTE[3]
LEVEL_COLORS = ("#B0B0B0", PALETTE[1], PALETTE[0], PALETTE[2])  # tie levels 0–3
OTHER_COLOR = "#9A9A9A"
MAX_TIE_WIDTH = 9.0  # points: the strongest agreement tie
LEGEND_BAND = 0.115  # figure fraction under the maps for their legends
LABEL_SIZE = 12
MERGED_SIZE = 11  # the name of a place merged into another unit
BAR_SIZE = 12  # place names and values of the reach bars
SUMMARY_SIZE = 12  # the peer network's summary under the reach panel's title
GROUP_GAP = 0.6  # bar heights between the partner units and the other places
NAME_WIDTH = 0.19  # figure fraction: longer place names of the reach bars wrap
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


class _Places(NamedTuple):
    """The locations of the graph as units now: origin, partner units, other units, merged."""

    origin: str
    partners: list[str]
    others: list[str]
    merged: dict[str, str]  # place merged into another unit → that unit's node


def _places(nodes: pd.DataFrame) -> _Places:
    loc = nodes[nodes["kind"] == "location"]
    origin = str(loc.index[loc["role"] == "origin"][0])
    unit = (loc["unit"].where(loc["unit"].notna(), loc.index.to_series()) if "unit" in loc
            else loc.index.to_series())
    partner = (loc["partner_now"].fillna(False).astype(bool) if "partner_now" in loc
               else loc["role"] == "partner")
    merged = {str(c): str(u) for c, u in unit.items() if u != c}
    partners = [str(c) for c in loc.index if partner[c] and c not in merged]
    others = [str(c) for c in loc.index if c != origin and c not in partners
              and c not in merged]
    return _Places(origin, partners, others, merged)


def _names(nodes: pd.DataFrame, places: _Places, lab: Labels) -> pd.Series:
    """Display names: units as they are named in the graph's quarter, places by their own."""
    name = lab.after_reform if places.merged else lab.location
    return pd.Series({str(c): lab.location(str(c)) if c in places.merged else name(str(c))
                      for c in nodes.index})


def _points(ax: Axes, nodes: pd.DataFrame, colors: list | None = None) -> None:
    places = _places(nodes)
    for place, unit in places.merged.items():  # hollow, joined to the unit they merged into
        former = nodes.at[place, "role"] == "partner"
        color = INK if former else OTHER_COLOR
        (x0, y0), (x1, y1) = _xy(nodes, place), _xy(nodes, unit)
        ax.plot([x0, x1], [y0, y1], color=color, lw=1.0, ls=(0, (1, 1.5)), zorder=5)
        ax.plot(x0, y0, marker="o" if former else "D", ms=8 if former else 6, mfc="white",
                mec=color, mew=1.6, zorder=6)
        if former:
            ax.text(x0 + 0.3, y0, nodes.at[place, "label"], fontsize=MERGED_SIZE, ha="left",
                    va="center", style="italic", color=MUTED, **HALO, zorder=7)
    ax.scatter(nodes.loc[places.others, "lon"], nodes.loc[places.others, "lat"], marker="D",
               s=36, color=OTHER_COLOR, edgecolors="white", linewidths=0.8, zorder=5)
    ax.scatter(nodes.loc[places.partners, "lon"], nodes.loc[places.partners, "lat"], s=90,
               c=colors if colors is not None else INK, edgecolors="white", linewidths=1.2,
               zorder=6)
    lon, lat = _xy(nodes, places.origin)
    ax.plot(lon, lat, marker="*", ms=22, color=ORIGIN_COLOR, mec="white", mew=1.2, zorder=7)
    ax.text(lon - 0.4, lat - 0.1, nodes.at[places.origin, "label"], fontsize=13, ha="right",
            va="center", fontweight="bold", **HALO, zorder=8)


def _label_partners(ax: Axes, nodes: pd.DataFrame, values: Mapping[str, str]) -> None:
    partners = _places(nodes).partners
    table = nodes.loc[partners, ["lat", "lon"]].copy()
    table["name"] = [f"{nodes.at[c, 'label']}  {values[c]}" for c in partners]
    label_column(ax, table, partners, x=float(table["lon"].min()) - 0.45, gap=0.8,
                 fontsize=LABEL_SIZE)


def _merged_handles(nodes: pd.DataFrame, lab: Labels) -> list:
    places = _places(nodes)
    if not any(nodes.at[c, "role"] == "partner" for c in places.merged):
        return []
    return [Line2D([], [], marker="o", ls=(0, (1, 1.5)), color=INK, mfc="white", mew=1.6,
                   ms=8, label=lab.t("merged partner"))]


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
    origin, partners = _places(nodes)[:2]
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
                      Line2D([], [], color=INK, lw=0.8, label=lab.t("tie width")),
                      *_merged_handles(nodes, lab)]


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


def _share(lab: Labels, value: float) -> str:
    """A share as a percentage with two significant digits below 10 % (``0.07 %``, ``1.7 %``)."""
    pct = 100.0 * value
    return f"{lab.number(pct, 0 if pct >= 10 or pct == 0 else 1 if pct >= 1 else 2)} %"


def _reach_rows(nodes: pd.DataFrame, share: pd.Series) -> tuple[list[str], list[str]]:
    """The reach bars' places in order, and those that belong to a partner unit.

    Partner units first, then the other units, each by share; a unit's merged places follow it.
    """
    places = _places(nodes)
    unit = {c: places.merged.get(c, c) for c in share.index}
    partner = [c for c in share.index if unit[c] in places.partners]
    order: list[str] = []
    for group in (partner, [c for c in share.index if c not in partner]):
        units = sorted({unit[c] for c in group}, key=lambda u: -share.get(u, 0.0))
        for u in units:
            members = sorted((c for c in group if unit[c] == u and c != u),
                             key=lambda c: -share[c])
            order += ([u] if u in share.index else []) + members
    return order, partner


def _reach_panel(ax: Axes, nodes: pd.DataFrame, reach: pd.Series, lab: Labels) -> list:
    """Bars: share of HCMC firms with a peer operating in each place, partner units first.

    A place merged into another unit follows its unit as ``+ name`` with a hollow bar.
    """
    places = _places(nodes)
    share = reach[[c for c in reach.index if c in nodes.index
                   and nodes.at[c, "kind"] == "location"]].astype(float)
    order, partner = _reach_rows(nodes, share)
    names = [_wrap(ax.figure, f"+ {nodes.at[c, 'label']}" if c in places.merged
                   else str(nodes.at[c, "label"]), NAME_WIDTH, BAR_SIZE) for c in order]
    y, pos = [], 0.0
    for i, name in enumerate(names):  # a wrapped name gets the room of its lines
        lines = name.count("\n") + 1
        pos += (GROUP_GAP if i == len(partner) else 0.0) + (0.5 * lines + 0.5 if i else 0.0)
        y.append(pos)
        pos += 0.5 * (lines - 1)
    color = [PALETTE[0] if c in partner else OTHER_COLOR for c in order]
    hollow = [c in places.merged for c in order]
    ax.barh(y, share[order].to_numpy(), height=0.72, linewidth=1.6, edgecolor=color,
            color=["white" if h else c for h, c in zip(hollow, color, strict=True)])
    ax.set_yticks(y, names, fontsize=BAR_SIZE, linespacing=1.0)
    ax.set_ylim(y[-1] + 0.6, -0.6)
    top = max(float(share.max()), 1e-9)
    for yi, c in zip(y, order, strict=True):
        ax.text(float(share[c]) + top * 0.015, yi, _share(lab, float(share[c])), va="center",
                fontsize=BAR_SIZE, color=INK)
    ax.set_xlim(0, top * 1.22)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    handles = [Patch(color=PALETTE[0], label=lab.t("partner unit")),
               Patch(color=OTHER_COLOR, label=lab.t("other place"))]
    if any(hollow):
        handles.append(Patch(facecolor="white", edgecolor=INK, linewidth=1.6,
                             label=lab.t("merged place")))
    return handles


def network_figure(nodes: pd.DataFrame, road: pd.DataFrame, province: pd.DataFrame,
                   agreement: pd.DataFrame, km_from_origin: Mapping[str, float],
                   degrees: np.ndarray | None, peer_summary: Mapping[str, float], lab: Labels,
                   title: str, note: str, tail_exponent: float | None = None,
                   reach: pd.Series | None = None) -> Figure:
    """Roads, cooperation ties and the peer network of one quarter, on one 16:9 slide.

    Args:
        nodes: Graph nodes (index = id) with ``kind`` (location|junction), ``role``, ``lat``,
            ``lon`` (degrees) and, when known, ``unit`` (the location whose unit a place
            belongs to in the quarter) and ``partner_now`` (a partner unit in the quarter);
            without them the partners are the locations whose ``role`` is ``partner``.
        road: Road edges ``u, v, km, effective_km`` (km).
        province: Province links ``u, v, weight`` (unitless).
        agreement: Agreement ties ``u`` (origin), ``v``, ``mean_strength`` (0–1),
            ``level_max`` (0–3).
        km_from_origin: Partner unit code → effective km from HCMC (labels of the road panel).
        degrees: Peers per firm, shape (n,): the third panel is their CCDF (unless ``reach``).
        peer_summary: ``mean_degree``, ``max_degree`` and ``clustering`` (global); the CCDF
            panel also shows ``firms`` and ``homophily`` (same-sector share of ties).
        lab: Display text in the figure's language.
        title: Figure title.
        note: Footnote (scenario, quarter, data year).
        tail_exponent: Target CCDF exponent, drawn as a reference slope (optional).
        reach: Place code → share of HCMC firms with a peer operating there (0–1): the third
            panel is peer learning's reach, bars per place, partner units first.
    """
    if reach is None and degrees is None:
        raise ValueError("network_figure needs the peer degrees or the reach shares")
    nodes = nodes.copy()
    nodes["label"] = _names(nodes, _places(nodes), lab)
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
        if reach is not None:
            _reach_layout(fig, nodes, reach, peer_summary, lab, 2 * width + 0.06, y0, height)
            return fig
        left = 2 * width + 0.1
        peer = fig.add_axes((left, y0 + 0.1, 0.985 - left, height - 0.1))
        _peers_panel(peer, degrees, peer_summary, lab, tail_exponent)
        _panel_title(peer, lab.t("peers panel"), 0.985 - left)
    return fig


def _reach_layout(fig: Figure, nodes: pd.DataFrame, reach: pd.Series,
                  summary: Mapping[str, float], lab: Labels, left: float, y0: float,
                  height: float) -> None:
    """The reach panel right of the maps: title, what the bars show, bars, peer summary."""
    right = 0.985
    fig.text(left, y0 + height + 0.012, _wrap(fig, lab.t("reach panel"), right - left,
                                              PANEL_TITLE_SIZE, "bold"),
             fontsize=PANEL_TITLE_SIZE, fontweight="bold", va="bottom", ha="left",
             linespacing=1.1)
    sub = fig.text(left, y0 + height, _wrap(fig, lab.t("reach axis"), right - left,
                                            SUMMARY_SIZE),
                   fontsize=SUMMARY_SIZE, color=MUTED, va="top", ha="left", linespacing=1.2)
    renderer = fig.canvas.get_renderer()
    below = sub.get_window_extent(renderer).height / (fig.get_figheight() * fig.dpi) + 0.015
    box = [left, y0, right - left, height - below]
    ax = fig.add_axes(box)
    handles = _reach_panel(ax, nodes, reach, lab)
    names = max(t.get_window_extent(renderer).width for t in ax.get_yticklabels())
    shift = names / (fig.get_figwidth() * fig.dpi) + 0.008
    ax.set_position((box[0] + shift, box[1], box[2] - shift, box[3]))
    room = (right - left - shift) * 0.6  # the right part: the partners' bars are short
    for h in handles:
        h.set_label(_wrap(fig, h.get_label(), room - 0.03, SUMMARY_SIZE))
    legend = ax.legend(handles=handles, loc="upper right", frameon=False,
                       fontsize=SUMMARY_SIZE, handlelength=1.4, borderaxespad=0.2)
    text = lab.t("reach summary", mean=lab.number(summary["mean_degree"], 1),
                 max=lab.number(summary["max_degree"]),
                 value=lab.number(summary["clustering"], 3))
    box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    fig.text(right - room, box.y0 - 0.01, _wrap(fig, text, room, SUMMARY_SIZE),
             fontsize=SUMMARY_SIZE, color=INK, va="top", ha="left", linespacing=1.25)
