"""A network file as the structure a run runs on: a run's export reproduces the run, an edited
file changes distances and spillovers, and a bad file is one clear line."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import simulation
from simulation.errors import DataError
from simulation.model.network.graph import to_graphml

from .conftest import SMALL, run_cli


@pytest.fixture(scope="module")
def exported(inputs, tmp_path_factory):
    """A baseline run and its network written as GraphML."""
    res = simulation.run(SMALL + ["seed=8"], inputs=inputs)
    path = tmp_path_factory.mktemp("net") / "network.graphml"
    to_graphml(res.graphs["network"], path)
    return res, path


def _edited(src, dst, edit):
    g = nx.read_graphml(src, force_multigraph=True)
    edit(g)
    nx.write_graphml(g, dst)
    return dst


def _km(res, site, quarter="2020Q1"):
    loc = res.locations
    row = loc[(loc["site"] == site) & (loc["quarter"].astype(str) == quarter)]
    return float(row["road_km"].iloc[0])


def test_a_runs_own_network_file_reproduces_the_run(exported, inputs):
    res, path = exported
    again = simulation.run(SMALL + ["seed=8", f"network_file={path}"], inputs=inputs)
    for name in ("investment", "jobs", "revenue", "ties", "locations", "network"):
        assert getattr(res, name).equals(getattr(again, name)), name


def test_a_shorter_road_in_the_file_shortens_the_distance_the_model_uses(exported, inputs,
                                                                       tmp_path):
    res, path = exported
    g = nx.read_graphml(path, force_multigraph=True)
    road = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True)  # the place's node is
            if d["layer"] == "road" and "nghe_an" in (u, v)]  # its capital on the road layer
    assert road

    def halve(h):
        for u, v, k in road:
            h.edges[u, v, k]["km"] = h.edges[u, v, k]["km"] / 2

    edited = _edited(path, tmp_path / "short.graphml", halve)
    new = simulation.run(SMALL + ["seed=8", f"network_file={edited}"], inputs=inputs)
    assert _km(new, "nghe_an") < _km(res, "nghe_an")
    assert _km(new, "central") == pytest.approx(_km(res, "central"))  # not via Nghệ An
    assert _km(new, "cao_bang") < _km(res, "cao_bang")  # the corridor north runs through it


def test_a_province_link_added_in_the_file_spills_ties_over(exported, inputs, tmp_path):
    _, path = exported
    overrides = SMALL + ["seed=8", "scenario=agreement_2025"]
    before = simulation.run(overrides + [f"network_file={path}"], inputs=inputs)
    edited = _edited(path, tmp_path / "linked.graphml", lambda h: h.add_edge(
        "cao_bang", "thua_thien_hue", key="province", layer="province", weight=5.0,
        kind="regional"))
    after = simulation.run(overrides + [f"network_file={edited}"], inputs=inputs)
    felt = [r.ties[r.ties["location"] == "cao_bang"]["felt_strength"].to_numpy()
            for r in (before, after)]
    assert not np.allclose(*felt)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda h: h.remove_node("cao_bang"), "missing: cao_bang"),
    (lambda h: h.add_edge("cao_bang", "ha_nam", key="province", layer="province",
                          weight=-1.0, kind="border"), "weight is -1.0; allowed: a number ≥ 0"),
    (lambda h: [h.remove_edge(u, v, k) for u, v, k, d in
                list(h.edges(keys=True, data=True))
                if d["layer"] == "road" and "cao_bang" in (u, v)],
     "no road from the origin to cao_bang"),
])
def test_a_bad_network_file_is_one_line_naming_file_and_element(exported, inputs, tmp_path,
                                                                 edit, message):
    _, path = exported
    bad = _edited(path, tmp_path / "bad.graphml", edit)
    with pytest.raises(DataError, match=message) as err:
        simulation.run(SMALL + [f"network_file={bad}"], inputs=inputs)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)


def test_the_command_line_refuses_a_file_that_is_not_graphml(tmp_path):
    bad = tmp_path / "net.graphml"
    bad.write_text("not xml", encoding="utf-8")
    res = run_cli([f"network_file={bad}", "params.firms.n_agents=1000",
                   f"output.dir={tmp_path / 'runs'}"], cwd=tmp_path)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot read as GraphML" in lines[0], res.stderr
    assert not (tmp_path / "runs").exists()


def _investment(res):
    return res.investment


def test_replications_stepped_together_run_on_the_network_file(exported, inputs, tmp_path):
    """A comparison's replications (stepped as one batch) use the file, as a single run does."""
    from simulation.config.compose import compose
    from simulation.runs.replicate import make_jobs, run_jobs
    from simulation.runs.runner import prepare

    _, path = exported
    g = nx.read_graphml(path, force_multigraph=True)
    road = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True)
            if d["layer"] == "road" and "nghe_an" in (u, v)]

    def halve(h):
        for u, v, k in road:
            h.edges[u, v, k]["km"] = h.edges[u, v, k]["km"] / 2

    edited = _edited(path, tmp_path / "short.graphml", halve)
    rc, _ = prepare(compose(SMALL + [f"network_file={edited}"]), inputs)
    jobs = make_jobs({"baseline": rc}, [8, 9])
    values, _ = run_jobs(jobs, _investment, workers=1, progress=False, batch=2)
    for job, got in zip(jobs, values, strict=True):
        alone = simulation.run(job.config, inputs=inputs)  # its own seed and replication
        assert got.equals(alone.investment), job.seed
