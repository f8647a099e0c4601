"""The 1 July 2025 reform inside the model: the enlarged choice set before it, the merged units
after it, no artefact at the seam, and a note for levers that name a dissolved province."""

import dataclasses

import pytest

import simulation
from simulation.config.compose import compose, to_run_config
from simulation.config.validate import reform_notes

from .conftest import SMALL

SEEDS = (31, 32, 33, 34)
DISSOLVED = ["bac_kan", "ha_nam", "quang_binh", "binh_duong", "ba_ria_vung_tau"]


@pytest.fixture(scope="module")
def runs(inputs):
    """Default-size runs (large projects are lumpy: the small population is too noisy for a
    25 % band on four quarters) to one year after the reform."""
    return [simulation.run([f"seed={s}", "time.end=2026Q2"], inputs=inputs) for s in SEEDS]


def _q(df):
    return df["quarter"].astype(str)


def test_belt_and_centre_receive_new_projects_before_the_reform(runs):
    for res in runs:
        inv = res.investment
        before = inv[_q(inv) < "2025Q3"].groupby("site", observed=True)["new_projects"].sum()
        assert (before[["binh_duong", "ba_ria_vung_tau", "central"]] > 0).all()


def test_no_activity_is_booked_to_a_dissolved_unit_after_the_reform(runs, inputs):
    # a successor that is not a place of the model (Thừa Thiên Huế → Huế) is a renaming
    new = inputs.locations["new_code"]
    succ = new.where(new.isin(inputs.locations.index), new.index)
    for res in runs:
        for name in ("investment", "jobs", "revenue"):
            df = getattr(res, name)
            after = df[_q(df) >= "2025Q3"]
            assert not after["location"].astype(str).isin(DISSOLVED).any(), name
            # every place is booked to its successor, and the successors carry it
            assert (after["location"].astype(str)
                    == after["site"].astype(str).map(succ)).all(), name
            before = df[_q(df) < "2025Q3"]
            assert (before["location"].astype(str) == before["site"].astype(str)).all(), name
        inv = res.investment
        after = inv[_q(inv) >= "2025Q3"]
        by_unit = after.groupby("location", observed=True)["registered_stock_bn"].sum()
        by_site = after.groupby("site", observed=True)["registered_stock_bn"].sum()
        assert by_unit["thai_nguyen"] == pytest.approx(by_site[["bac_kan", "thai_nguyen"]].sum())
        assert by_unit["ninh_binh"] == pytest.approx(by_site[["ha_nam", "ninh_binh"]].sum())
        assert by_site["ha_nam"] > 0 and by_site["quang_binh"] > 0


def test_the_reform_leaves_no_artefact_in_registered_capital(runs):
    """National registered capital in the four quarters after 2025Q3 within 25 % of the four
    before (pooled over the seeds)."""
    pre = post = 0.0
    for res in runs:
        inv = res.investment
        q = _q(inv)
        pre += inv.loc[(q >= "2024Q3") & (q < "2025Q3"), "registered_bn"].sum()
        post += inv.loc[(q >= "2025Q3") & (q < "2026Q3"), "registered_bn"].sum()
    assert post > 0 and abs(post / pre - 1) < 0.25


def test_reform_off_keeps_the_old_provinces_acting(inputs):
    res = simulation.run(SMALL + ["seed=31", "params.reform.enabled=false"], inputs=inputs)
    inv = res.investment
    assert (inv["location"].astype(str) == inv["site"].astype(str)).all()


def _rc(overrides):
    return to_run_config(compose(overrides))


def _notes(rc, inputs):
    loc = inputs.locations
    return reform_notes(rc, loc["new_code"].to_dict(), loc["name_vi"].to_dict())


def test_a_lever_naming_a_dissolved_province_gets_one_note(inputs):
    rc = _rc(["scenario=promotion", "scenario.promotions.0.provinces=[ha_nam,cao_bang]",
              "scenario.promotions.0.end=2030Q4", "time.end=2030Q4"])
    notes = _notes(rc, inputs)
    assert len(notes) == 1
    assert "scenario.promotions.0 names ha_nam (Hà Nam)" in notes[0]
    assert "2025Q3" in notes[0] and "ninh_binh" in notes[0]


def test_many_notes_are_summed_up_in_one_line_when_asked(inputs):
    rc = _rc(["scenario=promotion",
              "scenario.promotions.0.provinces=[ha_nam,bac_kan,quang_binh,cao_bang]",
              "scenario.promotions.0.end=2030Q4", "time.end=2030Q4"])
    loc = inputs.locations
    args = (rc, loc["new_code"].to_dict(), loc["name_vi"].to_dict())
    assert len(reform_notes(*args)) == 3 == len(reform_notes(*args, most=3))
    (line,) = reform_notes(*args, most=2)
    assert line.startswith("3 levers name provinces the reform merges (ha_nam → ninh_binh")
    assert "bac_kan → thai_nguyen" in line and "quang_binh → quang_tri" in line
    assert "cao_bang" not in line and "from 2025Q3 each applies" in line


def test_a_unit_the_reform_creates_is_named_in_the_note(inputs):
    from simulation.runs.runner import notes

    rc = _rc(["scenario=promotion", "scenario.promotions.0.provinces=[thua_thien_hue]"])
    (line,) = notes(rc, inputs)
    assert "part of hue (Huế)" in line


def test_no_note_when_the_lever_ends_before_the_reform_or_names_all(inputs):
    assert _notes(_rc(["scenario=promotion"]), inputs) == []  # provinces: [all]
    early = _rc(["scenario=promotion", "scenario.promotions.0.provinces=[ha_nam]",
                 "scenario.promotions.0.end=2025Q2"])
    assert _notes(early, inputs) == []
    rc = _rc(["scenario=promotion", "scenario.promotions.0.provinces=[ha_nam]"])
    off = dataclasses.replace(rc, params=dataclasses.replace(
        rc.params, reform=dataclasses.replace(rc.params.reform, enabled=False)))
    assert _notes(off, inputs) == []
