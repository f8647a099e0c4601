"""Experiments record the model they ran with; a stale experiment cannot pass as current.

Every folder under ``experiments/`` must hold ``fingerprint.json`` with the fingerprint of the
current model (default configuration, input data, behaviour of the code). An experiment whose
fingerprint differs is stale: re-run it (its README names the command). Experiments known to be
stale and awaiting a re-run are listed in ``experiments/awaiting_rerun.txt``; they are expected
to fail here (strict xfail), so a re-run that makes one current also requires removing it from
the list.
"""

from __future__ import annotations

import json

import pytest

from simulation.analysis import fingerprint as fp

EXPERIMENTS = [p.name for p in fp.experiment_folders()]


@pytest.fixture(scope="module")
def now():
    return fp.current()


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_was_run_with_the_current_model(name, now, request):
    waiting = fp.awaiting_rerun()
    if name in waiting:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"awaiting a re-run: "
                                              f"{waiting[name]}"))
    status = fp.status(fp.EXPERIMENTS / name, now)
    assert status == "current", (f"experiments/{name} is {status}: re-run it (see its README) "
                                 "or list it in experiments/awaiting_rerun.txt")


def test_awaiting_list_names_existing_experiments():
    assert set(fp.awaiting_rerun()) <= set(EXPERIMENTS)


def test_status_tells_current_stale_and_missing(tmp_path, now):
    folder = tmp_path / "exp"
    folder.mkdir()
    assert fp.status(folder, now) == "no fingerprint"
    fp.write_fingerprint(folder, now, commit="abc", command="python x.py")
    rec = json.loads((folder / fp.FILE).read_text(encoding="utf-8"))
    assert rec["git_commit"] == "abc" and rec["command"] == "python x.py"
    assert fp.status(folder, now) == "current"
    changed = {**now, "data": "0" * 16, "fingerprint": "1" * 16}
    assert fp.status(folder, changed) == "stale (data changed)"
    other = tmp_path / "list.txt"
    other.write_text("# comment\nexp: the defaults changed  # why\n\n", encoding="utf-8")
    assert fp.awaiting_rerun(other) == {"exp": "the defaults changed"}


def test_fingerprint_parts_follow_what_they_hash(tmp_path, now):
    # data: any byte of an input table
    src = fp.default_data_dir()
    for f in src.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    assert fp.data_hash(tmp_path) == now["data"]
    table = tmp_path / "initial_stock.csv"
    table.write_bytes(table.read_bytes() + b"\n")
    assert fp.data_hash(tmp_path) != now["data"]
    # behaviour: six significant digits, so the last bits of a sum do not count
    assert fp._significant(1234.5678912) == fp._significant(1234.5678913)
    assert fp._significant(1234.56) != fp._significant(1234.57)
    assert len(now["fingerprint"]) == 16 and set(now) == {"fingerprint", "config", "data",
                                                          "behaviour"}
