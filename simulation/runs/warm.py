"""Warm the workers' server process: imported once there (``replicate._context``).

A worker's first batch otherwise pays for what only a run loads: the compiled kernels read
from numba's cache and the parts of numpy, scipy and numba imported on first use (about 0.45 s
a worker on 2 cores). The server runs one tiny batch of the default configuration when it
starts, so every worker forked from it starts warm. Nothing the batch computes is kept, and a
failure only leaves the workers cold: it is never raised (the server must start whatever the
data or the configuration).
"""

from __future__ import annotations


def warm() -> bool:
    """Run a tiny batch (200 firms, to the first recorded year's end); False on failure."""
    try:
        import dataclasses

        from simulation.config.keys import with_values
        from simulation.config.schema import RunConfig
        from simulation.model.batch import Batch
        from simulation.runs.runner import prepare

        rc = with_values(RunConfig(), {"params.firms.n_agents": 200})  # no Hydra: 0.4 s less
        rc, inputs = prepare(dataclasses.replace(rc, time=dataclasses.replace(rc.time,
                                                                              end="2020Q4")))
        batch = Batch(rc, inputs, [1, 2])
        batch.run()
    except Exception:  # noqa: BLE001 - a cold worker is slower, not wrong
        return False
    return True


WARM = warm()
