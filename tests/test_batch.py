"""The ensemble engine: replications stepped together give each run's own tables, bit for bit."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.config.compose import compose
from simulation.model.batch import Batch
from simulation.model.rules import sums
from simulation.runs.replicate import batches, make_jobs, replication_seeds, run_jobs
from simulation.runs.runner import prepare

SMALL = ["params.firms.n_agents=3000", "output.events=true", "output.projects=true"]


def _tables(res) -> dict[str, pd.DataFrame]:
    return res.tables()


def _assert_identical(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    assert set(got) == set(want)
    for name, df in want.items():
        pd.testing.assert_frame_equal(got[name], df, check_exact=True, obj=name)


@pytest.mark.parametrize("scenario", ["baseline", "networking"])
def test_replication_path_equals_single_runs(inputs, scenario):
    """run_jobs (batched, in a worker pool and in this process) vs simulation.run, seed by seed.

    Every table: investment, projects, jobs, revenue, ties, locations, costs, network, the
    event log and the project list; the run crosses the 2025 reform.
    """
    rc, _ = prepare(compose([f"scenario={scenario}", *SMALL]), inputs)
    seeds = replication_seeds(17, 3) + [2023]
    jobs = make_jobs({scenario: rc}, seeds)
    for workers in (1, 2):
        values, _ = run_jobs(jobs, _tables, workers=workers, progress=False, batch=3)
        for job, got in zip(jobs, values, strict=True):
            want = simulation.run(dataclasses.replace(job.config), inputs)
            _assert_identical(got, want.tables())


def test_batch_of_one_and_of_several_agree(inputs):
    rc, _ = prepare(compose(["params.firms.n_agents=2000", "scenario=agreement_2025"]), inputs)
    together = Batch(rc, inputs, [5, 6, 7])
    together.run()
    for r, seed in enumerate([5, 6, 7]):
        alone = Batch(rc, inputs, [seed])
        alone.run()
        _assert_identical(together.results(r, "s", r).tables(),
                          alone.results(0, "s", r).tables())


def test_batch_tables_are_built_when_read(inputs):
    rc, _ = prepare(compose(["params.firms.n_agents=1000", "time.end=2020Q4"]), inputs)
    b = Batch(rc, inputs, [1, 2])
    b.run()
    res = b.results(1, "baseline", 1)
    assert type(res.__dict__["network"]).__name__ == "Deferred"
    assert len(res.network) > 0 and isinstance(res.__dict__["network"], pd.DataFrame)


def test_jobs_are_batched_by_configuration():
    rc = prepare(compose(["params.firms.n_agents=500"]))[0]
    other = dataclasses.replace(rc, params=dataclasses.replace(
        rc.params, firms=dataclasses.replace(rc.params.firms, n_agents=600)))
    jobs = make_jobs({"a": rc}, range(5)) + make_jobs({"b": other}, range(3))
    parts = batches(jobs, workers=2, size=2)
    assert [i for p in parts for i in p] == list(range(8))
    assert all(len(p) <= 2 for p in parts)
    assert not any(p[0] < 5 <= p[-1] for p in parts)  # never two configurations in a batch
    one = batches(jobs[:3], workers=2, size=8)  # a single configuration: work for both workers
    assert len(one) == 2


@pytest.mark.parametrize("n", [*range(1, 41), 64, 127, 128, 129, 130, 300])
def test_pairwise_tree_is_numpys_row_sum(n):
    a = np.random.default_rng(n).random((20, n))
    a[a < 0.6] = 0.0  # mostly zeros, as the neighbour weights
    terms = {j: a[:, j] for j in range(n) if a[:, j].any()}
    got = sums.sparse_row_sum(sums.pairwise_tree(n), terms)
    want = a.sum(axis=1)
    assert np.array_equal(want if got is None else got, want)
