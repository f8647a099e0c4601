"""The network-layers figure's part of the EN/VI catalog (the demo and a run's own network).

Kept apart only for length; :mod:`simulation.figures.labels` merges these phrases into its
``PHRASES``, so callers use :class:`~simulation.figures.labels.Labels` as for every other word.
"""

from __future__ import annotations

# phrase key → (English, Vietnamese)
NETWORK_PHRASES: dict[str, tuple[str, str]] = {
    "network title": ("The model's network layers, {when}", "Các lớp mạng lưới của mô hình, "
                      "{when}"),
    "roads panel": ("Roads: effective km from HCMC",
                    "Đường bộ: km quy đổi từ TP.\u00a0Hồ\u00a0Chí\u00a0Minh"),
    "cooperation panel": ("Agreements and province links", "Thỏa thuận và liên kết giữa các tỉnh"),
    "peers panel": ("HCMC firms' peer network",
                    "Mạng lưới doanh nghiệp TP.\u00a0Hồ\u00a0Chí\u00a0Minh"),
    "road": ("road", "đường bộ"),
    "expressway open": ("expressway open (width: km saved)",
                        "cao tốc đã thông xe (độ dày: km tiết kiệm)"),
    "province link": ("border or regional link", "liên kết giáp ranh hoặc vùng"),
    "tie level 0": ("no agreement yet", "chưa có thỏa thuận"),
    "tie level 1": ("level 1: information sharing", "cấp 1: chia sẻ thông tin"),
    "tie level 2": ("level 2: joint programmes", "cấp 2: chương trình chung"),
    "tie level 3": ("level 3: implemented projects", "cấp 3: dự án đã triển khai"),
    "tie width": ("line width: mean tie strength (label)", "độ dày: cường độ liên kết trung bình "
                  "(nhãn)"),
    "other locations": ("other model locations", "địa bàn khác trong mô hình"),
    "peer degree": ("peers per firm, k", "số doanh nghiệp liên kết, k"),
    "peer ccdf": ("share of firms with ≥ k peers", "tỷ lệ doanh nghiệp có ≥ k liên kết"),
    "peer slope": ("slope −{alpha}: target tail", "độ dốc −{alpha}: đuôi mục tiêu"),
    "peer summary": ("{n} firms\nmean {mean} peers, max {max}\nsame sector: {share}\n"
                     "clustering: {value}",
                     "{n} doanh nghiệp\ntrung bình {mean} liên kết, tối đa {max}\ncùng ngành: "
                     "{share}\nhệ số cụm: {value}"),
    "illustrative ties": ("tie strengths, levels and the peer graph are illustrative, not model "
                          "results", "cường độ, cấp liên kết và mạng doanh nghiệp chỉ để minh "
                          "họa, không phải kết quả mô hình"),
    "effective km note": ("effective km = road km minus the travel-time-equivalent km saved by "
                          "open expressway sections",
                          "km quy đổi = km đường bộ trừ số km tương đương thời gian tiết kiệm "
                          "nhờ các đoạn cao tốc đã thông xe"),
    # a run's own network (python -m simulation.plot <run folder>)
    "reach panel": ("Peer learning's reach", "Phạm vi học hỏi qua doanh nghiệp liên kết"),
    "reach summary": ("peer network: {mean} peers per firm on average (at most {max}), "
                      "clustering {value}",
                      "mạng doanh\u00a0nghiệp: trung bình {mean} liên\u00a0kết mỗi "
                      "doanh\u00a0nghiệp (tối\u00a0đa {max}), hệ\u00a0số\u00a0cụm {value}"),
    "reach axis": ("% of HCMC firms with at least one peer operating in the place",
                   "% doanh\u00a0nghiệp TP.\u00a0Hồ\u00a0Chí\u00a0Minh có ít nhất một "
                   "doanh\u00a0nghiệp liên\u00a0kết hoạt\u00a0động tại địa\u00a0bàn"),
    "partner unit": ("partner province", "tỉnh đối tác"),
    "other place": ("other place", "địa bàn khác"),
    "merged partner": ("former partner, merged on 1\u00a0July\u00a02025",
                       "tỉnh đối tác cũ, đã sáp nhập từ 1/7/2025"),
    "merged place": ("+ merged on 1\u00a0July\u00a02025 into the province above",
                     "+ sáp nhập từ 1/7/2025 vào tỉnh phía trên"),
}
