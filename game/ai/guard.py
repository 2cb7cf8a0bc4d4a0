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
that can reach it this turn moves in; if none can, the nearest marches toward it. While the
defence factors in a place we are ordered to hold are short of what the line wants there
(line.garrison_needed: the attack of every enemy unit that could march to it this turn, over
GARRISON_ODDS), the next nearest units that can get in this turn follow, while the stack has
room: one weak division kept in Seoul lost it to the Chinese massed at its gates in June 1951 in
22 of 128 campaign seeds (14 with it held in strength). The last port keeps one unit: held in
strength, Pusan drew the units the UN needed for its drive north in the autumn of 1950. Every
unit so kept or sent is placed for the turn: no other planner moves it.
"""

from __future__ import annotations

import numpy as np

from ..engine.orders import Move
from ..engine.units import SIDE_NAMES
from ..rules.movement import stack_points
from . import restraint
from .line import garrison_needed
from .planner import Planner, free_to_move

CANDIDATES = 4      # the nearest free units tried, by their way to the place, before marching one


def guard(game, ai, front, place: int, wanted: float = 0.0) -> list[int]:
    """Keep units of ``ai.side`` in ``place``, or on their way there: one at least, and more that
    can get in this turn while their defence factors stay under ``wanted`` and the stack has
    room. Returns their rows (none when no unit of ours is free to go)."""
    st = game.state
    u = st.units
    rows = u.rows_on_map(ai.side)
    kept, held = [], 0.0
    for r in rows[u.hex[rows] == place].tolist():
        if kept and held >= wanted:
            break
        kept.append(r)
        held += float(front.defence_factors[r])
    if kept and held >= wanted:
        return kept
    free = rows[free_to_move(ai, u, rows)]
    way = front.way_to(place)
    free = free[(u.hex[free] != place) & np.isfinite(way[u.hex[free]])]
    if free.size == 0:
        return kept
    nearest = free[np.argsort(way[u.hex[free]], kind="stable")][:CANDIDATES]
    reach = restraint.reach(game, ai, nearest)
    room = st.rules.movement.stack_limit - stack_points(st, ai.side)
    need = st.rules.unit_types.stack[u.type]
    name = SIDE_NAMES[ai.side]
    for r in nearest.tolist():
        if place in reach[r][3] and need[r] <= room[place] and game.apply(Move(name, unit=u.ids[r], to=place)):
            kept.append(r)
            room[place] -= need[r]
            held += float(front.defence_factors[r])
            if held >= wanted:
                return kept
    if kept:
        return kept
    r = int(nearest[0])
    cand = reach[r][3]
    cand = cand[(room[cand] >= need[r]) | (cand == u.hex[r])]
    best = int(cand[np.argmin(way[cand])])
    if best != int(u.hex[r]):
        game.apply(Move(name, unit=u.ids[r], to=best))
    return [r]


class LastPortGuard(Planner):
    """Each place of ours whose loss would end the game, or that we are ordered to hold, keeps a
    unit while the enemy nears it."""

    name = "last_port_guard"

    def run(self, game, ai) -> None:
        front = ai.picture(game)
        wanted = garrison_needed(front)
        ordered = set(front.held.tolist())     # a place we are ordered to hold is held in strength
        for place in np.nonzero(front.fatal_threat)[0].tolist():
            ai.placed.update(guard(game, ai, front, place, float(wanted[place]) if place in ordered else 0.0))
