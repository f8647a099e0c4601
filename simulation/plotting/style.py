"""One presentation style: 16:9, large type, colour-blind-safe palette, units in titles."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from simulation.output import atomic_write_bytes  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999"]
# Paul Tol's 'muted' qualitative scheme: nine colour-blind-safe hues for the nine partners
CATEGORICAL = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
               "#882255", "#AA4499"]
FIGSIZE = (13.333, 7.5)  # 16:9 at 96 dpi-equivalent inches
DPI = 200
FONT = "DejaVu Sans"  # ships with matplotlib; covers Vietnamese (Latin Extended Additional)

RC = {
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100,
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
}


@contextlib.contextmanager
def talk_style() -> Iterator[None]:
    """Context manager applying the presentation style."""
    with plt.rc_context(RC):
        yield


def vi(text: str) -> str:
    """Vietnamese text in NFC form (precomposed diacritics render reliably)."""
    return unicodedata.normalize("NFC", text)


def footnote(fig: Figure, text: str) -> None:
    """Small note at the bottom-left of a figure (scenario, replications, data year)."""
    fig.text(0.01, 0.01, vi(text), fontsize=12, color="#555555", ha="left", va="bottom")


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Save a figure in several formats atomically; return the paths written."""
    paths = []
    for fmt in formats:
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=DPI, bbox_inches="tight")
        path = Path(stem).with_suffix(f".{fmt}")
        atomic_write_bytes(path, buf.getvalue())
        paths.append(path)
    plt.close(fig)
    return paths
