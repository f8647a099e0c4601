"""How the replications of a batch share the model's arrays (see :class:`Tiling`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Tiling:
    """How the replications of a batch share the model's arrays (one replication: identity).

    A batch of R replications of one configuration (:mod:`simulation.model.batch`) stacks
    them: place-level state has R·L rows, place ``g`` being place ``g % L`` of replication
    ``g // L`` (its *global* slot); firm ``f`` is firm ``f % n`` of replication ``f // n``.
    Columns that index places inside a firm's own world (experience, the choice's
    alternatives) stay local. Places of different replications never meet: every sum over
    projects goes into the bins of their own replication's places, in the order a run of its
    own would add them.
    """

    R: int  # replications
    L: int  # places per replication
    n: int  # firm agents per replication
    local_place: np.ndarray  # (R·L,) local place of each global slot
    place_rep: np.ndarray  # (R·L,) replication of each global slot
    home: np.ndarray  # (R,) global slot of HCMC in each replication
    wage: np.ndarray  # (R·L,) the places' base wages, tiled
    labour_pool: np.ndarray  # (R·L,)
    land_initial: np.ndarray  # (R·L,)
    land_rent: np.ndarray  # (R·L,)

    @classmethod
    def build(cls, locations: Any, R: int, n: int,
              labour_pools: list[np.ndarray] | None = None) -> Tiling:
        """The tiling of R replications of ``n`` firms over ``locations``.

        ``locations`` is the world's :class:`~simulation.model.state.Locations`;
        ``labour_pools`` each replication's own (L,) pools when its parameters differ.
        """
        L = locations.n
        g = np.arange(R * L)
        pool = (np.tile(locations.labour_pool, R) if labour_pools is None
                else np.concatenate(labour_pools))
        return cls(R, L, n, g % L, g // L, np.arange(R) * L + locations.home,
                   np.tile(locations.wage, R), pool,
                   np.tile(locations.land_initial, R), np.tile(locations.land_rent, R))

    def tile(self, x: np.ndarray) -> np.ndarray:
        """A place-level array (L, ...) repeated for every replication: (R·L, ...)."""
        x = np.asarray(x)
        return x if self.R == 1 else np.tile(x, (self.R,) + (1,) * (x.ndim - 1))

    def globalise(self, unit: np.ndarray) -> np.ndarray:
        """Local slots (L,) of every replication as global slots (R·L,)."""
        return unit if self.R == 1 else (np.tile(unit, self.R) + self.place_rep * self.L)

    def rows_of(self, firm: np.ndarray) -> np.ndarray:
        """(m, L) global slots of the places of each firm's own replication."""
        return (firm // self.n)[:, None] * self.L + np.arange(self.L)[None, :]

    def blocks(self, x: np.ndarray) -> np.ndarray:
        """A place-level array (R·L, ...) as (R, L, ...), one block per replication."""
        return x.reshape((self.R, self.L) + x.shape[1:])

    def flat(self, x: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`blocks`."""
        return x.reshape((self.R * self.L,) + x.shape[2:])
