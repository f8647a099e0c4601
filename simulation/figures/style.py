"""One presentation style: 16:9, large type, colour-blind-safe palette, units in titles.

Every figure is 13.44 × 7.56 inches (16:9) and is saved at that size (no tight bounding box),
so a PNG at the default 200 dpi is 2688 × 1512 pixels and fills a slide. Text is DejaVu Sans,
which ships with Matplotlib and covers Vietnamese (Latin Extended Additional); SVG keeps text
as text, so diacritics stay searchable and exact.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from simulation.figures.text import nfc, tick  # noqa: E402
from simulation.io import atomic_write_bytes  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999"]
# Paul Tol's 'muted' qualitative scheme: nine colour-blind-safe hues for the nine partners
CATEGORICAL = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
               "#882255", "#AA4499"]
SEQUENTIAL = "cividis"  # perceptually uniform and readable with colour-vision deficiency
INK = "#222222"
MUTED = "#555555"
FIGSIZE = (13.44, 7.56)  # 16:9, exactly 2688 × 1512 pixels at 200 dpi
DPI = 200  # PNG resolution (≥ 200 dpi for projection)
FONT = "DejaVu Sans"  # ships with matplotlib; covers Vietnamese (Latin Extended Additional)
FORMATS = ("png", "svg", "pdf")
TITLE_SIZE = 21
NOTE_SIZE = 12
MARGIN = 0.01  # figure fraction kept clear at each side (a projector crops the edges)
TEXT_WIDTH = 1 - 2 * MARGIN  # width of titles and footnotes

RC = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": DPI,  # lay out at the resolution saved: glyph hinting makes text ~1 % wider
    # at 200 dpi than at 100, enough to push a title that fitted into the margin
    "savefig.dpi": DPI,
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 16,
    "axes.titlesize": 18,
    "axes.titleweight": "bold",
    "axes.labelsize": 17,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 14,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",  # keep text as text in SVG (searchable, diacritics survive)
    "pdf.fonttype": 42,  # embed TrueType (not Type 3) so PDF text stays text
}


@contextlib.contextmanager
def talk_style() -> Iterator[None]:
    """Context manager applying the presentation style."""
    with plt.rc_context(RC):
        yield


def wrap_to_width(fig: Figure, text: str, width: float, **font: object) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a fraction of the figure).

    Widths are measured with the figure's renderer in the given font (not counted in
    characters), so a bold Vietnamese title wraps where it really reaches the margin. A single
    word wider than the line keeps a line of its own.
    """
    limit = width * fig.get_figwidth() * fig.dpi
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", **font)
    try:
        lines: list[str] = []
        for word in nfc(text).split():
            line = f"{lines[-1]} {word}" if lines else word
            probe.set_text(line)
            if lines and probe.get_window_extent(renderer).width <= limit:
                lines[-1] = line
            else:
                lines.append(word)
        return lines or [""]
    finally:
        probe.remove()


def footnote(fig: Figure, text: str) -> int:
    """Small note at the bottom-left of a figure (scenario, replications, data year).

    Long notes wrap onto more lines within the margins; returns the number of lines.
    """
    font = {"fontsize": NOTE_SIZE}
    lines = wrap_to_width(fig, text, TEXT_WIDTH, **font)
    fig.text(MARGIN, 0.01, "\n".join(lines), color=MUTED, ha="left", va="bottom",
             linespacing=1.3, **font)
    return len(lines)


def title(fig: Figure, text: str) -> int:
    """Bold figure title at the top-left, wrapped within the margins; returns its lines.

    A title of more than one line is set 2 points smaller.
    """
    lines = wrap_to_width(fig, text, TEXT_WIDTH, fontsize=TITLE_SIZE, fontweight="bold")
    size = TITLE_SIZE
    if len(lines) > 1:
        size = TITLE_SIZE - 2
        lines = wrap_to_width(fig, text, TEXT_WIDTH, fontsize=size, fontweight="bold")
    # figure text, not suptitle: tight_layout leaves the room given by its rect (see finish)
    fig.text(MARGIN, 0.985, "\n".join(lines), fontsize=size, fontweight="bold", ha="left",
             va="top")
    return len(lines)


def finish(fig: Figure, heading: str, note: str,
           legend: tuple[list, list[str], int] | None = None) -> None:
    """Title, footnote, an optional legend under the title, and a layout that fits them.

    Args:
        fig: the figure.
        heading: the title (with units).
        note: the footnote (scenario, replications, data year).
        legend: ``(handles, labels, columns)`` of a frameless legend under the title.
    """
    t_lines = title(fig, heading)
    n_lines = footnote(fig, note)
    bottom = 0.035 + 0.027 * n_lines
    top = 1 - (0.075 + 0.048 * (t_lines - 1))
    if legend is not None:
        handles, labels, ncol = legend
        y = top
        fig.legend(handles, labels, loc="upper left", ncol=ncol, frameon=False, fontsize=14,
                   bbox_to_anchor=(0.01, y))
        top = y - 0.05 * math.ceil(len(labels) / ncol)
    left, right = 0.0, 1.0
    for _ in range(4):  # tight_layout leaves titles' widths out: pull in what still sticks out
        fig.tight_layout(rect=(left, bottom, right, top))
        box = fig.get_tightbbox(fig.canvas.get_renderer())
        width = fig.get_figwidth()
        over_left = MARGIN - box.x0 / width
        over_right = box.x1 / width - (1 - MARGIN)
        if over_left <= 0 and over_right <= 0:
            break
        left, right = left + max(over_left, 0.0), right - max(over_right, 0.0)


def number_axis(ax: Axes, axis: str = "y", lang: str = "en") -> None:
    """Thousands separators on an axis (``12,000`` in English, ``12.000`` in Vietnamese).

    An axis whose data are all zero gets the range 0–1 instead of a degenerate one.
    """
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(plt.FuncFormatter(lambda v, _pos: tick(v, lang)))
    box = ax.dataLim
    lo, hi = (box.x0, box.x1) if axis == "x" else (box.y0, box.y1)
    if np.isfinite([lo, hi]).all() and max(abs(lo), abs(hi)) < 1e-9:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0, 1)
        target.set_ticks([0])


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] | list[str] = ("png", "svg"),
                dpi: int = DPI) -> list[Path]:
    """Save a figure in several formats atomically, at its 16:9 size; return the paths.

    Args:
        fig: the figure (closed afterwards).
        stem: path without suffix.
        formats: any of ``png``, ``svg``, ``pdf``.
        dpi: resolution of PNG files.
    """
    paths = []
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} is unknown; allowed: {', '.join(FORMATS)}")
        buf = io.BytesIO()
        with talk_style():  # savefig reads svg.fonttype and pdf.fonttype when it runs
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=_metadata(fmt))
        path = Path(stem).with_suffix(f".{fmt}")
        atomic_write_bytes(path, buf.getvalue())
        paths.append(path)
    plt.close(fig)
    return paths


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date in SVG and PDF, so the same figure gives the same bytes."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
