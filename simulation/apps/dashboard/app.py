"""The Solara page: Mesa's SolaraViz (controls, play, step, reset) plus the main area.

Served by ``python -m simulation.dashboard``; Solara finds :func:`Page` through the
``SOLARA_APP`` environment variable. SolaraViz's sidebar holds the scenario and lever controls
(a change takes effect on *Reset*), the play/step buttons and the play speed; the main area is
laid out here rather than in SolaraViz's draggable grid of fixed 6 × 10 cells, so the map of
Viet Nam can be tall and the charts wide on a projector.
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz
from solara.server import settings as server_settings

from simulation.apps.dashboard import SCENARIO_DIR_ENV, SEED_ENV
from simulation.apps.dashboard.components import Dashboard, lang
from simulation.apps.dashboard.levers import (
    AGREEMENT_BUDGETS,
    BASELINE,
    DEFAULT_N_AGENTS,
    DEFAULT_PAIRED_SEEDS,
    DEFAULT_SEED,
    DX_GAINS,
    HORIZONS,
    LAND_HA,
    N_AGENTS_CHOICES,
    PAIRED_SEEDS_CHOICES,
    scenario_names,
)
from simulation.apps.dashboard.live import DashboardModel
from simulation.config.scenario import CIT_REGIMES
from simulation.figures.labels import LANGS, tr

PLAY_INTERVAL_MS = 400  # time between quarters when playing
server_settings.telemetry.mixpanel_enable = False  # offline: however the page is served


def settings() -> tuple[str | None, int]:
    """The launcher's choices: extra scenario folder and seed."""
    return os.environ.get(SCENARIO_DIR_ENV) or None, int(os.environ.get(SEED_ENV, DEFAULT_SEED))


def model_params(lg: str, scenario_dir: str | None, seed: int) -> dict:
    """SolaraViz controls (labels in ``lg``) and fixed keyword arguments of the model.

    Selects rather than sliders, so the chosen value stays readable on a projector.
    """
    def select(key: str, values: list, value=None) -> dict:
        return {"type": "Select", "value": values[0] if value is None else value,
                "values": values, "label": tr(key, lg)}

    return {
        "scenario_name": select("scenario_label", scenario_names(scenario_dir), BASELINE),
        "agreement_budget": select("agreement_budget", list(AGREEMENT_BUDGETS)),
        "incentive_regime": select("incentive_regime", list(CIT_REGIMES)),
        "dx_gain": select("dx_gain", list(DX_GAINS)),
        "land_ha": select("land_ha", list(LAND_HA)),
        "n_agents": select("n_agents", list(N_AGENTS_CHOICES), DEFAULT_N_AGENTS),
        "horizon": select("horizon", list(HORIZONS)),
        "paired_seeds": select("paired_seeds", list(PAIRED_SEEDS_CHOICES),
                               DEFAULT_PAIRED_SEEDS),
        "seed": seed,
        "scenario_dir": scenario_dir,
    }


@solara.component
def Page():
    """The whole page."""
    scenario_dir, seed = settings()
    first = solara.use_memo(lambda: DashboardModel(seed=seed, scenario_dir=scenario_dir), [])
    model = solara.use_reactive(first)
    lg = lang.value
    solara.Title(tr("title", lg))
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=lang, values=list(LANGS), dense=True,
                                   classes=["hcmc-lang"])
    # SolaraViz fills the app bar and the sidebar; its own (empty) component area is hidden
    with solara.Div(style={"display": "none"}):
        SolaraViz(model, components=[], model_params=model_params(lg, scenario_dir, seed),
                  name=tr("title", lg), play_interval=PLAY_INTERVAL_MS)
    Dashboard(model.value)
