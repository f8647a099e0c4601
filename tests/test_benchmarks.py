"""The benchmarks' records: declared measures, and the README table generated from them."""

import importlib.util
import json

from .conftest import ROOT


def _report():
    spec = importlib.util.spec_from_file_location("report", ROOT / "benchmarks" / "report.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_record_declares_its_measure():
    paths = sorted((ROOT / "benchmarks" / "results").glob("*.json"))
    assert paths
    for path in paths:
        m = json.loads(path.read_text(encoding="utf-8"))
        assert m["name"] == path.stem and m["description"] and m["config"] is not None
        assert m["seeds"] and m["repeats"] >= 1 and m["date"] and m["machine"]["cores"] >= 1
        for fig in m["figures"].values():
            assert fig["min"] <= fig["median"] <= fig["max"] and fig["values"] and fig["unit"]


def test_readme_performance_table_is_generated_from_the_records():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _report().render(text) == text, "run: python benchmarks/report.py"
