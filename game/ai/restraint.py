"""Orders from above, not rules of the game: ground a side's AI keeps some of its units out
of, and places it holds.

A scenario's ``ai.<side>.keep_out`` (docs/scenarios.md, "AI settings") lists zones, each for
some nations' units, over areas of the map, between dates and until a card sets a flag. The
JCS directive of 27 September 1950 let MacArthur take only South Korean troops into the
provinces on the Chinese and Soviet borders; a player may break such an order (the rules let
every unit go anywhere it can), the AI keeps it. The planners ask here for their units' ranges
(``reach``, with the kept-out hexes beyond reach: no unit of those nations ends a move there)
and whether an attack may advance into the hex it takes (``may_advance``); the sea planner asks
``kept_out`` before a landing. A unit a zone finds inside it (an order that comes into force
behind the front, as Walker's withdrawal behind the Naktong of 1 August 1950 did) marches out
by the shortest way (``leave_goals``): its reach keeps the zone's hexes nearer the way out.

A scenario's ``ai.<side>.hold`` names places the AI is ordered to hold, between dates and until a
card sets a flag (X Corps' Hungnam perimeter, held from 30 November 1950 for the evacuation):
``held_places`` gives their hexes to the picture of the front, which guards them like a place
whose loss would end the game (game/ai/guard.py) and garrisons them in strength (game/ai/line.py).

A scenario's ``ai.<side>.mobile_defence`` orders a mobile defence between dates (Eighth Army in
the summer of 1950): while one is in force (``mobile_defence``) the side, on the defensive,
sends no reserves through the enemy's gaps (game/ai/exploitation.py) and marches its units in
the rear to the sector that lacks most defence (game/ai/line.py).

A scenario's ``ai.<side>.advance`` gives named units a route of places between dates, as a high
command gives a formation its objectives in turn: ``advance_goals`` tells each the land steps
to the first place of its route that its side does not hold. The planners march it there ahead
of everything else (game/ai/line.py, ``OrderedMarch``), out of supply if need be; once its side
holds the whole route the order moves it no more.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import in_dates
from ..engine.units import ON_MAP
from ..scenario.build import locate
from ..scenario.selectors import area_mask
from .objectives import steps


def in_force(state, order) -> bool:
    """Is an order (a kept-out zone, a hold, a mobile defence) in force this turn: between its dates, its flag unset?"""
    if not in_dates(state.date, order.from_, order.until):
        return False
    return order.until_flag is None or order.until_flag not in state.flags


def held_places(game, ai) -> np.ndarray:
    """Hexes of the places the side is ordered to hold this turn (sorted, no repeats)."""
    st = game.state
    hexes = {locate(st.map, at, ()) for order in ai.settings.hold if in_force(st, order) for at in order.places}
    return np.asarray(sorted(hexes), dtype=np.int64)


def advance_goals(game, ai) -> dict[int, np.ndarray]:
    """{unit row: (n,) land steps to the next place of its route} for the side's units on the
    map that an advance order in force names, while the side does not hold the whole route
    (hexes no land path reaches: ``objectives.UNREACHABLE`` steps)."""
    st = game.state
    u, m = st.units, st.map
    goals: dict[int, np.ndarray] = {}
    for order in ai.settings.advance:
        if not in_force(st, order):
            continue
        ahead = [h for h in (locate(m, at, ()) for at in order.route) if st.owner[h] != ai.side]
        rows = [r for r in map(u.get, order.units)
                if r is not None and u.status[r] == ON_MAP and u.side[r] == ai.side and r not in goals]
        if not ahead or not rows:
            continue
        to_next = steps(m, [ahead[0]])
        goals.update((int(r), to_next) for r in rows)
    return goals


def mobile_defence(game, ai) -> bool:
    """Is a mobile defence ordered this turn?"""
    return any(in_force(game.state, order) for order in ai.settings.mobile_defence)


def zones(game, ai) -> list[tuple[frozenset, np.ndarray]]:
    """The zones in force this turn: (the nations they bind, (n,) bool mask of the hexes)."""
    st = game.state
    out = []
    for z in ai.settings.keep_out:
        if not in_force(st, z):
            continue
        mask = np.zeros(st.map.n, dtype=bool)
        for area in z.areas:
            mask |= area_mask(st.map, area.model_dump())
        out.append((frozenset(z.nations), mask))
    return out


def forbidden(game, ai, row: int, in_force=None) -> np.ndarray | None:
    """(n,) bool: the hexes unit ``row`` is kept out of now, or None where it may go anywhere."""
    nation = game.state.units.nations[row]
    masks = [m for nations, m in (zones(game, ai) if in_force is None else in_force) if nation in nations]
    if not masks:
        return None
    return np.logical_or.reduce(masks)


def kept_out(game, ai, row: int, h: int) -> bool:
    """Is unit ``row`` kept out of hex ``h`` now?"""
    mask = forbidden(game, ai, row)
    return mask is not None and bool(mask[h])


def way_out(game, mask: np.ndarray) -> np.ndarray:
    """(n,) land steps from every hex to the nearest land hex outside the kept-out ``mask``."""
    m = game.state.map
    return steps(m, np.flatnonzero(m.land & ~mask))


def leave_goals(game, ai) -> dict[int, np.ndarray]:
    """{unit row: (n,) land steps out of its zone} for the side's units on the map that stand
    in ground they are kept out of (``objectives.UNREACHABLE`` where no land path leads out)."""
    in_force = zones(game, ai) if ai.settings.keep_out else []
    if not in_force:
        return {}
    u = game.state.units
    ways: dict[bytes, np.ndarray] = {}
    goals: dict[int, np.ndarray] = {}
    for r in u.rows_on_map(ai.side):
        mask = forbidden(game, ai, int(r), in_force)
        if mask is not None and mask[u.hex[r]]:
            goals[int(r)] = _way_out_of(game, mask, ways)
    return goals


def _way_out_of(game, mask: np.ndarray, ways: dict) -> np.ndarray:
    """:func:`way_out` of ``mask``, kept in ``ways`` for the other units the same zones bind."""
    key = np.packbits(mask).tobytes()
    if key not in ways:
        ways[key] = way_out(game, mask)
    return ways[key]


def reach(game, ai, rows) -> dict:
    """``game.movement.reach_many(rows)`` with each unit's kept-out hexes beyond its reach
    (its cost there infinite, gone from its list of hexes; the hex it stands on too, so a unit
    inside a zone leaves it). A unit standing inside its zone keeps the zone's hexes nearer
    the way out than where it stands (``leave_goals``), so that it can march out over ground
    wider than one turn's move. A new tuple for a unit a zone touches; the shared one otherwise."""
    out = game.movement.reach_many(rows)
    in_force = zones(game, ai) if ai.settings.keep_out else []
    if not in_force:
        return out
    u = game.state.units
    ways: dict[bytes, np.ndarray] = {}
    for r, (dist, pred, start, hexes, zoc) in list(out.items()):
        mask = forbidden(game, ai, r, in_force)
        if mask is None or not mask[hexes].any():
            continue
        here = int(u.hex[r])
        if mask[here]:
            out_steps = _way_out_of(game, mask, ways)
            mask = mask & (out_steps >= out_steps[here])
        dist = dist.copy()
        dist[:mask.size][mask] = np.inf
        out[r] = (dist, pred, start, hexes[~mask[hexes]], zoc)
    return out


def may_advance(game, ai, rows, target: int) -> bool:
    """May the attackers advance into ``target`` once it is cleared (the strongest goes in)?
    Not where any of them is kept out of it."""
    in_force = zones(game, ai) if ai.settings.keep_out else []
    masks = [forbidden(game, ai, int(r), in_force) for r in rows] if in_force else []
    return not any(m is not None and bool(m[int(target)]) for m in masks)
