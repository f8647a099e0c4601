"""Live dashboard of the model for talks: Mesa's SolaraViz, served on this machine, offline.

Modules: ``levers`` (controls → Hydra overrides), ``model`` (the model and its paired baseline,
stepped together), ``view`` (what the page shows, as numbers), ``i18n`` (English and Vietnamese
texts), ``charts`` (figures as PNG), ``components`` and ``app`` (the Solara page), ``assets``
(front-end files installed for offline use) and ``__main__`` (``python -m simulation.dashboard``).
"""

SCENARIO_DIR_ENV = "HCMC_DASHBOARD_SCENARIO_DIR"  # extra scenario folder (launcher → page)
SEED_ENV = "HCMC_DASHBOARD_SEED"  # master seed (launcher → page)
# Solara settings for a page that must not reach the internet: no usage statistics
OFFLINE_ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}
