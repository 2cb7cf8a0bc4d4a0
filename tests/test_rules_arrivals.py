"""Withdrawals that break a unit up: its men join the units its ``men_to`` names."""

import pytest

from game.engine.units import ON_MAP, UN, WITHDRAWN
from game.rules.arrivals import Arrivals
from game.sim.session import new_game

BROKEN_UP = ("  - {unit: red_tanks, date: 1950-07-17}\n"
             "  - {unit: blue_3, date: 1950-06-28, men_to: [blue_1, blue_2, blue_us]}\n")


def small_with(small_front_with, withdrawals: str):
    return small_front_with("  - {unit: red_tanks, date: 1950-07-17}\n", withdrawals)


def play_un_reinforcements(game, turn: int) -> None:
    """The UN's reinforcement phase of ``turn`` (where arrivals and withdrawals happen)."""
    game.state.turn = turn
    game.rule(Arrivals).reinforcements(UN)


def test_a_broken_up_unit_fills_the_most_depleted_named_units_and_the_rest_goes_to_the_pool(small_front_with):
    game = new_game(small_with(small_front_with, BROKEN_UP), seed=1)
    st = game.state
    u = st.units
    one, two, three, us = (u.index_of(i) for i in ("blue_1", "blue_2", "blue_3", "blue_us"))
    u.strength[one], u.strength[two], u.strength[three] = 7, 4, 6     # of 8, 8; blue_3 leaves with 6
    u.efficiency[two], u.efficiency[three] = 40, 60
    pool = st.sides[UN]["replacement_pool"]
    play_un_reinforcements(game, st.scenario.calendar.turn_of("1950-06-28"))
    assert int(u.status[three]) == WITHDRAWN and int(u.hex[three]) == -1 and u.strength[three] == 0
    # blue_2 (half strength) fills to 8 first, then blue_1 to 8: 5 of the 6 points; blue_us has
    # not arrived, so the last point goes to the pool.
    assert (u.strength[two], u.strength[one]) == (8, 8)
    assert int(u.status[us]) != ON_MAP
    assert st.sides[UN]["replacement_pool"] == pytest.approx(pool + 1)
    assert u.efficiency[two] == round((40 * 4 + 60 * 4) / 8)           # the veterans bring theirs
    assert any("Blue 3rd Division is broken up: its 6 strength points join" in m for m in st.log)


def test_without_men_to_a_withdrawn_unit_takes_its_men_with_it(small_front_with):
    game = new_game(small_with(small_front_with, "  - {unit: blue_3, date: 1950-06-28}\n"), seed=1)
    st = game.state
    u = st.units
    u.strength[u.index_of("blue_2")] = 4
    play_un_reinforcements(game, st.scenario.calendar.turn_of("1950-06-28"))
    assert int(u.status[u.index_of("blue_3")]) == WITHDRAWN
    assert u.strength[u.index_of("blue_2")] == 4
    assert any("Blue 3rd Division leaves the war" in m for m in st.log)


@pytest.mark.parametrize("men_to, message", [
    ("[blue_ux]", "withdrawals.1.men_to.0: no unit 'blue_ux' to take the men: did you mean 'blue_us'?"),
    ("[blue_3]", "withdrawals.1.men_to.0: blue_3 is the unit that leaves: name the units its men join"),
    ("[red_1]", "withdrawals.1.men_to.0: red_1 fights for the communist side, blue_3 for the un: "
                "its men join their own side's units"),
])
def test_men_to_must_name_other_units_of_the_same_side(small_front_with, refusal, men_to, message):
    [(said, at)] = refusal(small_with(small_front_with, BROKEN_UP.replace("[blue_1, blue_2, blue_us]", men_to)))
    assert said == message and at.startswith(men_to.strip("[]"))
