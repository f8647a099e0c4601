
"""The real command line, end to end, in a fresh process."""

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.model.records import TABLES

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.cli  # runs the real command lines in fresh processes


def test_default_command_writes_a_complete_run_directory(tmp_path):
    out = tmp_path / "runs"
    proc = run_cli([f"output.dir={out}", "params.firms.n_agents=4000", "seed=3"], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    run_dirs = list((out / "baseline").iterdir())
    assert len(run_dirs) == 1
    run = run_dirs[0]
    assert f"Results written to {run} (model " in proc.stdout
    assert "Scenario baseline · parameter set default · 2020Q1–2025Q4 · seed 3 · 4,000 firm " \
        "agents" in proc.stdout
    assert "Nghệ An" in proc.stdout and "Projects" in proc.stdout
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 3 and manifest["scenario"] == "baseline"
    assert manifest["packages"]["mesa"] == "3.5.1"
    assert len(manifest["git_commit"]) >= 7
    for name in TABLES:
        df = pd.read_parquet(run / manifest["tables"][name])
        assert len(df) == manifest["row_counts"][name] > 0
    assert (run / "config.yaml").read_text(encoding="utf-8").count("n_agents: 4000") == 1
    for stem in ("overview", "fans", "map_flows_pre2025"):  # the full set: simulation.plot
        png = run / "figures" / f"{stem}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
        assert f"figures/{stem}.svg" in manifest["figures"]
    svg = (run / "figures" / "overview.svg").read_text(encoding="utf-8")
    assert ">Nghệ An</text>" in svg  # text stays text in SVG
    assert f"hcmc-plot {run}" in proc.stdout
    assert not list(run.rglob("*.tmp"))


PLAIN_SHELL = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}  # no venv active


def plain_shell(command: str, cwd: Path = ROOT, timeout: float = 600
                ) -> subprocess.CompletedProcess:
    """Run a command line as a newcomer pastes it into a fresh shell (no virtualenv)."""
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**PLAIN_SHELL, "HOME": str(cwd)})


def test_the_commands_a_run_prints_work_verbatim_in_a_plain_shell(tmp_path):
    bindir = Path(sys.executable).parent.relative_to(ROOT)
    first = plain_shell(f"{bindir}/hcmc-run output.dir={tmp_path} params.firms.n_agents=2000 "
                        "output.figures=false")
    assert first.returncode == 0, first.stderr
    printed = [line.split(": ", 1)[1] for line in first.stdout.splitlines()
               if line.startswith("All figures")]
    assert len(printed) == 1 and printed[0].startswith(f"{bindir}/hcmc-plot ")
    second = plain_shell(printed[0])
    assert second.returncode == 0, second.stderr
    assert "figure files written to" in second.stdout


COMMANDS = {  # console script → the `python -m` name documented for it
    "hcmc-run": "simulation", "hcmc-compare": "simulation.compare",
    "hcmc-calibrate": "simulation.calibrate", "hcmc-collect": "simulation.collect",
    "hcmc-sensitivity": "simulation.sensitivity", "hcmc-plot": "simulation.plot",
    "hcmc-optimise": "simulation.apps.optimise", "hcmc-discover": "simulation.apps.discover",
    "hcmc-dashboard": "simulation.dashboard",
    "hcmc-dashboard-assets": "simulation.dashboard.assets",
}


def test_every_command_has_a_console_script_and_its_module_name():
    scripts = {ep.name: ep for ep in importlib.metadata.entry_points(group="console_scripts")
               if ep.name.startswith("hcmc-")}
    assert set(scripts) == set(COMMANDS)
    for name, module in COMMANDS.items():
        assert callable(scripts[name].load()), name
        assert importlib.util.find_spec(module) is not None, module
    bin_dir = Path(sys.executable).parent
    for name, expected in (("hcmc-collect", "sweep_dir"), ("hcmc-plot", "usage:")):
        proc = subprocess.run([str(bin_dir / name), "--help"], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0 and expected in proc.stdout, (name, proc.stderr)
