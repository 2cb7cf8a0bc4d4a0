"""Reinforcements and withdrawals: units enter on their date at their place (or the side's
nearest free ground to it) and leave the war on theirs, in their side's reinforcement phase.
A withdrawal with ``men_to`` breaks the unit up: its men join those units (docs/scenarios.md)."""

from __future__ import annotations

import numpy as np

from ..engine.units import ARRIVING, ON_MAP, WITHDRAWN
from .module import RuleModule
from .placement import free_hex_near, where_is


class Arrivals(RuleModule):
    name = "arrivals"

    def __init__(self, game):
        super().__init__(game)
        # {withdrawn unit id: the unit ids its men join}
        self.men_to = {w["unit"]: list(w.get("men_to") or [])
                       for w in game.state.scenario.data.get("withdrawals") or []}

    def reinforcements(self, side: int) -> None:
        game, st = self.game, self.state
        u = st.units
        due_out = np.nonzero((u.side == side) & (u.withdraw_turn >= 0) & (u.withdraw_turn <= st.turn)
                             & ((u.status == ON_MAP) | (u.status == ARRIVING)))[0]
        for r in due_out:
            if u.status[r] == ON_MAP and self.men_to.get(u.ids[r]):
                share_men(st, int(r), [u.index_of(uid) for uid in self.men_to[u.ids[r]]])
            else:
                st.say(f"{u.names[r]} leaves the war")
            u.status[r] = WITHDRAWN
            u.hex[r] = -1
        due_in = np.nonzero((u.side == side) & (u.status == ARRIVING) & (u.arrive_turn >= 0)
                            & (u.arrive_turn <= st.turn))[0]
        for r in due_in:
            need = st.rules.unit_types.stack[u.type[r]]
            h = free_hex_near(st, side, int(u.arrive_hex[r]), need)
            if h < 0:
                continue  # nowhere to land: try again next turn
            u.hex[r] = h
            u.status[r] = ON_MAP
            u.efficiency[r] = st.rules.quality(u.nations[r]) if u.efficiency[r] <= 0 else u.efficiency[r]
            game.movement.invalidate()
            st.say(f"{u.names[r]} arrives {where_is(st.map, h)}")
            game.notify("arrival", {"unit": u.ids[r], "hex": h})


def share_men(st, row: int, rows: list[int]) -> None:
    """A unit broken up: its strength goes point by point to whichever of ``rows`` (on the map,
    below full strength) is the most depleted, bringing its efficiency with it; the rest goes to
    its side's replacement pool."""
    u = st.units
    side = int(u.side[row])
    takers = [r for r in rows if u.status[r] == ON_MAP and int(u.side[r]) == side and r != row]
    men = int(u.strength[row])
    joined: dict[int, int] = {}
    for _ in range(men):
        room = [r for r in takers if u.strength[r] < u.max_strength[r]]
        if not room:
            break
        r = min(room, key=lambda x: (u.strength[x] / u.max_strength[x], x))
        u.efficiency[r] = int(round((u.efficiency[r] * u.strength[r] + u.efficiency[row]) / (u.strength[r] + 1)))
        u.strength[r] += 1
        joined[r] = joined.get(r, 0) + 1
    left = men - sum(joined.values())
    st.sides[side]["replacement_pool"] = round(st.sides[side]["replacement_pool"] + left, 6)
    u.strength[row] = 0
    where = ", ".join(f"{u.names[r]} {n}" for r, n in sorted(joined.items()))
    st.say(f"{u.names[row]} is broken up: its {men} strength points join "
           + (where if where else "nobody") + (f" ({left} to the replacement pool)" if left else ""))
