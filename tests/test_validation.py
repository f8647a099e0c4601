"""The MODEL_SPEC §1 patterns hold on a small replication set."""

import pytest

import simulation
from simulation.analysis.validation import PATTERNS, run_validation


@pytest.mark.slow
def test_documented_patterns_emerge(inputs):
    loc = inputs.locations
    partners = list(loc.index[loc["role"] == "partner"])
    rep = run_validation(lambda o: simulation.run(o, inputs=inputs), [2001, 2002, 2003, 2004],
                         loc["road_km"], partners)
    assert list(rep["key"]) == [p.key for p in PATTERNS]
    failing = rep[~rep["holds"]]
    assert failing.empty, failing[["key", "mean", "required"]].to_string()
