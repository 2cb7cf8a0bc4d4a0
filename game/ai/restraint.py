"""Ground a side's AI keeps some of its units out of: orders from above, not rules of the game.

A scenario's ``ai.<side>.keep_out`` (docs/scenarios.md, "AI settings") lists zones, each for
some nations' units, over areas of the map, between dates and until a card sets a flag. The
JCS directive of 27 September 1950 let MacArthur take only South Korean troops into the
provinces on the Chinese and Soviet borders; a player may break such an order (the rules let
every unit go anywhere it can), the AI keeps it. The planners ask here for their units' ranges
(``reach``, with the kept-out hexes beyond reach: no unit of those nations ends a move there)
and whether an attack may advance into the hex it takes (``may_advance``); the sea planner asks
``kept_out`` before a landing.
"""

from __future__ import annotations

import numpy as np

from ..scenario.selectors import area_mask


def zones(game, ai) -> list[tuple[frozenset, np.ndarray]]:
    """The zones in force this turn: (the nations they bind, (n,) bool mask of the hexes)."""
    st = game.state
    today = st.date.isoformat()
    out = []
    for z in ai.settings.keep_out:
        if (z.from_ is not None and today < str(z.from_)) or (z.until is not None and today > str(z.until)):
            continue
        if z.until_flag is not None and z.until_flag in st.flags:
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


def reach(game, ai, rows) -> dict:
    """``game.movement.reach_many(rows)`` with each unit's kept-out hexes beyond its reach
    (its cost there infinite, gone from its list of hexes; the hex it stands on too, so a unit
    inside a zone leaves it). A new tuple for a unit a zone touches; the shared one otherwise."""
    out = game.movement.reach_many(rows)
    in_force = zones(game, ai) if ai.settings.keep_out else []
    if not in_force:
        return out
    for r, (dist, pred, start, hexes, zoc) in list(out.items()):
        mask = forbidden(game, ai, r, in_force)
        if mask is None or not mask[hexes].any():
            continue
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
