"""Shared fixtures: small, fast runs of the real model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import simulation
from simulation.data import load_inputs

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


def run_cli(args: list[str], cwd: Path, module: str = "simulation",
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command-line app of the project in a fresh process."""
    env = dict(os.environ, PYTHONHASHSEED="random")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
