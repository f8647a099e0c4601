"""The cost side of a comparison on hand-made tables: closed forms and accounting identities."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation.analysis import costs
from simulation.analysis.paired import ratio_interval

PARTNERS = {"p1", "p2"}
LEVELS = costs.BudgetLevels(frozenset(PARTNERS), "hcmc")
Q = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]
W0, H = "2023Q2", "2024Q2"  # the window: five quarters, Q[1:]


def _series(scenario, rep, seed, retained, collected, jobs):
    """One run's quarterly series: {location: per-quarter values} for each column."""
    rows = []
    for loc in retained:
        for k, q in enumerate(Q):
            rows.append({"scenario": scenario, "replication": rep, "seed": seed, "quarter": q,
                         "location": loc, "retained_bn": retained[loc][k],
                         "collected_bn": collected[loc][k],
                         "direct_jobs": jobs[loc][k], "total_jobs": 2 * jobs[loc][k],
                         "registered_bn": 10 * jobs[loc][k]})
    return pd.DataFrame(rows)


def _costs(scenario, rep, seed, entries):
    """entries: (quarter, location, item, payer, spent)."""
    return pd.DataFrame([{"scenario": scenario, "replication": rep, "seed": seed, "quarter": q,
                          "location": loc, "item": item, "payer": payer, "spent_bn": v}
                         for q, loc, item, payer, v in entries])


def _flat(v):
    return [v] * len(Q)


@pytest.fixture
def world():
    """Baseline and one scenario, two replications with shared seeds.

    Per quarter in the scenario (over the baseline): partners retain +2 (p1) and +1 (p2),
    the centre gets +0.5 from p1, HCMC retains −0.25 and other places −0.25 (diversion);
    the programme pays cooperation 1.0 (HCMC 0.6, p1 0.4) each quarter, a capex subsidy of 0.3
    (p2) and forgoes CIT of 0.2 (p1 0.15, centre 0.05). Jobs in p1 rise by 100 per quarter of
    the window in replication 0 and 200 in replication 1.
    """
    base_r = {"p1": _flat(5.0), "p2": _flat(3.0), "hcmc": _flat(20.0), "far": _flat(4.0)}
    base_c = {"p1": _flat(1.0), "p2": _flat(0.0), "hcmc": _flat(40.0), "far": _flat(2.0)}
    series, cost_rows = [], []
    for rep, seed, step in ((0, 11, 100.0), (1, 12, 200.0)):
        jobs0 = {"p1": _flat(1000.0), "p2": _flat(500.0), "hcmc": _flat(9000.0),
                 "far": _flat(800.0)}
        series.append(_series("baseline", rep, seed, base_r,
                              {k: [a + b for a, b in zip(base_r[k], base_c[k], strict=True)]
                               for k in base_r}, jobs0))
        sc_r = {"p1": [5.0] + _flat(7.0)[1:], "p2": [3.0] + _flat(4.0)[1:],
                "hcmc": [20.0] + _flat(19.75)[1:], "far": [4.0] + _flat(3.75)[1:]}
        sc_c = {"p1": [1.0] + _flat(1.5)[1:], "p2": _flat(0.0), "hcmc": _flat(40.0),
                "far": _flat(2.0)}
        jobs1 = {k: list(v) for k, v in jobs0.items()}
        jobs1["p1"] = [1000.0 + step * k for k in range(len(Q))]
        jobs1["far"] = [800.0 - 0.25 * step * k for k in range(len(Q))]
        series.append(_series("policy", rep, seed, sc_r,
                              {k: [a + b for a, b in zip(sc_r[k], sc_c[k], strict=True)]
                               for k in sc_r}, jobs1))
        base_spend = [(q, "p1", "cooperation", "province", 0.1) for q in Q]
        cost_rows.append(_costs("baseline", rep, seed, base_spend))
        extra = []
        for q in Q:
            extra += [(q, "p1", "cooperation", "hcmc", 0.6), (q, "p1", "cooperation",
                                                                "province", 0.4),
                      (q, "p2", "capex_subsidy", "province", 0.3),
                      (q, "p1", "tax_expenditure_cit", "province", 0.15),
                      (q, "p1", "tax_expenditure_cit", "central", 0.05)]
        cost_rows.append(_costs("policy", rep, seed, base_spend + extra))
    return pd.concat(series, ignore_index=True), pd.concat(cost_rows, ignore_index=True)


def test_discount_factors_and_window():
    f = costs.discount(["2023Q2", "2023Q3", "2024Q2", "2025Q2"], "2023Q2", 0.09)
    np.testing.assert_allclose(f, [1.0, 1.09 ** -0.25, 1 / 1.09, 1 / 1.09 ** 2])
    c = _costs("s", 0, 1, [(q, "p1", "promotion", "province", 1.0) for q in Q])
    assert costs.programme_cost(c, W0, H) == 5.0  # 2023Q1 is outside the window


def test_levels_of_payers_and_revenue():
    c = _costs("s", 0, 1, [("2023Q2", "p1", "cooperation", "hcmc", 1.0),
                           ("2023Q2", "p1", "cooperation", "province", 1.0),
                           ("2023Q2", "far", "tax_expenditure_cit", "province", 1.0),
                           ("2023Q2", "hcmc", "tax_expenditure_land", "hcmc", 1.0),
                           ("2023Q2", "p2", "tax_expenditure_cit", "central", 1.0)])
    assert list(costs.cost_level(c, LEVELS)) == [
        "hcmc", "partners", "other_provinces", "hcmc", "central"]
    assert list(costs.is_tax_expenditure(c["item"])) == [False, False, True, True, True]


def test_after_the_reform_merged_places_belong_to_their_successors_budget():
    # "far" merges into partner p1 and "belt" into HCMC from 2024Q1
    levels = costs.BudgetLevels(frozenset(PARTNERS), "hcmc", {"far": "p1", "belt": "hcmc"},
                                "2024Q1")
    q = pd.Series(["2023Q4", "2024Q1", "2023Q4", "2024Q2", "2024Q2"])
    loc = pd.Series(["far", "far", "belt", "belt", "p2"])
    assert list(levels.of(q, loc)) == ["other_provinces", "partners", "other_provinces", "hcmc",
                                       "partners"]
    # costs are booked to the unit: the merged p1 is a partner's budget before and after
    c = _costs("s", 0, 1, [("2023Q4", "p1", "promotion", "province", 1.0),
                           ("2024Q1", "p1", "promotion", "province", 1.0),
                           ("2024Q1", "p1", "tax_expenditure_cit", "central", 1.0)])
    assert list(costs.cost_level(c, levels)) == ["partners", "partners", "central"]


def test_net_fiscal_effect_per_level_and_national_identity(world):
    series, cost = world
    d = costs.per_replication(series, cost, LEVELS, "baseline", W0, H, 0.0)
    n = 5  # quarters in the window
    row = d.loc[("policy", 0)]
    # outlays: cooperation 1.0 + capex 0.3 a quarter; tax expenditure 0.2 a quarter
    assert row["outlays_bn"] == pytest.approx(1.3 * n)
    assert row["tax_expenditure_bn"] == pytest.approx(0.2 * n)
    assert row["programme_cost_bn"] == pytest.approx(1.5 * n)
    # partners keep +3 and pay 0.4 + 0.3 (tax expenditure is already missing from revenue)
    assert row["net_fiscal_partners_bn"] == pytest.approx((3.0 - 0.7) * n)
    assert row["net_fiscal_hcmc_bn"] == pytest.approx((-0.25 - 0.6) * n)
    assert row["net_fiscal_other_provinces_bn"] == pytest.approx(-0.25 * n)
    assert row["net_fiscal_central_bn"] == pytest.approx(0.5 * n)
    levels = sum(row[f"net_fiscal_{lv}_bn"] for lv in costs.LEVELS)
    assert row["net_fiscal_national_bn"] == pytest.approx(levels)
    # national = Δ collected − Δ outlays; benefit − cost = national net
    collected = (2.0 + 0.5 + 1.0 - 0.25 - 0.25) * n
    assert row["net_fiscal_national_bn"] == pytest.approx(collected - 1.3 * n)
    assert row["fiscal_benefit_bn"] - row["programme_cost_bn"] == pytest.approx(
        row["net_fiscal_national_bn"])
    assert row["cost_cooperation_bn"] == pytest.approx(1.0 * n)
    assert row["paid_by_central_bn"] == pytest.approx(0.05 * n)


def test_present_values_discount_each_quarter(world):
    series, cost = world
    r = 0.09
    d = costs.per_replication(series, cost, LEVELS, "baseline", W0, H, r)
    factors = costs.discount(Q[1:], W0, r)
    row = d.loc[("policy", 1)]
    assert row["programme_cost_pv_bn"] == pytest.approx(1.5 * factors.sum())
    assert row["net_fiscal_partners_pv_bn"] == pytest.approx(2.3 * factors.sum())


def test_jobs_national_net_effect_and_diversion(world):
    series, cost = world
    d = costs.per_replication(series, cost, LEVELS, "baseline", W0, H, 0.0)
    for rep, step in ((0, 100.0), (1, 200.0)):
        row = d.loc[("policy", rep)]
        assert row["partner_direct_jobs"] == pytest.approx(5 * step)  # at 2024Q2
        assert row["national_direct_jobs"] == pytest.approx(5 * step - 0.25 * 5 * step)
        assert row["diverted_direct_jobs"] == pytest.approx(0.25 * 5 * step)
        # job-years: Σ over the window's quarters (k = 1..5) of step·k, / 4
        assert row["partner_job_years"] == pytest.approx(step * 15 / 4)


def test_summary_ratios_are_ratios_of_means(world):
    series, cost = world
    d = costs.per_replication(series, cost, LEVELS, "baseline", W0, H, 0.09)
    t = costs.summarise(d).set_index(["scenario", "quantity"])
    per_job = t.loc[("policy", "cost_per_job_m")]
    assert per_job["estimate"] == pytest.approx(7.5 / 750.0 * 1e3)  # m VND per job
    assert per_job["n_replications"] == 2
    bcr = t.loc[("policy", "benefit_cost_ratio")]
    assert bcr["estimate"] == pytest.approx(d["fiscal_benefit_pv_bn"].mean()
                                            / d["programme_cost_pv_bn"].mean())
    # identical costs in both replications: the interval of the mean cost has width 0
    cost_row = t.loc[("policy", "programme_cost_bn")]
    assert cost_row["low"] == pytest.approx(cost_row["high"])


def test_unpaired_runs_are_refused(world):
    series, cost = world
    bad = series.copy()
    bad.loc[(bad["scenario"] == "policy") & (bad["replication"] == 1), "seed"] = 99
    with pytest.raises(ValueError, match="not paired"):
        costs.net_effects(bad, PARTNERS, "baseline", W0, H)


def test_fieller_with_a_fixed_denominator_is_the_t_interval_scaled():
    a = np.array([10.0, 12.0, 9.0, 13.0])
    b = np.full(4, 2.0)
    lo, hi = ratio_interval(a, b, 0.9)
    half = stats.t.ppf(0.95, 3) * a.std(ddof=1) / 2.0 / 2.0
    assert (lo, hi) == pytest.approx((a.mean() / 2 - half, a.mean() / 2 + half))


def test_fieller_bounds_solve_the_defining_equation_and_can_be_unbounded():
    rng = np.random.default_rng(1)
    b = 5.0 + rng.normal(0, 1, 12)
    a = 3.0 * b + rng.normal(0, 2, 12)
    lo, hi = ratio_interval(a, b, 0.9)
    n = a.size
    cov = np.cov(a, b, ddof=1) / n
    t2 = stats.t.ppf(0.95, n - 1) ** 2
    for rho in (lo, hi):
        lhs = (a.mean() - rho * b.mean()) ** 2
        rhs = t2 * (cov[0, 0] - 2 * rho * cov[0, 1] + rho ** 2 * cov[1, 1])
        assert lhs == pytest.approx(rhs, rel=1e-9)
    assert lo < a.mean() / b.mean() < hi
    # a denominator whose interval contains zero: no finite interval
    assert ratio_interval(a, np.array([1.0, -1.0, 2.0, -2.0] * 3), 0.9) == (-np.inf, np.inf)


def test_percentile_ratio_interval_uses_per_replication_ratios():
    a, b = np.arange(1.0, 11.0), np.full(10, 2.0)
    lo, hi = ratio_interval(a, b, 0.8, "percentile")
    assert (lo, hi) == pytest.approx(tuple(np.quantile(a / 2, [0.1, 0.9])))


def test_every_quantity_has_a_label_and_a_unit(world):
    series, cost = world
    t = costs.cost_benefit_table(series, cost, LEVELS, "baseline", W0, H, 0.09)
    assert t["label"].ne(t["quantity"]).all(), t.loc[t["label"] == t["quantity"], "quantity"]
    assert t["unit"].str.len().gt(0).all()
    assert (t["discount_rate"] == 0.09).all()
    without = costs.cost_benefit_table(series, None, LEVELS, "baseline", W0, H, 0.09)
    assert set(without["quantity"]) < set(t["quantity"])
    assert not without["quantity"].str.contains("cost|fiscal").any()


def test_net_fiscal_figure_draws_every_level_of_every_scenario(world):
    from simulation.figures.compare import FISCAL_LEVELS, net_fiscal_bars
    from simulation.figures.labels import Labels

    series, cost = world
    t = costs.cost_benefit_table(series, cost, LEVELS, "baseline", W0, H, 0.09)
    for lang in ("en", "vi"):
        fig = net_fiscal_bars(t, "title", "note", Labels(lang))
        ax = fig.axes[0]
        widths = sorted(round(p.get_width(), 6) for p in ax.patches)
        expected = t.set_index("quantity").loc[[f"net_fiscal_{lv}_pv_bn"
                                                for lv in FISCAL_LEVELS], "estimate"]
        assert widths == sorted(round(v, 6) for v in expected)
        assert [tk.get_text() for tk in ax.get_yticklabels()][-1] == Labels(lang).t(
            "level national")
