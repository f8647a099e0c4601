"""An animated GIF of investment flows and cooperation ties, quarter by quarter.

Each frame is one quarter: thin green lines HCMC–partner show the mean tie strength over the fields
(width), arcs show the capital registered in that quarter, circles the capital
registered so far; a side panel follows the partners' cumulative total. Written with
Matplotlib's Pillow writer (no ffmpeg needed).
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.colors import Normalize

from simulation.output import _FILE_MODE
from simulation.plotting import geo
from simulation.plotting.compare_figures import quarter_axis
from simulation.plotting.labels import Labels
from simulation.plotting.mapbase import ORIGIN_COLOR, arc, base_map, label_column
from simulation.plotting.maps import FLOW_COLOR, frame
from simulation.plotting.style import INK, PALETTE, number_axis, talk_style

TIE_COLOR = PALETTE[2]  # bluish green: ties, apart from the blue of capital


def flows_animation(places: pd.DataFrame, flows: pd.DataFrame, ties: pd.DataFrame,
                    path: Path, title: str, note: str, lab: Labels, unit: str,
                    fps: float = 2.0, dpi: int = 72) -> Path:
    """Write the animation to ``path`` (GIF) atomically and return it.

    Args:
        places: from :func:`simulation.plotting.mapbase.places_table`.
        flows: quarter × partner capital registered in the quarter (VND bn).
        ties: quarter × partner mean tie strength over the fields, in [0, 1].
        path: the GIF to write.
        title: title (the quarter is added on each frame).
        note: footnote.
        lab: display text.
        unit: unit of the capital.
        fps: frames (quarters) per second.
        dpi: resolution of the frames (72 gives 960 × 540 pixels).
    """
    quarters = list(flows.index.astype(str))
    partners = [c for c in flows.columns if c in places.index]
    flows = flows[partners].fillna(0.0)
    ties = ties.reindex(index=flows.index, columns=partners).fillna(0.0)
    cum = flows.cumsum()
    total = cum.sum(axis=1).to_numpy()
    origin = str(places.index[places["role"] == "origin"][0])
    o = (float(places.at[origin, "lon"]), float(places.at[origin, "lat"]))
    top_flow = max(float(flows.to_numpy().max()), 1e-9)
    top_cum = max(float(cum.to_numpy().max()), 1e-9)
    norm = Normalize(0.0, max(0.1, math.ceil(float(ties.to_numpy().max()) * 10) / 10))
    with talk_style():
        fig = plt.figure()
        extra = lab.t("map source") if geo.available() else lab.t("no outline")
        bottom, top = frame(fig, title, f"{note} · {extra} · {lab.t('frame note')}")
        ax = fig.add_axes((0.02, bottom, 0.45, top - bottom))
        base_map(ax, lab, geo.MAINLAND, context=False, min_area=20.0)
        label_column(ax, places, partners, x=float(places.loc[partners, "lon"].min()) - 0.6,
                     gap=0.75, fontsize=13)
        ax.plot(*o, marker="*", ms=24, color=ORIGIN_COLOR, mec="white", zorder=8)
        side = fig.add_axes((0.58, 0.2, 0.38, 0.55))
        side.plot(range(len(quarters)), total, color="#BBBBBB", linewidth=2)
        quarter_axis(side, quarters)
        number_axis(side, "y", lab.lang)
        side.set_title(f"{lab.t('cumulative capital')}, {unit}", loc="left", fontsize=15)
        (point,) = side.plot([], [], "o", color=FLOW_COLOR, ms=12)
        (line,) = side.plot([], [], color=FLOW_COLOR, linewidth=3)
        stamp = fig.text(0.58, 0.8, "", fontsize=34, fontweight="bold", color=INK)
        dynamic: list = []

        def draw(i: int) -> list:
            for artist in dynamic:
                artist.remove()
            dynamic.clear()
            before = set(ax.patches) | set(ax.collections)
            for code in partners:
                end = (float(places.at[code, "lon"]), float(places.at[code, "lat"]))
                s = float(ties.iloc[i][code])
                arc(ax, o, end, 0.5 + 6.0 * norm(s), TIE_COLOR, rad=0.0, alpha=0.7, zorder=2)
                v = float(flows.iloc[i][code])
                if v > 0:
                    arc(ax, o, end, 1.5 + 12.0 * v / top_flow, FLOW_COLOR, alpha=0.75,
                        zorder=3)
            sizes = 30 + 900 * cum.iloc[i].to_numpy() / top_cum
            ax.scatter(places.loc[partners, "lon"], places.loc[partners, "lat"], s=sizes,
                       color=FLOW_COLOR, alpha=0.55, edgecolors="white", zorder=5)
            dynamic.extend((set(ax.patches) | set(ax.collections)) - before)
            point.set_data([i], [total[i]])
            line.set_data(np.arange(i + 1), total[: i + 1])
            stamp.set_text(quarters[i])
            return [*dynamic, point, line, stamp]

        anim = FuncAnimation(fig, draw, frames=len(quarters), blit=False)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".gif")
        os.close(fd)
        try:
            anim.save(tmp, writer=PillowWriter(fps=fps), dpi=dpi)
            os.chmod(tmp, _FILE_MODE)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
            plt.close(fig)
    return path
