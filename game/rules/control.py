"""Control of ground: a side takes the hexes its units are nearer to than any enemy unit,
within the control radius (rules data). Hexes nobody is near keep their owner."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..engine.units import COMMUNIST, UN


class ControlModel:
    def __init__(self, state):
        m = state.map
        nb = m.grid.neighbors
        ok = (nb >= 0) & m.land[:, None] & m.land[np.where(nb >= 0, nb, 0)]
        src = np.repeat(np.arange(m.n), 6)[ok.ravel()]
        self.graph = csr_matrix((np.ones(ok.sum()), (src, nb[ok])), shape=(m.n, m.n))
        self.radius = int(state.rules.control.get("radius", 2))

    def steps_from_units(self, state, side: int) -> np.ndarray:
        hexes = np.unique(state.units.hex[state.units.on_map(side)])
        if hexes.size == 0:
            return np.full(state.map.n, np.inf)
        return dijkstra(self.graph, indices=hexes, min_only=True, unweighted=True, limit=self.radius + 1)

    def update(self, state) -> None:
        du = self.steps_from_units(state, UN)
        dc = self.steps_from_units(state, COMMUNIST)
        land = state.map.land
        state.owner[land & (du <= self.radius) & (du < dc)] = UN
        state.owner[land & (dc <= self.radius) & (dc < du)] = COMMUNIST
