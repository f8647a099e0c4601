"""Seeded outputs stay the same: a small run against tables saved in tests/golden/.

An intentional change of results regenerates them with tests/golden/make_golden.py in a commit of
its own that says why. Floating-point sums may differ in the last bits when an optimisation
changes summation order, hence rtol=1e-9; counts and categories must match exactly.
"""

from pathlib import Path

import pandas as pd
import pytest

import simulation

from .golden.make_golden import GOLDEN_OVERRIDES

HERE = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def golden_run():
    return simulation.run(GOLDEN_OVERRIDES)


@pytest.mark.parametrize("name", ["investment", "projects", "jobs", "revenue", "ties",
                                  "locations", "costs", "network", "events"])
def test_matches_golden_table(golden_run, name):
    expected = pd.read_parquet(HERE / f"{name}.parquet")
    actual = golden_run.tables()[name]
    pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected, check_exact=False,
                                  rtol=1e-9, atol=1e-9, check_categorical=False)
