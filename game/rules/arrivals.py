"""Reinforcements and withdrawals: units enter on their date at their place (or the side's
nearest free ground to it) and leave the war on theirs, in their side's reinforcement phase."""

from __future__ import annotations

import numpy as np

from ..engine.units import ARRIVING, ON_MAP, WITHDRAWN
from .module import RuleModule
from .placement import free_hex_near, where_is


class Arrivals(RuleModule):
    name = "arrivals"

    def reinforcements(self, side: int) -> None:
        game, st = self.game, self.state
        u = st.units
        due_out = np.nonzero((u.side == side) & (u.withdraw_turn >= 0) & (u.withdraw_turn <= st.turn)
                             & ((u.status == ON_MAP) | (u.status == ARRIVING)))[0]
        for r in due_out:
            u.status[r] = WITHDRAWN
            u.hex[r] = -1
            st.say(f"{u.names[r]} leaves the war")
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
