"""Firm and Province agents: the bulk registration of firms keeps Mesa's own bookkeeping."""

import mesa
import pytest

from simulation.model.agents import Firm, Province, register_firms


def _population(bulk: bool, n: int = 40) -> mesa.Model:
    """A model with a province, ``n`` firms (in bulk or one by one), then another province."""
    m = mesa.Model(rng=5)
    Province(m, 0, "hcmc", "origin")
    if bulk:
        register_firms(m, n)
    else:
        for i in range(n):
            Firm(m, i)
    Province(m, 1, "nghe_an", "partner")
    return m


def _books(m: mesa.Model) -> dict:
    return {
        "agents": [(type(a).__name__, a.unique_id, a.__dict__.get("idx")) for a in m.agents],
        "by_type": {t.__name__: [a.unique_id for a in s] for t, s in m.agents_by_type.items()},
        "counter": m.agent_id_counter,
        "dicts": [sorted(a.__dict__) for a in m.agents],
    }


def test_bulk_registration_equals_mesas_own_for_the_same_population():
    fast, slow = _population(True), _population(False)
    assert _books(fast) == _books(slow)
    firms = fast.agents_by_type[Firm]
    assert len(firms) == 40 and [f.idx for f in firms] == list(range(40))
    assert all(f.model is fast and f.pos is None for f in firms)
    # the agent sets work as Mesa's: select, shuffle with the model's generator, remove
    assert len(fast.agents.select(agent_type=Firm)) == 40
    order = [a.unique_id for a in fast.agents_by_type[Firm].shuffle()]
    assert order == [a.unique_id for a in slow.agents_by_type[Firm].shuffle()]
    victim = next(iter(firms))
    victim.remove()
    assert victim not in fast.agents and victim not in fast.agents_by_type[Firm]


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_populations(n):
    assert _books(_population(True, n)) == _books(_population(False, n))


def test_observed_registration_falls_back_to_one_by_one():
    m = mesa.Model(rng=1)
    seen = []

    def handler(signal) -> None:  # Mesa keeps a weak reference: keep it alive here
        seen.append(signal)

    m.observe("agents", "agent_added", handler)
    register_firms(m, 5)
    assert len(seen) == 5 and len(m.agents_by_type[Firm]) == 5
