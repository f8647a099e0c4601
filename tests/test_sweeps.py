"""Sweeps through the real command line: joblib multirun, failures, resume, collect."""

from __future__ import annotations

import json
import shutil
import socket
import time

import duckdb
import pandas as pd
import pytest

from simulation.analysis.kpis import kpi_table, partner_codes
from simulation.config.compose import MAX_NAME, available_scenarios, subdir_name
from simulation.runs.folders import read_tables
from simulation.runs.sweep import COMPLETE, FAILED, MISSING, scan

from .conftest import run_cli

pytestmark = pytest.mark.cli  # runs the real command lines in fresh processes

COMMON = ["params.firms.n_agents=3000", "output.figures=false", "output.events=false"]
SWEEP = ["seed=1,2", "params.utility.theta_info=0.3,9.0"]  # 9.0 is out of range [0, 1.5]


def sweep_cmd(sweep_dir) -> list[str]:
    return ["--multirun", "hydra/launcher=parallel",
            "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={sweep_dir}", *COMMON, *SWEEP]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """One real joblib sweep: 4 jobs, the two with theta_info=9.0 fail validation in the job."""
    root = tmp_path_factory.mktemp("sweep")
    proc = run_cli(sweep_cmd(root / "s"), cwd=root)
    return root / "s", proc


def folders(sweep_dir):
    return {p.name: p for p in sweep_dir.iterdir() if p.is_dir()}


def test_sweep_runs_every_job_and_reports_failures_in_one_line_each(sweep):
    sweep_dir, proc = sweep
    assert proc.returncode == 3, proc.stderr  # some job failed
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: job")]
    assert len(errors) == 2
    for line in errors:
        assert "params.utility.theta_info=9.0 is out of range; allowed [0.0, 1.5]" in line
    assert "Traceback" not in proc.stderr
    assert "2 complete (2 run now, 0 already complete before), 2 failed" in proc.stdout
    jobs = {j.name: j for j in scan(sweep_dir)}
    assert len(jobs) == 4
    for name, job in jobs.items():
        bad = "theta_info=9.0" in name
        assert job.status == (FAILED if bad else COMPLETE)
        assert (sweep_dir / name / "failed.json").exists() == bad
        assert (sweep_dir / name / "manifest.json").exists() == (not bad)
    # folder names are the sorted overrides: the same job always lands in the same folder
    assert "output.events=False,output.figures=False,params.firms.n_agents=3000," \
           "params.utility.theta_info=0.3,seed=1" in jobs


def test_collect_gathers_complete_jobs_keyed_by_swept_values(sweep, tmp_path):
    sweep_dir, _ = sweep
    out = tmp_path / "collected"
    proc = run_cli([str(sweep_dir), "--out", str(out)], cwd=tmp_path,
                   module="simulation.collect")
    assert proc.returncode == 1  # incomplete sweep: the two failed jobs
    assert "4 jobs" in proc.stdout and "2 complete, 2 failed, 0 missing" in proc.stdout
    assert "swept: seed, params.utility.theta_info" in proc.stdout
    failed_lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("failed:")]
    assert len(failed_lines) == 2
    assert all("theta_info=9.0" in ln and "out of range" in ln for ln in failed_lines)

    index = pd.read_parquet(out / "sweep_jobs.parquet")
    assert sorted(index["status"]) == ["complete", "complete", "failed", "failed"]
    assert set(index.loc[index.status == "failed", "params.utility.theta_info"]) == {9.0}
    inv = pd.read_parquet(out / "investment.parquet")
    assert inv["params.utility.theta_info"].unique().tolist() == [0.3]
    assert sorted(inv["seed"].unique()) == [1, 2]
    # every complete job's rows are exactly its own run directory's rows
    for job, rows in inv.groupby("job"):
        own = read_tables(sweep_dir / job)["investment"]
        got = rows.drop(columns=["job", "params.utility.theta_info"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got.astype(own.dtypes.to_dict()), own,
                                      check_categorical=False)
    # DuckDB reads the same dataset and agrees with pandas on a KPI
    partners = partner_codes()
    by_pandas = kpi_table({t: pd.read_parquet(out / f"{t}.parquet")
                           for t in ("investment", "jobs", "revenue")}, partners,
                          by=["seed"]).set_index("seed")["registered_partners_bn"]
    sql = (f"SELECT seed, sum(registered_bn) AS reg FROM '{out / 'investment.parquet'}' "
           f"WHERE location IN ({', '.join(repr(p) for p in partners)}) GROUP BY seed")
    by_duckdb = duckdb.sql(sql).df().set_index("seed")["reg"]
    pd.testing.assert_series_equal(by_duckdb.sort_index(), by_pandas.sort_index(),
                                   check_names=False)


def test_resume_reruns_only_missing_jobs_and_refuses_stale_ones(sweep, tmp_path):
    src, _ = sweep
    sweep_dir = tmp_path / "s"
    shutil.copytree(src, sweep_dir)
    names = sorted(n for n in folders(sweep_dir) if "theta_info=0.3" in n)
    gone, kept = names
    before = pd.read_parquet(sweep_dir / gone / "tables" / "investment.parquet")
    shutil.rmtree(sweep_dir / gone)
    kept_manifest = sweep_dir / kept / "manifest.json"
    stamp = kept_manifest.stat().st_mtime_ns

    proc = run_cli(sweep_cmd(sweep_dir), cwd=tmp_path)
    assert "skipped, already complete: " in proc.stdout
    assert "2 complete (1 run now, 1 already complete before), 2 failed" in proc.stdout
    assert kept_manifest.stat().st_mtime_ns == stamp  # untouched
    after = pd.read_parquet(sweep_dir / gone / "tables" / "investment.parquet")
    pd.testing.assert_frame_equal(after, before)  # same seed ⇒ the same tables

    # a complete run made by other code or config is kept and reported, not overwritten
    info = json.loads(kept_manifest.read_text())
    info["fingerprint"] = "0000000000000000"
    kept_manifest.write_text(json.dumps(info))
    proc = run_cli(sweep_cmd(sweep_dir), cwd=tmp_path)
    assert proc.returncode == 3
    stale = [ln for ln in proc.stderr.splitlines() if "fingerprint 0000000000000000" in ln]
    assert len(stale) == 1 and "Start a new sweep" in stale[0]
    assert json.loads(kept_manifest.read_text())["fingerprint"] == "0000000000000000"


def test_collect_lists_missing_jobs(sweep, tmp_path):
    src, _ = sweep
    sweep_dir = tmp_path / "s"
    shutil.copytree(src, sweep_dir)
    names = sorted(n for n in folders(sweep_dir) if "theta_info=0.3" in n)
    shutil.rmtree(sweep_dir / names[0])  # never started
    for f in ("manifest.json", "config.yaml"):  # started, stopped before the end
        (sweep_dir / names[1] / f).unlink()
    jobs = {j.name: j for j in scan(sweep_dir)}
    assert jobs[names[0]].status == MISSING and "not started" in jobs[names[0]].error
    assert jobs[names[1]].status == MISSING and "did not finish" in jobs[names[1]].error
    assert jobs[names[0]].overrides == [*COMMON_NORMALISED, "seed=1",
                                        "params.utility.theta_info=0.3"]


COMMON_NORMALISED = ["params.firms.n_agents=3000", "output.figures=False",
                     "output.events=False"]


def test_bad_sweep_values_are_refused_before_any_job_starts(tmp_path):
    proc = run_cli(["--multirun", f"hydra.sweep.dir={tmp_path / 's'}",
                    "params.utility.theta_info=0.3,abc,xyz", "scenario=baseline,nowhere",
                    "params.firms.n_agent=1"], cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["error: unknown config key 'params.firms.n_agent'; allowed keys under "
                     "'params.firms': n_agents, represented, capital_median_bn, capital_sigma,"
                     " readiness_alpha, readiness_beta"]
    proc = run_cli(["--multirun", f"hydra.sweep.dir={tmp_path / 's'}",
                    "params.utility.theta_info=0.3,abc,xyz", "scenario=baseline,nowhere"],
                   cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: params.utility.theta_info='abc' has the wrong type; expected float",
        "error: params.utility.theta_info='xyz' has the wrong type; expected float",
        "error: unknown scenario 'nowhere'; available scenarios: "
        + ", ".join(available_scenarios()),
    ]
    assert not (tmp_path / "s").exists()


def test_job_folder_names_are_stable_safe_and_unique():
    assert subdir_name("seed=1,params.x=0.3") == "seed=1,params.x=0.3"
    assert subdir_name("") == "no_overrides"
    a, b = subdir_name("data_dir=/a/b"), subdir_name("data_dir=/a_b")
    assert "/" not in a and a != b
    long = ",".join(f"params.utility.key{i}=0.{i}" for i in range(20))
    assert len(subdir_name(long)) <= MAX_NAME + 11
    assert subdir_name(long) != subdir_name(long.replace("0.19", "0.18"))


def test_refuses_ray_cluster_without_a_shared_sweep_dir(tmp_path):
    proc = run_cli(["--multirun", "hydra/launcher=ray_cluster", "seed=1,2"],
                   cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: hydra/launcher=ray_cluster needs hydra.sweep.dir=<folder on a file system "
        "every node can reach>, so all jobs write to the same place"]


def test_precheck_refuses_a_glob_that_matches_nothing():
    from simulation.apps.sweep import sweep_errors

    assert sweep_errors(["scenario=glob(nope*)", "seed=1,2"]) == [
        "scenario=glob(nope*) matches no value: the sweep would run no job"]
    assert sweep_errors(["scenario=glob(*,exclude=scenario_schema)", "seed=1,2"]) == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_ray_cluster_on_a_stale_cluster_record_fails_in_one_line_within_seconds(tmp_path):
    """An earlier local Ray run left its record; ray.init used to wait for that head forever."""
    stale = f"127.0.0.1:{_closed_port()}"
    (tmp_path / "ray").mkdir()
    (tmp_path / "ray" / "ray_current_cluster").write_text(stale)
    t0 = time.monotonic()
    proc = run_cli(["--multirun", "hydra/launcher=ray_cluster",
                    f"hydra.sweep.dir={tmp_path / 'sweep'}", "seed=1,2"], cwd=tmp_path,
                   env={"RAY_TMPDIR": str(tmp_path), "RAY_ADDRESS": ""}, timeout=120)
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"error: hydra/launcher=ray_cluster: no Ray cluster answers at {stale}")
    assert str(tmp_path / "ray" / "ray_current_cluster") in line and "ray start --head" in line
    assert not (tmp_path / "sweep").exists()


@pytest.mark.skipif(shutil.which("srun") is not None, reason="this machine has SLURM")
def test_slurm_launcher_off_a_cluster_fails_in_one_line(tmp_path):
    proc = run_cli(["--multirun", "hydra/launcher=slurm", f"hydra.sweep.dir={tmp_path / 's'}",
                    "seed=1,2"], cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: hydra/launcher=slurm: SLURM's sbatch, srun, sinfo not found on PATH: submit "
        "the sweep from the cluster's login node (to try it on this machine: "
        "hydra/launcher=parallel)"]
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("listening", [True, False])
def test_ray_probe_asks_the_head_itself(listening):
    from simulation.apps.launchers import ray_cluster_error

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        if listening:
            server.listen()
        error = ray_cluster_error(f"127.0.0.1:{port}")
    assert (error is None) == listening
    if not listening:
        assert f"no Ray cluster answers at 127.0.0.1:{port} (hydra.launcher.ray.init.address)" \
            in error
