"""Each network layer switched off changes outcomes in the expected direction (paired seeds)."""

import numpy as np
import pytest

import simulation

from .conftest import SMALL

SEEDS = (21, 22, 23)
PARTNERS = ["bac_kan", "cao_bang", "ha_nam", "ha_tinh", "nghe_an", "quang_binh", "quang_tri",
            "thanh_hoa", "thua_thien_hue"]


def _runs(overrides, inputs):
    return [simulation.run(SMALL + overrides + [f"seed={s}"], inputs=inputs) for s in SEEDS]


def _partner_new(res) -> float:
    inv = res.investment
    return float(inv.loc[inv["site"].isin(PARTNERS), "new_projects"].sum())


def _paired(on, off, f) -> np.ndarray:
    return np.array([f(a) - f(b) for a, b in zip(on, off, strict=True)])


@pytest.fixture(scope="module")
def agreement(inputs):
    return _runs(["scenario=agreement_2025"], inputs)


def test_peer_effects_switch_changes_the_default_run(inputs):
    on = simulation.run(SMALL + ["seed=5"], inputs=inputs)
    off = simulation.run(SMALL + ["seed=5", "params.network.peer_effects=false"],
                         inputs=inputs)
    assert not on.investment["new_projects"].equals(off.investment["new_projects"])
    # without the layer no firm has a peer anywhere
    reach = off.network[off.network["metric"] == "share_with_peer_present"]["value"]
    assert (reach == 0).all() and (on.network.loc[on.network["metric"] ==
                                                  "share_with_peer_present", "value"] > 0).any()


def test_peers_raise_investment_away_from_home(inputs):
    """Firms learn from their peers: information (and, for places not always considered, the
    chance of considering them) rises with the share of peers operating there. Peers operate
    away from home, so with the layer on more new projects go outside HCMC (paired seeds)."""

    def away(res) -> float:
        inv = res.investment
        return float(inv.loc[inv["site"] != "hcmc", "new_projects"].sum())

    on = _runs([], inputs)
    off = _runs(["params.network.peer_effects=false"], inputs)
    assert _paired(on, off, away).mean() > 0


def test_agreement_ties_switch_removes_what_ties_do_for_partners(agreement, inputs):
    off = _runs(["scenario=agreement_2025", "params.network.agreement_ties=false"], inputs)
    assert _paired(agreement, off, _partner_new).mean() > 0


def test_province_links_spill_tie_strength_over_to_neighbours(agreement, inputs):
    off = _runs(["scenario=agreement_2025", "params.network.province_links=false"], inputs)
    for on_run, off_run in zip(agreement, off, strict=True):
        t_on, t_off = on_run.ties, off_run.ties
        assert (t_on["felt_strength"] >= t_on["strength"] - 1e-12).all()
        np.testing.assert_allclose(t_off["felt_strength"], t_off["strength"])
        assert (t_on["felt_strength"] > t_on["strength"]).any()
    # felt strength only adds to the partners' pull, but the effect on their new projects is
    # about one firm over the run, below the resolution of these small runs (one agent stands
    # for five firms): the paired mean may not fall by more than one agent's weight
    per_agent = 20000 / 4000  # represented firms / params.firms.n_agents of SMALL
    assert _paired(agreement, off, _partner_new).mean() >= -per_agent


def test_road_graph_switch_uses_the_data_distances(inputs):
    """Without the road graph distances are the data's road km, longer than the effective
    shortest paths with the expressway sections open before 2020, so partners get less."""
    on = _runs([], inputs)
    off = _runs(["params.network.road_graph=false"], inputs)
    loc = inputs.locations
    km_off = off[0].locations
    km_off = km_off[km_off["quarter"] == km_off["quarter"].iloc[0]].set_index("site")
    np.testing.assert_allclose(km_off.loc[PARTNERS, "road_km"].to_numpy(),
                               loc.loc[PARTNERS, "road_km"].to_numpy())
    km_on = on[0].locations
    km_on = km_on[km_on["quarter"] == km_on["quarter"].iloc[0]].set_index("site")
    assert (km_on.loc[PARTNERS, "road_km"] < km_off.loc[PARTNERS, "road_km"]).all()
    assert _paired(on, off, _partner_new).mean() > 0


def test_expressway_scenario_shortens_distances_to_partners(inputs):
    base = simulation.run(SMALL + ["seed=3"], inputs=inputs).locations
    road = simulation.run(SMALL + ["seed=3", "scenario=expressway"], inputs=inputs).locations
    last = base["quarter"].astype(str).max()

    def km(df):
        d = df[df["quarter"].astype(str) == last].set_index("site")["road_km"]
        return d.loc[PARTNERS]

    assert (km(road) <= km(base)).all() and (km(road) < km(base)).any()
