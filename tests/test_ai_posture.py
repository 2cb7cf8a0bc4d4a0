"""The AI's posture: offensives ordered by cards last `offensive_days`; on the defensive the AI
falls back from hexes where it would be overwhelmed."""

from pathlib import Path

import numpy as np

from game.ai import ground, posture
from game.ai.baseline import BaselineAI
from game.engine.orders import EndPhase
from game.engine.units import COMMUNIST, UN
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


def test_a_card_can_say_how_long_its_offensive_lasts():
    game = new_game(SMALL, seed=1)
    st = game.state
    ai = BaselineAI(UN, {"aggression": 0.7, "attack_odds": 1.2, "offensive_days": 6})
    e_allow(game, {"side": "un", "action": "offensive", "days": 30}, {})
    assert st.sides[UN]["lasts"] == {"offensive": 30}
    st.sides[UN]["changed"]["offensive"] = (st.date - __import__("datetime").timedelta(days=20)).isoformat()
    assert ai.on_offensive(game)                 # 20 days in: past offensive_days, within the card's 30
    st.sides[UN]["changed"]["offensive"] = (st.date - __import__("datetime").timedelta(days=31)).isoformat()
    assert not ai.on_offensive(game)
    # A later order without days goes back to the scenario's offensive_days.
    e_allow(game, {"side": "un", "action": "offensive"}, {})
    assert st.sides[UN]["lasts"] == {}
    st.sides[UN]["changed"]["offensive"] = (st.date - __import__("datetime").timedelta(days=7)).isoformat()
    assert not ai.on_offensive(game)


def test_in_the_war_of_positions_units_in_the_line_stay_put_and_dig_in(monkeypatch):
    """Once the war of positions has begun a unit in contact keeps its hex rather than shuffle
    sideways for a slightly better score, so it can dig in."""

    game = new_game(SMALL, seed=2)
    st = game.state
    u, grid = st.units, st.map.grid
    assert game.apply(EndPhase("communist"))
    # Each UN division steps next to a Communist one, on its southern side: a line in contact.
    for blue, red in (("blue_1", "red_1"), ("blue_2", "red_2"), ("blue_3", "red_3")):
        nbs = grid.neighbors[u.hex[u.index_of(red)]]
        free = [int(h) for h in nbs if h >= 0 and st.map.land[h] and len(u.at_hex(int(h))) == 0]
        u.hex[u.index_of(blue)] = max(free, key=lambda h: grid.row[h])
    game.movement.invalidate()
    rows = u.rows_on_map(UN)
    before = u.hex[rows].copy()
    ai = BaselineAI(UN, {"aggression": 0.3, "attack_odds": 2.0})
    assert (ai.enemy_pressure(game)[before] > 0).all()
    # A hex beside each unit is made a little better than its own (by 1.5, less than digging in).
    better = [int(next(n for n in grid.neighbors[h] if n >= 0 and st.map.land[n] and len(u.at_hex(int(n))) == 0))
              for h in before]
    plain = BaselineAI.hex_scores
    monkeypatch.setattr(BaselineAI, "hex_scores",
                        lambda self, g: plain(self, g) + 1.5 * np.isin(np.arange(g.state.map.n), better))
    monkeypatch.setattr(ground, "positional_war", lambda st: True)
    monkeypatch.setattr(posture, "positional_war", lambda st: True)
    ai.move_units(game)
    assert (u.hex[rows] == before).all()
    # In the war of movement the same units take the better hexes.
    monkeypatch.setattr(ground, "positional_war", lambda st: False)
    monkeypatch.setattr(posture, "positional_war", lambda st: False)
    ai.move_units(game)
    assert (u.hex[rows] != before).any()


def test_positional_hold_stops_attacks_between_offensives(monkeypatch):

    game = new_game(SMALL, seed=1)
    settings = {"aggression": 0.7, "attack_odds": 1.2, "offensive_days": 6, "defensive_attack_odds": 2.0,
                "positional_hold": True}
    ai = BaselineAI(UN, settings)
    assert ai.posture(game)["attack_odds"] == 2.0          # the war of movement: attacks at good odds
    monkeypatch.setattr(ground, "positional_war", lambda st: True)
    monkeypatch.setattr(posture, "positional_war", lambda st: True)
    assert ai.posture(game)["attack_odds"] == float("inf")  # the war of positions: holds its line
    e_allow(game, {"side": "un", "action": "offensive"}, {})
    assert ai.posture(game)["attack_odds"] == 1.2          # ... until a card orders an offensive
    assert BaselineAI(UN, {**settings, "positional_hold": False}).posture(game)["attack_odds"] == 1.2


def test_an_ordered_withdrawal_breaks_contact_and_ends_with_its_days_or_an_offensive():
    import datetime

    game = new_game(SMALL, seed=2)
    st = game.state
    u, grid = st.units, st.map.grid
    assert game.apply(EndPhase("communist"))
    ai = BaselineAI(UN, {"aggression": 0.6, "attack_odds": 1.5, "offensive_days": 10})
    assert not ai.withdrawing(game)
    e_allow(game, {"side": "un", "action": "withdrawal", "days": 10}, {})
    assert ai.withdrawing(game)
    assert ai.posture(game)["attack_odds"] == float("inf")       # no attacks while falling back
    reds = u.hex[u.rows_on_map(COMMUNIST)]
    blues = u.rows_on_map(UN)

    def gap():
        return grid.distance(u.hex[blues][:, None], reds[None, :]).min(axis=1)

    before = gap()
    ai.move_units(game)
    assert (gap() >= before).all() and (gap() > before).any()   # every unit as far or further from the enemy
    # It ends after its days ...
    st.sides[UN]["changed"]["withdrawal"] = (st.date - datetime.timedelta(days=11)).isoformat()
    assert not ai.withdrawing(game)
    # ... or when an offensive is ordered after it.
    e_allow(game, {"side": "un", "action": "withdrawal", "days": 10}, {})
    st.sides[UN]["changed"]["withdrawal"] = (st.date - datetime.timedelta(days=1)).isoformat()
    e_allow(game, {"side": "un", "action": "offensive"}, {})
    assert not ai.withdrawing(game)


def test_the_withdrawal_depth_sets_how_far_an_ordered_withdrawal_pulls_back():
    # ai.<side>.withdrawal_depth: each hex step from the nearest enemy is worth more up to that
    # many steps; beyond it a withdrawing unit gains nothing by going further.
    game = new_game(SMALL, seed=2)
    st = game.state
    assert game.apply(EndPhase("communist"))
    e_allow(game, {"side": "un", "action": "withdrawal", "days": 10}, {})
    reds = st.units.hex[st.units.rows_on_map(COMMUNIST)]
    d_enemy = st.map.grid.distance(np.arange(st.map.n)[:, None], reds[None, :]).min(axis=1).astype(float)
    sup = np.ones(st.map.n, dtype=bool)

    def scores(depth):
        ai = BaselineAI(UN, {"aggression": 0.6, "attack_odds": 1.5, "offensive_days": 10, "withdrawal_depth": depth})
        assert ai.withdrawing(game)
        return ground.scores_from(game, ai, d_enemy, d_enemy, sup)

    more = (scores(6) - scores(3))[st.map.land]
    d = d_enemy[st.map.land]
    assert {5.0, 7.0} <= set(d.tolist())
    assert np.allclose(more, ground.WITHDRAWAL_PULL * (np.clip(d, 3, 6) - 3))
    assert (more[d >= 6] == 3 * ground.WITHDRAWAL_PULL).all() and (more[d <= 3] == 0).all()
