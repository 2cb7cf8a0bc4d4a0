"""The operational AI: a commander's reading of the front above the unit moves.

Its turn (docs/ai.md) is an ordered list of planners (game/ai/planner.py), each sending orders
through ``game.apply`` like a player:

1. sea operations: evacuate ports in danger, perhaps a landing (game/ai/sea_planner.py);
2. ordered march: the units an exit objective names make for its area, those an advance
   order sends for the next place of their route (line.py, restraint.py);
3. pocket escape: in an ordered withdrawal, units about to be cut off fall back to ground that
   stays open (pockets.py);
4. the last port's guard: a place whose loss alone ends the game keeps a unit while the enemy
   could reach it within two turns (guard.py);
5. concentrated attacks: several units on one hex at the best odds, with close air support and
   gunfire, the main effort's sector first in worth (concentration.py);
6. breakout: on an ordered withdrawal, the units an exit objective names fight their way out
   (ground.py, shared with the baseline);
7. the last turn: free units take what scores when the scenario ends (final_turn.py);
8. breakthrough: free units exploit the gaps toward supply sources, junctions and the enemy's
   supply lines (exploitation.py);
9. the line: the rest close the line of contact, stand on good ground, garrison the places at
   risk and form reserves behind threatened sectors (line.py);
10. interdiction: the air missions the attacks left, over the enemy's rear areas, then close
   support over the threatened line (air_planner.py, shared with the baseline).

What the planners read of the front (distances, pressure, supply, the enemy's supply lines,
objectives, sectors and the main effort) is one ``Front`` (front.py), taken when first asked
and taken again whenever units have moved since. The scenario's ``ai:`` settings and the cards'
postures (posture.py) decide when it attacks and how, and when it withdraws, as for the
baseline. It uses no randomness: the same game gives the same orders.
"""

from __future__ import annotations

import numpy as np

from ..rules.supply import turns_before_losses
from . import restraint
from .air_planner import Interdiction
from .baseline import BaselineAI
from .concentration import ConcentratedAttacks
from .exploitation import Breakthrough
from .final_turn import FinalGrab
from .front import Front, route_graph
from .ground import Breakout
from .guard import LastPortGuard
from .line import HoldTheLine, OrderedMarch
from .pockets import PocketEscape
from .sea_planner import SeaOperations


class OperationalAI(BaselineAI):
    """Plans by sectors: a main effort, concentrated attacks, exploitation, a line with reserves."""

    PLANNERS = (SeaOperations, OrderedMarch, PocketEscape, LastPortGuard, ConcentratedAttacks, Breakout, FinalGrab,
                Breakthrough, HoldTheLine, Interdiction)

    def __init__(self, side: int, settings=None):
        super().__init__(side, settings)
        self._front: Front | None = None
        self._hexes = np.zeros(0)          # where every unit stood when the picture was taken
        self._routes = None                # the map's routes (front.route_graph), built once
        self.placed: set[int] = set()     # units a planner has put where they should stay this turn

    def play(self, game) -> None:
        self._front = None
        self.placed = set()
        try:
            super().play(game)
        finally:
            self._front = None

    def supply_margin(self, game) -> float:
        """The share of the supply range the line keeps to: all of it on an ordered offensive,
        before the scenario's ``supply_margin_from`` and on the last turns, the scenario's
        ``supply_margin`` otherwise (a defence stands where the supplies still come in the rain
        and under the bombing)."""
        st = game.state
        since = self.settings.supply_margin_from
        turns_left = len(st.scenario.calendar) - 1 - st.turn
        if self.on_offensive(game) or (since is not None and st.date.isoformat() < since) \
                or turns_left < turns_before_losses(st):
            return 1.0            # (the last: the game ends before being cut off costs anything)
        return float(self.settings.supply_margin)

    def picture(self, game) -> Front:
        """The front as it stands: taken at the first call of the turn, and again (its tactical
        fields, Front.after_moves) whenever a unit has moved, fallen or arrived since."""
        u = game.state.units
        if self._front is None:
            if self._routes is None:
                self._routes = route_graph(game)
            self._front = Front(game, self.side, self._routes, self.supply_margin(game),
                                restraint.held_places(game, self), self.withdrawing(game))
        elif not np.array_equal(self._hexes, u.hex):
            self._front = self._front.after_moves()
        self._hexes = u.hex.copy()
        return self._front
