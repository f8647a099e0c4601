"""Live dashboard of the model for talks: Mesa's SolaraViz, served on this machine, offline.

Modules: ``levers`` (controls → Hydra overrides), ``live`` (the model and its paired baseline,
stepped together), ``components`` and ``app`` (the Solara page), ``assets`` (front-end files
installed for offline use) and ``serve`` (``python -m simulation.dashboard``, ``hcmc-dashboard``).
What the page shows as numbers is :mod:`simulation.analysis.live`; its figures are
:mod:`simulation.figures.live`; its texts come from :mod:`simulation.figures.labels`.
"""

SCENARIO_DIR_ENV = "HCMC_DASHBOARD_SCENARIO_DIR"  # extra scenario folder (launcher → page)
SEED_ENV = "HCMC_DASHBOARD_SEED"  # master seed (launcher → page)
# Solara settings for a page that must not reach the internet: no usage statistics
OFFLINE_ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}
