"""The last port's guard: a place whose loss alone ends the game, or that the side is ordered to
hold (``ai.<side>.hold``, game/ai/restraint.py), is never left empty while the enemy could reach it.

The line planner (line.py) garrisons a place only once an enemy unit stands within
``GARRISON_RANGE`` hexes of it, and only with a unit that can get there this turn. That is late
for a place whose fall ends the war (the campaign's Pusan: the card "Pusan Falls"): a division
covers a dozen hexes a turn on a main road, and in the AI-against-AI campaign of 1950 the UN
sent every arrival north and lost Pusan to one division walking into an empty port.

So, before any attack, for each such place of ours that an enemy unit could march to within
``FATAL_TURNS`` turns (``Front.fatal_threat``): a unit of ours standing in it stays there (it may
still attack from where it stands); if none does, the free unit nearest to it by the map's routes
that can reach it this turn moves in; if none can, the nearest marches toward it. Either way
that unit is placed for the turn: no other planner moves it.
"""

from __future__ import annotations

import numpy as np

from ..engine.orders import Move
from ..engine.units import SIDE_NAMES
from ..rules.movement import stack_points
from . import restraint
from .planner import Planner, free_to_move

CANDIDATES = 4      # the nearest free units tried, by their way to the place, before marching one


def guard(game, ai, front, place: int) -> int | None:
    """Keep one unit of ``ai.side`` in ``place`` or on its way there; returns its row (None
    when no unit of ours is free to go)."""
    st = game.state
    u = st.units
    rows = u.rows_on_map(ai.side)
    there = rows[u.hex[rows] == place]
    if there.size:
        return int(there[0])
    free = rows[free_to_move(ai, u, rows)]
    way = front.way_to(place)
    free = free[np.isfinite(way[u.hex[free]])]
    if free.size == 0:
        return None
    nearest = free[np.argsort(way[u.hex[free]], kind="stable")][:CANDIDATES]
    reach = restraint.reach(game, ai, nearest)
    room = st.rules.movement.stack_limit - stack_points(st, ai.side)
    need = st.rules.unit_types.stack[u.type]
    name = SIDE_NAMES[ai.side]
    for r in nearest.tolist():
        if place in reach[r][3] and need[r] <= room[place] and game.apply(Move(name, unit=u.ids[r], to=place)):
            return r
    r = int(nearest[0])
    cand = reach[r][3]
    cand = cand[(room[cand] >= need[r]) | (cand == u.hex[r])]
    best = int(cand[np.argmin(way[cand])])
    if best != int(u.hex[r]):
        game.apply(Move(name, unit=u.ids[r], to=best))
    return r


class LastPortGuard(Planner):
    """Each place of ours whose loss would end the game, or that we are ordered to hold, keeps a
    unit while the enemy nears it."""

    name = "last_port_guard"

    def run(self, game, ai) -> None:
        front = ai.picture(game)
        for place in np.nonzero(front.fatal_threat)[0].tolist():
            r = guard(game, ai, front, place)
            if r is not None:
                ai.placed.add(r)
