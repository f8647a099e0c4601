"""Nothing is drawn in the outer margin of any figure, in English and in Vietnamese.

A projector crops the edges of a slide, and a title or a label that runs off the image is
clipped. The whole figure set of a small run and of a small comparison is drawn by the real
commands in both languages (plus the figures the run and compare commands draw themselves,
the sensitivity figures and the dashboard's three charts), and the outer band of every image
(PNG, and the first frame of each GIF) must be background only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from simulation.analysis.live import snapshot
from simulation.apps.dashboard.components import place_names
from simulation.apps.dashboard.live import DashboardModel
from simulation.figures import live as charts
from simulation.figures.sensitivity import morris_figure, sobol_figure
from simulation.figures.style import save_figure

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

SMALL = ["params.firms.n_agents=2000", "time.spinup_quarters=8"]
BAND = 0.005  # the outer band checked: 0.5 % of the width (left, right) and height (top, bottom)
TOLERANCE = 12  # largest channel difference from the background still counted as background


def margin_ink(path: Path) -> dict[str, int]:
    """Pixels that differ from the background in each outer band of an image (frame 0)."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    background = np.asarray(img.getpixel((0, 0)), dtype=int)
    bx, by = max(2, round(w * BAND)), max(2, round(h * BAND))
    boxes = {"top": (0, 0, w, by), "bottom": (0, h - by, w, h), "left": (0, 0, bx, h),
             "right": (w - bx, 0, w, h)}
    ink = {side: int((np.abs(np.asarray(img.crop(box), dtype=int) - background).max(axis=-1)
                      > TOLERANCE).sum()) for side, box in boxes.items()}
    return {side: n for side, n in ink.items() if n}


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("margins")
    run, cmp_dir = base / "run", base / "comparison"
    res = run_cli([*SMALL, "scenario=agreement_2025", "output.summary=false",
                   f"hydra.run.dir={run}"], cwd=ROOT)
    assert res.returncode == 0, res.stderr
    res = run_cli([*SMALL, "scenarios=[agreement_2025,full_package]", "replications=2",
                   "workers=1", "progress=false", "figure_formats=[png]",
                   f"hydra.run.dir={cmp_dir}"], cwd=ROOT, module="simulation.compare")
    assert res.returncode == 0, res.stderr
    plots = [[sys.executable, "-m", "simulation.plot", str(folder), f"lang={lang}",
              "formats=[png]"] for folder in (cmp_dir, run) for lang in ("en", "vi")]
    for pair in (plots[:2], plots[2:]):  # two at a time: one per core
        procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for cmd in pair]
        for proc in procs:
            _, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err
    study = ROOT / "experiments" / "sensitivity" / "results"
    info = json.loads((study / "run.json").read_text(encoding="utf-8"))
    note = f"{info['model_runs']:,} model runs · commit {info['git_commit'][:10]}"
    morris, sobol = pd.read_csv(study / "morris.csv"), pd.read_csv(study / "sobol.csv")
    if sobol.empty:  # the shipped study screens only: lay out an earlier study's Sobol table
        sobol = pd.read_csv(Path(__file__).parent / "fixtures" / "sobol_layout.csv")
    save_figure(morris_figure(morris, {}, note), base / "sensitivity" / "morris", ("png",))
    save_figure(sobol_figure(sobol, {}, note), base / "sensitivity" / "sobol", ("png",))
    live = DashboardModel(agreement_budget=4.0, n_agents=2000, paired_seeds=2)
    while live.running:
        live.step()
    snap = snapshot(live)
    (base / "dashboard").mkdir()
    for lang in ("en", "vi"):
        names = place_names(live.inputs.locations, lang)
        for name, png in (("bars", charts.province_bars(snap, names, lang)),
                          ("series", charts.time_series(snap, lang)),
                          ("map", charts.location_map(snap, names, lang))):
            (base / "dashboard" / f"{name}_{lang}.png").write_bytes(png)
    return sorted(base.rglob("*.png")) + sorted(base.rglob("*.gif"))


def test_the_figure_set_is_complete_in_both_languages(figures):
    names = {p.name for p in figures}
    for lang in ("en", "vi"):
        assert any(f"/plots/{lang}/" in str(p) for p in figures), lang
    for stem in ("difference_registered_bn_pre2025", "map_flows_agreement_2025_pre2025",
                 "map_ties_full_package_post2025", "sectors_total_jobs_agreement_2025_pre2025",
                 "sectors_registered_bn_pre2025", "fan_difference_total_jobs", "fans",
                 "overview", "morris", "sobol", "map_vi", "bars_en"):
        assert f"{stem}.png" in names, stem
    assert "animation.gif" in names
    assert len(figures) > 150


def test_nothing_is_drawn_in_the_outer_margin(figures):
    base = Path(*figures[0].parts[:figures[0].parts.index("margins0") + 1]) \
        if "margins0" in figures[0].parts else figures[0].parent
    offenders = {str(p.relative_to(base)) if base in p.parents else str(p): ink
                 for p in figures if (ink := margin_ink(p))}
    assert not offenders, f"{len(offenders)} of {len(figures)} images draw in the margin: " \
        + "; ".join(f"{k} {v}" for k, v in offenders.items())
