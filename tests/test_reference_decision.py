"""The vectorised decision step makes the same choices as a plain per-agent Mesa version."""

import importlib.util

from simulation.config.compose import compose
from simulation.model import CooperationModel
from simulation.model.investment import decide
from simulation.runs.runner import prepare

from .conftest import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_decision",
                                                  ROOT / "benchmarks" / "bench_decision.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_vectorised_and_per_agent_decisions_are_identical(inputs):
    bench = _bench()
    rc, inp = prepare(compose(["params.firms.n_agents=6000", "time.spinup_quarters=0"]), inputs)
    m = CooperationModel(rc, inp)
    checked = 0
    for _ in range(10):  # ten quarters of a running model: ties, projects, experience change
        m.scenario_update()
        m.governments_act()
        m.update_ties()
        firms, loc = decide(m)[:2]
        q = bench.QuarterView(m)
        m.firm_agents.shuffle_do(bench.reference_decide, q)
        assert sorted(q.choices) == sorted(zip(firms.tolist(), loc.tolist(), strict=True))
        checked += len(q.choices)
        m.investment_decisions()
        for phase in ("project_lifecycle", "jobs_and_output", "fiscal_accounting", "feedback",
                      "record"):
            getattr(m, phase)()
        m.k += 1
    assert checked > 50
