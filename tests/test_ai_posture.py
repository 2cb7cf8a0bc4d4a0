"""The AI's posture: offensives ordered by cards last `offensive_days`; on the defensive the AI
falls back from hexes where it would be overwhelmed."""

from pathlib import Path

from game.ai.baseline import BaselineAI
from game.engine.orders import EndPhase
from game.engine.units import UN
from game.events.effects import e_allow, e_forbid
from game.sim.session import new_game

SMALL = Path(__file__).resolve().parent / "scenarios" / "small_front.yaml"


def test_without_offensive_days_the_ai_is_always_on_the_offensive():
    game = new_game(SMALL, seed=1)
    ai = BaselineAI(UN, {"aggression": 0.7, "attack_odds": 1.2})
    assert ai.on_offensive(game)
    assert ai.posture(game) == {"aggression": 0.7, "attack_odds": 1.2, "withdraw_ratio": None}


def test_an_ordered_offensive_lasts_offensive_days_and_a_forbid_ends_it():
    game = new_game(SMALL, seed=1)
    st = game.state
    ai = BaselineAI(UN, {"aggression": 0.7, "attack_odds": 1.2, "offensive_days": 6,
                         "defensive_attack_odds": 3.0, "withdraw_ratio": 2.0})
    assert not ai.on_offensive(game)                       # no offensive ordered yet
    assert ai.posture(game)["attack_odds"] == 3.0
    e_allow(game, {"side": "un", "action": "offensive"}, {})
    assert st.sides[UN]["changed"]["offensive"] == st.date.isoformat()
    assert ai.on_offensive(game) and ai.posture(game)["attack_odds"] == 1.2
    assert ai.posture(game)["withdraw_ratio"] == 4.0         # on the offensive only when far outmatched
    st.sides[UN]["changed"]["offensive"] = "1950-01-01"    # ordered long ago: it has run its course
    assert not ai.on_offensive(game)
    e_allow(game, {"side": "un", "action": "offensive"}, {})
    e_forbid(game, {"side": "un", "action": "offensive"}, {})
    assert not ai.on_offensive(game)


def _pressure_game(withdraw_ratio):
    """The UN to act; red_1, grown to 40 strength points, stands next to blue_1."""
    game = new_game(SMALL, seed=4)
    st = game.state
    u = st.units
    assert game.apply(EndPhase("communist"))
    assert st.active_side == UN
    b, r = u.index_of("blue_1"), u.index_of("red_1")
    nbs = st.map.grid.neighbors[u.hex[b]]
    free = [int(h) for h in nbs if h >= 0 and st.map.land[h] and len(u.at_hex(int(h))) == 0]
    u.hex[r] = free[0]
    u.strength[r] = 40
    game.movement.invalidate()
    settings = {"aggression": 0.6, "attack_odds": 1.5, "offensive_days": 10, "withdraw_ratio": withdraw_ratio}
    return game, BaselineAI(UN, settings), b


def test_on_the_defensive_an_overwhelmed_unit_falls_back():
    game, ai, b = _pressure_game(withdraw_ratio=1.5)
    u = game.state.units
    assert ai.enemy_pressure(game)[u.hex[b]] > 0
    ai.move_units(game)
    assert ai.enemy_pressure(game)[u.hex[b]] == 0        # out of reach of the big attack
    # Without a withdraw ratio the same unit holds its ground in contact.
    game2, ai2, b2 = _pressure_game(withdraw_ratio=None)
    ai2.move_units(game2)
    assert ai2.enemy_pressure(game2)[game2.state.units.hex[b2]] > 0
