"""Air power (game/rules/air.py): missions a turn, close air support, interdiction, limits, AI."""

import datetime as dt

import numpy as np
import pytest

from game.engine.mapdata import REGION
from game.engine.orders import AirMission, Attack, EndPhase
from game.engine.units import COMMUNIST, UN
from game.rules import air
from game.rules.air import AirRules
from game.rules.module import AttackContext
from game.rules.supply import supply_distance
from game.rules.turn import Game
from game.scenario.build import new_state
from game.scenario.sections.air import ExposureFrom, Interdiction, MigAlley
from game.sim.saves import load_game, save_game
from game.sim.session import RULE_MODULES, load_scenario, new_game


class FixedDie:
    def __init__(self, value):
        self.value = value

    def integers(self, lo, hi):
        return self.value


@pytest.fixture
def clear_sky(monkeypatch):
    """Every mission can fly (the weather's own share is tested on its own below)."""
    monkeypatch.setattr(air, "weather_air_factor",
                        lambda game, hexes=None: np.ones(game.state.map.n if hexes is None else np.size(hexes)))


def hex_at(game, row, col):
    return int(game.state.map.grid.index(row, col))


def place(game, uid, row, col):
    st = game.state
    st.units.hex[st.units.index_of(uid)] = hex_at(game, row, col)
    game.movement.invalidate()


def give_missions(game, side, n):
    """Set the side's capacity and run its air phase again (as the turn would)."""
    game.state.sides[side]["air_missions"] = n
    air.air_phase(game, side)


def fly(game, side, mission, h):
    return game.apply(AirMission("un" if side == UN else "communist", mission=mission, target=h))


def both_sides_fly(game):
    """Lift any ``air_war_only`` (a scenario may name the Communists) so that a test of the missions'
    mechanics can fly them for either side."""
    rules = game.rule(AirRules)
    rules.cfg = rules.cfg.model_copy(update={"air_war_only": None})


def to_un_turn(game, missions=0):
    game.state.sides[UN]["air_missions"] = missions
    assert game.apply(EndPhase("communist"))
    assert game.state.active_side == UN


# ------------------------------------------------------------------------------ close air support

def blue_3_faces_red_1(game) -> int:
    """Blue 3rd Division at (9, 9) with Red 1st Division next to it at (8, 9); returns blue's hex."""
    place(game, "blue_3", 9, 9)
    place(game, "red_1", 8, 9)
    return hex_at(game, 9, 9)


def test_cas_shifts_the_odds_shown_and_used(small_game, clear_sky):
    both_sides_fly(small_game)
    g = small_game
    st = g.state
    target = blue_3_faces_red_1(g)
    give_missions(g, COMMUNIST, 2)
    before = g.odds(["red_1"], target)
    res = fly(g, COMMUNIST, "cas", target)
    assert res.ok, res.reason
    assert res.details["mode"] == "attack"
    after = g.odds(["red_1"], target)
    assert after.shift == before.shift + 1 and after.column == before.column + 1
    st.rng = FixedDie(4)
    fought = g.apply(Attack("communist", units=("red_1",), target=target))
    assert fought.ok, fought.reason
    assert fought.details["odds"] == after.label != before.label
    assert fought.details["result"] == st.rules.crt[3][after.column].code


def air_columns(game, unit_ids, target):
    """Odds columns the air rules add to an attack (their part of the shift game.odds shows)."""
    rows = tuple(game.state.units.index_of(u) for u in unit_ids)
    side = int(game.state.units.side[rows[0]])
    return game.rule(AirRules).attack_shift(AttackContext(side, rows, int(target), preview=True))


def test_defensive_cas_takes_columns_off_enemy_attacks_until_the_next_air_phase(small_game, clear_sky):
    g = small_game
    st = g.state
    target = blue_3_faces_red_1(g)
    to_un_turn(g, missions=2)
    res = fly(g, UN, "cas", target)
    assert res.ok and res.details["mode"] == "defend"
    assert fly(g, UN, "cas", target).ok                   # two count over one hex...
    assert g.apply(EndPhase("un"))                        # ...into the Communists' next turn
    assert st.active_side == COMMUNIST and st.phase == "operations"
    place(g, "blue_3", 9, 9)
    place(g, "red_1", 8, 9)
    assert air_columns(g, ["red_1"], target) == -2 * g.rule(AirRules).cfg.cas.defense_columns
    to_un_turn(g, missions=2)                             # the UN's new air phase ends them
    assert air_columns(g, ["red_1"], target) == 0


def test_cas_needs_troops_and_stops_counting_at_the_hex_limit(small_game, clear_sky):
    both_sides_fly(small_game)
    g = small_game
    give_missions(g, COMMUNIST, 5)
    assert "needs troops" in fly(g, COMMUNIST, "cas", hex_at(g, 10, 10)).reason
    assert "at sea" in fly(g, COMMUNIST, "cas", hex_at(g, 0, 0)).reason
    target = int(g.state.units.hex[g.state.units.index_of("blue_1")])
    for _ in range(g.rule(AirRules).cfg.cas.max_per_hex):
        assert fly(g, COMMUNIST, "cas", target).ok
    assert "add nothing" in fly(g, COMMUNIST, "cas", target).reason
    assert "unknown air mission" in fly(g, COMMUNIST, "bombing", target).reason


# ------------------------------------------------------------------------------ interdiction

def test_interdiction_raises_enemy_movement_cost_in_its_area_only(small_game, clear_sky):
    g = small_game
    to_un_turn(g, missions=2)
    un_before = g.movement.multiplier(UN).copy()
    com_before = g.movement.multiplier(COMMUNIST).copy()
    centre = hex_at(g, 2, 6)
    res = fly(g, UN, "interdiction", centre)
    assert res.ok, res.reason
    area = g.state.map.grid.distances_from(centre) <= g.rule(AirRules).cfg.interdiction.radius
    ratio = g.movement.multiplier(COMMUNIST) / com_before
    assert np.allclose(ratio[area], g.rule(AirRules).cfg.interdiction.movement_multiplier)
    assert np.allclose(ratio[~area], 1.0)
    assert np.array_equal(g.movement.multiplier(UN), un_before)    # our own troops move as before
    assert g.state.sides[COMMUNIST]["supply_capacity"] == 100 - g.rule(AirRules).cfg.interdiction.supply_cut


def _interdicted_red(game, attrition, exposure=None, exposure_from=()):
    """UN interdiction over red_1 (moved: in the open) and red_3 (dug in), both in its area; the
    turn then goes on to the UN's next air phase, when the mission ends and takes its toll."""
    rules = game.rule(AirRules)
    rules.cfg = rules.cfg.model_copy(update={"interdiction": rules.cfg.interdiction.model_copy(
        update={"attrition": {"un": attrition}, "exposure": exposure or {},
                "exposure_from": [ExposureFrom.model_validate(e) for e in exposure_from]})})
    st = game.state
    u = st.units
    place(game, "red_1", 2, 6)
    place(game, "red_3", 2, 7)
    to_un_turn(game, missions=2)
    assert fly(game, UN, "interdiction", hex_at(game, 2, 6)).ok
    u.entrench[u.index_of("red_1")] = 0          # it marched in its phase
    u.entrench[u.index_of("red_3")] = 1          # it stayed and dug in
    before = {uid: int(u.strength[u.index_of(uid)]) for uid in ("red_1", "red_3")}
    losses = st.sides[COMMUNIST]["losses"]
    air.air_phase(game, UN)                      # the UN's next air phase: the mission ends
    after = {uid: int(u.strength[u.index_of(uid)]) for uid in ("red_1", "red_3")}
    return before, after, st.sides[COMMUNIST]["losses"] - losses


def test_interdiction_costs_units_caught_in_the_open_a_point_when_it_ends(small_game, clear_sky):
    before, after, lost = _interdicted_red(small_game, attrition=1.0)
    assert after["red_1"] == before["red_1"] - 1      # it moved under the aircraft
    assert after["red_3"] == before["red_3"]          # dug in: hidden from them
    assert lost == 1
    assert any("catches" in line and "in the open" in line for line in small_game.state.log)


def test_interdiction_takes_no_toll_without_attrition_or_from_an_unexposed_nation(small_game, clear_sky):
    before, after, lost = _interdicted_red(small_game, attrition=1.0, exposure={"KPA": 0.0})
    assert after == before and lost == 0


def test_a_later_exposure_replaces_the_nations_own_from_its_date(small_game, small_front, clear_sky):
    day = small_game.state.date
    later = {"from": (day + dt.timedelta(days=1)).isoformat(), "exposure": {"KPA": 0.0}}
    before, after, lost = _interdicted_red(small_game, attrition=1.0, exposure_from=[later])
    assert lost == 1                                  # not yet begun
    game = new_game(small_front, seed=7)
    begun = {"from": day.isoformat(), "exposure": {"KPA": 0.0}}
    before, after, lost = _interdicted_red(game, attrition=1.0, exposure_from=[begun])
    assert after == before and lost == 0


def test_interdiction_toll_is_off_by_default_and_for_a_side_not_named(small_game, clear_sky):
    assert Interdiction().attrition == {}
    rules = small_game.rule(AirRules)
    rules.cfg = rules.cfg.model_copy(update={"interdiction": rules.cfg.interdiction.model_copy(
        update={"attrition": {"communist": 1.0}})})
    st = small_game.state
    u = st.units
    place(small_game, "blue_3", 9, 9)
    u.entrench[u.index_of("blue_3")] = 0
    to_un_turn(small_game, missions=2)
    assert fly(small_game, UN, "interdiction", hex_at(small_game, 2, 6)).ok
    before = u.strength.copy()
    air.air_phase(small_game, UN)               # only the Communists' missions take a toll
    assert np.array_equal(u.strength, before)


def _supply_game(small_front, interdict: bool):
    """The UN interdicts (or not) the road behind a Communist division near the end of its
    supply range; the Communists' next supply phase says whether it is still supplied."""
    g = new_game(small_front, seed=7)
    rules = g.rule(AirRules)
    rules.cfg = rules.cfg.model_copy(update={"interdiction": Interdiction(radius=2, movement_multiplier=2.0)})
    to_un_turn(g, missions=2)
    st = g.state
    u = st.units
    d = supply_distance(st, COMMUNIST, g.movement.edge_cost(COMMUNIST))
    empty = np.ones(st.map.n, dtype=bool)
    empty[u.hex[u.rows_on_map()]] = False
    reach = float(st.rules.supply.range)
    ok = np.isfinite(d) & empty & (d > reach / 2) & (d <= reach)
    spot = int(np.nonzero(ok)[0][np.argmax(d[ok])])
    u.hex[u.index_of("red_3")] = spot
    g.movement.invalidate()
    if interdict:
        assert g.apply(AirMission("un", mission="interdiction", target=spot)).ok
    assert g.apply(EndPhase("un"))                         # next turn: the Communists' supply phase
    assert st.active_side == COMMUNIST and st.phase == "operations"
    return int(u.supply[u.index_of("red_3")])


def test_interdiction_can_put_a_unit_out_of_supply(monkeypatch, small_front):
    monkeypatch.setattr(air, "weather_air_factor",
                        lambda game, hexes=None: np.ones(game.state.map.n if hexes is None else np.size(hexes)))
    assert _supply_game(small_front, interdict=False) == 0
    assert _supply_game(small_front, interdict=True) > 0


# ------------------------------------------------------------------------------ limits

def test_no_strikes_north_of_the_yalu_while_forbidden(small_game, clear_sky):
    from game.events.effects import e_allow
    g = small_game
    st = g.state
    manchuria = hex_at(g, 1, 10)
    st.map.region[manchuria] = REGION["china"]
    to_un_turn(g, missions=2)
    st.sides[UN]["forbidden"].append("strike_north_of_yalu")
    refused = fly(g, UN, "interdiction", manchuria)
    assert not refused.ok and "China" in refused.reason and "strike north of yalu" in refused.reason
    assert st.rules_state["air"]["turn"]["un"]["flown"] == 0
    e_allow(g, {"side": "un", "action": "strike_north_of_yalu"}, {"id": "test"})
    assert fly(g, UN, "interdiction", manchuria).ok


def test_mig_alley_caps_un_missions_there(small_game, clear_sky):
    g = small_game
    st = g.state
    grid = st.map.grid
    box = {"lat_south": float(grid.lat[hex_at(g, 4, 0)]), "lat_north": float(grid.lat.max()) + 1,
           "lon_west": 0.0, "lon_east": 180.0}                  # the northern rows of the test map
    g.rule(AirRules).cfg = g.rule(AirRules).cfg.model_copy(update={"mig_alley": MigAlley.model_validate(
        {"from": "1950-06-01", "box": box, "max_un_missions": 1, "needs_communist_air": True})})
    to_un_turn(g, missions=4)
    north, south = hex_at(g, 1, 6), hex_at(g, 10, 6)
    st.sides[COMMUNIST]["air_missions"] = 0                    # no MiGs yet: no cap
    assert fly(g, UN, "interdiction", north).ok
    assert fly(g, UN, "interdiction", north).ok
    st.sides[COMMUNIST]["air_missions"] = 3
    refused = fly(g, UN, "interdiction", north)
    assert not refused.ok and "MiG Alley" in refused.reason
    assert fly(g, UN, "interdiction", south).ok                # elsewhere the UN still flies


def test_missions_cannot_exceed_the_capacity(small_game, clear_sky):
    g = small_game
    to_un_turn(g, missions=3)
    assert air.missions_left(g.state, UN) == 3
    for col in (4, 6, 8):
        assert fly(g, UN, "interdiction", hex_at(g, 2, col)).ok
    refused = fly(g, UN, "interdiction", hex_at(g, 1, 6))
    assert not refused.ok and "no missions left" in refused.reason
    assert air.missions_left(g.state, UN) == 0


def test_weather_lets_only_a_share_fly(small_game, monkeypatch):
    from game.rules import weather
    g = small_game
    north = g.state.map.grid.lat >= g.state.map.grid.lat[hex_at(g, 5, 0)]
    # Clear in the north, half the missions fly in the south.
    monkeypatch.setattr(weather, "air_factor_at", lambda game, hexes: np.where(north[hexes], 1.0, 0.5))
    to_un_turn(g, missions=4)
    assert air.missions_left(g.state, UN) == 4                  # the best sky counts for the total
    assert fly(g, UN, "interdiction", hex_at(g, 9, 4)).ok
    assert fly(g, UN, "interdiction", hex_at(g, 9, 9)).ok
    refused = fly(g, UN, "interdiction", hex_at(g, 10, 6))     # the third in the south: no
    assert not refused.ok and "lets only 2 of 4" in refused.reason
    assert fly(g, UN, "interdiction", hex_at(g, 2, 6)).ok      # the north is still open
    monkeypatch.setattr(weather, "air_factor_at", lambda game, hexes: np.full(np.size(hexes), 0.25))
    air.air_phase(g, UN)
    assert air.missions_left(g.state, UN) == 1


def test_orders_refused_outside_the_sides_phase(small_game, clear_sky):
    g = small_game
    g.state.sides[UN]["air_missions"] = 4
    air.air_phase(g, UN)
    refused = fly(g, UN, "interdiction", hex_at(g, 2, 6))       # the Communists are moving
    assert not refused.ok and "not un's turn" in refused.reason
    assert g.state.rules_state["air"]["missions"] == []


# ------------------------------------------------------------------------------ saves and setup

def test_save_and_load_mid_turn_keep_missions_and_layers(small_game, clear_sky, tmp_path):
    g = small_game
    st = g.state
    to_un_turn(g, missions=3)
    assert fly(g, UN, "interdiction", hex_at(g, 2, 6)).ok
    assert fly(g, UN, "cas", int(st.units.hex[st.units.index_of("blue_2")])).ok
    save_game(g, tmp_path / "air.json")
    loaded = load_game(tmp_path / "air.json")
    assert loaded.state.hash() == st.hash()
    assert loaded.state.rules_state["air"] == st.rules_state["air"]
    assert np.array_equal(loaded.movement.multiplier(COMMUNIST), g.movement.multiplier(COMMUNIST))
    assert air.missions_left(loaded.state, UN) == 1
    # Both go on alike.
    for game in (g, loaded):
        assert fly(game, UN, "interdiction", hex_at(game, 1, 9)).ok
        assert game.apply(EndPhase("un"))
    assert loaded.state.hash() == st.hash()


def test_empty_section_changes_nothing(small_front):
    scenario = load_scenario(small_front)
    scenario.data["air"] = {}
    scenario.config = scenario.config.model_copy(update={"air": None})
    game = Game(new_state(scenario, 1), RULE_MODULES)
    assert game.rule(AirRules) is None
    assert not game.apply(AirMission("un", mission="cas", target=0))
    assert "air" not in game.state.rules_state


def test_later_scenario_starts_at_the_baseline(repo_root):
    g = new_game(repo_root / "scenarios" / "war_of_the_hills.yaml", seed=1)
    base = g.rule(AirRules).cfg.baseline[-1]
    assert g.state.sides[UN]["air_missions"] == base.un == 13
    assert g.state.sides[COMMUNIST]["air_missions"] == base.communist == 4


def test_section_errors_name_the_line(tmp_path):
    from game.scenario.loader import validate_paths
    bad = tmp_path / "air_bad.yaml"
    bad.write_text("air:\n  cas: {attack_colums: 1}\n  interdiction: {radius: -1}\n")
    text = "\n".join(str(p) for p in validate_paths([bad]))
    assert "air_bad.yaml:2:9: air.cas: unknown key 'attack_colums': did you mean 'attack_columns'?" in text
    assert "air_bad.yaml:3:26: air.interdiction.radius: must be >= 0" in text


# ------------------------------------------------------------------------------ AI

def test_both_ais_fly_their_missions(small_game, clear_sky):
    both_sides_fly(small_game)
    from game.sim.session import ai_players
    g = small_game
    st = g.state
    st.sides[UN]["air_missions"] = 3
    give_missions(g, COMMUNIST, 2)
    players = ai_players(g)
    players[COMMUNIST].play(g)
    assert st.active_side == UN
    players[UN].play(g)
    flown = [o for o in st.orders if o["type"] == "air_mission" and o["turn"] == 0]
    assert sum(o["side"] == "communist" for o in flown) == 2
    assert sum(o["side"] == "un" for o in flown) == 3


def test_ai_uses_its_missions_in_a_campaign_turn():
    from game.sim.simulate import run
    g = new_game("korea_1950_1953", seed=1)
    run(g, until="1950-06-29")
    flown = [o for o in g.state.orders if o["type"] == "air_mission"]
    assert flown and all(o["side"] == "un" for o in flown)
    assert {o["mission"] for o in flown} >= {"interdiction"}
    per_turn = {}
    for o in flown:
        per_turn[o["turn"]] = per_turn.get(o["turn"], 0) + 1
    assert max(per_turn.values()) <= g.state.sides[UN]["air_missions"]


def test_a_side_that_fights_only_for_the_air_flies_nothing_over_the_ground_war(small_game, clear_sky):
    from game.scenario.sections.air import AirWarOnly
    g = small_game
    st = g.state
    grid = st.map.grid
    box = {"lat_south": float(grid.lat.min()) - 1, "lat_north": float(grid.lat.max()) + 1,
           "lon_west": 0.0, "lon_east": 180.0}
    g.rule(AirRules).cfg = g.rule(AirRules).cfg.model_copy(update={
        "air_war_only": AirWarOnly.model_validate({"sides": ["communist"]}),
        "mig_alley": MigAlley.model_validate({"from": "1950-06-01", "box": box, "max_un_missions": 1})})
    give_missions(g, COMMUNIST, 4)
    assert air.capacity(st, COMMUNIST) == 4 and air.missions_left(st, COMMUNIST) == 0
    assert not air.air_war_only(g, UN)
    refused = fly(g, COMMUNIST, "cas", int(st.units.hex[st.units.index_of("blue_1")]))
    assert not refused.ok and "fight only for the air" in refused.reason
    to_un_turn(g, missions=4)
    st.sides[COMMUNIST]["air_missions"] = 4                    # the MiGs still cap the UN
    assert fly(g, UN, "interdiction", hex_at(g, 2, 6)).ok
    refused = fly(g, UN, "interdiction", hex_at(g, 3, 6))
    assert not refused.ok and "MiG Alley" in refused.reason
