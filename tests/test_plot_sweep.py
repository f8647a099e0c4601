"""The plot command draws a sweep folder made by the real sweep and collect commands."""

import json

import pytest

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.cli  # runs the real command lines in fresh processes


@pytest.mark.slow
def test_plot_command_draws_a_collected_sweep(tmp_path):
    sweep = tmp_path / "sweep"
    proc = run_cli(["--multirun", f"hydra.sweep.dir={sweep}", "params.utility.theta_info=0.3,0.6",
                    "seed=1,2", "params.firms.n_agents=2000", "time.spinup_quarters=4",
                    "output.figures=false", "output.events=false"], cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli([str(sweep)], cwd=ROOT, module="simulation.collect")
    assert proc.returncode == 0, proc.stderr
    proc = run_cli([str(sweep), "animation=false", "formats=[png]"], cwd=ROOT,
                   module="simulation.plot")
    assert proc.returncode == 0, proc.stderr
    pngs = sorted(sweep.rglob("plots/**/*.png"))
    assert pngs, proc.stdout
    for p in pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000
    written = json.loads(next(sweep.rglob("plots.json")).read_text(encoding="utf-8"))
    assert written
    assert any("theta_info" in p.name for p in pngs), [p.name for p in pngs]
