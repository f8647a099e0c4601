"""The run summary: one consistent period, labelled columns with units, a title."""

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.analysis.summary import SUMMARY, headline
from simulation.figures.report import format_headline

from .conftest import SMALL


def _by_location(df: pd.DataFrame, col: str, quarters=None) -> pd.Series:
    """Sums by place (``site``: the pre-2025 province; ``location`` is the unit of the quarter)."""
    if quarters is not None:
        df = df[df["quarter"].astype(str).isin(quarters)]
    out = df.groupby("site", observed=True)[col].sum()
    out.index = out.index.astype(str).tolist()
    return out


def test_flows_are_per_year_over_the_recorded_quarters_and_stocks_at_the_end(small_run):
    table = headline(small_run)
    inv, jobs, rev = small_run.investment, small_run.jobs, small_run.revenue
    quarters = sorted(set(inv["quarter"].astype(str)))
    years = len(quarters) / 4
    end = [quarters[-1]]
    assert table.attrs == {"start": quarters[0], "end": quarters[-1],
                           "quarters": len(quarters), "runs": 1}
    pd.testing.assert_series_equal(table["licensed_per_year"],
                                   _by_location(inv, "licensed_projects") / years,
                                   check_names=False)
    pd.testing.assert_series_equal(table["registered_bn_per_year"],
                                   _by_location(inv, "registered_bn") / years,
                                   check_names=False)
    pd.testing.assert_series_equal(table["retained_bn_per_year"],
                                   _by_location(rev, "retained_bn") / years, check_names=False)
    pd.testing.assert_series_equal(table["total_jobs"], _by_location(jobs, "total_jobs", end),
                                   check_names=False)
    share = (_by_location(inv, "disbursed_stock_bn", end)
             / _by_location(inv, "registered_stock_bn", end) * 100)
    pd.testing.assert_series_equal(table["disbursed_pct"], share.replace(np.inf, np.nan),
                                   check_names=False)
    avg = table["registered_bn_per_year"] / table["licensed_per_year"]
    pd.testing.assert_series_equal(table["avg_project_bn"], avg.replace(np.inf, np.nan),
                                   check_names=False)
    assert list(table.columns) == [c.name for c in SUMMARY]


def test_a_short_horizon_is_annualised(inputs):
    half = simulation.run(SMALL + ["seed=5", "time.end=2020Q2"], inputs=inputs)
    table = headline(half)
    assert table.attrs["quarters"] == 2
    licensed = half.investment.groupby("site", observed=True)["licensed_projects"].sum()
    assert table.loc["hcmc", "licensed_per_year"] == pytest.approx(licensed["hcmc"] * 2)


def test_the_terminal_table_has_a_title_labels_units_and_periods(small_run, inputs):
    names = inputs.locations["name_vi"].to_dict()
    text = format_headline(headline(small_run, names), "Scenario baseline · parameter set X")
    lines = text.splitlines()
    assert lines[0] == "Scenario baseline · parameter set X"
    head = "\n".join(lines[:8])
    q = sorted(set(small_run.investment["quarter"].astype(str)))
    assert f"Mean per year, {q[0]}–{q[-1]}" in head and f"At {q[-1]}" in head
    for word in ("Projects", "licensed", "bn VND/yr", "persons", "%", "Total", "Direct"):
        assert word in head, word
    assert "_" not in head  # no snake_case codes
    for name in inputs.locations["name_vi"]:
        assert any(line.startswith(name) for line in lines), name
    widths = {len(line) for line in lines[2:] if line and not line.startswith("Stocks")}
    assert len(widths - {max(widths)}) <= 3  # header rows may be shorter (rstrip), rows align


def test_the_units_after_the_reform_are_named_under_the_table(small_run, inputs):
    from simulation.analysis.summary import units_at_end
    from simulation.apps.run import unit_names
    from simulation.figures.report import format_units

    loc = inputs.locations
    units = units_at_end(small_run)
    expected: dict[str, list[str]] = {}
    for code, new in loc["new_code"].items():  # the data's successor of every place
        expected.setdefault(new, []).append(code)
    # the same partition of places (a unit that is one renamed place keeps the place's code)
    assert sorted(map(sorted, units.values())) == sorted(map(sorted, expected.values()))
    names = loc["name_vi"].to_dict()
    text = format_units(units, names, unit_names(inputs), "2025Q4", "2025Q3")
    lines = text.splitlines()
    assert lines[0].startswith("Rows are the provinces before the merger of 1 July 2025")
    assert "  Thái Nguyên = Bắc Kạn + Thái Nguyên" in lines
    assert "  Quảng Trị = Quảng Bình + Quảng Trị" in lines
    assert "  TP. Hồ Chí Minh = TP. Hồ Chí Minh + Bình Dương + Bà Rịa–Vũng Tàu" in lines
    assert "  Huế (formerly Thừa Thiên Huế)" in lines
    assert not any(line.startswith(("  Nghệ An", "  Cao Bằng")) for line in lines)
    assert max(map(len, lines)) <= 100


@pytest.mark.parametrize("overrides", [["time.end=2024Q4"], ["params.reform.enabled=false"]])
def test_without_the_reform_in_the_run_no_units_are_named(inputs, overrides):
    from simulation.analysis.summary import units_at_end

    res = simulation.run(SMALL + ["seed=5", *overrides], inputs=inputs)
    assert units_at_end(res) == {}
