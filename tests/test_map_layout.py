"""Map text presenters read at projector size: names with diacritics, nothing on top of another.

The flow map of a run lists up to nine places it does not draw as arcs; its bars must start
above that list, and the names of the places drawn as diamonds must not cover each other, the
partners' names or the markers. Drawn from a real run's flows, in both languages.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.figures.labels import Labels
from simulation.figures.mapbase import places_table, two_lines
from simulation.figures.maps import flow_map


@pytest.fixture(scope="module")
def flows(small_run) -> pd.Series:
    inv = small_run.investment
    return inv.groupby("site", observed=True)["registered_bn"].sum().rename(str)


def _boxes(fig, texts):
    r = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(r)) for t in texts if t.get_text().strip()]


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("boundaries", ["pre2025", "post2025"])
def test_flow_map_text_does_not_overlap(inputs, flows, lang, boundaries):
    lab = Labels(lang, inputs.locations)
    places = places_table(inputs.locations, boundaries, lab)
    if boundaries == "post2025":
        flows = flows.groupby(inputs.locations["new_code"].reindex(flows.index)).sum()
    fig = flow_map(places, flows, "Title", "note", lab, "bn")
    fig.canvas.draw()
    ax, bars = fig.axes[0], fig.axes[1]
    r = fig.canvas.get_renderer()
    # the list of places not drawn lies below the bars and their labels
    listed = [t for t in fig.texts if "\n" in t.get_text() and ":" in t.get_text()]
    assert len(listed) == 1
    top_of_list = listed[0].get_window_extent(r).y1
    assert top_of_list < bars.get_tightbbox(r).y0
    # no two names on the map overlap (country names, archipelagos, places), none leaves it
    boxes = _boxes(fig, ax.texts)
    inside = ax.get_window_extent(r)
    for i, (a, box) in enumerate(boxes):
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1, a
        for b, other in boxes[i + 1:]:
            assert not box.overlaps(other), f"{a!r} overlaps {b!r}"
    # every place has its name on the map, in the language's spelling
    shown = {t for t, _ in boxes}
    for name in places["name"]:
        assert any(name == s.replace("\n", " ") or name in s for s in shown), name


def test_provinces_keep_their_diacritics_in_english(inputs):
    en = Labels("en", inputs.locations)
    assert en.location("binh_duong") == "Bình Dương"
    assert en.location("ninh_binh") == "Nam Định and Ninh Bình"
    assert en.location("south_near") == "Southern neighbours"  # a composite is translated
    assert en.location("hcmc") == "Ho Chi Minh City"
    assert en.after_reform("binh_duong") == "Ho Chi Minh City"  # HCMC after the merger
    assert en.after_reform("bac_kan") == "Thái Nguyên"
    assert en.unit_name("ninh_binh") == "Ninh Bình"  # the unit, not the place of that code
    assert en.unit_name("hue") == "Huế"
    vi = Labels("vi", inputs.locations)
    assert vi.location("ninh_binh") == "Nam Định và Ninh Bình"
    assert vi.after_reform("ba_ria_vung_tau") == "TP. Hồ Chí Minh"


def test_a_long_name_takes_two_lines_at_the_middle_space():
    assert two_lines("Nam Định và Ninh Bình") == "Nam Định và\nNinh Bình"
    assert two_lines("Thừa Thiên Huế") == "Thừa Thiên Huế"


def test_the_run_overview_counts_jobs_by_place_after_the_merger(small_run, inputs):
    from simulation.figures.overview import run_overview

    loc = inputs.locations
    partners = list(loc.index[loc["role"] == "partner"])
    fig = run_overview(small_run.investment, small_run.jobs, loc["name_vi"].to_dict(),
                       partners, "note")
    jobs = small_run.jobs
    end = jobs[jobs["quarter"].astype(str) == jobs["quarter"].astype(str).max()]
    direct = end.groupby("site", observed=True)["direct_jobs"].sum()
    drawn = [bar.get_width() for bar in fig.axes[1].containers[0]]
    assert drawn == pytest.approx([float(direct[c]) for c in partners])
    assert direct[["bac_kan", "ha_nam", "quang_binh"]].sum() > 0  # merged away, still drawn
