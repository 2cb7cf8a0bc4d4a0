"""Ground the AI keeps some of its units out of (``ai.<side>.keep_out``, game/ai/restraint.py),
on the small hand-built front (tests/scenarios/small_front.yaml): the AIs never end a move of a
bound unit there, other nations go, attacks do not advance into it, a flag or a date lifts it."""

import numpy as np
import pytest

from game.ai import restraint
from game.ai.registry import make_ai
from game.engine.units import COMMUNIST, UN
from game.scenario.schema import AISide
from game.scenario.selectors import area_mask
from game.sim.session import new_game
from game.sim.simulate import run

ZONE = {"place": "Northtown", "radius": 2}


def _settings(**zone) -> AISide:
    return AISide.model_validate({"aggression": 0.9, "attack_odds": 1.0,
                                  "keep_out": [{"nations": ["ROK"], "areas": [ZONE], **zone}]})


def _zone(game) -> np.ndarray:
    return area_mask(game.state.map, ZONE)


def _in_zone(game, nation: str) -> list[str]:
    u = game.state.units
    zone = _zone(game)
    return [u.ids[r] for r in u.rows_on_map(UN) if u.nations[r] == nation and zone[u.hex[r]]]


@pytest.mark.parametrize("ai_name", ["operational", "baseline"])
def test_the_ai_never_ends_a_turn_with_a_bound_unit_in_the_zone(small_front, ai_name):
    # The Red army stands around Northtown: without the order the ROK divisions go for it.
    def play(settings):
        game = new_game(small_front, seed=3)
        seen = []
        players = {UN: make_ai(ai_name, UN, settings), COMMUNIST: make_ai("passive", COMMUNIST)}
        run(game, players=players, on_turn=lambda g: seen.extend(_in_zone(g, "ROK")))
        return seen
    assert play(AISide.model_validate({"aggression": 0.9, "attack_odds": 1.0}))   # they go in freely
    assert play(_settings()) == []


def test_reach_puts_the_zone_beyond_a_bound_unit_and_leaves_others_alone(small_front):
    game = new_game(small_front, seed=1)
    u = game.state.units
    ai = make_ai("operational", UN, _settings())
    rok, zone = u.index_of("blue_2"), _zone(game)
    u.hex[rok] = int(np.flatnonzero(zone & game.state.map.land)[0])        # standing inside it
    game.movement.invalidate()
    mine = restraint.reach(game, ai, [rok])[rok]
    assert not zone[mine[3]].any() and np.isinf(mine[0][: zone.size][zone]).all()
    plain = game.movement.reach_many([rok])[rok]
    assert zone[plain[3]].any()                                            # the shared ranges keep it
    assert restraint.kept_out(game, ai, rok, int(u.hex[rok]))
    red = u.index_of("red_1")
    assert restraint.forbidden(game, ai, red) is None                      # a KPA unit: not bound


@pytest.mark.parametrize("ai_name", ["operational", "baseline"])
def test_a_bound_unit_found_deep_in_a_zone_marches_out_by_the_shortest_way(small_front, ai_name):
    # An order that comes into force behind the front (Walker's withdrawal behind the Naktong):
    # the zone is everything north of the last row, and the ROK division stands in the
    # mountains six steps inside it, beyond one turn's march to any hex outside.
    box = {"lat_south": 37.73, "lat_north": 39.0, "lon_west": 126.0, "lon_east": 129.0}
    settings = AISide.model_validate({"aggression": 0.3, "attack_odds": 2.0,
                                      "keep_out": [{"nations": ["ROK"], "areas": [box]}]})
    game = new_game(small_front, seed=1)
    st, u = game.state, game.state.units
    rok = u.index_of("blue_3")
    u.hex[rok] = st.map.grid.index(5, 12)
    game.movement.invalidate()
    zone = area_mask(st.map, box)
    way_out = restraint.way_out(game, zone)
    assert way_out[u.hex[rok]] == 6
    ai = make_ai(ai_name, UN, settings)
    assert (restraint.leave_goals(game, ai)[rok] == way_out).all()
    seen = []
    run(game, players={UN: ai, COMMUNIST: make_ai("passive", COMMUNIST)},
        on_turn=lambda g: seen.append(int(way_out[u.hex[rok]])))
    out = seen.index(0)
    assert all(a > b for a, b in zip(seen[:out], seen[1:out + 1], strict=True))   # nearer the way out each turn
    assert out <= 3                        # as fast as the mountains let it: a step a turn takes six
    assert set(seen[out:]) == {0}                                          # and never back in


def test_an_attack_into_the_zone_does_not_advance(small_front):
    game = new_game(small_front, seed=1)
    u = game.state.units
    ai = make_ai("operational", UN, _settings())
    inside = int(np.flatnonzero(_zone(game) & game.state.map.land)[0])
    rok = u.index_of("blue_1")
    assert not restraint.may_advance(game, ai, [rok], inside)
    outside = int(np.flatnonzero(~_zone(game) & game.state.map.land)[0])
    assert restraint.may_advance(game, ai, [rok], outside)


def test_a_flag_or_the_dates_lift_the_order(small_front):
    game = new_game(small_front, seed=1)
    st = game.state
    assert restraint.zones(game, make_ai("operational", UN, _settings(until_flag="peace")))
    st.flags.add("peace")
    assert restraint.zones(game, make_ai("operational", UN, _settings(until_flag="peace"))) == []
    assert restraint.zones(game, make_ai("operational", UN, _settings(until="1950-06-24"))) == []
    assert restraint.zones(game, make_ai("operational", UN, _settings(**{"from": "1950-07-10"}))) == []
    assert restraint.zones(game, make_ai("operational", UN, _settings(**{"from": "1950-06-25"})))


def test_the_campaigns_un_keeps_within_its_lines_and_out_of_kaesong_once_the_talks_open():
    game = new_game("scenarios/korea_1950_1953.yaml", seed=1)
    st = game.state
    ai = make_ai("operational", UN, st.scenario.config.ai.un)
    names = ("Kaesong", "Wonsan", "Pyongyang", "Seoul", "Chorwon", "Kumhwa", "Pyonggang",
             "Andong", "Chinju", "Taegu", "Pohang", "Masan", "Pusan")
    at = {name: int(st.map.find_place(name).hex) for name in names}
    us = int(st.units.index_of("us_24_div"))
    cal = st.scenario.calendar

    def on(day: str) -> dict:
        st.turn = next(t for t in range(len(cal)) if cal.turn_start(t).isoformat() >= day)
        return {name: restraint.kept_out(game, ai, us, h) for name, h in at.items()}

    def out(*kept) -> dict:
        return {name: name in kept for name in names}
    assert not any(on("1950-06-25").values())                    # June 1950: no such orders yet
    # Walker's withdrawal behind the Naktong (1 August 1950) to the breakout: Andong and Chinju
    # beyond the perimeter, the cities inside it not
    assert not any(on("1950-07-28").values())
    assert on("1950-08-03") == out("Andong", "Chinju", "Kaesong", "Wonsan", "Pyongyang", "Seoul",
                                   "Chorwon", "Kumhwa", "Pyonggang")
    assert not any(on("1950-09-20").values())
    # from the counteroffensive of 20 May 1951: behind Kansas-Wyoming (Ch'orwon and Kumhwa on
    # it; Kaesong on the shore west of the Imjin, the Iron Triangle's apex, Pyongyang and Wonsan
    # beyond)
    assert on("1951-05-24") == out("Kaesong", "Wonsan", "Pyongyang", "Pyonggang")
    assert on("1951-07-10") == out("Kaesong", "Wonsan", "Pyongyang", "Pyonggang")
    st.flags.add("talks_suspended_1951")                          # the talks broken off: the lines lifted
    assert on("1951-08-30") == out("Kaesong", "Wonsan")


def test_the_campaigns_communists_give_up_seoul_from_ripper_to_the_spring_offensive():
    game = new_game("scenarios/korea_1950_1953.yaml", seed=1)
    st = game.state
    ai = make_ai("operational", COMMUNIST, st.scenario.config.ai.communist)
    cal = st.scenario.calendar
    u = st.units
    cpv, kpa = (u.nations.index(nation) for nation in ("CPV", "KPA"))
    seoul = int(st.map.find_place("Seoul").hex)
    beside = int(st.map.grid.neighbors[seoul][0])
    uijongbu = int(st.map.find_place("Uijongbu").hex)

    def kept(day: str) -> tuple:
        st.turn = next(t for t in range(len(cal)) if cal.turn_start(t).isoformat() >= day)
        return tuple(restraint.kept_out(game, ai, r, h) for r in (cpv, kpa) for h in (seoul, beside, uijongbu))

    # Seoul taken in January 1951 is held until RIPPER outflanks it ...
    assert not any(kept("1951-02-20"))
    # ... then both armies keep out of it and the hexes next to it, not out of Uijongbu beyond ...
    assert kept("1951-03-23") == (True, True, False, True, True, False)
    # ... until the Fifth Phase Offensive of 22 April goes for it again.
    assert not any(kept("1951-04-27"))
