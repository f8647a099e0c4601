"""The model fingerprint that every experiment records, and the check for stale experiments.

A result is *current* only if it was made by the model as it now is: the same default
configuration, the same input data and the same behaviour of the code. The fingerprint hashes
the three separately:

- ``config``: the composed default run configuration (schema defaults and ``configs/config.yaml``),
  every scenario file under ``configs/scenario/`` and the shipped parameter files under
  ``configs/params/`` (the posterior draws comparisons run over by default);
- ``data``: the bytes of every input table of the package (``simulation/data/*.csv``, including
  the estimated initial stock);
- ``behaviour``: totals of a small reference run (:data:`REFERENCE_OVERRIDES`) rounded to six
  significant digits, so a change of code that changes results changes the fingerprint, and a
  refactor that keeps them (or an optimisation that only moves the last bits) does not.

The git commit is recorded beside the fingerprint for provenance but is not part of it: the
commit that adds a result is necessarily later than the one that made it.

Every experiment folder holds ``fingerprint.json`` (:func:`write_fingerprint`, written by the
experiment's script or command after its results); :func:`stale_experiments` lists the folders
whose recorded fingerprint differs from the current one, and a test fails on any of them unless
it is listed in ``experiments/awaiting_rerun.txt``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from simulation.config.compose import available_scenarios, compose, config_yaml, to_run_config
from simulation.data.inputs import default_data_dir
from simulation.io import PROJECT_ROOT, git_commit, now_utc, write_json

FILE = "fingerprint.json"
EXPERIMENTS = PROJECT_ROOT / "experiments"
AWAITING = EXPERIMENTS / "awaiting_rerun.txt"
#: The reference run behind the behaviour hash: small and quick, through the 2025 reform.
REFERENCE_OVERRIDES = ["seed=11", "params.firms.n_agents=3000", "time.spinup_quarters=8",
                       "output.events=false"]
_TOTALS = {"investment": ["new_projects", "licensed_projects", "registered_bn", "disbursed_bn"],
           "jobs": ["direct_jobs", "total_jobs"], "revenue": ["collected_bn", "retained_bn"],
           "ties": ["strength", "level"]}
_PARTS = ("config", "data", "behaviour")


def _sha(chunks: list[bytes]) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(hashlib.sha256(c).digest())
    return h.hexdigest()[:16]


def config_hash() -> str:
    """Hash of the default run config, the scenario files and the shipped parameter files."""
    names = available_scenarios()
    composed = [compose(o) for o in [[]] + [[f"scenario={name}"] for name in names]]
    chunks = [config_yaml(to_run_config(composed[0])).encode("utf-8")]
    for name, cfg in zip(names, composed[1:], strict=True):
        chunks.append(name.encode() + b"\0" + config_yaml(to_run_config(cfg)).encode())
    params = PROJECT_ROOT / "configs" / "params"
    for path in sorted(params.glob("*")) if params.is_dir() else []:
        if path.is_file():
            chunks.append(path.name.encode() + b"\0" + path.read_bytes())
    return _sha(chunks)


def data_hash(data_dir: Path | None = None) -> str:
    """Hash of the input tables (file names and bytes)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return _sha([p.name.encode() + b"\0" + p.read_bytes() for p in sorted(folder.glob("*.csv"))])


def _significant(x: float, digits: int = 6) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.{digits - 1}e}"


def behaviour_hash() -> str:
    """Hash of the reference run's totals by table and column (six significant digits)."""
    from simulation.runs.runner import run

    res = run(REFERENCE_OVERRIDES)
    text = [f"{t}.{c}={_significant(float(getattr(res, t)[c].sum()))}"
            for t, cols in _TOTALS.items() for c in cols]
    return _sha([s.encode() for s in text])


def current() -> dict[str, str]:
    """The current model fingerprint: its three parts and their combined hash."""
    parts = {"config": config_hash(), "data": data_hash(), "behaviour": behaviour_hash()}
    return {"fingerprint": _sha([parts[k].encode() for k in _PARTS]), **parts}


def write_fingerprint(folder: Path | str, fingerprint: dict[str, str] | None = None,
                      commit: str | None = None, **fields: Any) -> dict[str, Any]:
    """Record the model fingerprint a folder's results were made with (``fingerprint.json``).

    Args:
        folder: the experiment or results folder.
        fingerprint: from :func:`current`, taken *before* the results were made (default: now).
        commit: the code version that made them (default: the work tree's now).
        fields: what else to record (command, seeds, run count...).
    """
    record = {**(fingerprint or current()),
              "git_commit": git_commit() if commit is None else commit,
              "created_utc": now_utc(), **fields}
    write_json(Path(folder) / FILE, record)
    return record


def recorded(folder: Path | str) -> dict[str, Any] | None:
    """The fingerprint a folder recorded, or None if it has none (or it cannot be read)."""
    path = Path(folder) / FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def experiment_folders(root: Path = EXPERIMENTS) -> list[Path]:
    """Every experiment folder (a folder directly under ``experiments/``)."""
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def status(folder: Path, now: dict[str, str]) -> str:
    """``current``, ``no fingerprint`` or ``stale (<parts that differ>)``."""
    rec = recorded(folder)
    if rec is None:
        return "no fingerprint"
    if rec.get("fingerprint") == now["fingerprint"]:
        return "current"
    differ = [k for k in _PARTS if rec.get(k) != now[k]]
    return f"stale ({', '.join(differ) or 'fingerprint'} changed)"


def stale_experiments(root: Path = EXPERIMENTS, now: dict[str, str] | None = None
                      ) -> dict[str, str]:
    """Experiment name → why it is not current, for every experiment that is not."""
    now = now or current()
    out = {}
    for folder in experiment_folders(root):
        s = status(folder, now)
        if s != "current":
            out[folder.name] = s
    return out


def awaiting_rerun(path: Path = AWAITING) -> dict[str, str]:
    """Experiments acknowledged as awaiting a re-run: name → reason (``name: reason`` lines)."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(":")
            out[name.strip()] = reason.strip()
    return out
