"""The economic core's plausibility checks (experiments/economic_core) on four paired seeds.

The experiment runs every check on twelve seeds; here the checks whose bounds four seeds can
decide (the promotion check in Nghệ An, where a promotion effect is several projects rather
than Cao Bằng's fraction of one).
"""

import importlib.util

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def _checks():
    path = ROOT / "experiments" / "economic_core" / "checks.py"
    spec = importlib.util.spec_from_file_location("economic_core_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_economic_core_passes_its_plausibility_checks():
    checks = _checks()
    rows = checks.measure(range(1, 5), only=("promotion", "spinup", "taxes", "distance",
                                             "ties", "labour"), promoted="nghe_an")
    assert len(rows) == 11
    failed = [f"{r['check']}: {r['value']:.3g} not in [{r['low']:g}, {r['high']:g}]"
              for r in rows if not r["pass"]]
    assert not failed, "\n".join(failed)
