"""The last port's guard (game/ai/guard.py): a place whose loss alone ends the game, or that the
AI is ordered to hold (``ai.<side>.hold``, game/ai/restraint.py), keeps a unit while the enemy
could march to it; a place it is ordered to hold, more while their defence is short of what that
enemy wants."""

import numpy as np
import pytest

from game.ai import restraint
from game.ai.front import fatal_places
from game.ai.guard import LastPortGuard
from game.ai.line import GARRISON_ODDS, garrison_needed
from game.ai.registry import make_ai
from game.engine.units import COMMUNIST, UN
from game.scenario.schema import HoldOrder
from game.sim.session import new_game

HARBOUR_FALLS = {"deck": "test", "cards": [{
    "id": "harbour_falls", "title": "Harbour Falls", "window": ["1950-06-25", "1950-07-24"],
    "when": {"controls": {"side": "communist", "place": "Harbour"}},
    "effects": [{"end_game": {"reason": "the last port is lost", "winner": "communist"}}]}]}


@pytest.fixture
def guarded(small_front, park, end_phase):
    """The small front, the UN to act, the Communists parked far away but their tank brigade
    five hexes from Harbour (beyond the line's garrison range); ``with_card``: Harbour's fall
    ends the game (a deck card)."""
    def make(with_card: bool):
        game = new_game(small_front, seed=7)
        if with_card:
            game.state.scenario.decks = [*game.state.scenario.decks, HARBOUR_FALLS]
        end_phase(game, "communist")
        park(game, COMMUNIST)
        u, grid = game.state.units, game.state.map.grid
        u.hex[u.index_of("red_tanks")] = grid.index(6, 3)
        game.movement.invalidate()
        return game
    return make


def _ai(game):
    return make_ai("operational", UN, game.state.scenario.config.ai.un)


def _harbour(game) -> int:
    return int(game.state.map.find_place("Harbour").hex)


def _un_in(game, h) -> np.ndarray:
    u = game.state.units
    rows = u.rows_on_map(UN)
    return rows[u.hex[rows] == h]


def test_the_campaigns_only_fatal_place_is_pusan():
    game = new_game("scenarios/korea_1950_1953.yaml", seed=1)
    st = game.state
    assert fatal_places(st, COMMUNIST).tolist() == [st.map.find_place("Pusan").hex]
    assert fatal_places(st, UN).size == 0


def test_a_unit_goes_to_the_last_port_when_the_enemy_nears_it(guarded):
    game = guarded(with_card=True)
    harbour = _harbour(game)
    assert _un_in(game, harbour).size == 0
    ai = _ai(game)
    assert ai.picture(game).fatal_threat[harbour]
    LastPortGuard().run(game, ai)
    there = _un_in(game, harbour)
    assert there.size == 1 and int(there[0]) in ai.placed
    # The rest of the turn leaves it there.
    ai.play(game)
    assert _un_in(game, harbour).size >= 1


def test_without_a_card_ending_the_game_no_place_is_guarded(guarded):
    game = guarded(with_card=False)
    ai = _ai(game)
    assert not ai.picture(game).fatal_threat.any()
    before = game.state.units.hex.copy()
    LastPortGuard().run(game, ai)
    assert np.array_equal(game.state.units.hex, before) and not ai.placed


def _ordered(game, **order):
    """The UN's AI with an order to hold Harbour (``ai.un.hold``)."""
    settings = game.state.scenario.config.ai.un.model_copy(
        update={"hold": [HoldOrder.model_validate({"places": ["Harbour"], **order})]})
    return make_ai("operational", UN, settings)


def test_an_ordered_hold_is_guarded_like_the_last_port(guarded):
    game = guarded(with_card=False)
    harbour = _harbour(game)
    ai = _ordered(game)
    front = ai.picture(game)
    assert front.held.tolist() == [harbour] and front.fatal_threat[harbour]
    LastPortGuard().run(game, ai)
    there = _un_in(game, harbour)
    assert set(there.tolist()) <= ai.placed
    # Units go in until their defence reaches what the enemy that could march there this turn
    # wants (its attack over GARRISON_ODDS): one was short of it, two are not.
    defence = front.defence_factors[there]
    wanted = garrison_needed(front)[harbour]
    assert there.size == 2 and defence.sum() >= wanted > defence.sum() - defence.max()
    # It counts as a place at risk though no enemy unit stands within GARRISON_RANGE of it,
    # and wants the defence against every enemy unit that could march there this turn.
    u = game.state.units
    tanks = u.index_of("red_tanks")
    assert front.d_foe[harbour] > 3 and front.places_at_risk[harbour] > 0
    assert garrison_needed(front)[harbour] == pytest.approx(front.attack_factors[tanks] / GARRISON_ODDS)


def test_a_date_or_a_flag_ends_the_order(guarded):
    game = guarded(with_card=False)
    assert restraint.held_places(game, _ordered(game, until="1950-06-24")).size == 0
    assert restraint.held_places(game, _ordered(game, **{"from": "1950-07-01"})).size == 0
    game.state.flags.add("evacuated")
    assert restraint.held_places(game, _ordered(game, until_flag="evacuated")).size == 0
    assert not _ordered(game, until_flag="evacuated").picture(game).fatal_threat.any()



def test_the_campaigns_un_holds_hungnam_for_the_evacuation_and_seoul_from_van_fleet():
    game = new_game("scenarios/korea_1950_1953.yaml", seed=1)
    st = game.state
    ai = make_ai("operational", UN, st.scenario.config.ai.un)
    cal = st.scenario.calendar

    def held_on(day: str) -> set:
        st.turn = next(t for t in range(len(cal)) if cal.turn_start(t).isoformat() >= day)
        return {p.name for p in st.map.places if p.hex in set(restraint.held_places(game, ai).tolist())}
    assert held_on("1950-11-01") == set()
    assert {"Hungnam", "Hamhung"} <= held_on("1950-12-01")
    game.state.flags.add("hungnam_evacuated")
    assert held_on("1950-12-19") == set()
    assert held_on("1951-05-01") == {"Seoul"}


def _tanks_near_southtown(guarded):
    """The guarded front with the Communist tanks two hexes from Southtown, a UN town (no card):
    (game, the town's hex, the tanks' distance from it)."""
    game = guarded(with_card=False)
    st = game.state
    u, grid = st.units, st.map.grid
    town = int(st.map.find_place("Southtown").hex)
    u.hex[u.index_of("red_tanks")] = grid.index(6, 5)
    game.movement.invalidate()
    assert st.owner[town] == UN
    return game, town, int(grid.distance(grid.index(6, 5), town))


def _order_withdrawal(game) -> None:
    from game.events.effects import e_allow

    e_allow(game, {"side": "un", "action": "withdrawal", "days": 10}, {})


def test_an_ordered_withdrawal_gives_up_places_except_those_it_must_hold(guarded):
    from game.ai.front import GARRISON_RANGE

    game, town, steps = _tanks_near_southtown(guarded)
    assert steps <= GARRISON_RANGE and _ai(game).picture(game).places_at_risk[town] > 0
    # Ordered to withdraw, the UN no longer garrisons the town the enemy nears ...
    _order_withdrawal(game)
    ai = _ai(game)
    assert ai.withdrawing(game) and ai.picture(game).places_at_risk[town] == 0
    # ... unless it is also ordered to hold it.
    settings = game.state.scenario.config.ai.un.model_copy(
        update={"hold": [HoldOrder.model_validate({"places": ["Southtown"]})]})
    held = make_ai("operational", UN, settings)
    assert held.withdrawing(game) and held.picture(game).places_at_risk[town] > 0


def test_an_ordered_withdrawals_line_is_not_drawn_to_places(guarded):
    from game.ai.line import line_hexes, line_worth

    game, town, depth = _tanks_near_southtown(guarded)
    front = _ai(game).picture(game)
    vp = game.state.map.vp[town]
    assert line_hexes(front, depth)[town] and vp > 0
    assert line_worth(front, depth)[town] == 1.0 + vp + (front.pressure[town] > 0)
    _order_withdrawal(game)
    front = _ai(game).picture(game)
    assert line_worth(front, depth)[town] == 1.0 + (front.pressure[town] > 0)
    assert (line_worth(front, depth) > 0).sum() == line_hexes(front, depth).sum()
