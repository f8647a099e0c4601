"""Parameter sweeps: job directories, resumable sweep jobs, collecting, KPIs, replications.

A sweep is a Hydra ``--multirun`` of ``python -m simulation``. Each job writes a normal run
directory (tables, config, manifest) named after its overrides, so re-running the same command
into the same ``hydra.sweep.dir`` skips the jobs already complete and runs the rest.
``python -m simulation.collect <sweep dir>`` gathers the jobs into one Parquet dataset.
"""
