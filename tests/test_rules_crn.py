"""Counter-based random numbers: uniform, deterministic, keyed by entity."""

import numpy as np

from simulation.model.rules import crn


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
