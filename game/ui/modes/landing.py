"""Amphibious landing (L): the selected unit, prepared in a port, lands on a beach it can reach
by sea. The mode says why it cannot before it asks for a beach."""

from __future__ import annotations

import numpy as np

from ...engine.orders import Land
from .sea import SeaMode, embarking


def beaches(gs) -> tuple:
    """(bool (n,) beaches the selected unit may land on now, reason if it may land nowhere)."""
    found = embarking(gs)
    if isinstance(found, str):
        return None, found
    nav, row, port = found
    side = gs.game.state.active_side
    if not nav.may_land(side):
        return None, "amphibious landings are not allowed to this side (yet)"
    why = nav.unready(row) or nav.shipping_problem(side, port, nav.need(row))
    if why:
        return None, why
    reach = nav.sea.reachable_from(port)
    m = gs.game.state.map
    ok = np.zeros(m.n, dtype=bool)
    for h in np.nonzero(reach & nav.sea.coastal & m.land)[0].tolist():
        ok[h] = not nav.beach_problem(side, row, h, reach)
    return ok, "" if ok.any() else "no beach within reach by sea can be landed on"


def unavailable(gs) -> str:
    return beaches(gs)[1]


class LandingMode(SeaMode):
    name = "land"
    label = "Amphibious landing"
    order = Land
    what = "a shaded beach the unit can reach by sea"
    find = staticmethod(beaches)
