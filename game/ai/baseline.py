"""Baseline AI: issues legal orders through the same Order API as a player.

Its turn is an ordered list of planners (game/ai/planner.py): sea operations (evacuations, a
landing), movement (every unit to its best hex), close air support, attacks where the odds are
good enough for its posture, a breakout by the units an exit objective names while a withdrawal
is ordered, exploitation into the hexes the attacks opened, interdiction.
The scenario's ``ai:`` settings and the cards' ordered postures (game/ai/posture.py) shape it.
"""

from __future__ import annotations

from ..engine.orders import Choose, EndPhase
from ..engine.units import SIDE_NAMES
from ..scenario.schema import AISide
from . import ground
from . import posture as _posture
from .air_planner import CloseAirSupport, Interdiction
from .ground import Attacks, Breakout, Exploitation, Movement
from .planner import our_operations
from .sea_planner import SeaOperations


class BaselineAI:
    """The one-ply greedy AI: each unit to its best hex, attacks at good odds."""

    PLANNERS = (SeaOperations, Movement, CloseAirSupport, Attacks, Breakout, Exploitation, Interdiction)

    def __init__(self, side: int, settings: AISide | dict | None = None):
        self.side = side
        self.name = SIDE_NAMES[side]
        self.settings = settings if isinstance(settings, AISide) else AISide.model_validate(settings or {})
        self.planners = [cls() for cls in self.PLANNERS]
        self.opened: list = []        # hexes this turn's attacks drove the enemy from

    # --- the turn -----------------------------------------------------------------------
    def play(self, game) -> None:
        """Play this side's operations phase and end it."""
        for choice in list(game.pending_for(self.side)):
            game.apply(Choose(self.name, card=choice["card"], option=choice["ai"]))
        self.opened = []
        for planner in self.planners:
            if not our_operations(game, self.side):
                return
            if planner.applies(game):
                planner.run(game, self)
        if our_operations(game, self.side):
            game.apply(EndPhase(self.name))

    # --- posture --------------------------------------------------------------------------
    def on_offensive(self, game) -> bool:
        return _posture.on_offensive(game, self.side, self.settings)

    def withdrawing(self, game) -> bool:
        return _posture.withdrawing(game, self.side, self.settings)

    def posture(self, game) -> dict:
        """{aggression, attack_odds, withdraw_ratio} for this turn."""
        return _posture.posture(game, self.side, self.settings)

    # --- the ground war (game/ai/ground.py) ------------------------------------------------
    def enemy_pressure(self, game):
        return ground.enemy_pressure(game, self.side)

    def hex_scores(self, game):
        return ground.hex_scores(game, self)

    def move_units(self, game, near=None) -> None:
        ground.move_units(game, self, near)

    def attack(self, game) -> list:
        return ground.attack(game, self)
