"""Rules against closed forms."""

import numpy as np
import pytest

from simulation.rules import choice, crn, fiscal, lifecycle, ties


def test_crn_uniforms_are_uniform_deterministic_and_keyed():
    key = crn.subkey(12345, 7, 2024)
    c = np.arange(200_000)
    u = crn.uniforms(key, c)
    assert np.all((u > 0) & (u < 1))
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    np.testing.assert_array_equal(u, crn.uniforms(key, c))
    # a draw depends only on its own counter: a subset gives the same values
    np.testing.assert_array_equal(u[[5, 77, 1999]], crn.uniforms(key, np.array([5, 77, 1999])))
    other = crn.uniforms(crn.subkey(12345, 7, 2025), c)
    assert abs(np.corrcoef(u, other)[0, 1]) < 0.01
    z = crn.normal(u[:100_000], u[100_000:])
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.02


def test_competing_risks_match_closed_form():
    n = 400_000
    h = np.tile([0.3, 0.1, 0.05], (n, 1))
    u = crn.uniforms(crn.subkey(1, 2), np.arange(n))
    ev = lifecycle.competing_risks(u, h)
    H = h[0].sum()
    expected = (1 - np.exp(-H)) * h[0] / H
    observed = np.array([(ev == k).mean() for k in range(3)])
    np.testing.assert_allclose(observed, expected, atol=0.003)
    assert abs((ev == -1).mean() - np.exp(-H)) < 0.003
    # zero hazards: nothing happens
    assert np.all(lifecycle.competing_risks(u[:10], np.zeros((10, 2))) == -1)


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
    grid = np.linspace(0, 1, 6)
    w, d, e = np.meshgrid(grid, grid, grid, indexing="ij")
    info = choice.information_access(w, d, e, 0.5, 0.65, 0.8)
    assert info.min() == 0.0 and info.max() <= 1.0
    for axis in range(3):
        assert np.all(np.diff(info, axis=axis) >= -1e-15)


def test_distance_penalty_closed_form():
    pen = choice.distance_penalty(np.log(np.array([1400 / 20])), np.array([0.2]),
                                  np.array([1.5]), 0.4, 0.5)
    assert pen[0] == pytest.approx((0.4 + 0.5 * 1.5 * 0.8) * np.log(70))


def test_cit_schedule_of_the_special_regime():
    ages = np.arange(17)
    r = fiscal.cit_rate(ages, 0.2, 0.1, 15, 4, 9)
    expected = [0.0] * 4 + [0.05] * 9 + [0.1] * 2 + [0.2] * 2
    np.testing.assert_allclose(r, expected)
    assert fiscal.eatr(0.2, 0.2, 0, 0, 0, 0.1, 15) == pytest.approx(0.2)
    assert 0 < fiscal.eatr(0.2, 0.1, 15, 4, 9, 0.1, 15) < fiscal.eatr(0.2, 0.17, 10, 2, 4, 0.1, 15)


def test_project_flows_closed_form():
    _, va, profit = fiscal.project_flows(np.array([100.0]), np.array([50.0]),
                                         np.array([0.08]), np.array([2.0]), np.array([0.25]),
                                         np.array([0.1]))
    assert va[0] == pytest.approx(50.0)
    assert profit[0] == pytest.approx(50.0 - 4.0 - 10.0)


def test_tie_update_closed_form_and_stuck_at_information_sharing():
    w = np.array([0.2])
    out = ties.update_strength(w, np.array([0.5]), np.array([1.0]), np.array([0.0]),
                               0.06, 0.1, 0.1, 0.05, 0.25)
    assert out[0] == pytest.approx(0.2 + (0.06 * 0.5 + 0.1 * 0.5) * 0.8)
    # thin budget: activity below threshold ⇒ decay wins, strength falls toward 0
    w = np.array([0.3])
    for _ in range(40):
        w = ties.update_strength(w, np.array([0.1]), np.zeros(1), np.zeros(1),
                                 0.06, 0.1, 0.1, 0.056, 0.25)
    assert w[0] < 0.15
    lv = ties.levels(w, np.array([False]), np.array([0.0]), 0.1, 0.35, 0.6)
    assert lv[0] == 1  # stuck at information sharing
    lv = ties.levels(np.array([0.7, 0.7]), np.array([True, True]), np.array([0.0, 2.0]),
                     0.1, 0.35, 0.6)
    np.testing.assert_array_equal(lv, [2, 3])
    # a lapsed tie is level 0 unless an agreement is in force
    lv = ties.levels(np.array([0.05, 0.05]), np.array([False, True]), np.zeros(2), 0.1, 0.35, 0.6)
    np.testing.assert_array_equal(lv, [0, 1])
