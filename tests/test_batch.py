"""The ensemble engine: replications stepped together give each run's own tables, bit for bit."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.analysis import arrays, kpis
from simulation.config.compose import compose
from simulation.model.batch import Batch
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


def test_batch_over_parameter_draws_equals_each_draws_own_run(inputs):
    """Replications with their own posterior draws (every drawn parameter differs), stepped
    together, give the tables of their own runs, bit for bit; so does the comparison's path
    (jobs of several draws batched, in this process and in a worker pool)."""
    from simulation.runs.draws import load_draws, with_params

    rc, _ = prepare(compose(["scenario=agreement_2025", *SMALL]), inputs)
    draws = load_draws("configs/params/posterior_draws.csv")[:3]
    assert len(draws[0]) >= 2
    cfgs = [with_params(rc, d) for d in draws]
    b = Batch(rc, inputs, [5, 6, 7], [c.params for c in cfgs])
    assert set(draws[0]) <= b.members.varying
    b.run()
    for r, (cfg, seed) in enumerate(zip(cfgs, [5, 6, 7], strict=True)):
        want = simulation.run(dataclasses.replace(cfg, seed=seed, replication=r), inputs)
        _assert_identical(b.results(r, "agreement_2025", r).tables(), want.tables())
    jobs = [dataclasses.replace(j, config=dataclasses.replace(cfgs[j.replication], seed=j.seed,
                                                              replication=j.replication))
            for j in make_jobs({"agreement_2025": rc}, [5, 6, 7])]
    assert batches(jobs, workers=1, size=3) == [[0, 1, 2]]  # one batch over the draws
    for workers in (1, 2):
        values, _ = run_jobs(jobs, kpis.run_details, workers=workers, progress=False, batch=3)
        for job, got in zip(jobs, values, strict=True):
            _assert_identical(got, kpis.run_details(simulation.run(job.config, inputs)))


#: scenarios that part from the baseline at different quarters (expressway: 2021Q2, the others
#: 2023Q2), cross the 2025 reform, and run to 2027 (past the programmes' end)
FAMILY = ["baseline", "agreement_2025", "expressway", "full_package", "networking",
          "promotion", "incentives", "industrial_land", "digital_transformation"]


def test_scenarios_sharing_a_past_give_each_scenarios_own_runs(inputs):
    """A comparison's scenarios with paired seeds run as a family: the baseline's replications
    run once, and every other scenario continues a copy of their state from the quarter its
    schedule parts from the baseline's. Every table of every run equals that of its own
    single run, bit for bit, in this process and in a worker pool, over posterior draws."""
    from simulation.runs.draws import load_draws, with_params

    small = [*SMALL, "time.end=2027Q4"]
    cfgs = {s: prepare(compose([f"scenario={s}", *small]), inputs)[0] for s in FAMILY}
    draws = load_draws("configs/params/posterior_draws.csv")[:2]
    seeds = replication_seeds(5, 2)
    jobs = [dataclasses.replace(j, config=dataclasses.replace(
        with_params(j.config, draws[j.replication]), seed=j.seed, replication=j.replication))
        for j in make_jobs(cfgs, seeds)]
    parts = batches(jobs, workers=1, size=2)
    assert parts == [list(range(len(jobs)))]  # one family: all scenarios, both replications
    want = [simulation.run(job.config, inputs).tables() for job in jobs]
    for workers in (1, 2):
        values, _ = run_jobs(jobs, _tables, workers=workers, progress=False, batch=2)
        for got, tables in zip(values, want, strict=True):
            _assert_identical(got, tables)


def test_where_scenarios_part(inputs):
    rc = prepare(compose(["params.firms.n_agents=500", "time.end=2027Q4"]), inputs)[0]
    b = Batch(rc, inputs, [1])
    labels = b.world.labels

    def part(scenario: str) -> str:
        k = b.divergence(prepare(compose([f"scenario={scenario}", "params.firms.n_agents=500",
                                          "time.end=2027Q4"]), inputs)[0])
        return labels[k] if k < len(labels) else "never"

    assert part("baseline") == "never"
    assert part("agreement_2025") == "2023Q2"
    other = prepare(compose(["params.firms.n_agents=600", "time.end=2027Q4"]), inputs)[0]
    assert b.divergence(other) == 0  # not the same configuration: nothing shared
    with pytest.raises(ValueError, match="only the scenario"):
        b.fork(other)
    late = prepare(compose(["scenario=agreement_2025", "params.firms.n_agents=500",
                            "time.end=2027Q4"]), inputs)[0]
    b.run_until(b.divergence(late) + 1)
    with pytest.raises(ValueError, match="part at quarter index"):
        b.fork(late)


def test_families_are_batched_replication_by_replication():
    rc = prepare(compose(["params.firms.n_agents=500"]))[0]
    sc = prepare(compose(["params.firms.n_agents=500", "scenario=agreement_2025"]))[0]
    jobs = make_jobs({"baseline": rc, "agreement_2025": sc}, range(5))
    parts = batches(jobs, workers=2, size=2)
    assert sorted(i for p in parts for i in p) == list(range(10))
    # the same replications of both scenarios in each batch, scenario by scenario
    assert parts == [[0, 1, 5, 6], [2, 7], [3, 4, 8, 9]]
    unpaired = make_jobs({"baseline": rc}, range(5)) + make_jobs({"agreement_2025": sc},
                                                                 range(5, 10))
    assert all(max(p) < 5 or min(p) >= 5 for p in batches(unpaired, workers=2, size=2))


@pytest.mark.parametrize("scenario", ["agreement_2025", "incentives", "full_package"])
def test_compiled_passes_equal_the_numpy_path(inputs, monkeypatch, scenario):
    """Jobs and taxes computed in compiled passes give every table of the numpy path, bit for
    bit (a batch over parameter draws, across the 2025 reform, with incentives' regimes)."""
    from simulation.model.rules import fused
    from simulation.runs.draws import load_draws, with_params

    assert fused.AVAILABLE  # a dependency: the compiled path is the one that runs
    rc, _ = prepare(compose([f"scenario={scenario}", *SMALL]), inputs)
    params = [with_params(rc, d).params
              for d in load_draws("configs/params/posterior_draws.csv")[:2]]
    tables = {}
    for compiled in (False, True):
        monkeypatch.setattr(fused, "ON", compiled)
        b = Batch(rc, inputs, [5, 6], params)
        b.run()
        tables[compiled] = [b.results(r, scenario, r).tables() for r in range(2)]
    for numpy_path, compiled_path in zip(tables[False], tables[True], strict=True):
        _assert_identical(compiled_path, numpy_path)


def test_a_batch_varies_only_the_drawn_parameters(inputs):
    rc, _ = prepare(compose(["params.firms.n_agents=500"]), inputs)
    other = dataclasses.replace(rc.params, ties=dataclasses.replace(
        rc.params.ties, eta_activity=rc.params.ties.eta_activity * 2))
    with pytest.raises(ValueError, match="ties.eta_activity"):
        Batch(rc, inputs, [1, 2], [rc.params, other])
    jobs = make_jobs({"a": rc}, range(2))
    jobs[1] = dataclasses.replace(jobs[1], config=dataclasses.replace(jobs[1].config,
                                                                      params=other))
    assert batches(jobs, workers=1) == [[0], [1]]  # not batched together


def test_batch_tables_are_built_when_read(inputs):
    rc, _ = prepare(compose(["params.firms.n_agents=1000", "time.end=2020Q4"]), inputs)
    b = Batch(rc, inputs, [1, 2])
    b.run()
    res = b.results(1, "baseline", 1)
    assert type(res.__dict__["network"]).__name__ == "Deferred"
    assert len(res.network) > 0 and isinstance(res.__dict__["network"], pd.DataFrame)


def test_comparison_series_summed_from_arrays_equal_those_of_the_tables(inputs):
    """What a comparison keeps of a batched replication (summed straight from its recorded
    arrays, no tables built) equals the same reducer on a single run's tables, bit for bit."""
    rc, _ = prepare(compose(["params.firms.n_agents=3000", "scenario=agreement_2025"]), inputs)
    b = Batch(rc, inputs, [5, 6])
    b.run()
    for r, seed in enumerate([5, 6]):
        res = b.results(r, "agreement_2025", r)
        assert res.grids is not None
        fast = kpis.run_details(res)
        for name in ("investment", "ties", "costs"):  # never built
            assert type(res.__dict__[name]).__name__ == "Deferred", name
        single = simulation.run(dataclasses.replace(rc, seed=seed, replication=r), inputs)
        assert getattr(single, "grids", None) is None  # the tables' path
        _assert_identical(fast, kpis.run_details(single))


def _joined_as_frames(parts) -> pd.DataFrame:
    """What a comparison's tables were before runs came back as arrays: the runs' frames
    concatenated, then the label columns made categorical."""
    df = pd.concat([p.frame() if isinstance(p, arrays.Rows) else p for p in parts],
                   ignore_index=True)
    for col in arrays.LABELS:
        if col in df:
            df[col] = df[col].astype("category")
    return df


def test_runs_sent_as_arrays_join_into_the_frames_of_their_tables(inputs):
    """A comparison's workers send each replication's rows as arrays (kpis.run_rows) and the
    parent joins them: the same frames, bit for bit and dtype for dtype, as concatenating
    the runs' own tables (kpis.run_details) and making the labels categorical; over two
    scenarios whose shown ties and active cost units differ, and with a run that comes as
    frames (a single run's tables) among them."""
    cfgs = {s: prepare(compose(["params.firms.n_agents=2000", f"scenario={s}"]), inputs)[0]
            for s in ("baseline", "agreement_2025")}
    values, details = [], []
    for scenario, rc in cfgs.items():
        b = Batch(rc, inputs, [5, 6])
        b.run()
        for r in range(2):
            res = b.results(r, scenario, r)
            values.append(kpis.run_rows(res))
            details.append(kpis.run_details(res))
    assert all(isinstance(v, arrays.Rows) for v in values[0].values())
    for name in values[0]:
        got = arrays.join([v[name] for v in values])
        want = _joined_as_frames([d[name] for d in details])
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=name)
        assert isinstance(got["quarter"].dtype, pd.CategoricalDtype)
    # runs that keep different cells (a unit active in one run only), and a label of an
    # axis that no run keeps: categories are the labels present
    whole = values[0]["costs"]
    keep = whole.keep.copy()
    keep[np.flatnonzero(keep)[:40]] = False
    part = dataclasses.replace(whole, keep=keep, values={
        k: v[keep[whole.keep]] for k, v in whole.values.items()})
    none = np.zeros_like(whole.keep)
    none[np.flatnonzero(whole.keep)[-3:]] = True
    few = dataclasses.replace(whole, keep=none, values={
        k: v[none[whole.keep]] for k, v in whole.values.items()})
    for parts in ([whole, part, few], [few, few]):
        pd.testing.assert_frame_equal(arrays.join(parts), _joined_as_frames(parts),
                                      check_exact=True)
    single = simulation.run(dataclasses.replace(cfgs["baseline"], seed=7, replication=2), inputs)
    mixed = [values[0]["series"], kpis.run_rows(single)["series"]]
    assert isinstance(mixed[1], pd.DataFrame)
    pd.testing.assert_frame_equal(arrays.join(mixed), _joined_as_frames(
        [details[0]["series"], kpis.run_details(single)["series"]]), check_exact=True)


@pytest.mark.parametrize("k", [1, 4, 7, 28, 100])
def test_grouped_sum_is_pandas_groupby_sum(k):
    """The arrays' sums add a group's rows as pandas' grouped sum does (same last bits), for
    groups of consecutive rows and for groups spread over the table."""
    rng = np.random.default_rng(k)
    x = rng.lognormal(5, 4, (300, k)) * rng.choice([-1.0, 0.0, 1.0], (300, k))
    runs = pd.DataFrame({"g": np.repeat(np.arange(300), k), "v": x.ravel()})
    want = runs.groupby("g")["v"].sum().to_numpy()
    np.testing.assert_array_equal(arrays.grouped_sum(x.T), want)
    spread = pd.DataFrame({"g": np.tile(np.arange(300), k), "v": x.T.ravel()})
    want = spread.groupby("g")["v"].sum().to_numpy()
    np.testing.assert_array_equal(arrays.grouped_sum(x.T, contiguous=False), want)


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




def test_workers_server_warm_up_runs():
    """The workers' server runs a tiny batch when it starts (simulation.runs.warm), so that
    workers start with the compiled kernels loaded; it must succeed, or every worker is cold."""
    from multiprocessing import forkserver

    from simulation.runs import replicate, warm

    assert warm.warm()
    if replicate._context(kpis.run_rows).get_start_method() == "forkserver":  # noqa: SLF001
        assert "simulation.runs.warm" in forkserver._forkserver._preload_modules  # noqa: SLF001
