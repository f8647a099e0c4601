"""Lifecycle hazards against closed forms and hand-computed values (MODEL_SPEC §6)."""

import math

import numpy as np
import pytest

from simulation.model.projects import ProjectLedger
from simulation.model.rules import crn, lifecycle


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


def test_hazards_hand_computed():
    info, lnd = np.array([0.25]), np.array([2.0])
    uninformed = lifecycle.uninformed_distance(info, lnd)
    assert uninformed[0] == pytest.approx(1.5)
    assert lifecycle.licensing(np.array([0.8]), np.array([0.5]), np.array([0.4]),
                               np.array([0.5]), 0.45, 1.0, 0.5, 0.4)[0] == \
        pytest.approx(0.45 * 0.8 * 1.9)
    assert lifecycle.waiting_dropout(np.array([3]), 0.01, 0.01)[0] == pytest.approx(0.04)
    np.testing.assert_array_equal(lifecycle.site_clearance(np.array([True, False]), 0.5),
                                  [0.0, 0.5])
    assert lifecycle.pause(np.array([2.0]), np.array([0.4]), 0.012, 0.3, 1.5)[0] == \
        pytest.approx(0.012)  # exp(0.3·2 − 1.5·0.4) = 1
    np.testing.assert_allclose(lifecycle.exit_(np.array([True, False]), np.array([1.0, 1.0]),
                                               0.003, 0.2), [0.003 * math.exp(0.2), 0.0])
    assert lifecycle.resumption(np.array([0.5]), np.array([0.5]), np.array([1.0]), 0.12, 1.0,
                                0.5, 0.5)[0] == pytest.approx(0.12 * 2.25)


def test_construction_disburses_evenly_and_completes():
    assert lifecycle.disbursement(np.array([100.0]), 0.76, np.array([4]))[0] == \
        pytest.approx(19.0)
    lg = ProjectLedger()
    rows = lg.add(capital=np.array([100.0, 60.0]), build_quarters=np.array([2, 3]))
    spend, done = lg.disburse(rows, 0.75)
    np.testing.assert_allclose(spend, [37.5, 15.0])
    assert done.size == 0
    _, done = lg.disburse(rows, 0.75)
    np.testing.assert_array_equal(done, [0])
    _, done = lg.disburse(rows[1:], 0.75)  # only projects still under construction
    np.testing.assert_array_equal(done, [1])
    np.testing.assert_allclose(lg.view("disbursed"), [75.0, 45.0])  # realisation share × K
