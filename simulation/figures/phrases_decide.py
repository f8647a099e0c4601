"""The decision-support part of the EN/VI catalog (policy search, scenario discovery, costs).

Kept apart only for length; :mod:`simulation.figures.labels` merges these phrases into its
``PHRASES`` and serves the outcome titles, so callers use :class:`~simulation.figures.labels.
Labels` as for every other word.
"""

from __future__ import annotations

# phrase key → (English, Vietnamese)
DECIDE_PHRASES: dict[str, tuple[str, str]] = {
    "pareto title": ("Policy search: {x} against {y}, budget {budget} VND bn a year",
                     "Tìm kiếm chính sách: {x} và {y}, ngân sách {budget} tỷ đồng/năm"),
    "pareto title 3": ("Policy search: {x} against {y} and {z}, budget up to {budget} VND bn "
                       "a year",
                       "Tìm kiếm chính sách: {x} so với {y} và {z}, ngân sách tới {budget} tỷ "
                       "đồng/năm"),
    "pareto note": ("{trials} packages ({generations} generations of {population}, {sampler}), "
                    "each paired with the baseline at the same {seeds} seeds; Δ = mean paired "
                    "difference, {start}–{end}; bars: 90\u00a0% intervals",
                    "{trials} gói ({generations} thế hệ × {population}, {sampler}), mỗi gói "
                    "so với cơ sở với cùng {seeds} hạt giống ngẫu nhiên; Δ = chênh lệch theo "
                    "cặp trung bình, {start}–{end}; thanh: khoảng 90\u00a0%"),
    "other packages": ("packages tried", "các gói đã thử"),
    "pareto front": ("Pareto front (no package tried does better on every objective)",
                     "biên Pareto (không gói nào tốt hơn ở mọi mục tiêu)"),
    "chosen packages": ("Chosen packages: planned budget", "Các gói được chọn: ngân sách dự kiến"),
    "cit short": ("CIT: {regime}", "thuế TNDN: {regime}"),
    "subsidy short": ("subsidy {pct}\u00a0%", "hỗ trợ vốn {pct}\u00a0%"),
    "use agreements": ("agreements", "thỏa thuận hợp tác"),
    "use promotions": ("promotion", "xúc tiến"),
    "use digital": ("digital transformation", "chuyển đổi số"),
    "use land": ("industrial land", "đất khu công nghiệp"),
    "prim title": ("When does {policy} miss its target? {outcome} below {target} {unit}",
                   "Khi nào {policy} không đạt mục tiêu? {outcome} dưới {target} {unit}"),
    "prim note": ("{futures} futures (Latin hypercube), policy and baseline paired at the same "
                  "seeds in every future (seeds a future: {seeds}); PRIM (ema-workbench), boxes "
                  "with density ≥ {density}; {start}–{end}",
                  "{futures} tương lai (siêu khối Latin), chính sách và cơ sở cùng hạt giống "
                  "ngẫu nhiên trong mỗi tương lai ({seeds} hạt giống/tương lai); PRIM "
                  "(ema-workbench), hộp có mật độ ≥ {density}; {start}–{end}"),
    "box stats": ("Box {n}: {coverage} of the misses, {density} of its {futures} futures miss",
                  "Hộp {n}: chứa {coverage} số lần không đạt, {density} trong {futures} "
                  "tương lai của hộp không đạt"),
    "box chance": ("caution: no limit with a quasi-p-value below 0.1, the box may be chance",
                   "lưu ý: không giới hạn nào có quasi-p dưới 0,1, hộp có thể do ngẫu nhiên"),
    "boxes title": ("Conditions of failure: each box's ranges within the sampled ranges",
                    "Điều kiện thất bại: phạm vi của hộp trong phạm vi lấy mẫu"),
    "target": ("target", "mục tiêu"),
    "range low": ("sampled low", "cận dưới"),
    "range high": ("sampled high", "cận trên"),
    "futures title": ("Futures and the first box", "Các tương lai và hộp thứ nhất"),
    "meets target": ("meets the target", "đạt mục tiêu"),
    "misses target": ("misses the target", "không đạt mục tiêu"),
    "robustness title": ("Robustness over {futures} futures: {outcome}, target {target} {unit}",
                         "Độ vững qua {futures} tương lai: {outcome}, mục tiêu {target} {unit}"),
    "share meeting": ("futures meeting the target, %", "tỷ lệ tương lai đạt mục tiêu, %"),
    "mean regret": ("mean regret (bar to the 90th percentile)",
                    "mức hối tiếc trung bình (đến phân vị 90)"),
    "net fiscal title": ("Net fiscal effect by budget level, present value at {rate}",
                         "Hiệu quả tài khóa ròng theo cấp ngân sách, giá trị hiện tại ở {rate}"),
    "level partners": ("partner provinces", "các tỉnh đối tác"),
    "level hcmc": ("HCMC", "TP. Hồ Chí Minh"),
    "level other_provinces": ("other provinces", "các tỉnh khác"),
    "level central": ("central budget", "ngân sách trung ương"),
    "level national": ("all levels (national)", "mọi cấp (cả nước)"),
}

# outcome → (English, Vietnamese); units come from simulation.analysis.outcomes
OUTCOME_TITLES: dict[str, tuple[str, str]] = {
    "partner_direct_jobs": ("direct jobs in the partners at the horizon",
                            "việc làm trực tiếp tại các tỉnh đối tác cuối kỳ"),
    "partner_total_jobs": ("total jobs in the partners at the horizon",
                           "tổng việc làm tại các tỉnh đối tác cuối kỳ"),
    "partner_job_years": ("direct job-years in the partners",
                          "người-năm việc làm trực tiếp tại các tỉnh đối tác"),
    "partner_retained_bn": ("revenue retained by the partners, cumulated",
                            "thu ngân sách các tỉnh đối tác hưởng, lũy kế"),
    "partner_registered_bn": ("investment registered in the partners, cumulated",
                              "vốn đăng ký tại các tỉnh đối tác, lũy kế"),
    "partner_tax_expenditure_bn": ("tax expenditure in the partners, cumulated",
                                   "chi phí ưu đãi thuế tại các tỉnh đối tác, lũy kế"),
    "national_direct_jobs": ("direct jobs in the whole country at the horizon",
                             "việc làm trực tiếp cả nước cuối kỳ"),
    "national_collected_bn": ("revenue collected in the whole country, cumulated",
                              "thu ngân sách cả nước, lũy kế"),
    "programme_cost_bn": ("programme cost, cumulated", "chi phí chương trình, lũy kế"),
}

# outcome → short (English, Vietnamese) for figure axes
OUTCOME_SHORT: dict[str, tuple[str, str]] = {
    "partner_direct_jobs": ("direct jobs, partners", "việc làm trực tiếp, tỉnh đối tác"),
    "partner_total_jobs": ("total jobs, partners", "tổng việc làm, tỉnh đối tác"),
    "partner_job_years": ("direct job-years, partners", "người-năm việc làm, tỉnh đối tác"),
    "partner_retained_bn": ("revenue retained, partners", "thu ngân sách hưởng, tỉnh đối tác"),
    "partner_registered_bn": ("investment registered, partners", "vốn đăng ký, tỉnh đối tác"),
    "partner_tax_expenditure_bn": ("tax expenditure, partners", "ưu đãi thuế, tỉnh đối tác"),
    "national_direct_jobs": ("direct jobs, whole country", "việc làm trực tiếp, cả nước"),
    "national_collected_bn": ("revenue collected, whole country", "thu ngân sách, cả nước"),
    "programme_cost_bn": ("programme cost", "chi phí chương trình"),
}
