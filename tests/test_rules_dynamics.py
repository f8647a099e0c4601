"""Ties, slow dynamics, jobs and new projects against closed forms and hand-computed values."""

import math

import numpy as np
import pytest

from simulation.model.rules import crn, dynamics, jobs, projects, ties


def test_tie_update_closed_form_and_stuck_at_information_sharing():
    w = np.array([0.2])
    out = ties.update_strength(w, np.array([0.5]), np.array([1.0]), np.array([0.0]),
                               0.06, 0.1, 0.1, 0.05)
    assert out[0] == pytest.approx(0.2 + (0.06 * 0.5 + 0.1 * 0.5) * 0.8 - 0.05 * 0.5 * 0.2)
    # thin budget: decay beats activity, strength settles at w* = ηa / (ηa + δ(1 − a))
    w = np.array([0.3])
    for _ in range(400):
        w = ties.update_strength(w, np.array([0.1]), np.zeros(1), np.zeros(1),
                                 0.06, 0.1, 0.1, 0.056)
    assert w[0] == pytest.approx(ties.steady_strength(0.1, 0.06, 0.056), rel=1e-6)
    assert w[0] == pytest.approx(0.006 / (0.006 + 0.056 * 0.9))
    assert w[0] < 0.15
    lv = ties.levels(w, np.array([False]), np.array([0.0]), 0.1, 0.35, 0.6)
    assert lv[0] == 1  # stuck at information sharing
    lv = ties.levels(np.array([0.7, 0.7]), np.array([True, True]), np.array([0.0, 2.0]),
                     0.1, 0.35, 0.6)
    np.testing.assert_array_equal(lv, [2, 3])
    # a lapsed tie is level 0 unless an agreement is in force
    lv = ties.levels(np.array([0.05, 0.05]), np.array([False, True]), np.zeros(2), 0.1, 0.35, 0.6)
    np.testing.assert_array_equal(lv, [0, 1])


def test_activity_and_sector_strength():
    a = ties.activity(np.array([0.25, 1.0, 2.0, 4.0]), 0.5, 0.5, 0.4)
    np.testing.assert_allclose(a, 1 - np.exp(-np.array([0.25, 1.0, 2.0, 4.0]) * 1.2 / 0.5))
    # no cap: more budget always adds activity, less each time (diminishing returns)
    steps = np.diff(a)
    assert np.all(steps > 0) and steps[1] < steps[0] * 2 and a[-1] < 1.0
    ws = ties.sector_strength(np.array([[0.2, 0.6]]), np.array([[True, True], [False, True]]))
    np.testing.assert_allclose(ws, [[0.4, 0.6]])  # mean over the fields a sector maps to
    sf = np.array([[True, True], [False, True]])
    np.testing.assert_allclose(ties.level_share(np.array([[2, 1]]), 2, sf), [[0.5, 0.0]])


def test_spillover_hand_computed_and_bounded():
    x = np.array([[0.2], [0.6], [0.0]])
    nb = np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    out = ties.spillover(x, nb, 0.5)
    np.testing.assert_allclose(out[:, 0], [0.2 + 0.5 * 0.3 * 0.8, 0.6 + 0.5 * 0.2 * 0.4, 0.0])
    grid = np.linspace(0, 1, 11)[:, None]
    full = np.full((11, 11), 1 / 11)
    out = ties.spillover(grid, full, 1.0)
    assert out.min() >= 0 and out.max() <= 1 and np.all(out >= grid)


def test_quarterly_decay_halves_over_the_half_life():
    for h in (1.0, 3.0, 12.0):
        assert dynamics.quarterly_decay(h) ** h == pytest.approx(0.5)
    assert dynamics.quarterly_decay(1.0) == 0.5


def test_gaps_close_and_stocks_decay():
    assert dynamics.close_gap(0.2, 0.5) == pytest.approx(0.6)
    assert dynamics.close_gap(1.0, 0.3) == 1.0
    assert dynamics.stock(4.0, 0.5, 1.0) == 3.0
    s = 0.0
    for _ in range(200):  # steady state inflow / (1 − decay)
        s = dynamics.stock(s, 0.8, 1.0)
    assert s == pytest.approx(5.0)


def test_experience_decays_and_is_learned_where_projects_open():
    e = np.zeros((2, 3), np.float32)
    e[0, 1], e[1, 2] = 0.5, 0.8
    out = dynamics.learn(e, np.float32(0.5), np.array([0]), np.array([1]), 0.6)
    assert out.dtype == np.float32 and e[0, 1] == 0.5  # a new array by default
    assert out[0, 1] == pytest.approx(1 - (1 - 0.25) * 0.4)
    assert out[1, 2] == pytest.approx(0.4)
    dynamics.learn(e, np.float32(0.5), np.array([0]), np.array([1]), 0.6, out=e)
    np.testing.assert_array_equal(e, out)  # in place gives the same


def test_backcast_is_the_inverse_of_closing_the_gap():
    x = np.array([0.3, 0.6])
    back = dynamics.backcast_index(x, 8, 0.01)
    fwd = back.copy()
    for _ in range(8):
        fwd = dynamics.close_gap(fwd, 0.01)
    np.testing.assert_allclose(fwd, x)
    assert dynamics.backcast_index(np.array([0.01]), 400, 0.05)[0] == 0.0  # floored at 0


def test_jobs_ramp_up_and_multiply():
    d = jobs.direct(np.full(4, 100.0), np.full(4, 2.0), np.array([0, 1, 3, 10]), 4)
    np.testing.assert_allclose(d, [50.0, 100.0, 200.0, 200.0])
    assert jobs.local_indirect(np.array([10.0]), np.array([1.5]), 0.5)[0] == pytest.approx(7.5)
    assert jobs.linked(np.array([10.0]), np.array([0.2]))[0] == pytest.approx(2.0)


def test_project_size_modern_flag_and_build_time():
    k = projects.size(np.array([100.0]), np.array([2.0]), 1.0, 0.0, np.array([3.0]),
                      np.array([150.0]))
    assert k[0] == 150.0  # truncated at the sector maximum
    k = projects.size(np.array([100.0]), np.array([2.0]), 1.0, 0.5, np.array([1.0]),
                      np.array([1e9]))
    assert k[0] == pytest.approx(200.0 * math.exp(0.5 - 0.125))
    u = crn.uniforms(crn.subkey(3, 4), np.arange(200_000))
    z = crn.normal(u[:100_000], u[100_000:])
    mean = projects.size(np.ones(z.size), np.ones(z.size), 1.0, 0.8, z, np.full(z.size, 1e9))
    assert mean.mean() == pytest.approx(1.0, abs=0.01)  # the lognormal factor has mean 1
    zero = np.zeros(1)
    assert projects.modern_probability(zero, zero, zero, 0.0, 1, 1, 1)[0] == 0.5
    assert projects.modern_probability(zero, zero, zero, math.log(3), 1, 1, 1)[0] == \
        pytest.approx(0.75)
    assert projects.modern_probability(np.ones(1), zero, zero, 0.0, 1.5, 1, 1)[0] == \
        pytest.approx(1 / (1 + math.exp(-1.5)))
    np.testing.assert_array_equal(projects.build_quarters(np.array([4.0, 0.2, 4.6]), 0.0,
                                                          np.zeros(3)), [4, 1, 5])
