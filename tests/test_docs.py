"""Documentation that is generated from the code stays current."""

import importlib.util
import re
import subprocess
from pathlib import Path

from .conftest import ROOT


def test_odd_parameter_table_is_current():
    spec = importlib.util.spec_from_file_location("mk", ROOT / "docs" / "make_parameter_table.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    text = mk.ODD.read_text(encoding="utf-8")
    assert mk.render(text) == text, "run: .venv/bin/python docs/make_parameter_table.py"


# a project command started with whatever `python` a fresh shell finds (not the project's)
BARE_PYTHON = re.compile(r"(?<![/\w.$(-])python3? (?:-m simulation|experiments/|benchmarks/|docs/)")


def _documents() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files", "*.md", "*.yaml", "experiments/*.py",
                              "benchmarks/*.py", "docs/*.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    return [ROOT / p for p in tracked]


def test_documented_commands_work_in_a_plain_shell():
    """Examples name the project's Python (.venv/bin/...), never a bare `python`."""
    bad = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in _documents()
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if BARE_PYTHON.search(line)]
    assert not bad, "\n".join(bad)
