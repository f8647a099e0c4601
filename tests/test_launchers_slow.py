"""The Ray and submitit launchers, for real, on this machine (slow: each starts its engine).

Every launcher must give the same tables as the local joblib launcher for the same overrides:
same seed ⇒ same results, in any process and under any launcher.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from .conftest import ROOT, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.cli]

COMMON = ["params.firms.n_agents=3000", "output.figures=false", "output.events=false",
          "seed=1,2"]
# Ray on 127.0.0.1 only (its default is the machine's network address) and without tokens:
# nothing but this test's own processes can reach it.
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_AUTH_MODE": "disabled",
           "RAY_USAGE_STATS_ENABLED": "0"}


def multirun(tmp_path, name, launcher_args, env=None):
    sweep = tmp_path / name
    proc = run_cli(["--multirun", *launcher_args,
                    f"hydra.sweep.dir={sweep}", *COMMON], cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert "2 jobs, 2 complete (2 run now" in proc.stdout
    return sweep


def assert_same_tables(a, b):
    jobs = sorted(p.name for p in a.iterdir() if (p / "manifest.json").exists())
    assert len(jobs) == 2
    assert jobs == sorted(p.name for p in b.iterdir() if (p / "manifest.json").exists())
    for job in jobs:
        for table in ("investment", "projects", "jobs", "revenue", "ties", "locations"):
            pd.testing.assert_frame_equal(pd.read_parquet(a / job / "tables" / f"{table}.parquet"),
                                          pd.read_parquet(b / job / "tables" / f"{table}.parquet"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("joblib")
    return multirun(tmp, "joblib", ["hydra/launcher=parallel", "hydra.launcher.n_jobs=2"])


def test_ray_launcher_local_instance(tmp_path, reference):
    sweep = multirun(tmp_path, "ray", ["hydra/launcher=ray_local",
                                       "hydra.launcher.ray.init.num_cpus=2"], env=RAY_ENV)
    assert_same_tables(sweep, reference)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ray_launcher_on_a_running_cluster(tmp_path, reference):
    """`ray start --head` first, then the ray_cluster config connects to it (the trap of the
    launcher's default object_store_memory is what this config avoids)."""
    port = _free_port()
    env = {**os.environ, **RAY_ENV, "PYTHONPATH": str(ROOT)}  # workers import this tree
    ray = os.path.join(os.path.dirname(sys.executable), "ray")
    head = subprocess.Popen([ray, "start", "--head", "--block", f"--port={port}",
                             "--num-cpus=2", "--include-dashboard=false",
                             "--disable-usage-stats"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(1)
        sweep = multirun(tmp_path, "cluster",
                         ["hydra/launcher=ray_cluster",
                          f"hydra.launcher.ray.init.address=127.0.0.1:{port}"], env=RAY_ENV)
        assert_same_tables(sweep, reference)
    finally:
        os.killpg(head.pid, signal.SIGTERM)  # only the processes this test started
        try:
            head.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
        time.sleep(2)
        try:
            os.killpg(head.pid, signal.SIGKILL)  # stragglers of the same group, if any
        except ProcessLookupError:
            pass


def test_submitit_launcher_runs_jobs_as_slurm_would(tmp_path, reference):
    """submitit's local executor: the same pickling and job wrapper as on SLURM."""
    sweep = multirun(tmp_path, "submitit", ["hydra/launcher=submitit_local",
                                            "hydra.launcher.timeout_min=10"])
    assert_same_tables(sweep, reference)

