"""Names in the EN/VI catalog: sectors, scenarios, indicators and parameters.

Kept apart only for length; :class:`simulation.figures.labels.Labels` reads them, so callers
use ``Labels`` as for every other word.
"""

from __future__ import annotations

# code → (English, Vietnamese)
SECTORS: dict[str, tuple[str, str]] = {
    "agri_food": ("Agri-food processing", "Chế biến nông sản, thực phẩm"),
    "modern_tech": ("Modern-technology processing", "Chế biến công nghệ hiện đại"),
    "tourism": ("Tourism", "Du lịch"),
    "ict_digital": ("ICT and digital services", "CNTT và dịch vụ số"),
    "ip_realestate": ("Industrial parks, real estate", "Hạ tầng KCN, bất động sản"),
    "trade_logistics": ("Trade and logistics", "Thương mại và logistics"),
    "edu_health": ("Education and health", "Giáo dục và y tế"),
}

SCENARIOS: dict[str, tuple[str, str]] = {
    "baseline": ("baseline", "cơ sở"),
    "agreement_2025": ("agreements 2023–2025", "thỏa thuận 2023–2025"),
    "incentives": ("incentives", "ưu đãi đầu tư"),
    "digital_transformation": ("digital transformation", "chuyển đổi số"),
    "industrial_land": ("industrial land", "đất khu công nghiệp"),
    "promotion": ("promotion", "xúc tiến"),
    "full_package": ("full package", "trọn gói chính sách"),
    "extension_2030": ("agreements to 2030", "thỏa thuận đến 2030"),
    "expressway": ("expressway", "cao tốc Bắc–Nam"),
}

# indicator → (English title, Vietnamese title); units come from kpis.KPI_BY_NAME
KPI_TITLES: dict[str, tuple[str, str]] = {
    "registered_bn": ("Registered investment", "Vốn đầu tư đăng ký"),
    "disbursed_bn": ("Disbursed investment", "Vốn đầu tư giải ngân"),
    "projects_proposal": ("Projects proposed", "Dự án đề xuất"),
    "projects_licensed": ("Projects licensed", "Dự án được cấp phép"),
    "projects_construction": ("Projects under construction", "Dự án đang xây dựng"),
    "projects_operating": ("Projects operating", "Dự án đang hoạt động"),
    "projects_paused": ("Projects paused", "Dự án tạm dừng"),
    "projects_terminated": ("Projects terminated", "Dự án chấm dứt"),
    "projects_exited": ("Projects exited", "Dự án rút lui"),
    "direct_jobs": ("Direct jobs", "Việc làm trực tiếp"),
    "total_jobs": ("Total jobs", "Tổng số việc làm"),
    "collected_bn": ("Revenue collected", "Thu ngân sách trên địa bàn"),
    "retained_bn": ("Revenue retained", "Thu ngân sách địa phương hưởng"),
    "tax_expenditure_bn": ("Tax expenditure", "Chi phí ưu đãi thuế"),
    "capex_subsidy_bn": ("Capital subsidies", "Hỗ trợ vốn đầu tư"),
}

# swept parameters with a readable name (others show their config key)
PARAMETERS: dict[str, tuple[str, str]] = {
    "params.utility.theta_info": ("information part of distance θ_info",
                                  "phần thông tin của khoảng cách θ_info"),
    "params.utility.theta_phys": ("physical distance cost θ_phys",
                                  "chi phí khoảng cách vật lý θ_phys"),
    "params.information.iota_dx": ("information gain from digital transformation ι_D",
                                   "mức tăng thông tin nhờ chuyển đổi số ι_D"),
    "params.firms.n_agents": ("firm agents", "số tác nhân doanh nghiệp"),
}
