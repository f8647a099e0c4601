"""Fiscal rules against closed forms and hand-computed values (MODEL_SPEC §7)."""

import numpy as np
import pytest

from simulation.model.rules import fiscal


def test_cit_schedule_of_the_special_regime():
    ages = np.arange(17)
    r = fiscal.cit_rate(ages, 0.2, 0.1, 15, 4, 9)
    expected = [0.0] * 4 + [0.05] * 9 + [0.1] * 2 + [0.2] * 2
    np.testing.assert_allclose(r, expected)


def test_project_flows_closed_form():
    _, va, profit = fiscal.project_flows(np.array([100.0]), np.array([1.0]), np.array([50.0]),
                                         np.array([0.08]), np.array([2.0]), np.array([0.25]),
                                         np.array([0.1]))
    assert va[0] == pytest.approx(50.0)
    assert profit[0] == pytest.approx(50.0 - 4.0 - 10.0)
    # half-way up the ramp: output and jobs halve, depreciation does not
    _, va, profit = fiscal.project_flows(np.array([100.0]), np.array([0.5]), np.array([25.0]),
                                         np.array([0.08]), np.array([2.0]), np.array([0.25]),
                                         np.array([0.1]))
    assert va[0] == pytest.approx(25.0) and profit[0] == pytest.approx(25.0 - 2.0 - 10.0)


def test_profit_path_ramps_and_floors_at_zero():
    path = fiscal.profit_path(np.array([0.5]), np.array([2.0]), np.array([0.1]),
                              np.array([0.1, 0.3]), 4, 3)
    # year 1: mean ramp (1+2+3+4)/16 = 0.625; margin 0.5 − 2·0.1 = 0.3 at wage 0.1
    np.testing.assert_allclose(path[:, 0, 0], [0.625 * 0.3 - 0.1, 0.2, 0.2])
    np.testing.assert_allclose(path[:, 1, 0], 0.0)  # wage 0.3: no profit at all


def test_corporate_tax_by_age_and_at_the_standard_rate():
    profit = np.full(3, 400.0)
    cit, cit_std = fiscal.corporate_tax(profit, np.array([0, 5, 20]), np.full(3, 0.2),
                                        np.full(3, 0.1), np.full(3, 15), np.full(3, 4),
                                        np.full(3, 9))
    np.testing.assert_allclose(cit, [0.0, 0.05 * 100, 0.2 * 100])  # holiday, half, standard
    np.testing.assert_allclose(cit_std, 20.0)
    cit, _ = fiscal.corporate_tax(profit[:1], np.array([0]), np.array([0.2]), np.array([0.3]),
                                  np.array([5]), np.array([0]), np.array([0]))
    assert cit[0] == pytest.approx(20.0)  # a regime never taxes above the standard rate


def test_vat_pit_land_rent_and_host_share_hand_computed():
    assert fiscal.vat(np.array([0.1]), np.array([200.0]), np.array([0.25]))[0] == \
        pytest.approx(3.75)
    assert fiscal.pit(0.03, np.array([100.0]), 0.08)[0] == pytest.approx(0.06)
    due, paid = fiscal.land_rent(np.full(2, 10.0), np.full(2, 0.5), np.array([2, 5]),
                                 np.full(2, 3))
    np.testing.assert_allclose(due, 1.25)
    np.testing.assert_allclose(paid, [0.0, 1.25])  # exempt in the first three years
    np.testing.assert_array_equal(
        fiscal.host_share(np.array([True, False, False]), np.array([False, False, True]), 0.5),
        [1.0, 0.5, 1.0])
    np.testing.assert_array_equal(fiscal.productivity(np.array([True, False]), 1.3), [1.3, 1.0])


def test_eatr_reductions_on_the_profit_path():
    std = np.array([0.2])
    rate, years = np.array([0.0, 0.2, 0.1]), np.array([0, 0, 15])
    exempt, half = np.array([0, 0, 4]), np.array([0, 0, 9])
    flat = np.ones((15, 1, 1))
    table = fiscal.eatr_reductions(std, rate, years, exempt, half, flat, 0.1)
    np.testing.assert_array_equal(table[0], 0.0)  # code 0: no incentive
    np.testing.assert_allclose(table[1], 0.0, atol=1e-12)  # the standard rate, no holiday
    d = 1.1 ** -np.arange(15)
    reg = fiscal.cit_rate(np.arange(15), 0.2, 0.1, 15, 4, 9)
    np.testing.assert_allclose(table[2, 0, 0], 100 * (d * (0.2 - reg)).sum() / d.sum())
    # a holiday in the ramp-up years is worth less than on a flat profit
    ramped = flat.copy()
    ramped[:2] = 0.2
    assert fiscal.eatr_reductions(std, rate, years, exempt, half, ramped, 0.1)[2, 0, 0] < \
        table[2, 0, 0]
    # no profit, no value
    none = fiscal.eatr_reductions(std, rate, years, exempt, half, np.zeros((15, 1, 1)), 0.1)
    np.testing.assert_array_equal(none, 0.0)
