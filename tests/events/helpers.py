"""Shared helpers for the event engine tests (tests/test_events_*.py)."""

from pathlib import Path

from game.engine.orders import Choose, EndPhase
from game.engine.units import SIDE_NAMES

HERE = Path(__file__).resolve().parent
EVENTS_FRONT = HERE / "events_front.yaml"
REAL_DECK = HERE.parents[1] / "scenarios" / "cards" / "korea_1950_1953_cards.yaml"


def new_events_game(seed: int = 7, held=None):
    """A game of events_front (started), optionally with ``held_until_flag`` set in its data."""
    from game.rules.turn import Game
    from game.scenario.build import new_state
    from game.sim.session import _open, install_rules, new_game

    if held is None:
        return new_game(EVENTS_FRONT, seed=seed)
    scenario, _ = _open(EVENTS_FRONT)
    scenario.data["held_until_flag"] = held
    game = Game(new_state(scenario, seed))
    install_rules(game)
    game.start()
    return game


def end_side(game, choose_ai: bool = True):
    """End the active side's operations phase without moving (taking ``ai`` for its choices)."""
    side = game.state.active_side
    name = SIDE_NAMES[side]
    if choose_ai:
        for c in list(game.pending_for(side)):
            assert game.apply(Choose(name, card=c["card"], option=c["ai"])).ok
    res = game.apply(EndPhase(name))
    assert res.ok, res.reason


def next_turn(game, choose_ai: bool = True):
    """Play both sides of the current turn with no moves; the next turn's cards then fire."""
    t = game.state.turn
    while game.state.turn == t and not game.state.over:
        end_side(game, choose_ai)


def to_turn(game, turn: int):
    while game.state.turn < turn and not game.state.over:
        next_turn(game)


def fired_ids(game) -> list:
    return [f["id"] for f in game.state.fired]


def fired_turns(game) -> dict:
    return {f["id"]: f["turn"] for f in game.state.fired}
