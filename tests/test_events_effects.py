"""Event engine: every condition and effect of the closed vocabulary (docs/cards.md)."""

import pytest

from game.engine.units import COMMUNIST, ELIMINATED, ON_MAP, UN, WITHDRAWN
from game.events.conditions import evaluate
from game.events.effects import apply_effects

CARD = {"id": "test_card", "source": "test"}


@pytest.fixture
def game(new_events_game):
    return new_events_game(seed=7)


def place(game, name):
    return game.state.map.find_place(name).hex


# ------------------------------------------------------------------------------ conditions

def test_flag_not_all_any(game):
    st = game.state
    st.flags.add("a")
    assert evaluate(game, {"flag": "a"}) and not evaluate(game, {"flag": "b"})
    assert evaluate(game, {"not": {"flag": "b"}})
    assert evaluate(game, {"all": [{"flag": "a"}, {"not": {"flag": "b"}}]})
    assert not evaluate(game, {"all": [{"flag": "a"}, {"flag": "b"}]})
    assert evaluate(game, {"any": [{"flag": "b"}, {"flag": "a"}]})
    assert not evaluate(game, {"any": [{"flag": "b"}, {"flag": "c"}]})


def test_controls(game):
    st = game.state
    assert evaluate(game, {"controls": {"side": "un", "place": "Southtown"}})
    assert evaluate(game, {"controls": {"side": "communist", "place": "northtown"}})  # any case
    assert not evaluate(game, {"controls": {"side": "communist", "place": "Southtown"}})
    st.owner[place(game, "Southtown")] = COMMUNIST
    assert evaluate(game, {"controls": {"side": "communist", "place": "Southtown"}})
    assert not evaluate(game, {"controls": {"side": "un", "place": "Atlantis"}})   # unknown: false


def test_unit_near(game):
    st = game.state
    u = st.units
    h = place(game, "Southtown")
    near = {"unit_near": {"side": "un", "place": "Southtown", "hexes": 0}}
    assert not evaluate(game, near)
    u.hex[u.index_of("blue_1")] = h
    assert evaluate(game, near)
    d = int(st.map.grid.distance(u.hex[u.index_of("red_1")], h))
    assert evaluate(game, {"unit_near": {"side": "communist", "place": "Southtown", "hexes": d}})
    assert not evaluate(game, {"unit_near": {"side": "communist", "place": "Southtown", "hexes": d - 1}})


def test_eliminated_and_on_map(game):
    u = game.state.units
    r = u.index_of("red_2")
    assert evaluate(game, {"on_map": "red_2"}) and not evaluate(game, {"eliminated": "red_2"})
    assert not evaluate(game, {"on_map": "blue_us"})          # still arriving
    u.status[r] = ELIMINATED
    assert evaluate(game, {"eliminated": "red_2"}) and not evaluate(game, {"on_map": "red_2"})
    assert not evaluate(game, {"eliminated": "nobody"})


def test_hexes_held(game):
    st = game.state
    m = st.map
    south = m.land & (m.region == 1)
    assert evaluate(game, {"hexes_held": {"side": "un", "region": "south", "at_least": 1.0}})
    assert not evaluate(game, {"hexes_held": {"side": "un", "region": "north", "at_least": 0.01}})
    idx = south.nonzero()[0]
    st.owner[idx[: len(idx) // 2]] = COMMUNIST
    assert evaluate(game, {"hexes_held": {"side": "communist", "region": "south", "at_least": 0.45}})
    assert not evaluate(game, {"hexes_held": {"side": "communist", "region": "south", "at_least": 0.55}})


def test_turn_after(game, next_turn):
    assert not evaluate(game, {"turn_after": "1950-06-25"})   # turn 0 starts on that day
    assert evaluate(game, {"turn_after": "1950-06-24"})
    next_turn(game)                                           # starts 28 June
    assert evaluate(game, {"turn_after": "1950-06-27"})


def test_unknown_condition_raises(game):
    with pytest.raises(ValueError):
        evaluate(game, {"eval": "__import__('os')"})


# ------------------------------------------------------------------------------ effects

def test_flags(game):
    apply_effects(game, [{"set_flag": "x"}, {"set_flag": "y"}, {"clear_flag": "x"}], CARD)
    assert "y" in game.state.flags and "x" not in game.state.flags


def test_side_numbers(game):
    st = game.state
    before = {s: dict(st.sides[s]) for s in (UN, COMMUNIST)}
    apply_effects(game, [
        {"replacements": {"side": "un", "points": 2}},
        {"replacements": {"side": "communist", "points": -1}},
        {"supply": {"side": "communist", "capacity": -10}},
        {"air": {"side": "un", "missions": 6}},
        {"naval": {"side": "un", "gunfire": 1, "lift": 2}},
        {"naval": {"side": "un", "gunfire": 1}},
        {"vp": {"side": "communist", "points": 5}},
        {"will": {"side": "un", "change": -3}},
    ], CARD)
    un, co = st.sides[UN], st.sides[COMMUNIST]
    assert un["replacements"] == before[UN]["replacements"] + 2
    assert co["replacements"] == before[COMMUNIST]["replacements"] - 1
    assert co["supply_capacity"] == before[COMMUNIST]["supply_capacity"] - 10
    assert un["air_missions"] == before[UN]["air_missions"] + 6
    assert un["naval_gunfire"] == before[UN]["naval_gunfire"] + 2
    assert un["naval_lift"] == before[UN]["naval_lift"] + 2
    assert co["vp"] == before[COMMUNIST]["vp"] + 5
    assert un["will"] == before[UN]["will"] - 3


def test_allow_and_forbid(game):
    sd = game.state.sides[UN]
    apply_effects(game, [{"forbid": {"side": "un", "action": "cross_38th"}}], CARD)
    assert "cross_38th" in sd["forbidden"] and "cross_38th" not in sd["allowed"]
    apply_effects(game, [{"allow": {"side": "un", "action": "cross_38th"}},
                         {"allow": {"side": "un", "action": "cross_38th"}}], CARD)
    assert sd["allowed"].count("cross_38th") == 1 and "cross_38th" not in sd["forbidden"]


def test_weather(game):
    apply_effects(game, [{"weather": {"condition": "monsoon", "turns": 2}}], CARD)
    assert game.state.weather_override == {"condition": "monsoon", "turns": 2}
    assert game.state.weather == "monsoon"


def test_talks(game):
    st = game.state
    seq = [("open", "open"), ("suspend", "suspended"), ("resume", "open"),
           ("suspend", "suspended"), ("move_to_panmunjom", "panmunjom"), ("suspend", "suspended"),
           ("resume", "panmunjom"), ("agree_line", "line_agreed")]
    for word, expect in seq:
        apply_effects(game, [{"talks": word}], CARD)
        assert st.talks == expect, word


def test_message(game):
    apply_effects(game, [{"message": "Hello from a card."}], CARD)
    assert game.state.log[-1].endswith("Hello from a card.")


def test_release_units_leaves_units_on_map_alone(game, end_side):
    u = game.state.units
    r = u.index_of("blue_1")
    hex_before = int(u.hex[r])
    apply_effects(game, [{"release_units": ["blue_1", "blue_us", "no_such_unit"]}], CARD)
    assert int(u.status[r]) == ON_MAP and int(u.hex[r]) == hex_before
    assert int(u.arrive_turn[u.index_of("blue_us")]) == game.state.turn
    end_side(game)                                            # UN's reinforcement phase next
    assert int(u.status[u.index_of("blue_us")]) == ON_MAP


def test_withdraw_units(game, next_turn):
    u = game.state.units
    apply_effects(game, [{"withdraw_units": ["red_1", "blue_us"]}], CARD)
    for uid in ("red_1", "blue_us"):
        r = u.index_of(uid)
        assert int(u.status[r]) == WITHDRAWN and int(u.hex[r]) == -1
    next_turn(game)                                           # withdrawn units stay out
    assert int(u.status[u.index_of("blue_us")]) == WITHDRAWN


def test_evacuate_ships_the_units_near_a_port_to_another(game):
    st = game.state
    u, grid = st.units, st.map.grid
    southtown, harbour = place(game, "Southtown"), place(game, "Harbour")
    near = [u.index_of(x) for x in ("blue_1", "blue_2", "blue_3")]
    assert all(grid.distance(int(u.hex[r]), southtown) <= 3 for r in near)
    far = u.index_of("red_1")
    apply_effects(game, [{"evacuate": {"side": "un", "port": "Southtown", "within": 3, "to": "Harbour"}}], CARD)
    for r in near:
        assert grid.distance(int(u.hex[r]), harbour) <= 2 and u.mp[r] == 0
        assert st.owner[u.hex[r]] == UN
    from game.rules.movement import stack_points
    assert stack_points(st, UN).max() <= st.rules.movement.stack_limit   # stacking limits hold
    assert grid.distance(int(u.hex[far]), southtown) > 3      # the enemy is not shipped


def test_evacuate_to_a_port_the_side_does_not_hold_does_nothing(game):
    st = game.state
    u = st.units
    st.owner[place(game, "Harbour")] = COMMUNIST
    before = u.hex.copy()
    apply_effects(game, [{"evacuate": {"side": "un", "port": "Southtown", "within": 3, "to": "Harbour"}}], CARD)
    assert (u.hex == before).all()
    assert "not held" in st.log[-1]


def test_add_units(game, next_turn):
    st = game.state
    u = st.units
    n = len(u)
    apply_effects(game, [{"add_units": [
        {"id": "blue_marines", "name": "Blue Marines", "side": "un", "nation": "US",
         "type": "infantry_division", "strength": 6, "at": "Harbour"},
        {"id": "red_raiders", "name": "Red Raiders", "side": "communist", "nation": "KPA",
         "type": "infantry_division", "strength": 4, "at": "Harbour"},
    ]}], CARD)
    assert len(u) == n + 2
    b, r = u.index_of("blue_marines"), u.index_of("red_raiders")
    assert int(u.status[b]) == ON_MAP and int(u.hex[b]) == place(game, "Harbour")
    assert int(u.side[b]) == UN and int(u.strength[b]) == 6 and u.nations[b] == "US"
    # the communists do not hold Harbour: their unit lands on the nearest hex they hold
    assert int(u.status[r]) == ON_MAP and st.owner[u.hex[r]] == COMMUNIST
    apply_effects(game, [{"add_units": [{"id": "blue_marines", "name": "Again", "side": "un",
                                         "nation": "US", "type": "infantry_division",
                                         "strength": 6, "at": "Harbour"}]}], CARD)
    assert len(u) == n + 2                                    # an existing id is not added twice
    next_turn(game)                                           # the turn goes on with them
    next_turn(game)


def test_add_units_during_operations(game, end_side):
    end_side(game)                                            # UN's operations phase
    apply_effects(game, [{"add_units": [{"id": "blue_x", "name": "X", "side": "un", "nation": "US",
                                         "type": "infantry_division", "strength": 5, "at": "Southtown"}]}], CARD)
    end_side(game)                                            # entrenchment sees the new unit
    assert game.state.turn == 1


@pytest.mark.parametrize("winner,expect", [("communist", "communist"), ("draw", "draw"), ("score", None)])
def test_end_game_ends_at_the_end_of_the_turn(game, winner, expect, next_turn):
    st = game.state
    apply_effects(game, [{"end_game": {"reason": "an armistice", "winner": winner}}], CARD)
    assert not st.over                                        # the turn is played out first
    next_turn(game)
    assert st.over and st.phase == "over" and st.turn == 0
    assert st.result["reason"] == "an armistice"
    if expect:
        assert st.result["winner"] == expect
    else:
        assert st.result["winner"] in ("un", "communist", "draw")
        assert st.result["margin_vs_history"] is not None


def test_unknown_effect_raises(game):
    with pytest.raises(ValueError):
        apply_effects(game, [{"exec": "rm -rf /"}], CARD)
