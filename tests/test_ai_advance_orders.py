"""Advance orders (``ai.<side>.advance``, game/ai/restraint.py) on the small hand-built front
(tests/scenarios/small_front.yaml): a named unit makes for the first place of its route its side
does not hold, may leave supply on the way, is free once the route is held or the order ends;
``validate`` names a wrong unit or place."""

import numpy as np
import pytest

from game.ai import restraint
from game.ai.line import OrderedMarch
from game.ai.registry import make_ai
from game.engine.units import COMMUNIST, UN
from game.scenario.schema import AISide
from game.sim.session import new_game
from game.sim.simulate import run

ROUTE = ["Southtown", "Harbour"]


def with_order(small_front_with, units: str, route: str):
    """The small front with the Communist AI's settings given an advance order."""
    return small_front_with("  communist: {aggression: 0.8, attack_odds: 1.0}\n",
                            "  communist: {aggression: 0.8, attack_odds: 1.0,\n"
                            f"              advance: [{{units: {units}, route: {route}}}]}}\n")


def ordered(**order) -> AISide:
    return AISide.model_validate({"aggression": 0.8, "attack_odds": 1.0,
                                  "advance": [{"units": ["red_3"], "route": ROUTE, **order}]})


def at(game, name: str) -> int:
    return int(game.state.map.find_place(name).hex)


def test_the_goal_is_the_first_place_of_the_route_the_side_does_not_hold(small_front):
    game = new_game(small_front, seed=1)
    st = game.state
    red_3 = st.units.index_of("red_3")
    ai = make_ai("operational", COMMUNIST, ordered())
    goals = restraint.advance_goals(game, ai)
    assert list(goals) == [red_3]                                   # only the unit it names
    assert goals[red_3][at(game, "Southtown")] == 0
    assert goals[red_3][at(game, "Harbour")] > 0
    st.owner[at(game, "Southtown")] = COMMUNIST                     # taken: on to the next place
    goals = restraint.advance_goals(game, ai)
    assert goals[red_3][at(game, "Harbour")] == 0
    st.owner[at(game, "Harbour")] = COMMUNIST                       # the whole route held: free again
    assert restraint.advance_goals(game, ai) == {}


def test_the_dates_and_a_flag_bound_the_order(small_front):
    game = new_game(small_front, seed=1)
    assert restraint.advance_goals(game, make_ai("operational", COMMUNIST, ordered(until="1950-06-24"))) == {}
    assert restraint.advance_goals(game, make_ai("operational", COMMUNIST, ordered(**{"from": "1950-07-10"}))) == {}
    ai = make_ai("operational", COMMUNIST, ordered(until_flag="halt"))
    assert restraint.advance_goals(game, ai)
    game.state.flags.add("halt")
    assert restraint.advance_goals(game, ai) == {}


def test_the_ordered_unit_marches_for_its_route_and_the_others_do_not(small_front):
    def harbour_steps(settings) -> float:
        game = new_game(small_front, seed=2)
        players = {COMMUNIST: make_ai("operational", COMMUNIST, settings), UN: make_ai("passive", UN)}
        run(game, players=players, until="1950-07-01")
        u = game.state.units
        return float(game.state.map.grid.distance(int(u.hex[u.index_of("red_3")]), at(game, "Harbour")))
    plain = harbour_steps(AISide.model_validate({"aggression": 0.8, "attack_odds": 1.0}))
    sent = harbour_steps(AISide.model_validate({"aggression": 0.8, "attack_odds": 1.0,
                                                "advance": [{"units": ["red_3"], "route": ["Harbour"]}]}))
    assert sent < plain and sent <= 2


def test_an_ordered_unit_may_leave_supply_and_the_others_stay_in_it(small_front):
    def march(settings) -> tuple[int, np.ndarray]:
        game = new_game(small_front, seed=1)
        st = game.state
        red_3 = st.units.index_of("red_3")
        ai = make_ai("operational", COMMUNIST, settings)
        front = ai.picture(game)
        here = int(st.units.hex[red_3])
        supplied = np.zeros(st.map.n, dtype=bool)                  # supply reaches its hex alone
        supplied[here] = True
        front.__dict__["supplied_once_taken"] = supplied
        ai.__dict__["picture"] = lambda game: front
        OrderedMarch().run(game, ai)
        return int(st.units.hex[red_3]), supplied
    moved, supplied = march(ordered(route=["Harbour"]))
    assert not supplied[moved]                                     # it went on, out of supply
    exit_only = AISide.model_validate({"aggression": 0.8, "attack_odds": 1.0})
    stayed, supplied = march(exit_only)
    assert supplied[stayed]                                        # nobody sent: nobody moved


@pytest.mark.parametrize("units, route, message", [
    ("[red_9]", "[Harbour]", "ai.communist.advance.0.units.0: no unit 'red_9': did you mean 'red_3'?"),
    ("[blue_1]", "[Harbour]", "ai.communist.advance.0.units.0: blue_1 fights for the un side: the communist "
                              "AI sends only its own units (put the order under ai.un)"),
])
def test_validate_names_a_unit_of_another_side_or_none(small_front_with, refusal, units, route, message):
    [(said, at)] = refusal(with_order(small_front_with, units, route))
    assert said == message and at.startswith(units.strip("[]"))


def test_validate_names_a_place_the_map_lacks(small_front_with, refusal):
    [(said, at)] = refusal(with_order(small_front_with, "[red_3]", "[Harbour, Nowhere]"))
    assert said.startswith("ai.communist.advance.0.route.1:") and "Nowhere" in said
    assert at.startswith("Nowhere")


def test_validate_does_not_read_the_units_of_an_order_over_before_the_start(small_front_with):
    # A scenario that extends another from a later day may have removed the units of its
    # parent's past orders: those orders never apply, so their units are not read.
    f = small_front_with("  communist: {aggression: 0.8, attack_odds: 1.0}\n",
                         "  communist: {aggression: 0.8, attack_odds: 1.0,\n"
                         "              advance: [{units: [gone_div], route: [Harbour], until: 1950-06-24}]}\n")
    game = new_game(f, seed=1)
    ai = make_ai("operational", COMMUNIST, game.state.scenario.config.ai.communist)
    assert restraint.advance_goals(game, ai) == {}
