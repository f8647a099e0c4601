"""Global sensitivity analysis with SALib: Morris screening, then Sobol indices.

``python -m simulation.sensitivity SPEC.yaml --out DIR`` reads a study (the uncertain
parameters ``params.*`` with their ranges, the KPIs, the sample sizes), screens every parameter
with Morris elementary effects, keeps the influential ones and estimates their first- and
total-order Sobol indices with bootstrap confidence intervals. Policy levers (``scenario.*``)
are not uncertain parameters and are refused.
"""
