"""Control of ground: a side takes the hexes its units are nearer to than any enemy unit,
within the control radius (rules data). Hexes nobody is near keep their owner, unless they
are a pocket: with ``pockets: true``, ground a side holds that is cut off from all of its
units and supply sources (no path through its own ground) goes to the enemy around it, as
the south's empty rear fell to the KPA's drive in 1950 and the North's to the UN's advance.
Each ``uncovered`` entry gives its side the ground (in its regions and areas) that none of the holder's
units is within its steps of and one of the side's units is: the country an army marches past
without a fight (not a supply source the holder uses: only units within the radius take that),
on the turns between its dates; with ``spread``, also the holder's uncovered ground within that
many steps of the side's own ground: the country its patrols, guerrillas and local uprisings
took ahead of the columns, a few hexes a turn, stopped only where the holder's units stand
(and, with ``spread_within``, no farther than that many steps from one of the side's units)."""

from __future__ import annotations

import numpy as np

from ..engine.calendar import in_dates
from ..engine.mapdata import REGION
from ..engine.units import COMMUNIST, SIDE_CODES, UN, enemy_of
from ..scenario.selectors import area_mask
from .module import RuleModule
from .supply import supply_sources


class ControlModel:
    def __init__(self, state):
        self.radius = int(state.rules.control.radius)
        self.pockets = bool(state.rules.control.pockets)
        m = state.map
        # [(side, steps, the land where it takes uncovered ground, first day, last day, spread,
        #   how near one of the side's units the spread reaches: 0 for anywhere)]
        self.uncovered = [(SIDE_CODES[e.side], int(e.steps), self.ground(m, e),
                           e.from_, e.until, int(e.spread or 0), int(e.spread_within or 0))
                          for e in state.rules.control.uncovered]

    @staticmethod
    def ground(m, entry) -> np.ndarray:
        """(n,) bool: the land where an ``uncovered`` entry takes ground (its regions and areas)."""
        out = m.land.copy()
        if entry.regions is not None:
            out &= np.isin(m.region, [REGION[r] for r in entry.regions])
        if entry.areas is not None:
            out &= np.logical_or.reduce([area_mask(m, a.model_dump()) for a in entry.areas])
        return out

    def in_force(self, state) -> list:
        """The ``uncovered`` entries whose dates cover this turn."""
        return [e for e in self.uncovered if in_dates(state.date, e[3], e[4])]

    def steps_from_units(self, state, side: int, entries=None) -> np.ndarray:
        """Land steps from ``side``'s units, as far as the radius or the steps of ``entries``
        (all the ``uncovered`` entries when not given) need."""
        entries = self.uncovered if entries is None else entries
        reach = max([self.radius] + [max(e[1], e[6]) for e in entries])
        return state.map.land_steps(state.units.hex[state.units.on_map(side)], limit=reach + 1)

    def update(self, state) -> None:
        entries = self.in_force(state)      # outside their dates they cost no deeper search
        du = self.steps_from_units(state, UN, entries)
        dc = self.steps_from_units(state, COMMUNIST, entries)
        land = state.map.land
        state.owner[land & (du <= self.radius) & (du < dc)] = UN
        state.owner[land & (dc <= self.radius) & (dc < du)] = COMMUNIST
        steps = {UN: du, COMMUNIST: dc}
        for side, far, where, _, _, spread, within in entries:
            enemy = enemy_of(side)
            reached = steps[side] <= far
            if spread:
                ahead = state.map.land_steps(np.flatnonzero(land & (state.owner == side)), limit=spread) <= spread
                reached |= ahead & (steps[side] <= within) if within else ahead
            country = where.copy()
            country[supply_sources(state, enemy)] = False   # a port or depot in use: only units near it take it
            state.owner[country & (state.owner == enemy) & (steps[enemy] > far) & reached] = side
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
        parts, label = state.map.grid.parts(mine)
        u = state.units
        anchors = np.concatenate([u.hex[u.on_map(side)], supply_sources(state, side)])
        anchors = label[anchors[anchors >= 0]]
        alive = np.zeros(parts, dtype=bool)
        alive[anchors[anchors >= 0]] = True
        return held[~alive[label[held]]]


class ControlRules(RuleModule):
    """At the end of each turn the ground goes to the side whose units are nearer."""

    name = "control"

    def __init__(self, game):
        super().__init__(game)
        self.model = ControlModel(game.state)

    def turn_end(self) -> None:
        self.model.update(self.state)
