"""The passive opponent: it answers its choice cards and ends its turns, nothing else. A yardstick
for the other AIs (the duel tool, the tests): any AI worth playing must beat it decisively."""

from __future__ import annotations

from ..engine.orders import Choose, EndPhase
from ..engine.units import SIDE_NAMES
from .planner import our_operations


class PassiveAI:
    """Never moves, attacks, flies or sails."""

    def __init__(self, side: int, settings=None):
        self.side = side
        self.name = SIDE_NAMES[side]

    def play(self, game) -> None:
        for choice in list(game.pending_for(self.side)):
            game.apply(Choose(self.name, card=choice["card"], option=choice["ai"]))
        if our_operations(game, self.side):
            game.apply(EndPhase(self.name))
