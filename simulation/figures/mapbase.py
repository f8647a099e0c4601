"""Drawing a map of Vietnam: land, borders, archipelagos, places and non-overlapping labels.

Places are a table indexed by location (or post-2025 unit) code with ``name``, ``lat``,
``lon`` and ``role`` (``origin``, ``partner``, ``near``, ``far``); every place is drawn at its
real coordinates. Axes use longitude and latitude with the aspect of a local equirectangular
projection (1 / cos of the mean latitude), which is accurate to a few per cent over Vietnam.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import FancyArrowPatch

from simulation.figures import geo
from simulation.figures.labels import Labels
from simulation.figures.style import INK, MUTED

LAND_COLOR = "#EDEBE6"
SEA_COLOR = "#F5F9FC"
BORDER_COLOR = "#9A968E"
ORIGIN_COLOR = "#D55E00"  # vermillion star: Ho Chi Minh City
# a pale box behind map labels (not a path-effect halo, which SVG would turn into outlines)
HALO = {"bbox": {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
                 "alpha": 0.7}}


def base_map(ax: Axes, lab: Labels, bbox: tuple[float, float, float, float] = geo.BBOX,
             context: bool = True, min_area: float = 1.0) -> bool:
    """Draw land and borders (or a coordinate grid without the outline data).

    Args:
        ax: the axes (its limits and aspect are set here).
        lab: display text (neighbour and archipelago names).
        bbox: lon min, lon max, lat min, lat max.
        context: name the neighbouring countries and the two archipelagos.
        min_area: smallest island drawn, km².

    Returns:
        True when the coastline was drawn, False for the coordinate-only layout.
    """
    lon0, lon1, lat0, lat1 = bbox
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / math.cos(math.radians((lat0 + lat1) / 2)))
    shape = geo.outline(bbox, min_area)
    if shape is None:
        ax.grid(True, color="#CCCCCC", linewidth=0.6)
        first = 2 * math.ceil((lon0 + 0.5) / 2)  # even degrees, clear of the left edge
        ax.set_xticks(range(first, math.floor(lon1) + 1, 2 if lon1 - lon0 < 12 else 4))
        ax.yaxis.tick_right()  # the map may sit at the figure's left edge
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}°E")
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}°N")
        ax.tick_params(labelsize=11, colors=MUTED)
        return False
    ax.set_facecolor(SEA_COLOR)
    ax.add_collection(PolyCollection(
        [xy for _, xy in shape.polygons], edgecolors=BORDER_COLOR, linewidths=0.4, zorder=0,
        facecolors=[LAND_COLOR if lvl == geo.LAND else SEA_COLOR for lvl, _ in shape.polygons]))
    ax.add_collection(LineCollection(shape.borders, colors=BORDER_COLOR, linewidths=0.9,
                                     zorder=0.5))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    if context:
        for key, (lon, lat) in geo.ARCHIPELAGOS.items():
            if lon0 < lon < lon1 and lat0 < lat < lat1:
                ax.text(lon, lat, lab.t(key), fontsize=11, color=MUTED, ha="center",
                        va="center", style="italic", **HALO, zorder=1)
        for en, ((lon, lat), vi) in geo.NEIGHBOURS.items():
            if lon0 < lon < lon1 and lat0 < lat < lat1:
                ax.text(lon, lat, vi if lab.lang == "vi" else en, fontsize=11, color="#8A867E",
                        ha="center", va="center", zorder=1)
    return True


ARCHIPELAGO_BOX = (110.3, 117.6, 6.8, 17.6)  # lon, lat box of the inset with both archipelagos
INSET_LABELS = {"paracel": (114.9, 15.2), "spratly": (114.0, 12.6)}  # clear of the islands


def archipelago_inset(ax: Axes, lab: Labels, where: tuple[float, float, float, float]
                      ) -> Axes | None:
    """An inset in ``ax`` showing the Hoàng Sa and Trường Sa archipelagos, named.

    For maps of the mainland only: Vietnamese maps always show the two archipelagos. Without
    the coastline data there is nothing to show and no inset is drawn.

    Args:
        ax: the mainland map.
        lab: display text.
        where: ``(x, y, width, height)`` of the inset in ``ax``'s axes fraction.
    """
    if not geo.available():
        return None
    inset = ax.inset_axes(where)
    base_map(inset, lab, ARCHIPELAGO_BOX, context=False, min_area=0.5)
    shape = geo.outline(ARCHIPELAGO_BOX, 0.5)
    islands = np.array([xy.mean(axis=0) for level, xy in shape.polygons  # too small to see
                        if level == geo.LAND and xy[:, 0].max() > ARCHIPELAGO_BOX[0] + 0.4])
    if len(islands):  # as dots, so the island groups show at this scale
        inset.scatter(islands[:, 0], islands[:, 1], s=1.5, color=INK, linewidths=0, zorder=1)
    for side in inset.spines.values():
        side.set_visible(True)
        side.set_color(BORDER_COLOR)
        side.set_linewidth(0.8)
    for key, (lon, lat) in INSET_LABELS.items():
        inset.text(lon, lat, lab.t(f"{key} short"), fontsize=7.5, color=MUTED, ha="center",
                   va="center", style="italic", zorder=2, clip_on=True)
    return inset


def spread(values: list[float], gap: float) -> list[float]:
    """Positions close to ``values`` (same order) at least ``gap`` apart (label stacking)."""
    order = np.argsort(values)
    pos = np.asarray(values, dtype=float)[order]
    for _ in range(200):
        moved = False
        for i in range(1, len(pos)):
            overlap = gap - (pos[i] - pos[i - 1])
            if overlap > 1e-9:
                pos[i - 1] -= overlap / 2
                pos[i] += overlap / 2
                moved = True
        if not moved:
            break
    out = np.empty_like(pos)
    out[order] = pos
    return list(out)


def label_column(ax: Axes, places: pd.DataFrame, codes: list[str], x: float, gap: float,
                 fontsize: float = 14, ha: str = "right", wrap: bool = True) -> None:
    """Names of ``codes`` stacked at longitude ``x`` with leader lines to the places.

    With ``wrap`` a long name takes two lines (:func:`two_lines`).
    """
    ys = spread([float(places.at[c, "lat"]) for c in codes], gap)
    for code, y in zip(codes, ys, strict=True):
        lon, lat = float(places.at[code, "lon"]), float(places.at[code, "lat"])
        ax.plot([x, lon], [y, lat], color="#AAAAAA", linewidth=0.7, zorder=2)
        name = str(places.at[code, "name"])
        ax.text(x, y, two_lines(name) if wrap else name, fontsize=fontsize, ha=ha,
                va="center", color=INK, **HALO, zorder=6, linespacing=1.0)


def two_lines(name: str, longest: int = 16) -> str:
    """A name longer than ``longest`` characters broken at the space nearest its middle.

    A column of names beside a map has room for about ``longest`` characters ("Nam Định và
    Ninh Bình" would run past the figure's edge); the stacking gap fits two lines.
    """
    name = unicodedata.normalize("NFC", name)
    if len(name) <= longest or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "\n" + name[cut + 1:]


# offsets (points) of a place's name from its marker, tried in turn: right, left (level with
# the marker, so the name is plainly its own), then right and left above, right and left below,
# above, below
_OFFSETS = ((9, 0, "left", "center"), (-9, 0, "right", "center"), (7, 6, "left", "bottom"),
            (-7, 6, "right", "bottom"), (7, -6, "left", "top"), (-7, -6, "right", "top"),
            (0, 9, "center", "bottom"), (0, -9, "center", "top"))


def free_labels(ax: Axes, items: list[tuple[float, float, str]],
                markers: list[tuple[float, float]] = (), **style) -> None:
    """Names beside their places, each where it covers no text and no marker of the map.

    Tries the offsets of :data:`_OFFSETS` in turn and keeps the first whose box overlaps no
    other text of the axes, covers none of ``markers`` and stays inside the axes; if none
    does, the one that overlaps other text least (a crowded corner of the map); a long name
    may take two lines (:func:`two_lines`) to stay inside the map.

    Args:
        ax: the map.
        items: ``(lon, lat, name)`` of each place.
        markers: ``(lon, lat)`` of the markers a name must not cover (HCMC's star, the
            partners' and the other places' markers).
        **style: text properties (font size, colour...).
    """
    fig = ax.figure
    renderer = fig._get_renderer()  # noqa: SLF001 - also for a Figure made without pyplot
    ax.apply_aspect()  # the map's final box (equal aspect is applied at drawing otherwise)
    inside = ax.get_window_extent(renderer)
    radius = 8 * fig.dpi / 72  # a marker's half size, in pixels
    dots = [ax.transData.transform(m) for m in markers]

    def cost(box) -> float:
        outside = (max(0.0, inside.x0 - box.x0) + max(0.0, box.x1 - inside.x1)
                   + max(0.0, inside.y0 - box.y0) + max(0.0, box.y1 - inside.y1))
        covered = sum(box.x0 - radius < x < box.x1 + radius
                      and box.y0 - radius < y < box.y1 + radius for x, y in dots)
        overlap = sum(max(0.0, min(box.x1, b.x1) - max(box.x0, b.x0))
                      * max(0.0, min(box.y1, b.y1) - max(box.y0, b.y0)) for b in taken)
        return 1e6 * outside + overlap + 50.0 * covered

    for lon, lat, name in items:
        taken = [t.get_window_extent(renderer) for t in ax.texts if t.get_visible()]
        best = None
        variants = dict.fromkeys([name, two_lines(name)])  # a long name may take two lines
        for text, (dx, dy, ha, va) in ((v, o) for v in variants for o in _OFFSETS):
            t = ax.annotate(text, (lon, lat), xytext=(dx, dy), textcoords="offset points",
                            ha=ha, va=va, zorder=6, linespacing=1.0, **HALO, **style)
            c = cost(t.get_window_extent(renderer))
            if best is not None and c >= best[0]:
                t.remove()
                continue
            if best is not None:
                best[1].remove()
            best = (c, t)
            if c == 0:
                break


def arc(ax: Axes, start: tuple[float, float], end: tuple[float, float], width: float,
        color: str, rad: float = 0.25, alpha: float = 0.85, zorder: float = 3) -> None:
    """A curved line from ``start`` to ``end`` (lon, lat) of ``width`` points."""
    ax.add_patch(FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={rad}",
                                 arrowstyle="-", linewidth=width, color=color, alpha=alpha,
                                 capstyle="round", zorder=zorder, shrinkA=0, shrinkB=0))


def places_table(locations: pd.DataFrame, boundaries: str, lab: Labels) -> pd.DataFrame:
    """Map places of a boundary set: every model location, or the post-2025 units.

    A post-2025 unit sits at the mean coordinates of the model locations it holds.

    Args:
        locations: the inputs' locations table.
        boundaries: ``pre2025`` or ``post2025``.
        lab: display text (names).
    """
    loc = locations.copy()
    loc["unit"] = loc.index.astype(str) if boundaries == "pre2025" else loc["new_code"]
    out = loc.groupby("unit", sort=False).agg(lat=("lat", "mean"), lon=("lon", "mean"),
                                              role=("role", "first"))
    out["name"] = list(lab.names(list(out.index), boundaries).values())
    out.index.name = "code"
    return out
