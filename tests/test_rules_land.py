"""Industrial-park land: supply, first-come allocation and congestion, by hand."""

import numpy as np
import pytest

from simulation.model.rules import land


def test_supply_opens_land_and_others_absorb_a_share():
    out = land.supply(np.array([100.0]), np.array([10.0]), np.array([200.0]), 0.04, 0.08)
    assert out[0] == pytest.approx((100 + 10 + 0.01 * 200) * (1 - 0.02))


def test_held_sums_real_hectares_per_location():
    np.testing.assert_allclose(land.held(np.array([0, 2, 0]), np.array([1.0, 2.0, 3.0]), 2.0, 3),
                               [8.0, 0.0, 4.0])


def test_first_come_first_served_by_location_licensing_quarter_then_key():
    loc = np.array([1, 0, 0, 1, 0])
    key = np.array([5, 4, 3, 2, 1])
    licensed = np.array([1, 2, 1, 1, 1])
    need = np.array([2.0, 3.0, 1.0, 2.0, 2.0])
    granted = land.first_come(loc, key, licensed, need, np.array([4.0, 3.0]), 1.0)
    # location 0 queues 4 (2 ha), 2 (1 ha), 1 (3 ha, licensed later): 2 + 1 fit in 4 ha;
    # location 1 queues 3, 0 (2 ha each): only the first fits in 3 ha
    np.testing.assert_array_equal(granted, [4, 2, 3])


def test_a_project_that_does_not_fit_blocks_the_queue_and_needs_scale():
    one = np.ones(2, int)
    assert land.first_come(0 * one, np.array([1, 2]), one, np.array([5.0, 1.0]),
                           np.array([4.0]), 1.0).size == 0
    np.testing.assert_array_equal(land.first_come(0 * one, np.array([1, 2]), one,
                                                  np.array([1.0, 1.0]), np.array([4.0]), 3.0),
                                  [0])  # an agent project stands for 3 real ones
    assert land.first_come(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int), np.zeros(0),
                           np.array([4.0]), 1.0).size == 0


def test_congestion_is_the_claimed_share_of_the_pool():
    c = land.congestion(np.array([0.0, 3.0, 5.0, 0.0]), np.array([10.0, 1.0, -2.0, 0.0]))
    np.testing.assert_allclose(c, [0.0, 0.75, 1.0, 0.0])


def test_released_land_returns_whole_if_drawn_from_the_pool_else_the_accessible_share():
    back = land.returned(np.array([2.0, 2.0, 0.5]), np.array([True, False, False]), 0.25)
    np.testing.assert_allclose(back, [2.0, 0.5, 0.125])
