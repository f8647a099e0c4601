"""Choice rules against closed forms and hand-computed values (MODEL_SPEC §5)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from simulation.model.rules import choice, crn


@pytest.mark.parametrize("rho", [1.0, 0.5])
def test_nested_choice_frequencies_match_closed_form(rho):
    n = 300_000
    v_decline = np.zeros(n)
    v_home = np.full(n, 0.4)
    v_nest = np.tile([0.2, -0.5, 1.0, -np.inf], (n, 1))
    key = crn.subkey(9, rho * 10)
    g_top = crn.gumbel(crn.uniforms2d(crn.subkey(key, 1), np.arange(n), 3))
    g_nest = crn.gumbel(crn.uniforms2d(crn.subkey(key, 2), np.arange(n), 4))
    pick = choice.nested_choice(v_decline, v_home, v_nest, rho, g_top, g_nest)
    probs = choice.nested_probs(v_decline[:1], v_home[:1], v_nest[:1], rho)[0]
    observed = np.bincount(pick, minlength=6) / n
    np.testing.assert_allclose(observed, probs, atol=0.004)
    assert observed[5] == 0  # not considered ⇒ never chosen
    if rho == 1.0:  # plain conditional logit
        v = np.array([0.0, 0.4, 0.2, -0.5, 1.0])
        np.testing.assert_allclose(probs[:5], np.exp(v) / np.exp(v).sum(), rtol=1e-12)


def test_nest_parameter_moves_substitution_within_the_nest():
    """IIA holds at ρ = 1; with ρ < 1 a better nest member takes proportionally more from its
    nest mates than from the outside options (policy diverts rather than creates)."""
    base = np.array([[0.2, -0.5, 1.0]])
    up = base + np.array([[0.5, 0.0, 0.0]])
    zero, home = np.zeros(1), np.full(1, 0.4)
    for rho in (1.0, 0.5):
        p0 = choice.nested_probs(zero, home, base, rho)[0]
        p1 = choice.nested_probs(zero, home, up, rho)[0]
        outside_loss = 1 - p1[1] / p0[1]  # relative loss of the home option
        mate_loss = 1 - p1[4] / p0[4]  # relative loss of a nest mate
        if rho == 1.0:
            assert mate_loss == pytest.approx(outside_loss, rel=1e-9)
        else:
            assert mate_loss > 1.5 * outside_loss > 0


def test_information_access_bounds_and_monotone():
    grid = np.linspace(0, 1, 4)
    w, d, e, v, p = np.meshgrid(grid, grid, grid, grid, grid, indexing="ij")
    info = choice.information_access(w, d, e, v, p, 0.5, 0.65, 0.8, 0.3, 0.4)
    assert info.min() == 0.0 and info.max() <= 1.0
    for axis in range(5):
        assert np.all(np.diff(info, axis=axis) >= -1e-15)
    one = np.array([0.5])
    hand = 1 - (1 - 0.25) * (1 - 0.65 * 0.5) * (1 - 0.4) * (1 - 0.15) * (1 - 0.2)
    assert choice.information_access(one, one, one, one, one, 0.5, 0.65, 0.8, 0.3, 0.4)[0] == \
        pytest.approx(hand)


def test_visibility_saturates_with_the_promotion_stock():
    vis = choice.visibility(np.array([0.0, 1.0, 50.0]))
    np.testing.assert_allclose(vis, [0.0, 1 - math.exp(-1.0), 1.0])


def test_distance_penalty_closed_form():
    pen = choice.distance_penalty(np.log(np.array([1400 / 20])), np.array([0.2]),
                                  np.array([1.5]), 0.4, 0.5)
    assert pen[0] == pytest.approx((0.4 + 0.5 * 1.5 * 0.8) * np.log(70))


def test_consideration_probability_closed_form():
    z = np.zeros(2)
    p = choice.consideration_prob(np.array([0.2, 0.0]), np.array([1.0, 0.0]),
                                  np.array([0.5, 0.0]), np.array([0.25, 0.0]),
                                  np.array([0.5, 0.0]), 0.15, 1.5, 0.3, 0.8, 1.0, 0.4)
    assert p[0] == pytest.approx(1 - math.exp(-(0.15 + 0.3 + 0.3 + 0.4 + 0.25 + 0.2)))
    assert p[1] == pytest.approx(1 - math.exp(-0.15))  # a0 alone
    assert choice.consideration_prob(z, z, z, z, z, 0, 1, 1, 1, 1, 1)[0] == 0


def test_promotion_only_raises_the_promoting_provinces_consideration():
    """A province's own stock enters its own column only: never a pool over provinces."""
    promo = np.array([[0.0, 3.0, 0.0]])
    z = np.zeros((1, 3))
    p = choice.consideration_prob(z, promo, z, z, z, 0.15, 1.5, 0.3, 0.8, 1.0, 0.4)
    assert p[0, 1] > p[0, 0] == pytest.approx(p[0, 2]) == pytest.approx(1 - math.exp(-0.15))


def test_inclusive_value_closed_form():
    v = np.array([[0.0, math.log(2.0), -np.inf], [-np.inf, -np.inf, -np.inf]])
    iv1 = choice.inclusive_value(v, 1.0)
    assert iv1[0] == pytest.approx(math.log(3.0)) and iv1[1] == -np.inf
    assert choice.inclusive_value(v, 0.5)[0] == pytest.approx(0.5 * math.log(1.0 + 4.0))


def test_opportunity_rates_closed_form():
    base = choice.opportunity_base(np.array([1.0, 3.0]), 0.01, 1.0)
    np.testing.assert_allclose(base, [0.005, 0.015])
    np.testing.assert_allclose(choice.opportunity_base(np.array([1.0, 3.0]), 0.01, 0.0), 0.01)
    # only the business cycle moves the rate: no lever creates opportunities
    np.testing.assert_allclose(choice.opportunity_rates(np.array([0.01, 0.02]), 0.5),
                               [0.005, 0.01])


def test_location_constants_potential_and_distance():
    roles = np.array(["origin", "partner", "province", "composite"])
    members = np.array([1, 1, 1, 16])
    np.testing.assert_allclose(choice.location_constants(roles, members, -1.0, 0.5, 0.2, 0.7),
                               [-1.0, 0.5, 0.5, 0.2 + 0.7 * math.log(16)])
    drivers = np.array([[math.e, 1.0], [1.0, math.e]])
    weights = np.array([[1.0, 0.0], [0.5, 0.5]])
    np.testing.assert_allclose(choice.log_potential(drivers, weights), [[0.5, 0.0], [-0.5, 0.0]])
    np.testing.assert_allclose(choice.log_distance(np.array([0.0, 20.0, 200.0]), 20.0),
                               [0.0, 0.0, math.log(10.0)])


@pytest.mark.parametrize("rho", [1.0, 0.6])
def test_size_term_makes_odds_independent_of_how_a_composite_is_drawn(rho):
    """m identical members in the nest have the same choice probability as one composite of m
    members with the size term ρ·ln m (MODEL_SPEC §2)."""
    m, v = 4, 0.3
    split = choice.nested_probs(np.zeros(1), np.full(1, 0.4),
                                np.array([[v] * m + [0.1]]), rho)[0]
    xi = choice.location_constants(np.array(["composite"]), np.array([m]), 0.0, 0.0, 0.0, rho)
    merged = choice.nested_probs(np.zeros(1), np.full(1, 0.4),
                                 np.array([[v + xi[0], 0.1]]), rho)[0]
    assert merged[2] == pytest.approx(split[2:2 + m].sum(), rel=1e-12)
    assert merged[:2] == pytest.approx(split[:2], rel=1e-12)


def test_size_distance_hand_computed():
    term = choice.size_distance(np.array([400.0, 100.0]), 200.0, np.array([[0.0, 2.0]]), 0.1)
    np.testing.assert_allclose(term, [[0.0, 0.2 * math.log(2)], [0.0, -0.2 * math.log(2)]])


def test_utility_hand_computed():
    u = SimpleNamespace(beta_potential=0.6, beta_wage=0.5, beta_agglomeration=0.3, beta_tax=0.03,
                        beta_subsidy=0.02, beta_congestion=2.0, theta_phys=0.4, theta_info=0.5)
    one = np.ones((1, 1))
    v = choice.utility(0.9 * one, 1.0 * one, 0.2 * one, 0.5 * one, (math.e - 1) * one,
                       5.0 * one, 10.0 * one, 0.25 * one, np.array([[True]]), 2.0 * one,
                       0.6 * one, 1.5 * one, 0.07 * one, u)
    expected = ((0.9 + 0.6 - 0.05 + 0.3 + 0.15 + 0.2 - 0.5) - (0.4 + 0.5 * 1.5 * 0.4) * 2.0
                + 0.07)
    assert v[0, 0] == pytest.approx(expected)
    v = choice.utility(0.9 * one, one, 0.2 * one, 0.5 * one, (math.e - 1) * one, 5.0 * one,
                       10.0 * one, 0.25 * one, np.array([[False]]), 2.0 * one, 0.6 * one,
                       1.5 * one, 0.07 * one, u)
    assert v[0, 0] == pytest.approx(expected + 0.5)  # no park land needed: no congestion


def test_consideration_sets_alternatives_and_chosen_location():
    always = np.array([[True, False, False]])
    u = np.array([[0.5, 0.5, 0.9], [0.5, 0.5, 0.9]])
    pc = np.array([[0.1, 0.6, 0.6], [0.1, 0.6, 0.6]])
    exp_ = np.array([[0.0, 0.0, 0.1], [0.0, 0.0, 0.0]])
    c = choice.considered(u, pc, exp_, 0.05, always)
    # place 0 always; place 1 by its draw; place 2 by experience (firm 0 only)
    np.testing.assert_array_equal(c, [[True, True, True], [True, True, False]])
    util = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    v_home, v_nest = choice.alternatives(util, c, 0, np.array([1, 2]))
    np.testing.assert_array_equal(v_home, [1.0, 1.0])
    np.testing.assert_array_equal(v_nest, [[2.0, 3.0], [2.0, -np.inf]])
    pick = np.array([choice.DECLINE, choice.HOME, choice.AWAY0, choice.AWAY0 + 1])
    where = choice.chosen_location(pick, 0, np.array([5, 7]))
    np.testing.assert_array_equal(where[1:], [0, 5, 7])  # home, away 0, away 1 (decline: none)
