"""Parameters that differ between the replications of a batch (posterior draws).

A comparison over posterior parameter draws gives every replication its own parameter vector;
a batch (:mod:`simulation.model.batch`) still steps them together when their configurations
differ only in the parameters of :data:`MEMBER_PARAMS`. The phases then read each of those as
one value per replication, gathered for the rows (firms, projects, groups) of each
replication, where a run reads one number: the same arithmetic on the same numbers, element by
element, so each replication's tables stay those of its own run.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from simulation.config.params import ModelParams

#: Parameters that may differ between the replications of one batch (the posterior draws'),
#: each read where the phases use it as one value per row of its replication.
MEMBER_PARAMS = frozenset({
    "lifecycle.realisation_share", "lifecycle.pause_base", "jobs.labour_pool_share",
    "utility.theta_phys", "utility.nest_rho", "utility.beta_agglomeration",
    "utility.xi_province", "utility.xi_home", "utility.xi_composite",
    "opportunity.base_rate"})


def differing(a: ModelParams, b: ModelParams) -> set[str]:
    """Dotted keys (``section.name``) whose values differ between two parameter sets."""
    out = set()
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x == y:
            continue
        if dataclasses.is_dataclass(x) and type(x) is type(y):
            out |= {f"{f.name}.{g.name}" for g in dataclasses.fields(x)
                    if getattr(x, g.name) != getattr(y, g.name)}
        else:
            out.add(f.name)
    return out


class Members:
    """The parameters of each replication of a batch (one set: every value is a number).

    Args:
        params: one parameter set per replication, differing at most in :data:`MEMBER_PARAMS`.

    Raises:
        ValueError: two sets differ in another parameter.
    """

    def __init__(self, params: list[ModelParams]):
        self.params = params
        varying: set[str] = set()
        for q in params[1:]:
            varying |= differing(params[0], q)
        other = sorted(varying - MEMBER_PARAMS)
        if other:
            raise ValueError(f"the replications of a batch differ in {', '.join(other)}, "
                             "which a batch cannot vary between its replications")
        self.varying = frozenset(varying)

    def varies(self, key: str) -> bool:
        """Whether ``key`` (``section.name``) differs between the replications."""
        return key in self.varying

    def of(self, key: str, rep: np.ndarray | int | None = None) -> Any:
        """``key``'s value: the common number, or each row's replication's (rows ``rep``).

        With ``rep`` None and a varying key, the (R,) values of the replications.
        """
        section, name = key.split(".")
        if key not in self.varying:
            return getattr(getattr(self.params[0], section), name)
        values = np.array([getattr(getattr(p, section), name) for p in self.params], float)
        return values if rep is None else values[rep]

    def section(self, name: str, rep: np.ndarray) -> Any:
        """A parameter section whose varying values are columns (rows, 1) of ``rep``'s."""
        common = getattr(self.params[0], name)
        keys = [k for k in self.varying if k.startswith(f"{name}.")]
        if not keys:
            return common
        return dataclasses.replace(common, **{k.split(".")[1]: self.of(k, rep)[:, None]
                                              for k in keys})
