"""Control of ground: a side takes the hexes its units are nearer to than any enemy unit,
within the control radius (rules data). Hexes nobody is near keep their owner, unless they
are a pocket: with ``pockets: true``, ground a side holds that is cut off from all of its
units and supply sources (no path through its own ground) goes to the enemy around it, as
the south's empty rear fell to the KPA's drive in 1950 and the North's to the UN's advance."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from ..engine.mapdata import connected_parts
from ..engine.units import COMMUNIST, UN, enemy_of
from .module import RuleModule
from .supply import supply_sources


class ControlModel:
    def __init__(self, state):
        self.graph = state.map.land_graph()
        self.radius = int(state.rules.control.radius)
        self.pockets = bool(state.rules.control.pockets)

    def _subgraph(self, state, mine: np.ndarray, held: np.ndarray) -> csr_matrix:
        """The land graph between the ``held`` hexes (``mine``: the same as a mask), numbered
        in their order: ``graph[held][:, held]`` built straight from the neighbour table."""
        nb = state.map.grid.neighbors[held]
        safe = np.where(nb >= 0, nb, 0)
        ok = (nb >= 0) & mine[safe]
        where = np.full(state.map.n, -1)
        where[held] = np.arange(held.size)
        # Straight in CSR: the rows are the held hexes in order, each with its held neighbours.
        indptr = np.concatenate(([0], np.cumsum(ok.sum(axis=1))))
        return csr_matrix((np.ones(int(indptr[-1])), where[safe[ok]], indptr), shape=(held.size, held.size))

    def steps_from_units(self, state, side: int) -> np.ndarray:
        return state.map.land_steps(state.units.hex[state.units.on_map(side)], limit=self.radius + 1)

    def update(self, state) -> None:
        du = self.steps_from_units(state, UN)
        dc = self.steps_from_units(state, COMMUNIST)
        land = state.map.land
        state.owner[land & (du <= self.radius) & (du < dc)] = UN
        state.owner[land & (dc <= self.radius) & (dc < du)] = COMMUNIST
        if self.pockets:
            for side in (UN, COMMUNIST):
                state.owner[self.cut_off(state, side)] = enemy_of(side)

    def cut_off(self, state, side: int) -> np.ndarray:
        """Hexes ``side`` holds that no path through its own ground joins to one of its units
        or supply sources (one connected-components pass over its ground)."""
        mine = state.map.land & (state.owner == side)
        held = np.nonzero(mine)[0]
        if held.size == 0:
            return held
        parts, label = connected_parts(self._subgraph(state, mine, held))
        where = np.full(state.map.n, -1)
        where[held] = np.arange(held.size)
        u = state.units
        anchors = np.concatenate([u.hex[u.on_map(side)], supply_sources(state, side)])
        anchors = where[anchors[anchors >= 0]]
        alive = np.zeros(parts, dtype=bool)
        alive[label[anchors[anchors >= 0]]] = True
        return held[~alive[label]]


class ControlRules(RuleModule):
    """At the end of each turn the ground goes to the side whose units are nearer."""

    name = "control"

    def __init__(self, game):
        super().__init__(game)
        self.model = ControlModel(game.state)

    def turn_end(self) -> None:
        self.model.update(self.state)
