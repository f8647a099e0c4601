"""Shared fixtures: small, fast runs of the real model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import simulation
from simulation.data import default_data_dir, load_inputs

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["params.firms.n_agents=4000", "time.spinup_quarters=12"]


@pytest.fixture(scope="session")
def inputs():
    return load_inputs()


@pytest.fixture(scope="session")
def small_run(inputs):
    """One small baseline run with the event log, shared by the identity tests."""
    return simulation.run(SMALL + ["seed=11", "output.events=true", "output.projects=true"],
                          inputs=inputs)


def run_cli(args: list[str], cwd: Path, module: str = "simulation", timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m <module> <args>`` of this work tree in a fresh process."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random",
                "HYDRA_FULL_ERROR": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def copy_data(tmp_path: Path) -> Path:
    """Copy the shipped CSV files into a fresh folder and return it."""
    dst = tmp_path / "data"
    shutil.copytree(default_data_dir(), dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst
