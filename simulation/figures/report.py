"""Reports in text: the Markdown report of a comparison and the run's headline table.

The comparison report reads only the comparison table (``comparison.parquet``), so it can be
rebuilt without re-running the model.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from simulation.analysis.kpis import KPIS, MEASURES
from simulation.analysis.measures import PARTNERS
from simulation.analysis.summary import AT_END, PER_YEAR, SUMMARY
from simulation.figures.text import MISSING, level_text, markdown_table, percent
from simulation.figures.text import readable as number

# (indicator, measure) pairs of the headline tables: both measures, except for projects by
# state, where the live states are shown at the horizon and the final states as entries
HEADLINE = [(k.name, m) for k in KPIS if not k.name.startswith("projects_")
            for m in ("horizon", "cumulative")]
HEADLINE[2:2] = [("projects_licensed", "cumulative"), ("projects_construction", "horizon"),
                 ("projects_operating", "horizon"), ("projects_paused", "horizon"),
                 ("projects_terminated", "cumulative"), ("projects_exited", "cumulative")]
# province tables: (indicator, measure, short header)
PROVINCE_COLUMNS = [("registered_bn", "cumulative", "Registered investment, bn VND"),
                    ("total_jobs", "horizon", "Total jobs at the horizon"),
                    ("retained_bn", "cumulative", "Revenue retained, bn VND"),
                    ("tax_expenditure_bn", "cumulative", "Tax expenditure, bn VND")]


def _diff(row: pd.Series) -> str:
    return f"{number(row['difference'])} [{number(row['diff_low'])}, {number(row['diff_high'])}]"


def headline_table(t: pd.DataFrame, scenario: str, location: str, level: str) -> str:
    """Indicators of one location (pre-2025 boundaries) for one scenario."""
    sub = t[(t["boundaries"] == "pre2025") & (t["scenario"] == scenario)
            & (t["location"] == location)].set_index(["kpi", "measure"])
    rows = []
    for kpi, measure in HEADLINE:
        r = sub.loc[(kpi, measure)]
        rows.append({"Indicator": r["label"], "Measure": measure, "Unit": r["unit"],
                     "Baseline": number(r["baseline_level"]),
                     "Scenario": number(r["scenario_level"]),
                     f"Difference [{level}]": _diff(r),
                     "Change": percent(r["relative_change"])})
    return markdown_table(pd.DataFrame(rows))


def province_table(t: pd.DataFrame, scenario: str, boundaries: str) -> str:
    """Differences [interval] of a few indicators by province."""
    sub = t[(t["boundaries"] == boundaries) & (t["scenario"] == scenario)]
    names = dict(zip(sub["location"], sub["location_name"], strict=False))
    sub = sub.set_index(["location", "kpi", "measure"])
    rows = []
    for loc, name in names.items():
        row = {"Province": f"**{name}**" if loc == PARTNERS else name}
        for kpi, measure, header in PROVINCE_COLUMNS:
            row[header] = _diff(sub.loc[(loc, kpi, measure)])
        rows.append(row)
    return markdown_table(pd.DataFrame(rows))


# rows of the cost and benefit section, in order (those present are shown)
COST_ROWS = ["programme_cost_bn", "tax_expenditure_bn", "programme_cost_pv_bn",
             *[f"net_fiscal_{lv}_pv_bn" for lv in ("partners", "hcmc", "other_provinces",
                                                    "central", "national")],
             "fiscal_benefit_pv_bn", "benefit_cost_ratio", "cost_per_job_m",
             "cost_per_job_year_m"]
NET_ROWS = [f"{who}_{k}" for k in ("direct_jobs", "total_jobs", "registered_bn",
                                   "collected_bn") for who in ("partner", "national",
                                                               "diverted")]


def _estimate(r: pd.Series) -> str:
    return f"{number(r['estimate'])} [{number(r['low'])}, {number(r['high'])}]"


def cost_benefit_section(b: pd.DataFrame, scenario: str, level: str) -> list[str]:
    """The costs and benefits of one scenario (Markdown lines)."""
    sub = b[b["scenario"] == scenario].set_index("quantity")
    out = []
    rows = [q for q in COST_ROWS if q in sub.index]
    if rows:
        out += ["### Costs and benefits", "", markdown_table(pd.DataFrame(
            [{"Quantity": sub.loc[q, "label"], "Unit": sub.loc[q, "unit"],
              f"Estimate [{level}]": _estimate(sub.loc[q])} for q in rows])), ""]
    else:
        out += ["### Costs and benefits", "",
                "This model version records no programme costs (no `costs` table), so the "
                "cost side (programme cost, net fiscal effect per budget level, cost per job, "
                "benefit–cost ratio) is not shown; the national net effect below is.", ""]
    rows = [q for q in NET_ROWS if q in sub.index]
    out += ["### National net effect", "",
            "The partners' gain, the effect summed over every modelled location (national net "
            "effect), and their difference: what was diverted from HCMC and the other "
            "regions.", "", markdown_table(pd.DataFrame(
                [{"Quantity": sub.loc[q, "label"], "Unit": sub.loc[q, "unit"],
                  f"Estimate [{level}]": _estimate(sub.loc[q])} for q in rows])), ""]
    return out


def report(t: pd.DataFrame, meta: dict, descriptions: dict[str, str],
           files: dict[str, str], benefits: pd.DataFrame | None = None) -> str:
    """The whole Markdown report.

    Args:
        t: the comparison table.
        meta: ``baseline, scenarios, replications, seed, start, horizon, window_start,
            interval, level, n_agents, represented`` (and ``discount_rate``).
        descriptions: scenario → one-line description.
        files: file name → what it holds.
        benefits: the cost and benefit table (``cost_benefit.parquet``) or None.
    """
    level = f"{level_text(meta['level'])} interval"
    method = ("t-interval of the mean paired difference" if meta["interval"] == "t" else
              "5th–95th percentile of the paired differences" if meta["level"] == 0.9 else
              "percentile interval of the paired differences")
    lines = [
        "# Scenario comparison",
        "",
        f"Scenarios {', '.join(f'**{s}**' for s in meta['scenarios'])} against "
        f"**{meta['baseline']}**, {meta['replications']} paired replications each "
        f"(replication r of every scenario uses the same seed, derived from master seed "
        f"{meta['seed']})" + (
            f", each with a calibrated parameter draw (replication r uses draw r mod "
            f"{meta['n_draws']} of `{meta['parameter_draws']}`), so the intervals cover "
            "parameter uncertainty as well as chance" if meta.get("n_draws") else "")
        + f". Recorded {meta['start']}–{meta['horizon']}; cumulative window "
        f"{meta['window_start']}–{meta['horizon']}. {meta['n_agents']:,} firm agents "
        f"representing {meta['represented']:,.0f} HCMC firms; province data of 2023.",
        "",
        "These are **conditional projections**: what the model says a policy changes, under "
        "its assumptions and calibration, compared with the same world without the policy. "
        "They are not forecasts of what will happen.",
        "",
        f"How to read: *Difference* is the mean over replications of scenario − baseline, "
        f"computed replication by replication with the same seed; the brackets give the "
        f"{level} ({method}). *Change* is the difference over the baseline level. An "
        "interval that contains 0 means the effect cannot be told apart from chance at this "
        "number of replications. Measures: " + "; ".join(f"*{k}* = {v}"
                                                         for k, v in MEASURES.items()) + ".",
    ]
    if benefits is not None:
        lines += ["", "Costs and benefits: *programme cost* = outlays (cooperation budgets, "
                  "promotion, DX platforms, land, capital subsidies) + tax expenditure, "
                  "scenario − baseline, over the window; *net fiscal effect* of a budget level "
                  "= Δ revenue it keeps − Δ outlays it pays (revenue is already net of "
                  "incentives, so tax expenditure is not subtracted twice); present values at "
                  f"a real discount rate of {meta.get('discount_rate', 0) * 100:g} % a year to "
                  f"{meta['window_start']}; *benefit–cost ratio* = PV(Δ revenue collected + Δ "
                  "tax expenditure) / PV(programme cost); *cost per job* = programme cost / Δ "
                  "direct jobs in the partners at the horizon. Ratios get Fieller's interval "
                  "(unbounded when the jobs gain cannot be told from zero)."]
    for sc in meta["scenarios"]:
        lines += ["", f"## {sc}", "", descriptions.get(sc, ""), "",
                  "### Nine partner provinces together", "",
                  headline_table(t, sc, PARTNERS, level), "",
                  "### Ho Chi Minh City", "",
                  headline_table(t, sc, "hcmc", level), ""]
        if benefits is not None:
            lines += cost_benefit_section(benefits, sc, level)
        for b, title in (("pre2025", "pre-2025 provinces"),
                         ("post2025", "provinces after the merger of 1 July 2025")):
            lines += ["", f"### Differences [{level}] by province, {title}", "",
                      province_table(t, sc, b)]
    lines += ["", "Post-2025 units hold only what the model represents: the new Thái Nguyên "
              "and Ninh Bình here are Bắc Kạn and Hà Nam (old Thái Nguyên, Nam Định and Ninh "
              "Bình are in the rest of the North), the new Quảng Trị is Quảng Bình plus Quảng "
              "Trị, and the new HCMC is old HCMC only (Bình Dương and Bà Rịa–Vũng Tàu are not "
              "in the model).",
              "", "## Files", ""]
    lines += [f"- `{name}`: {what}" for name, what in files.items()]
    return "\n".join(lines) + "\n"


def format_headline(table: pd.DataFrame, heading: str = "") -> str:
    """The run summary (:func:`simulation.analysis.kpis.headline`) for the terminal.

    Headers are the labels and units of :data:`simulation.analysis.kpis.SUMMARY`, grouped by
    period (a mean per year over the recorded quarters; at the last quarter), under
    ``heading``.
    """
    start, end = table.attrs.get("start", "?"), table.attrs.get("end", "?")
    groups = {PER_YEAR: f"Mean per year, {start}–{end}", AT_END: f"At {end}"}
    cols = [c for c in SUMMARY if c.name in table.columns]
    cells = {c.name: [MISSING if pd.isna(v) else f"{v:,.{c.digits}f}" for v in table[c.name]]
             for c in cols}
    heads = {c.name: textwrap.wrap(c.label, max(9, *map(len, cells[c.name]), len(c.unit)),
                                   break_long_words=False) + [c.unit] for c in cols}
    depth = max(len(h) for h in heads.values())
    width = {c.name: max(*map(len, heads[c.name]), *map(len, cells[c.name])) for c in cols}
    names = [str(i) for i in table.index]
    left = max(map(len, names), default=0)
    gap = "  "
    # group titles over their columns, with a rule under each
    spans: list[tuple[str, int]] = []
    for c in cols:
        w = width[c.name] + len(gap)
        if spans and spans[-1][0] == c.period:
            spans[-1] = (c.period, spans[-1][1] + w)
        else:
            spans.append((c.period, w))
    title_row = " " * left + "".join(f"{gap}{groups[p]:<{w - len(gap)}}" for p, w in spans)
    rule_row = " " * left + "".join(f"{gap}{'─' * (w - len(gap))}" for _, w in spans)
    lines = [heading, ""] if heading else []
    lines += [title_row.rstrip(), rule_row]
    for k in range(depth):
        row = " " * left
        for c in cols:
            h = heads[c.name]
            text = ([""] * (depth - len(h)) + h)[k]  # units on the last header line
            row += f"{gap}{text:>{width[c.name]}}"
        lines.append(row.rstrip())
    for i, name in enumerate(names):
        lines.append(f"{name:<{left}}" + "".join(f"{gap}{cells[c.name][i]:>{width[c.name]}}"
                                                 for c in cols))
    if any(c.period == AT_END for c in cols):
        lines.append(f"\nStocks at {end} include the projects licensed before {start} that are "
                     "still valid.")
    return "\n".join(lines)


def format_units(units: dict[str, list[str]], place: dict[str, str], unit: dict[str, str],
                 end: str, reform: str) -> str:
    """The note under the run summary on the units of the last quarter after the reform.

    Args:
        units: unit code → its places (:func:`simulation.analysis.summary.units_at_end`).
        place: place code → name (the rows of the summary).
        unit: unit code → name after the reform.
        end: the last recorded quarter.
        reform: the first quarter on the new units.

    Returns:
        ``""`` without a merged or renamed unit; else two heading lines and one line per
        such unit, e.g. ``  Thái Nguyên = Bắc Kạn + Thái Nguyên`` or ``  Huế (formerly Thừa
        Thiên Huế)``.
    """
    lines = []
    for code, places in units.items():
        name = unit.get(code, code)
        if len(places) > 1:
            lines.append(f"  {name} = " + " + ".join(place.get(p, p) for p in places))
        elif code != places[0] or name != place.get(places[0], name):
            lines.append(f"  {name} (formerly {place.get(places[0], places[0])})")
    if not lines:
        return ""
    lines.insert(0, f"Rows are the provinces before the merger of 1 July 2025. From {reform} the "
                    f"model runs on the merged\nunits; at {end}:")
    return "\n".join(lines)
