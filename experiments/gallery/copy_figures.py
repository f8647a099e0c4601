"""Copy the gallery's figures from the plot command's output, downsized for the repository.

Usage (after the commands in README.md)::

    python experiments/gallery/copy_figures.py results/gallery [gallery file ...]

Each PNG is scaled to 1600 pixels wide (the full-resolution 2688 × 1512 originals stay in the
results folder) and written next to this script; the GIF is copied as it is. Only the files
listed below are written (or only the gallery files named after the folder, e.g.
``run_network_layers_vi.png`` to add one figure without redrawing the comparison): other files
in this folder (e.g. the dashboard screenshot) are left alone.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
WIDTH = 1600  # pixels of the gallery copies
LIMIT = 400_000  # bytes: larger copies are written with a reduced palette

# gallery file → file written by the plot command, relative to the results folder
FIGURES = {
    "run_overview.png": "run/figures/overview.png",
    "run_fans_vi.png": "run/plots/vi/fans.png",
    "run_provinces_registered_vi.png": "run/plots/vi/provinces_registered_bn_pre2025.png",
    "run_map_flows_vi.png": "run/plots/vi/map_flows_pre2025.png",
    "run_map_flows_post2025_vi.png": "run/plots/vi/map_flows_post2025.png",
    "run_map_ties_vi.png": "run/plots/vi/map_ties_pre2025.png",
    "run_sectors_registered_vi.png": "run/plots/vi/sectors_registered_bn_pre2025.png",
    "run_sectors_jobs_post2025_vi.png": "run/plots/vi/sectors_total_jobs_post2025.png",
    "run_network_layers_vi.png": "run/plots/vi/network_layers.png",
    "run_animation_vi.gif": "run/plots/vi/animation.gif",
    "cmp_fan_levels_registered.png": "comparison/plots/en/fan_levels_registered_bn.png",
    "cmp_fan_difference_jobs.png": "comparison/plots/en/fan_difference_total_jobs.png",
    "cmp_difference_registered.png": "comparison/plots/en/difference_registered_bn_pre2025.png",
    "cmp_difference_jobs_post2025.png":
        "comparison/plots/en/difference_total_jobs_post2025.png",
    "cmp_provinces_registered.png": "comparison/plots/en/provinces_registered_bn_pre2025.png",
    "cmp_sector_differences.png":
        "comparison/plots/en/sector_differences_registered_bn.png",
    "cmp_map_flows_full_package.png":
        "comparison/plots/en/map_flows_full_package_pre2025.png",
    "cmp_map_ties_full_package_post2025.png":
        "comparison/plots/en/map_ties_full_package_post2025.png",
    "cmp_fans_vi.png": "comparison/plots/vi/fan_levels_total_jobs.png",
}


def shrink(src: Path, dst: Path) -> int:
    """Write ``src`` scaled to :data:`WIDTH` pixels wide; return the bytes written."""
    with Image.open(src) as im:
        im = im.convert("RGB")
        small = im.resize((WIDTH, round(im.height * WIDTH / im.width)), Image.LANCZOS)
    small.save(dst, optimize=True)
    if dst.stat().st_size > LIMIT:  # octree keeps small colour areas (legend keys, markers)
        small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(dst, optimize=True)
    return dst.stat().st_size


def main() -> None:
    """Copy every gallery figure (or the named ones); fail with one line if one is missing."""
    if len(sys.argv) < 2:
        sys.exit("usage: python experiments/gallery/copy_figures.py <results folder> "
                 "[gallery file ...]")
    root, names = Path(sys.argv[1]), sys.argv[2:] or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        sys.exit(f"error: {', '.join(unknown)} is not a gallery file; known: "
                 f"{', '.join(FIGURES)}")
    for name in names:
        src = root / FIGURES[name]
        if not src.is_file():
            sys.exit(f"error: {src} is missing; run the commands of "
                     "experiments/gallery/README.md first")
        dst = HERE / name
        if name.endswith(".gif"):
            shutil.copyfile(src, dst)
            size = dst.stat().st_size
        else:
            size = shrink(src, dst)
        print(f"{name:<42} {size / 1000:7.0f} kB")


if __name__ == "__main__":
    main()
