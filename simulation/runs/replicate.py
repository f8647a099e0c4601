"""Replications: seeds from one master seed, runs in parallel processes, with progress.

Seeds come from ``numpy.random.SeedSequence(master_seed)``: replication ``r`` of *every*
scenario gets the same seed, so scenario differences are paired replication by replication
(common random numbers, MODEL_SPEC §12). Runs execute in worker processes
(``concurrent.futures.ProcessPoolExecutor`` started from a ``forkserver``; one worker per
core by default) and each worker
returns only what a ``reduce`` function keeps of the run's tables, so large comparisons do not
ship every table back to the parent process. Results come back in job order whatever the order
of completion, so the output never depends on the number of workers.

Consecutive jobs with the same configuration (the replications of a scenario, each with its
own posterior parameter draw or not) run as batches of up to :data:`BATCH` replications
stepped together (:class:`simulation.model.batch.Batch`): each replication's tables are those
of its own run, built only when ``reduce`` reads them.

A replication that fails stops the set and raises :class:`~simulation.errors.RunFailedError`
naming the scenario and the seed.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm import tqdm

from simulation.config.schema import RunConfig, same_but_scenario
from simulation.data import Inputs, load_inputs
from simulation.errors import RunFailedError
from simulation.model.members import MEMBER_PARAMS, differing
from simulation.model.records import Results
from simulation.model.rules import fused

#: Seed stream every scenario shares (common random numbers); other streams exist only to
#: demonstrate what unpaired seeds would cost (experiments/pairing).
COMMON_STREAM = 0
_SEED_BITS = 63  # RunConfig.seed accepts [0, 2**63 - 1]


def replication_seeds(master_seed: int, replications: int, stream: int = COMMON_STREAM
                      ) -> list[int]:
    """Seeds of ``replications`` runs, derived from one master seed with ``SeedSequence``.

    Args:
        master_seed: the comparison's seed (non-negative integer).
        replications: number of seeds.
        stream: independent family of seeds; every scenario of a comparison uses
            :data:`COMMON_STREAM`, which makes replication ``r`` of all scenarios share a seed.

    Returns:
        One 63-bit seed per replication; the first ``n`` seeds do not change when more
        replications are asked for.
    """
    if replications < 0:
        raise ValueError(f"replications={replications} must be >= 0")
    parent = np.random.SeedSequence(master_seed, spawn_key=(stream,))
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(64 - _SEED_BITS))
            for child in parent.spawn(replications)]


@dataclass(frozen=True)
class Job:
    """One run: a validated scenario config with its replication index and seed."""

    scenario: str
    replication: int
    seed: int
    config: RunConfig


def make_jobs(configs: dict[str, RunConfig], seeds: Sequence[int]) -> list[Job]:
    """Every scenario × replication, scenario-major; replication ``r`` gets ``seeds[r]``.

    Args:
        configs: scenario label → validated run config (its seed and replication are replaced).
        seeds: one seed per replication, shared by all scenarios.
    """
    jobs = []
    for name, cfg in configs.items():
        for r, seed in enumerate(seeds):
            rc = dataclasses.replace(cfg, seed=int(seed), replication=r,
                                     scenario=dataclasses.replace(cfg.scenario, name=name))
            jobs.append(Job(name, r, int(seed), rc))
    return jobs


#: Most replications a worker steps together. Memory grows with it: a worker's peak grows by
#: about 17 MB per replication of 20,000 firms (140 MB for a batch of 8 over the ~230 MB of
#: code and inputs; 470 MB for 32), while the CPU time per replication hardly falls beyond 8
#: (0.17 s at 8, 16 and 32; over posterior draws 0.154 s at 8, 0.150 at 16): the arithmetic
#: over projects, not the calls, is what is left.
#: A family of scenarios holds two batches at its peak (the first scenario's and a copy).
BATCH = 8


def batches(jobs: Sequence[Job], workers: int, size: int = BATCH) -> list[list[int]]:
    """Job indices in batches: consecutive jobs of one configuration, at most ``size`` each.

    A configuration's jobs are split evenly into as few batches as ``size`` allows, and into
    at least one per worker while there are jobs enough, so that every worker has work.
    Scenarios that differ only in their scenario section, with the same seeds and parameter
    draws replication by replication (a comparison's paired runs) and each its own label, form
    a *family*: a batch then holds the same replications of every scenario of the family,
    scenario by scenario, and the worker runs their shared past once (:func:`_execute_batch`).
    """
    groups: list[list[int]] = []
    for i, job in enumerate(jobs):
        if groups and _same_run(jobs[groups[-1][0]].config, job.config):
            groups[-1].append(i)
        else:
            groups.append([i])
    families: list[list[list[int]]] = []
    for g in groups:
        if (families and jobs[g[0]].scenario not in {jobs[f[0]].scenario for f in families[-1]}
                and _pairs_with([jobs[i] for i in families[-1][0]], [jobs[i] for i in g])):
            families[-1].append(g)
        else:
            families.append([g])
    out = []
    for fam in families:
        n = len(fam[0])
        k = max(-(-n // size), min(workers, n) if len(families) < workers else 1)
        bounds = np.linspace(0, n, k + 1).round().astype(int)
        out += [[i for g in fam for i in g[a:b]]
                for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    return out


def _pairs_with(first: list[Job], other: list[Job]) -> bool:
    """Whether ``other`` (one scenario's jobs) can share the past of ``first`` (another's).

    Same configuration but for the scenario section, and the same seed and parameters
    replication by replication.
    """
    return len(first) == len(other) and all(
        x.seed == y.seed and same_but_scenario(x.config, y.config)
        for x, y in zip(first, other, strict=True))


def _same_run(a: RunConfig, b: RunConfig) -> bool:
    """Same configuration but for seed, replication index, scenario label and drawn values.

    The drawn values are the parameters a batch may vary between its replications (posterior
    draws: :data:`~simulation.model.members.MEMBER_PARAMS`).
    """
    def key(c: RunConfig) -> RunConfig:
        return dataclasses.replace(c, seed=0, replication=0, params=None,
                                   scenario=dataclasses.replace(c.scenario, name=""))
    return key(a) == key(b) and not differing(a.params, b.params) - MEMBER_PARAMS


def default_workers() -> int:
    """Number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- worker side

_INPUTS: dict[tuple[str | None, str | None], Inputs] = {}


def _inputs(rc: RunConfig) -> Inputs:
    """A run's inputs (its data folder, with its network file if any), once per process."""
    from simulation.runs.runner import with_network

    key = (rc.data_dir, rc.network_file)
    if key not in _INPUTS:
        _INPUTS[key] = with_network(rc, load_inputs(rc.data_dir))
    return _INPUTS[key]


def _execute(job: Job, reduce: Callable[[Results], Any]) -> tuple[str, Any, float]:
    """Run one job; never raises (exceptions do not always survive pickling)."""
    from simulation.runs.runner import simulate

    t0 = time.perf_counter()
    try:
        results, _ = simulate(job.config, _inputs(job.config))
        value = reduce(results)
    except Exception as exc:  # noqa: BLE001 - reported with scenario and seed in the parent
        cause = exc.cause if isinstance(exc, RunFailedError) else exc
        return "failed", f"{type(cause).__name__}: {cause}", time.perf_counter() - t0
    return "ok", value, time.perf_counter() - t0


def _execute_batch(jobs: list[Job], reduce: Callable[[Results], Any]
                   ) -> list[tuple[str, Any, float]]:
    """Run a batch (one configuration, or a family of scenarios); never raises.

    A family (the same replications under several scenarios, scenario by scenario: see
    :func:`batches`) runs the first scenario and, at the quarter where another scenario's
    schedule first differs, continues a copy of its state under that scenario
    (:meth:`~simulation.model.model.Phases.fork`). If the batch itself fails, each job is run
    alone, so a failure names its own seed.
    """
    scenarios: list[list[int]] = []
    for i, job in enumerate(jobs):
        if scenarios and jobs[scenarios[-1][0]].scenario == job.scenario:
            scenarios[-1].append(i)
        else:
            scenarios.append([i])
    if len(scenarios) == 1 and len(jobs) == 1:
        return [_execute(jobs[0], reduce)]
    from simulation.model.batch import Batch

    t0 = time.perf_counter()
    out: list[tuple[str, Any, float] | None] = [None] * len(jobs)

    def reduced(batch: Batch, part: list[int]) -> None:
        for r, i in enumerate(part):
            job, t1 = jobs[i], time.perf_counter()
            try:
                value = reduce(batch.results(r, job.scenario, job.replication))
            except Exception as exc:  # noqa: BLE001 - reported with scenario and seed
                out[i] = ("failed", f"{type(exc).__name__}: {exc}", 0.0)
                continue
            out[i] = ("ok", value, time.perf_counter() - t1)

    try:
        first = [jobs[i] for i in scenarios[0]]
        cfg = first[0].config
        trunk = Batch(cfg, _inputs(cfg), [j.seed for j in first],
                      [j.config.params for j in first])
        parts = sorted((trunk.divergence(jobs[part[0]].config), part)
                       for part in scenarios[1:])  # the earliest to part first
        for k, part in parts:
            trunk.run_until(k)
            twin = trunk.fork(jobs[part[0]].config)
            twin.run()
            reduced(twin, part)
            del twin
        trunk.run()
        reduced(trunk, scenarios[0])
    except Exception:  # noqa: BLE001 - every job again on its own, to name the failing seed
        return [_execute(job, reduce) for job in jobs]
    share = (time.perf_counter() - t0 - sum(o[2] for o in out)) / len(jobs)
    return [(status, value, sec + share if status == "ok" else sec)
            for status, value, sec in out]


class _Failure(Exception):
    """The cause of a failed replication, rebuilt in the parent process."""


def _failed(job: Job, message: str) -> RunFailedError:
    return RunFailedError(job.scenario, job.seed, _Failure(
        f"replication {job.replication}: {message}"))


# --------------------------------------------------------------------------- parent side


def run_jobs(jobs: Sequence[Job], reduce: Callable[[Results], Any],
             workers: int | None = None, progress: bool = True,
             desc: str = "replications", pool: ProcessPoolExecutor | None = None,
             batch: int = BATCH) -> tuple[list[Any], list[float]]:
    """Run the jobs in parallel processes and return ``reduce(results)`` of each, in job order.

    Args:
        jobs: from :func:`make_jobs`.
        reduce: a module-level function (it is pickled to the workers) that keeps what is
            needed of one run's tables.
        workers: processes; ``None`` = one per core; ``1`` runs in this process.
        progress: show a progress bar on stderr.
        desc: label of the progress bar.
        pool: an executor from :func:`make_pool` to reuse across calls (e.g. the many small
            batches of an optimiser); by default a pool is started and shut down here.
        batch: most replications of one configuration stepped together (1: one by one).

    Returns:
        The reduced values and the wall time of each run (seconds; a batch's time shared
        among its runs), both in job order.

    Raises:
        RunFailedError: a replication failed; the message names its scenario and seed. The
            remaining runs are cancelled.
    """
    n = len(jobs)
    workers = max(1, min(workers or default_workers(), n or 1))
    values: list[Any] = [None] * n
    seconds: list[float] = [0.0] * n
    parts = batches(jobs, workers if pool is None else pool._max_workers, batch)  # noqa: SLF001

    def collect(part: list[int], outcome: list[tuple[str, Any, float]]) -> None:
        for i, (status, value, sec) in zip(part, outcome, strict=True):
            if status != "ok":
                raise _failed(jobs[i], value)
            values[i], seconds[i] = value, sec

    if workers == 1 and pool is None:
        with _bar(n, desc, progress) as bar:
            for part in parts:
                collect(part, _execute_batch([jobs[i] for i in part], reduce))
                bar.update(len(part))
        return values, seconds
    own = pool is None
    if pool is None:
        pool = make_pool(reduce, workers)
    try:
        pending: dict[Future, list[int]] = {
            pool.submit(_execute_batch, [jobs[i] for i in part], reduce): part
            for part in parts}
        with _bar(n, desc, progress) as bar:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    part = pending.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        outcome = [("failed", "the worker process died", 0.0)] * len(part)
                    collect(part, outcome)
                    bar.update(len(part))
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return values, seconds


def make_pool(reduce: Callable[[Results], Any], workers: int | None = None
              ) -> ProcessPoolExecutor:
    """A process pool ready for :func:`run_jobs` (the caller shuts it down)."""
    return ProcessPoolExecutor(max_workers=workers or default_workers(),
                               mp_context=_context(reduce))


def start_early(reduce: Callable[[Results], Any]) -> None:
    """Start the workers' server process now, to import the model while the jobs are checked.

    This process composes and checks the jobs meanwhile (the server's imports take about 0.8 s
    on 2 cores, which would otherwise come after). Only where workers start from a
    ``forkserver`` (:func:`_context`); pools made later for ``reduce`` fork their workers from
    this server. It ends with this process.
    """
    ctx = _context(reduce)
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _context(reduce: Callable[[Results], Any]) -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process that has the model imported.

    ``forkserver`` (the default of Python 3.14 on Linux) avoids forking this process, whose
    numerical libraries may run threads; ``spawn`` where it is unavailable. The server imports
    the model and the module of ``reduce`` once, so workers start fast. (The main module is not
    preloaded: multiprocessing re-runs it as ``__mp_main__`` in each worker anyway, and
    preloading a ``python -m package.module`` main makes runpy warn about a double import.)
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    preload = ["simulation.model", "simulation.model.batch", "simulation.analysis.kpis",
               "simulation.runs.warm"]  # a tiny batch: compiled kernels loaded, once
    if fused.AVAILABLE:  # imported once in the server rather than in each worker
        preload.append("numba")
    module = getattr(reduce, "func", reduce).__module__  # a functools.partial: its function's
    if module != "__main__":
        preload.append(module)
    ctx.set_forkserver_preload(preload)  # effective when the server first starts
    return ctx


def _bar(total: int, desc: str, enabled: bool) -> tqdm:
    return tqdm(total=total, desc=desc, unit="run", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True, mininterval=0.5)
