"""Where a unit may be put down (arrivals, re-formed units, card effects), and words for a hex."""

from __future__ import annotations

import numpy as np

from ..engine.units import enemy_of
from .movement import occupied, stack_points


def free_hex_near(state, side: int, want: int, need: float) -> int:
    """``want`` if a unit of ``side`` needing ``need`` stacking points can be placed there, else
    the nearest land hex the side holds with room and no enemy in it; -1 if there is none."""
    m, u = state.map, state.units
    room = state.rules.movement.stack_limit - stack_points(state, side)
    enemy_occ = occupied(u, enemy_of(side), m.n)
    ok = m.land & ~enemy_occ & (room >= need) & (state.owner == side)
    if want >= 0 and ok[want]:
        return want
    cand = np.nonzero(ok)[0]
    if cand.size == 0:
        return -1
    if want < 0:
        return int(cand[0])
    d = m.grid.distance(cand, np.full(cand.size, want))
    return int(cand[np.argmin(d)])


def where_is(m, h: int) -> str:
    """Words for a hex: 'at Pusan', 'near Taegu' (nearest place), or its coordinates."""
    if m.place_at[h] >= 0:
        return f"at {m.places[m.place_at[h]].name}"
    if m.places:
        hit = m.__dict__.get("_place_hexes")
        if hit is None or hit[0] is not m.places or hit[1] != len(m.places):   # once per list of places
            hit = m.__dict__["_place_hexes"] = (m.places, len(m.places), np.array([p.hex for p in m.places]))
        hexes = hit[2]
        d = m.grid.distance(hexes, np.full(hexes.size, h))
        if d.min() <= 3:
            return f"near {m.places[int(np.argmin(d))].name}"
    return f"at {m.grid.lat[h]:.2f} N {m.grid.lon[h]:.2f} E"
