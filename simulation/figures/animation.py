"""An animated GIF of investment flows and cooperation ties, quarter by quarter.

Each frame is one quarter: thin green lines HCMC–partner show the mean tie strength over the fields
(width), arcs show the capital registered in that quarter, circles the capital
registered so far; a side panel follows the partners' cumulative total. Frames are drawn with
Matplotlib and written with Pillow (shipped with Matplotlib; no ffmpeg needed).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from PIL import Image

from simulation.figures import geo
from simulation.figures.compare import quarter_axis
from simulation.figures.labels import Labels
from simulation.figures.mapbase import ORIGIN_COLOR, arc, archipelago_inset, base_map, label_column
from simulation.figures.maps import FLOW_COLOR, INSET, frame
from simulation.figures.style import INK, PALETTE, number_axis, talk_style
from simulation.io import atomic_write_bytes

TIE_COLOR = PALETTE[2]  # bluish green: ties, apart from the blue of capital
PALETTE_SIZE = 128  # GIF colours shared by every frame


def flows_animation(places: pd.DataFrame, flows: pd.DataFrame, ties: pd.DataFrame,
                    path: Path, title: str, note: str, lab: Labels, unit: str,
                    fps: float = 2.0, dpi: int = 72) -> Path:
    """Write the animation to ``path`` (GIF) atomically and return it.

    Args:
        places: from :func:`simulation.figures.mapbase.places_table`.
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
        fig = plt.figure(dpi=dpi)  # laid out at the resolution of the frames
        extra = lab.t("map source") if geo.available() else lab.t("no outline")
        bottom, top = frame(fig, title, f"{note} · {extra} · {lab.t('frame note')}")
        ax = fig.add_axes((0.02, bottom, 0.45, top - bottom))
        base_map(ax, lab, geo.MAINLAND, context=False, min_area=20.0)
        archipelago_inset(ax, lab, INSET)
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

        def draw(i: int) -> None:
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

        fig.set_dpi(dpi)
        frames = []
        for i in range(len(quarters)):
            draw(i)
            fig.canvas.draw()
            frames.append(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB"))
        plt.close(fig)
    buf = io.BytesIO()
    _write_gif(frames, buf, fps)
    atomic_write_bytes(Path(path), buf.getvalue())
    return Path(path)


def _write_gif(frames: list[Image.Image], out: io.BytesIO, fps: float) -> None:
    """Frames as one looping GIF with a shared palette and no dithering.

    A shared palette keeps unchanged pixels identical from frame to frame, so Pillow stores
    only the region that changed (a third of the size of per-frame palettes).
    """
    sample = Image.new("RGB", (frames[0].width, frames[0].height * 3))
    for k, shot in enumerate((frames[0], frames[len(frames) // 2], frames[-1])):
        sample.paste(shot, (0, frames[0].height * k))
    palette = sample.quantize(colors=PALETTE_SIZE, method=Image.Quantize.MEDIANCUT,
                              dither=Image.Dither.NONE)
    coded = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    coded[0].save(out, format="GIF", save_all=True, append_images=coded[1:],
                  duration=round(1000 / fps), loop=0)
