"""Analysis of run tables: the indicator registry and what is computed from it.

``kpis`` (the one registry of indicators, per-run series and numbers, the run summary),
``measures`` (reporting units, horizon and cumulative measures), ``paired`` (scenario −
baseline intervals), ``comparison`` (plan, run and summarise a comparison), ``moments`` and
``calibration`` (MODEL_SPEC §11), ``validation`` (the patterns of MODEL_SPEC §1),
``sensitivity`` (Morris and Sobol), ``replications`` (how many seeds), ``live`` (a running
dashboard model).
"""

from simulation.analysis.summary import headline

__all__ = ["headline"]
