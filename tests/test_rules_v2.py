"""Rules of the economic core v2: labour supply, the budget rule, the reform's merging rules."""

import math

import numpy as np
import pytest

from simulation.model.rules import budget, labour, reform


def test_fill_rate_is_a_soft_minimum_of_demand_and_pool():
    demand = np.array([10.0, 100.0, 1000.0, 1e6])
    fill = labour.fill_rate(demand, np.full(4, 1000.0), 4.0)
    hired = demand * fill
    assert hired[0] == pytest.approx(10.0, rel=1e-6)  # a large pool: everyone hired
    assert hired[2] == pytest.approx(1000.0 / 2 ** 0.25)  # demand = pool
    assert hired[3] == pytest.approx(1000.0, rel=1e-6)  # demand ≫ pool: the pool
    assert np.all(np.diff(hired) > 0) and np.all(np.diff(fill) < 0)
    sharp = labour.fill_rate(np.array([500.0, 2000.0]), np.full(2, 1000.0), 50.0)
    np.testing.assert_allclose(sharp * [500, 2000], [500, 1000], rtol=1e-2)


def test_local_wage_rises_with_tightness():
    w = labour.local_wage(np.array([0.1, 0.1]), np.array([0.0, 500.0]), np.full(2, 1000.0), 0.2)
    np.testing.assert_allclose(w, [0.1, 0.11])


def test_budget_rule_targets_adapts_and_keeps_the_envelope():
    target = budget.target_shares(np.array([3.0, 0.0]), 3.0, 0.4, np.array([0.5, 0.5]))
    assert target.sum() == pytest.approx(1.0)
    raw = np.array([0.5 + 3.0, 0.5, 0.5, 0.6])
    np.testing.assert_allclose(target, raw / raw.sum())  # field 0 brought the projects
    empty = budget.target_shares(np.zeros(2), 0.0, 0.4, np.array([0.5, 0.5]))
    assert empty[2] > target[2]  # nothing licensed: more promotion
    moved = budget.adapt(np.full(4, 0.25), target, 0.5)
    np.testing.assert_allclose(moved, 0.5 * 0.25 + 0.5 * target)
    earmarked = np.array([1.0, 1.0, 0.5, 0.0])
    spend = budget.spend(earmarked.sum(), earmarked, moved, 0.3)
    assert spend.sum() == pytest.approx(earmarked.sum())  # the scenario pays the same
    np.testing.assert_allclose(budget.spend(2.5, earmarked, moved, 0.0), earmarked)


def test_reform_rules_hand_computed():
    assert reform.weighted(np.array([0.3, 0.6]), np.array([1.0, 3.0])) == pytest.approx(0.525)
    np.testing.assert_array_equal(reform.strongest(np.array([[0.1, 0.5], [0.3, 0.2]])),
                                  [0.3, 0.5])
    assert reform.pooled(np.array([10.0, 5.0])) == 15.0
    codes = ["hcmc", "bac_kan", "thai_nguyen", "thua_thien_hue", "binh_duong", "central"]
    new = ["hcmc", "thai_nguyen", "thai_nguyen", "hue", "hcmc", "central"]
    roles = ["origin", "partner", "province", "partner", "province", "composite"]
    np.testing.assert_array_equal(reform.successor_map(codes, new, roles), [0, 2, 2, 3, 0, 5])
    assert math.isfinite(reform.weighted(np.array([1.0]), np.array([2.0])))
