"""Documentation that is generated from the code stays current, and names what exists."""

import dataclasses
import importlib
import importlib.util
import re

from .conftest import ROOT


def test_odd_parameter_table_is_current():
    spec = importlib.util.spec_from_file_location("mk", ROOT / "docs" / "make_parameter_table.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    text = mk.ODD.read_text(encoding="utf-8")
    assert mk.render(text) == text, "run: python docs/make_parameter_table.py"


def _odd_code_spans() -> list[str]:
    return re.findall(r"`([^`\n]+)`", (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8"))


def _resolves(dotted: str) -> bool:
    """A config key under ``params`` or a name in the simulation module its first part names."""
    from simulation.config.params import ModelParams

    obj: object = ModelParams()
    for part in dotted.split("."):
        if not (dataclasses.is_dataclass(obj) and part in {f.name for f in
                                                           dataclasses.fields(obj)}):
            break
        obj = getattr(obj, part)
    else:
        return True
    head, _, rest = dotted.partition(".")
    for package in ("simulation.model.rules", "simulation.model", "simulation.model.network",
                    "simulation.analysis", "simulation.config"):
        try:
            module = importlib.import_module(f"{package}.{head}")
        except ModuleNotFoundError:
            continue
        if all(hasattr(module, p) for p in rest.split(".")[:1]):
            return True
    return False


def test_odd_names_only_existing_parameters():
    """Every ``params`` key (and dotted name starting with a parameter group) in the ODD exists."""
    from simulation.config.params import ModelParams

    groups = {f.name for f in dataclasses.fields(ModelParams)}
    bad = []
    for span in _odd_code_spans():
        name = span.split("=", 1)[0].strip()
        if name == "params.x.y" or not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", name):
            continue
        if name.rsplit(".", 1)[1] in ("py", "md", "csv", "yaml", "parquet", "graphml"):
            continue  # a file name, checked by test_odd_paths_exist
        key = name.removeprefix("params.")
        if key != name or (key.split(".")[0] in groups and "." in key):
            if not _resolves(key):
                bad.append(span)
    assert not bad, f"docs/ODD.md names keys or functions that do not exist: {sorted(set(bad))}"


def test_odd_paths_exist():
    """Files and modules the ODD names in code font exist (templates with < or * excepted)."""
    model = ROOT / "simulation" / "model"
    missing = []
    for span in _odd_code_spans():
        path = span.strip()
        if " " in path or "<" in path or "*" in path:
            continue
        if re.fullmatch(r"(simulation|experiments|configs|docs|tests)/[\w./-]*", path):
            ok = (ROOT / path).exists()
        elif re.fullmatch(r"(rules|network)/[\w./]*", path):
            ok = (model / path).exists()
        elif re.fullmatch(r"\w+\.py", path):
            ok = any((ROOT / "simulation").rglob(path))
        else:
            continue
        if not ok:
            missing.append(path)
    assert not missing, f"docs/ODD.md names files that do not exist: {sorted(set(missing))}"
