"""Sea transport (P): the selected unit sails from its port to another port its side holds.
The mode says why it cannot before it asks for a port."""

from __future__ import annotations

import numpy as np

from ...engine.orders import Ship
from .sea import SeaMode, embarking


def ports(gs) -> tuple:
    """(bool (n,) ports the selected unit may sail to now, reason if none)."""
    found = embarking(gs)
    if isinstance(found, str):
        return None, found
    nav, row, port = found
    st = gs.game.state
    side = st.active_side
    if st.units.mp[row] <= 0 or st.units.attacked[row]:
        return None, f"{st.units.names[row]} has no movement left"
    why = nav.shipping_problem(side, port, nav.need(row))
    if why:
        return None, why
    ok = np.zeros(st.map.n, dtype=bool)
    for h in np.asarray(nav.sea.ports).tolist():
        ok[h] = not nav.port_problem(side, row, port, int(h))
    return ok, "" if ok.any() else "no port of yours can be reached by sea from here"


def unavailable(gs) -> str:
    return ports(gs)[1]


class ShippingMode(SeaMode):
    name = "ship"
    label = "Sea transport"
    order = Ship
    what = "a shaded port of yours the unit can sail to"
    find = staticmethod(ports)
