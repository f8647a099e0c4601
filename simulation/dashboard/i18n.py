"""English and Vietnamese texts of the dashboard, place names and number formats.

Every Vietnamese string is returned in Unicode NFC (precomposed diacritics), which browsers and
matplotlib render reliably. Province and city names are the Vietnamese names with diacritics in
both languages (as in the project's figures); the two composite regions are translated.
"""

from __future__ import annotations

import math

import pandas as pd

from simulation.plotting.style import vi

LANGS = ("en", "vi")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("HCMC cooperation with partner provinces: live model",
              "Hợp tác TP. Hồ Chí Minh với các tỉnh đối tác: mô hình trực tiếp"),
    "language": ("Language", "Ngôn ngữ"),
    "scenario": ("Scenario", "Kịch bản"),
    "agreement_budget": ("+ Agreement budget, bn VND per province, field and year",
                         "+ Kinh phí thỏa thuận, tỷ đồng/tỉnh/lĩnh vực/năm"),
    "incentive_regime": ("+ CIT incentive regime", "+ Ưu đãi thuế TNDN"),
    "dx_gain": ("+ Digital transformation, share of DX gap closed per year",
                "+ Chuyển đổi số, tỷ lệ khoảng cách DX thu hẹp/năm"),
    "land_ha": ("+ Industrial-park land, ha per province and year",
                "+ Đất khu công nghiệp, ha/tỉnh/năm"),
    "levers": ("Levers added to the scenario from 2023Q2 for all nine partners: {levers}.",
               "Chính sách thêm vào kịch bản từ 2023Q2 cho cả chín tỉnh: {levers}."),
    "no_levers": ("No levers added to the scenario.", "Không thêm chính sách vào kịch bản."),
    "lever_agreement": ("agreement budget {v} bn VND", "kinh phí thỏa thuận {v} tỷ đồng"),
    "lever_incentive": ("CIT regime: {v}", "ưu đãi thuế TNDN: {v}"),
    "lever_dx": ("DX gain {v} per year", "tăng DX {v}/năm"),
    "lever_land": ("{v} ha land per year", "{v} ha đất/năm"),
    "start": ("start, before {q}", "bắt đầu, trước {q}"),
    "n_agents": ("Firm agents", "Số tác nhân doanh nghiệp"),
    "horizon": ("Last quarter", "Quý cuối"),
    "headline": ("Nine partner provinces, scenario against baseline",
                 "Chín tỉnh đối tác: kịch bản so với kịch bản cơ sở"),
    "quarter": ("Quarter", "Quý"),
    "indicator": ("Indicator", "Chỉ tiêu"),
    "col_scenario": ("Scenario", "Kịch bản"),
    "col_baseline": ("Baseline", "Cơ sở"),
    "col_difference": ("Difference", "Chênh lệch"),
    "licensed": ("Projects licensed, since 2020", "Dự án được cấp phép, từ 2020"),
    "registered": ("Registered capital, since 2020 (bn VND)",
                   "Vốn đăng ký, từ 2020 (tỷ đồng)"),
    "disbursed": ("Disbursed capital, since 2020 (bn VND)", "Vốn giải ngân, từ 2020 (tỷ đồng)"),
    "jobs": ("Jobs this quarter (persons)", "Việc làm trong quý (người)"),
    "revenue": ("Budget revenue collected, since 2020 (bn VND)",
                "Thu ngân sách, từ 2020 (tỷ đồng)"),
    "largest": ("Largest difference in registered capital: {name} ({value} bn VND)",
                "Chênh lệch vốn đăng ký lớn nhất: {name} ({value} tỷ đồng)"),
    "paired": ("Baseline: same seed and firms (common random numbers), no new levers.",
               "Kịch bản cơ sở: cùng hạt giống ngẫu nhiên và doanh nghiệp, không có chính sách "
               "mới."),
    "population": ("{n} firm agents represent {r} HCMC firms: a small population so the page "
                   "responds quickly; results are noisier than with the 20,000-agent default.",
                   "{n} tác nhân đại diện cho {r} doanh nghiệp TP.HCM: quy mô nhỏ để trang phản "
                   "hồi nhanh; kết quả dao động nhiều hơn so với mặc định 20.000 tác nhân."),
    "reproduce": ("Same run on the command line:", "Chạy lại bằng dòng lệnh:"),
    "error": ("Cannot build this configuration:", "Không thể tạo cấu hình này:"),
    "chart_provinces": ("By province", "Theo tỉnh"),
    "chart_time": ("Nine partners over time", "Chín tỉnh đối tác theo thời gian"),
    "chart_map": ("Ties and investment flows from HCMC", "Quan hệ hợp tác và dòng vốn từ TP.HCM"),
    "ax_registered": ("Registered capital\nsince 2020, bn VND", "Vốn đăng ký\ntừ 2020, tỷ đồng"),
    "ax_jobs": ("Jobs this quarter,\npersons", "Việc làm trong quý,\nngười"),
    "ax_revenue": ("Revenue collected\nsince 2020, bn VND", "Thu ngân sách\ntừ 2020, tỷ đồng"),
    "ts_registered": ("Registered capital since 2020\n(bn VND)", "Vốn đăng ký từ 2020\n(tỷ đồng)"),
    "ts_jobs": ("Jobs\n(persons)", "Việc làm\n(người)"),
    "ts_revenue": ("Revenue collected\n(bn VND per quarter)", "Thu ngân sách\n(tỷ đồng/quý)"),
    "legend_scenario": ("scenario", "kịch bản"),
    "legend_baseline": ("baseline", "cơ sở"),
    "map_ties": ("Ties: strength (line width) and level (colour)",
                 "Quan hệ: mức gắn kết (độ rộng) và cấp độ (màu)"),
    "map_flows": ("Registered capital since 2020, bn VND", "Vốn đăng ký từ 2020, tỷ đồng"),
    "map_note": ("Positions by latitude and longitude; no borders drawn.",
                 "Vị trí theo vĩ độ và kinh độ; không vẽ ranh giới."),
    "level0": ("no cooperation", "chưa hợp tác"),
    "level1": ("information sharing", "chia sẻ thông tin"),
    "level2": ("joint programmes", "chương trình chung"),
    "level3": ("implemented projects", "dự án triển khai"),
    "none": ("none", "không"),
    "park": ("industrial park", "khu công nghiệp"),
    "difficult": ("difficult area", "địa bàn khó khăn"),
    "special": ("especially difficult area", "địa bàn đặc biệt khó khăn"),
}


def tr(key: str, lang: str, **kwargs: object) -> str:
    """The text ``key`` in ``lang`` (``en`` or ``vi``), formatted with ``kwargs``, in NFC."""
    en, vn = TEXT[key]
    text = vn if lang == "vi" else en
    return vi(text.format(**kwargs) if kwargs else text)


def location_names(locations: pd.DataFrame, lang: str) -> dict[str, str]:
    """Location code → display name: Vietnamese names of places, regions translated."""
    out = {}
    for code, row in locations.iterrows():
        composite = row["role"] in ("near", "far")
        out[str(code)] = vi(str(row["name_en"] if composite and lang == "en" else row["name_vi"]))
    return out


def fmt(value: float, lang: str, digits: int = 0, signed: bool = False) -> str:
    """A number with thousands separators: ``1,234.5`` in English, ``1.234,5`` in Vietnamese."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if round(value, digits) == 0:
        return f"{0:.{digits}f}".replace(".", "," if lang == "vi" else ".")  # no "+0", "-0"
    text = f"{value:{'+' if signed else ''},.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
