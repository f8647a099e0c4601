"""Documentation that is generated from the code stays current."""

import importlib.util

from .conftest import ROOT


def test_odd_parameter_table_is_current():
    spec = importlib.util.spec_from_file_location("mk", ROOT / "docs" / "make_parameter_table.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    text = mk.ODD.read_text(encoding="utf-8")
    assert mk.render(text) == text, "run: python docs/make_parameter_table.py"
