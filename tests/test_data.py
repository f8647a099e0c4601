"""Tests of the shipped input data and of the loader's validation."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from simulation.data import Inputs, default_data_dir, load_inputs
from simulation.data.schema import (
    PROVINCE_FIELDS,
    SECTOR_FIELDS,
    UNIT_INTERVAL_FIELDS,
)
from simulation.errors import DataError

from .conftest import copy_data

PARTNERS = [
    "bac_kan",
    "cao_bang",
    "ha_nam",
    "ha_tinh",
    "nghe_an",
    "quang_binh",
    "quang_tri",
    "thanh_hoa",
    "thua_thien_hue",
]
SECTORS = [
    "agri_food",
    "modern_tech",
    "tourism",
    "ict_digital",
    "ip_realestate",
    "trade_logistics",
    "edu_health",
]
FIELDS = [
    "investment",
    "tourism_culture",
    "agriculture",
    "industry_trade",
    "science_technology",
    "ict",
    "digital_transformation",
    "education_training_health",
]


# ------------------------------------------------------------------ helpers


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def find_row(rows: list[list[str]], first: str, field: str) -> int:
    """Index in ``rows`` (0 = header) of the long-table row for (first, field)."""
    for i, r in enumerate(rows):
        if i and r[0] == first and r[1] == field:
            return i
    raise AssertionError(f"no row for ({first}, {field})")


def set_value(folder: Path, name: str, key: str, field: str, value: str) -> int:
    """Overwrite the value of one long-table row; return its 1-based file row number."""
    path = folder / name
    rows = read_rows(path)
    i = find_row(rows, key, field)
    rows[i][rows[0].index("value")] = value
    write_rows(path, rows)
    return i + 1


def set_cell(folder: Path, name: str, key: str, field: str, column: str, value: str) -> int:
    """Overwrite one cell of a long-table row; return its 1-based file row number."""
    path = folder / name
    rows = read_rows(path)
    i = find_row(rows, key, field)
    rows[i][rows[0].index(column)] = value
    write_rows(path, rows)
    return i + 1


def expect_error(folder: Path, *parts: str) -> str:
    with pytest.raises(DataError) as info:
        load_inputs(folder)
    msg = str(info.value)
    assert "\n" not in msg
    for part in parts:
        assert part in msg, f"{part!r} not in {msg!r}"
    return msg


# ------------------------------------------------------------- shipped data


def test_shipped_data_loads(inputs: Inputs) -> None:
    assert isinstance(inputs, Inputs)
    assert default_data_dir() == Path(__file__).resolve().parents[1] / "simulation" / "data"


OTHERS = ["binh_duong", "ba_ria_vung_tau", "thai_nguyen", "ninh_binh"]
COMPOSITES = ["south_near", "central", "north_far"]


def test_locations_and_roles(inputs: Inputs) -> None:
    assert inputs.location_codes == ["hcmc", *PARTNERS, *OTHERS, *COMPOSITES]
    roles = inputs.locations["role"].to_dict()
    assert roles["hcmc"] == "origin"
    assert all(roles[p] == "partner" for p in PARTNERS)
    assert all(roles[p] == "province" for p in OTHERS)
    assert all(roles[p] == "composite" for p in COMPOSITES)
    assert list(inputs.locations["role"]).count("origin") == 1
    members = inputs.locations["members"].to_dict()
    # 2023 provinces each place covers: the 13 central provinces map onto six 2025 units
    assert (members["central"], members["ninh_binh"], members["south_near"]) == (13, 2, 16)
    assert members["north_far"] == 19 and members["nghe_an"] == 1
    # every 2023 province counted once: 63 provinces and cities
    assert sum(members.values()) == 63


def test_every_location_has_every_field_once(inputs: Inputs) -> None:
    facts = inputs.province_facts
    counts = facts.groupby(["location", "field"]).size()
    assert len(counts) == len(inputs.locations) * len(PROVINCE_FIELDS)
    assert (counts == 1).all()
    assert set(facts["field"]) == set(PROVINCE_FIELDS)
    wide = inputs.locations[list(PROVINCE_FIELDS)]
    assert not wide.isna().any().any()
    assert (wide.dtypes == np.float64).all()
    for f in UNIT_INTERVAL_FIELDS & set(PROVINCE_FIELDS):
        assert wide[f].between(0, 1).all(), f
    assert set(wide["incentive_zone"]) <= {0.0, 1.0, 2.0}


def test_estimated_flags_and_sources(inputs: Inputs) -> None:
    for facts in (inputs.province_facts, inputs.sector_facts):
        assert set(facts["estimated"]) <= {0, 1}
        est = facts[facts["estimated"] == 1]
        assert est["source"].str.startswith("ESTIMATE:").all()
        assert (facts["source"].str.len() > 0).all()
        assert facts.loc[facts["estimated"] == 0, "source"].str.startswith("ESTIMATE").sum() == 0
        # arithmetic on sourced facts counts as sourced (README convention)
        assert (facts.loc[facts["source"].str.startswith("DERIVED:"), "estimated"] == 0).all()
    # composite regions are always estimates
    comp = inputs.province_facts[
        inputs.province_facts["location"].isin(["south_near", "north_far"])
    ]
    assert (comp["estimated"] == 1).all()


def test_vietnamese_names(inputs: Inputs) -> None:
    names = inputs.locations["name_vi"].to_dict()
    assert names["thua_thien_hue"] == "Thừa Thiên Huế"
    assert names["hcmc"] == "TP. Hồ Chí Minh"
    assert names["bac_kan"] == "Bắc Kạn"
    assert names["nghe_an"] == "Nghệ An"
    assert names["thanh_hoa"] == "Thanh Hóa"
    assert inputs.fields.loc["digital_transformation", "name_vi"] == "Chuyển đổi số"


def test_sectors_and_shares(inputs: Inputs) -> None:
    assert list(inputs.sectors.index) == SECTORS
    assert list(inputs.sectors.columns) == list(SECTOR_FIELDS)
    assert inputs.sectors["opportunity_share"].sum() == pytest.approx(1.0, abs=1e-9)
    assert (inputs.sectors["soft_info"] >= 1).all()
    assert (inputs.sectors["local_multiplier"].between(0.5, 1.6)).all()
    assert inputs.sectors.loc["agri_food", "cit_rate_standard"] == 0.15
    # capital-weighted direct jobs per bn VND (2023) of disbursed capital lies between the
    # capital-intensive HEPZA zones (252,131 workers on 13.654 bn USD registered, ~75 %
    # realised) and HCMC investors' labour-intensive mix in Nghệ An (43,000 jobs on 15,350 bn
    # VND nominal over 2003–2014, deflated to 2023 VND, ~76 % realised)
    w = inputs.sectors["opportunity_share"] * inputs.sectors["size_factor"]
    overall = float((w * inputs.sectors["jobs_per_bn"]).sum() / w.sum())
    hepza = 252131 / (13.654e9 * 23500 / 1e9) / 0.75
    nominal_years = inputs.deflator.loc[2003:2014]
    nghe_an = 43000 / (15350 / float(nominal_years.mean())) / 0.76
    assert hepza < overall < nghe_an, (hepza, overall, nghe_an)


def test_admin_capacity_is_pci_2020_for_every_place(inputs: Inputs) -> None:
    # one basis for all places: the PCI 2020 rank, level = 0.9 - 0.6 (rank - 1) / 62
    rows = inputs.province_facts[inputs.province_facts["field"] == "admin_capacity"]
    assert (rows["year"] == "2020").all(), rows.loc[rows["year"] != "2020", "location"].tolist()
    loc = inputs.locations
    for code, rank in {"hcmc": 14, "binh_duong": 4, "ba_ria_vung_tau": 15, "thai_nguyen": 11,
                       "bac_kan": 59}.items():
        assert loc.loc[code, "admin_capacity"] == pytest.approx(0.9 - 0.6 * (rank - 1) / 62,
                                                                abs=5e-4), code


def test_wages_are_in_2023_vnd(inputs: Inputs) -> None:
    # the one sourced wage, 6.9 m VND a month reported in February 2025, deflated to 2023 VND
    loc = inputs.locations
    anchor = 6.9e-3 * 12 / float(inputs.deflator.loc[2025])
    assert loc.loc["quang_tri", "wage_bn_per_year"] == pytest.approx(anchor, abs=5e-5)
    # every other wage scales from it with elasticity 0.5 on GRDP per head (71 m VND in Quảng
    # Trị); the composites' GRDP per head is their GRDP over their population
    for code in ("ninh_binh", "south_near", "central", "north_far"):
        per_head = loc.loc[code, "grdp_bn"] / loc.loc[code, "population"] * 1e3
        expected = anchor * (per_head / 71.0) ** 0.5
        assert loc.loc[code, "wage_bn_per_year"] == pytest.approx(expected, abs=1e-4), code


def test_turnover_follows_from_the_mean_wage(inputs: Inputs) -> None:
    # turnover_per_bn is derived: value added per bn = 0.13 return + depreciation + jobs per bn
    # × the unweighted mean wage of the places; a change of wages must recompute it
    sec = inputs.sectors
    w_mean = float(inputs.locations["wage_bn_per_year"].mean())
    value_added = sec["turnover_per_bn"] * sec["va_share"]
    expected = 0.13 + sec["depreciation_rate"] + sec["jobs_per_bn"] * w_mean
    np.testing.assert_allclose(value_added, expected, rtol=5e-4)  # 4-digit rounding


def test_sector_field_map(inputs: Inputs) -> None:
    assert list(inputs.fields.index) == FIELDS
    sf = inputs.sector_field
    assert sf.dtype == bool and sf.shape == (len(SECTORS), len(FIELDS))
    assert sf.any(axis=1).all() and sf.any(axis=0).all()
    s, f = SECTORS.index, FIELDS.index
    assert sf[s("modern_tech"), f("science_technology")]
    assert sf[s("agri_food"), f("agriculture")] and sf[s("agri_food"), f("industry_trade")]
    assert not sf[s("tourism"), f("agriculture")]
    assert sf.sum() == 11


def test_boundary_map(inputs: Inputs) -> None:
    bm = inputs.boundary_map().set_index("code")
    assert list(inputs.boundary_map().columns) == ["code", "new_code", "new_name_en", "new_name_vi"]
    assert bm.loc["quang_binh", "new_code"] == "quang_tri"
    assert bm.loc["quang_tri", "new_code"] == "quang_tri"
    assert bm.loc["bac_kan", "new_code"] == "thai_nguyen"
    assert bm.loc["ha_nam", "new_code"] == "ninh_binh"
    assert bm.loc["thua_thien_hue", "new_name_vi"] == "Huế"
    assert bm.loc["hcmc", "new_code"] == "hcmc"
    for code in ["cao_bang", "ha_tinh", "nghe_an", "thanh_hoa", "thai_nguyen", "ninh_binh",
                 *COMPOSITES]:
        assert bm.loc[code, "new_code"] == code
    for code in ("binh_duong", "ba_ria_vung_tau"):
        assert bm.loc[code, "new_code"] == "hcmc"  # 1 July 2025: part of HCMC


def test_nghe_an_sourced_values(inputs: Inputs) -> None:
    loc = inputs.locations
    assert loc.loc["nghe_an", "road_km"] == 1400
    assert loc.loc["binh_duong", "road_km"] == 30 and loc.loc["ba_ria_vung_tau", "road_km"] == 70
    assert loc.loc["nghe_an", "budget_revenue_bn"] == 21275  # province_facts.csv, 2023 row
    facts = inputs.province_facts.set_index(["location", "field"])
    row = facts.loc[("nghe_an", "budget_revenue_bn")]
    assert row["estimated"] == 0 and row["year"] == "2023"
    assert "baovephapluat.vn" in row["source"]
    assert loc.loc["hcmc", "retention_rate"] == 0.21
    assert loc.loc["hcmc", "road_km"] == 20
    assert loc.loc["bac_kan", "incentive_zone"] == 2 and loc.loc["cao_bang", "incentive_zone"] == 2


# --------------------------------------------------------------- bad inputs


def test_missing_column(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    rows = read_rows(folder / "provinces.csv")
    j = rows[0].index("value")
    write_rows(folder / "provinces.csv", [r[:j] + r[j + 1 :] for r in rows])
    expect_error(folder, "provinces.csv", "row 1", "'value'")


def test_nan_value(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "provinces.csv", "nghe_an", "road_km", "nan")
    expect_error(folder, "provinces.csv", f"row {row},", "road_km", "NaN")


def test_empty_value(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "sectors.csv", "tourism", "jobs_per_bn", "")
    expect_error(folder, "sectors.csv", f"row {row},", "jobs_per_bn", "empty")


def test_non_numeric_value(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "provinces.csv", "ha_nam", "population", "about 880k")
    expect_error(folder, "provinces.csv", f"row {row},", "population", "not a number")


def test_negative_value(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "provinces.csv", "cao_bang", "population", "-5")
    expect_error(folder, "provinces.csv", f"row {row},", "population", "negative")


def test_share_out_of_range(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "provinces.csv", "thanh_hoa", "dx_index", "1.5")
    expect_error(folder, "provinces.csv", f"row {row},", "dx_index", "[0, 1]")


def test_sector_share_out_of_range(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "sectors.csv", "tourism", "export_share", "1.2")
    expect_error(folder, "sectors.csv", f"row {row},", "export_share", "[0, 1]")


def test_incentive_zone_not_allowed(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_value(folder, "provinces.csv", "ha_tinh", "incentive_zone", "3")
    expect_error(folder, "provinces.csv", f"row {row},", "incentive_zone", "0, 1 or 2")


def test_estimated_flag_not_binary(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "provinces.csv"
    rows = read_rows(path)
    i = find_row(rows, "hcmc", "population")
    rows[i][rows[0].index("estimated")] = "2"
    write_rows(path, rows)
    expect_error(folder, "provinces.csv", f"row {i + 1},", "population", "estimated")


def test_estimate_without_prefix(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "provinces.csv"
    rows = read_rows(path)
    i = find_row(rows, "hcmc", "population")
    rows[i][rows[0].index("estimated")] = "1"
    write_rows(path, rows)
    expect_error(folder, "provinces.csv", f"row {i + 1},", "population", "ESTIMATE:")


def test_unknown_province(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "provinces.csv"
    rows = read_rows(path)
    i = find_row(rows, "quang_tri", "area_km2")
    rows[i][0] = "da_nang"
    write_rows(path, rows)
    expect_error(folder, "provinces.csv", f"row {i + 1},", "'location'", "da_nang", "locations.csv")


def test_duplicate_row(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "provinces.csv"
    rows = read_rows(path)
    i = find_row(rows, "ha_tinh", "grdp_bn")
    rows.append(list(rows[i]))
    write_rows(path, rows)
    expect_error(
        folder, "provinces.csv", f"row {len(rows)},", "grdp_bn", "duplicate", f"row {i + 1}"
    )


def test_missing_field_for_location(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "provinces.csv"
    rows = read_rows(path)
    i = find_row(rows, "nghe_an", "wage_bn_per_year")
    write_rows(path, rows[:i] + rows[i + 1 :])
    expect_error(folder, "provinces.csv", "wage_bn_per_year", "nghe_an", "locations.csv row 7")


def test_corrupt_file(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    (folder / "sectors.csv").write_bytes(random.Random(0).randbytes(4096))
    expect_error(folder, "sectors.csv", "row ", "column")


def test_wrong_delimiter(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "locations.csv"
    rows = read_rows(path)
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    expect_error(folder, "locations.csv", "row 1", "'code'", "missing")


def test_missing_file(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    (folder / "fields.csv").unlink()
    expect_error(folder, "fields.csv", "row 1", "missing")


def test_bad_role(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "locations.csv"
    rows = read_rows(path)
    rows[3][rows[0].index("role")] = "partner_province"
    write_rows(path, rows)
    expect_error(folder, "locations.csv", "row 4,", "'role'", "partner_province")


def test_two_origins(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "locations.csv"
    rows = read_rows(path)
    rows[12][rows[0].index("role")] = "origin"
    write_rows(path, rows)
    expect_error(folder, "locations.csv", "row 13,", "'role'", "exactly one")


def test_shares_not_summing_to_one(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    set_value(folder, "sectors.csv", "edu_health", "opportunity_share", "0.09")
    expect_error(folder, "sectors.csv", "opportunity_share", "sum to 1")


def test_unknown_sector_in_map(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "sector_fields.csv"
    rows = read_rows(path)
    rows.append(["mining", "investment"])
    write_rows(path, rows)
    expect_error(folder, "sector_fields.csv", f"row {len(rows)},", "'sector'", "mining")


def test_unknown_field_in_map(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "sector_fields.csv"
    rows = read_rows(path)
    rows[2][1] = "sports"
    write_rows(path, rows)
    expect_error(folder, "sector_fields.csv", "row 3,", "'field'", "sports")


def test_field_without_sector(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    path = folder / "sector_fields.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r[1] != "digital_transformation"])
    expect_error(folder, "sector_fields.csv", "digital_transformation", "no sector")


@pytest.mark.parametrize("year", ["2020-2022", "22", "1890", ""])
def test_dated_field_needs_one_calendar_year(tmp_path: Path, year: str) -> None:
    # the model places dx_index at its year; a range used to crash with a ValueError
    folder = copy_data(tmp_path)
    row = set_cell(folder, "provinces.csv", "thanh_hoa", "dx_index", "year", year)
    expect_error(folder, "provinces.csv", f"row {row},", "dx_index", "'thanh_hoa'", "'year'",
                 f"year '{year}'", "from 2000 to 2030")


# --------------------------------------------------------------- geography and stock


def test_deflator_is_based_on_2023_and_rises(inputs: Inputs) -> None:
    d = inputs.deflator
    assert d.loc[2023] == 1.0 and d.index.min() <= 2003 and d.index.max() >= 2025
    assert (d.loc[2003:2023].diff().dropna() > -0.02).all()  # a price index, not a jump series
    assert d.loc[2003] < 0.4  # 2003 VND bought about three times what 2023 VND does


def test_road_graph_reproduces_the_sourced_road_distances(inputs: Inputs) -> None:
    from simulation.model.network.roads import distance_path

    km = distance_path(inputs, np.array([0]), inputs.expressway.iloc[:0])[0]
    loc = inputs.locations
    for i, code in enumerate(loc.index):
        if code == "hcmc":
            continue
        assert km[i] == pytest.approx(loc.loc[code, "road_km"], rel=0.05), code


def test_expressway_sections_shorten_existing_edges(inputs: Inputs) -> None:
    ex, edges = inputs.expressway, inputs.road_edges
    pairs = {frozenset(p) for p in zip(edges["a"], edges["b"], strict=True)}
    assert all(frozenset(p) in pairs for p in zip(ex["a"], ex["b"], strict=True))
    assert (ex["km_saved"] > 0).all() and ex["opening_q"].between(4 * 2005, 4 * 2031).all()


def test_adjacency_is_between_model_places(inputs: Inputs) -> None:
    adj = inputs.adjacency
    assert set(adj["a"]) | set(adj["b"]) <= set(inputs.locations.index)
    assert (adj["a"] != adj["b"]).all()
    assert {"border", "regional"} >= set(adj["kind"])


def test_initial_stock_holds_the_sourced_anchors(inputs: Inputs) -> None:
    stock = inputs.initial_stock.groupby("location")[["projects", "registered_bn"]].sum()
    # Nghệ An: 50 operating HCMC-investor projects in 2020Q1; Hà Tĩnh: 16 (README of
    # experiments/initial_stock)
    assert stock.loc["nghe_an", "projects"] == pytest.approx(50, rel=1e-3)
    assert stock.loc["ha_tinh", "projects"] == pytest.approx(16, rel=1e-3)
    assert (stock["registered_bn"] > 0).all()
    assert set(stock.index) <= set(inputs.locations.index)


def test_geography_files_fail_with_one_line(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    rows = read_rows(folder / "road_edges.csv")
    rows[3][rows[0].index("km")] = "-4"
    write_rows(folder / "road_edges.csv", rows)
    expect_error(folder, "road_edges.csv", "row 4,", "'km'", "negative")
    folder = copy_data(tmp_path / "b")
    rows = read_rows(folder / "expressway.csv")
    rows[2][rows[0].index("b")] = "nowhere"
    write_rows(folder / "expressway.csv", rows)
    expect_error(folder, "expressway.csv", "row 3,", "nowhere")
    folder = copy_data(tmp_path / "c")
    rows = read_rows(folder / "initial_stock.csv")
    rows[1][rows[0].index("location")] = "atlantis"
    write_rows(folder / "initial_stock.csv", rows)
    expect_error(folder, "initial_stock.csv", "row 2,", "atlantis")


# --------------------------------------------------------------- reform, roads, links, fields


def set_location(folder: Path, code: str, column: str, value: str) -> int:
    """Overwrite one cell of a locations.csv row; return its 1-based file row number."""
    path = folder / "locations.csv"
    rows = read_rows(path)
    i = next(i for i, r in enumerate(rows) if i and r[0] == code)
    rows[i][rows[0].index(column)] = value
    write_rows(path, rows)
    return i + 1


def test_new_code_typo_is_rejected(tmp_path: Path) -> None:
    # a typo used to leave Hà Nam silently unmerged at the 2025 reform
    folder = copy_data(tmp_path)
    row = set_location(folder, "ha_nam", "new_code", "ninh_bnh")
    expect_error(folder, "locations.csv", f"row {row},", "'new_code'", "ninh_bnh", "ha_nam",
                 "not a place code", "'hue' for 'thua_thien_hue'")


def test_renaming_only_for_its_own_place(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    row = set_location(folder, "quang_binh", "new_code", "hue")
    expect_error(folder, "locations.csv", f"row {row},", "'new_code'", "'hue'",
                 "renaming of 'thua_thien_hue' only", "quang_binh")


def test_merge_into_a_place_that_merges_is_rejected(tmp_path: Path) -> None:
    # Bắc Kạn joins Thái Nguyên; if Thái Nguyên itself joined HCMC, Bắc Kạn would join a unit
    # that no longer exists
    folder = copy_data(tmp_path)
    target = set_location(folder, "thai_nguyen", "new_code", "hcmc")
    row = next(i + 1 for i, r in enumerate(read_rows(folder / "locations.csv"))
               if r[0] == "bac_kan")
    expect_error(folder, "locations.csv", f"row {row},", "'new_code'", "'thai_nguyen'",
                 "itself merges into 'hcmc'", f"row {target})")


def test_shipped_new_codes_pass_and_renaming_stays_a_unit(inputs: Inputs) -> None:
    from simulation.model.rules import reform

    loc = inputs.locations
    succ = reform.successor_map(list(loc.index), list(loc["new_code"]), list(loc["role"]))
    codes = list(loc.index)
    assert codes[succ[codes.index("thua_thien_hue")]] == "thua_thien_hue"
    assert codes[succ[codes.index("ha_nam")]] == "ninh_binh"


def test_duplicate_road_edge_is_rejected_at_load(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    rows = read_rows(folder / "road_edges.csv")
    a, b = rows[0].index("a"), rows[0].index("b")
    mirrored = list(rows[5])
    mirrored[a], mirrored[b] = rows[5][b], rows[5][a]
    rows.append(mirrored)
    write_rows(folder / "road_edges.csv", rows)
    expect_error(folder, "road_edges.csv", f"row {len(rows)},", "'b'", "duplicate edge",
                 "first at row 6")


def test_self_loop_road_edge_is_rejected_at_load(tmp_path: Path) -> None:
    folder = copy_data(tmp_path)
    rows = read_rows(folder / "road_edges.csv")
    rows[7][rows[0].index("b")] = rows[7][rows[0].index("a")]
    write_rows(folder / "road_edges.csv", rows)
    expect_error(folder, "road_edges.csv", "row 8,", "'b'", "to itself")


def test_unreachable_place_is_rejected_at_load(tmp_path: Path) -> None:
    # cut the stub of Cao Bằng (its only edge): the place cannot be reached from HCMC
    folder = copy_data(tmp_path)
    nodes = read_rows(folder / "road_nodes.csv")
    h = nodes[0]
    row, node = next((i + 1, r[0]) for i, r in enumerate(nodes)
                     if r[h.index("location")] == "cao_bang")
    edges = read_rows(folder / "road_edges.csv")
    kept = [r for r in edges if node not in (r[0], r[1])]
    assert len(kept) == len(edges) - 1
    write_rows(folder / "road_edges.csv", kept)
    expect_error(folder, "road_nodes.csv", f"row {row},", "'location'", "'cao_bang'",
                 "cannot be reached", "road_edges.csv")


@pytest.mark.parametrize("mirror", [False, True])
def test_duplicate_adjacency_link_is_rejected(tmp_path: Path, mirror: bool) -> None:
    folder = copy_data(tmp_path)
    rows = read_rows(folder / "adjacency.csv")
    dup = list(rows[3])
    if mirror:
        dup[0], dup[1] = dup[1], dup[0]
    rows.append(dup)
    write_rows(folder / "adjacency.csv", rows)
    expect_error(folder, "adjacency.csv", f"row {len(rows)},", "'b'",
                 f"duplicate {dup[2]} link", "first at row 4")


def test_border_and_regional_link_on_one_pair_is_allowed(inputs: Inputs) -> None:
    adj = inputs.adjacency
    pair = adj[adj[["a", "b"]].apply(frozenset, axis=1) == frozenset(("ha_tinh", "nghe_an"))]
    assert sorted(pair["kind"]) == ["border", "regional"]


def test_science_technology_field_is_required(tmp_path: Path) -> None:
    # the model reads this field's tie strength by name (modern-technology probability)
    folder = copy_data(tmp_path)
    for name in ("fields.csv", "sector_fields.csv"):
        rows = read_rows(folder / name)
        col = rows[0].index("code" if name == "fields.csv" else "field")
        write_rows(folder / name, [r for r in rows if r[col] != "science_technology"])
    expect_error(folder, "fields.csv", "'code'", "'science_technology' is missing")

