"""The sea (game/rules/naval.py): gunfire near the coast, landings, sea transport, evacuations,
scheduled assault landings, the AI's planner, saves.

The games are the small front of tests/scenarios/small_front.yaml (sea along its west edge)
with two more ports on that coast: Westport (UN, row 9) and Northport (Communist, row 1).
"""


import numpy as np
import pytest

from game.ai.baseline import BaselineAI
from game.ai.sea_planner import SeaOperations
from game.engine.orders import Attack, Land, Ship
from game.engine.units import COMMUNIST, ON_MAP, UN
from game.rules.module import AttackContext
from game.rules.naval import NavalRules, sea_geometry
from game.scenario.loader import ScenarioError, load_scenario_dict
from game.sim.saves import load_game, save_game
from game.sim.session import new_game

# ------------------------------------------------------------------------------ geometry

def test_sea_geometry_of_the_small_front(tmp_path, hx, sea_game):
    g = sea_game()
    sea = g.rule(NavalRules).sea
    m = g.state.map
    assert sea.coastal[hx(g, 2, 2)] and sea.coastal[hx(g, 5, 3)]
    assert not sea.coastal[hx(g, 2, 3)] and not sea.coastal[hx(g, 0, 0)]   # inland, sea
    assert sea.from_sea[hx(g, 2, 2)] == 1 and sea.from_sea[hx(g, 2, 5)] == 4
    assert sorted(m.places[m.place_at[h]].name for h in sea.ports) == ["Harbour", "Northport", "Westport"]
    reach = sea.reachable_from(hx(g, 9, 2))
    assert reach[hx(g, 1, 2)] and reach[hx(g, 11, 2)] and not reach[hx(g, 9, 3)]


def test_lakes_and_small_inlets_are_not_sea(small_game, hx):
    m = small_game.state.map
    terrain = m.terrain.copy()
    inlet = hx(small_game, 5, 10)
    m.terrain[inlet] = 0                     # a one-hex pond of sea inland
    try:
        sea = sea_geometry(m, 12)
        assert not any(sea.coastal[m.grid.neighbors[inlet]])
        assert sea.from_sea[inlet] > 2
    finally:
        m.terrain[:] = terrain


# ------------------------------------------------------------------------------ gunfire

def gunfire(g, side, rows, target) -> int:
    """The odds columns the sea rules give an attack (a preview: nothing is spent)."""
    return g.rule(NavalRules).attack_shift(AttackContext(side, tuple(rows), target, preview=True))


def test_gunfire_helps_the_defender_near_the_coast_and_runs_out(tmp_path, hx, put, sea_game):
    g = sea_game(un="naval_gunfire: 1")
    naval, u = g.rule(NavalRules), g.state.units
    put(g, "blue_1", 7, 3)            # on the coast
    put(g, "red_1", 6, 3)
    put(g, "blue_3", 7, 9)            # far inland
    put(g, "red_3", 6, 9)
    coast, inland = hx(g, 7, 3), hx(g, 7, 9)
    red1, red3 = [u.index_of("red_1")], [u.index_of("red_3")]
    assert gunfire(g, COMMUNIST, red1, coast) == -1
    assert gunfire(g, COMMUNIST, red3, inland) == 0
    g.odds(["red_1"], coast)
    g.odds(["red_1"], coast)          # previews spend nothing
    assert naval.gunfire_left(UN) == 1
    assert g.apply(Attack("communist", units=("red_1",), target=coast, advance=False))
    assert naval.gunfire_left(UN) == 0
    assert g.state.rules_state["naval"]["gunfire_used"]["un"] == 1
    assert gunfire(g, COMMUNIST, red1, coast) == 0
    assert any("naval gunfire" in line for line in g.state.log)


def test_gunfire_helps_the_attacker_and_is_renewed_in_the_naval_phase(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game(un="naval_gunfire: 1")
    naval, u = g.rule(NavalRules), g.state.units
    g.state.rules_state["naval"]["gunfire_used"]["un"] = 1      # spent before the UN's turn
    put(g, "blue_1", 7, 3)
    put(g, "red_1", 6, 3)
    end_phase(g, "communist")                                          # the UN's naval phase renews it
    assert naval.gunfire_left(UN) == 1
    rows = [u.index_of("blue_1")]
    coast = hx(g, 6, 3)
    with_fire = g.attack_shift(AttackContext(UN, tuple(rows), coast, preview=True))
    assert gunfire(g, UN, rows, coast) == 1
    g.state.sides[UN]["naval_gunfire"] = 0
    assert g.attack_shift(AttackContext(UN, tuple(rows), coast, preview=True)) == with_fire - 1
    g.state.sides[UN]["naval_gunfire"] = 1
    assert g.apply(Attack("un", units=("blue_1",), target=coast, advance=False))
    assert naval.gunfire_left(UN) == 0


# ------------------------------------------------------------------------------ landings

CERTAIN = "  landing: {chance: 1.0, max_chance: 1.0}\n"
HOPELESS = "  landing: {chance: 0.0, min_chance: 0.0, gunfire_bonus: 0.0}\n"


def test_a_prepared_unit_lands_behind_the_front(tmp_path, hx, prepared_in_westport, sea_game):
    g = sea_game(CERTAIN)
    row = prepared_in_westport(g)
    st, u = g.state, g.state.units
    beach = hx(g, 2, 2)
    assert st.owner[beach] == COMMUNIST
    res = g.apply(Land("un", unit="blue_2", to=beach))
    assert res.ok and res.details["success"] and res.details["beach"] == beach
    assert u.hex[row] == beach and u.mp[row] == 0 and st.owner[beach] == UN
    assert g.rule(NavalRules).lift_left(UN) == 0
    assert st.orders[-1]["type"] == "land"
    assert "lands" in st.log[-1]


def test_a_landing_thrown_back_loses_strength_and_stays_in_port(tmp_path, hx, prepared_in_westport, sea_game):
    g = sea_game(HOPELESS)
    row = prepared_in_westport(g)
    u = g.state.units
    res = g.apply(Land("un", unit="blue_2", to=hx(g, 2, 2)))
    assert res.ok and not res.details["success"] and res.details["lost"] == 2
    assert u.hex[row] == hx(g, 9, 2) and u.strength[row] == 6 and u.mp[row] == 0
    assert g.state.owner[hx(g, 2, 2)] == COMMUNIST
    assert "thrown back" in g.state.log[-1]


def test_landing_chance_and_seeded_roll(tmp_path, hx, prepared_in_westport, put, sea_game):
    g = sea_game(un="naval_lift: 2, naval_gunfire: 1")
    prepared_in_westport(g)
    put(g, "red_1", 2, 3)                     # next to the beach at (2, 2)
    beach = hx(g, 2, 2)
    chance, near, missions = g.rule(NavalRules).landing_chance(UN, beach)
    assert (near, missions) == (1, 1)
    assert chance == pytest.approx(0.8 - 0.15 + 0.05)
    res = g.apply(Land("un", unit="blue_2", to=beach))
    d = res.details
    assert d["chance"] == pytest.approx(chance, abs=1e-3)
    assert d["success"] == (d["roll"] < d["chance"])
    assert g.rule(NavalRules).gunfire_left(UN) == 0
    twin = sea_game(un="naval_lift: 2, naval_gunfire: 1", name="twin")
    prepared_in_westport(twin)
    put(twin, "red_1", 2, 3)
    assert twin.apply(Land("un", unit="blue_2", to=beach)).details == d


def test_landings_are_refused_with_a_reason(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game(CERTAIN)
    st = g.state
    beach = hx(g, 2, 2)
    put(g, "blue_2", 9, 2)
    end_phase(g, "communist")
    res = g.apply(Land("un", unit="blue_2", to=beach))          # in port only since this turn
    assert not res.ok and "prepared" in res.reason
    end_phase(g, "un")
    end_phase(g, "communist")
    st.sides[UN]["forbidden"].append("amphibious_landing")
    res = g.apply(Land("un", unit="blue_2", to=beach))
    assert not res.ok and "not allowed" in res.reason
    st.sides[UN]["forbidden"].remove("amphibious_landing")
    st.sides[UN]["naval_lift"] = 1                              # a division needs 2
    res = g.apply(Land("un", unit="blue_2", to=beach))
    assert not res.ok and "shipping" in res.reason
    st.sides[UN]["naval_lift"] = 2
    put(g, "red_1", 3, 2)
    res = g.apply(Land("un", unit="blue_2", to=hx(g, 3, 2)))
    assert not res.ok and "enemy holds that beach" in res.reason
    res = g.apply(Land("un", unit="blue_2", to=hx(g, 2, 4)))
    assert not res.ok and "not on the coast" in res.reason
    assert st.units.hex[st.units.index_of("blue_2")] == hx(g, 9, 2)
    assert not any(o["type"] == "land" for o in st.orders)
    assert g.apply(Land("un", unit="blue_2", to=beach)).ok


def test_a_unit_that_moved_is_no_longer_prepared(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game(CERTAIN)
    put(g, "blue_2", 9, 2)
    end_phase(g, "communist")
    u = g.state.units
    row = u.index_of("blue_2")
    u.mp[row] -= 1.0                     # it went out and came back: no preparation this turn
    end_phase(g, "un")
    end_phase(g, "communist")
    res = g.apply(Land("un", unit="blue_2", to=hx(g, 2, 2)))
    assert not res.ok and "prepared" in res.reason


# ------------------------------------------------------------------------------ scheduled landings

def test_a_scheduled_arrival_lands_on_its_enemy_held_port(tmp_path, end_phase, hx, sea_game):
    g = sea_game(CERTAIN, marines=True)
    north = hx(g, 1, 2)
    arrivals = []
    g.listeners.append(lambda k, p: arrivals.append(p) if k == "arrival" else None)
    assert g.state.owner[north] == COMMUNIST
    end_phase(g, "communist")
    end_phase(g, "un")
    end_phase(g, "communist")                  # turn 1: the Marines are due in the UN's reinforcements
    u = g.state.units
    r = u.index_of("blue_mar")
    assert u.status[r] == ON_MAP and u.hex[r] == north and g.state.owner[north] == UN
    assert arrivals and arrivals[-1]["unit"] == "blue_mar" and arrivals[-1]["hex"] == north
    assert any("Blue Marines lands at Northport" in line for line in g.state.log)


def test_a_scheduled_arrival_lands_beside_a_defended_port(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game(CERTAIN, marines=True)
    put(g, "red_tanks", 1, 2)            # troops in the port itself
    end_phase(g, "communist")
    end_phase(g, "un")
    end_phase(g, "communist")
    u = g.state.units
    h = int(u.hex[u.index_of("blue_mar")])
    assert h != hx(g, 1, 2) and g.rule(NavalRules).sea.coastal[h]
    assert g.state.map.grid.distance(h, hx(g, 1, 2)) <= 2


def test_without_landings_a_scheduled_arrival_comes_the_ordinary_way(tmp_path, end_phase, hx, sea_game):
    g = sea_game(CERTAIN, marines=True)
    g.state.sides[UN]["forbidden"].append("amphibious_landing")
    end_phase(g, "communist")
    end_phase(g, "un")
    end_phase(g, "communist")
    u = g.state.units
    h = int(u.hex[u.index_of("blue_mar")])
    assert u.status[u.index_of("blue_mar")] == ON_MAP and g.state.owner[h] == UN
    assert h != hx(g, 1, 2)


def test_a_failed_scheduled_landing_tries_again_next_turn(tmp_path, end_phase, sea_game):
    g = sea_game(HOPELESS, marines=True)
    end_phase(g, "communist")
    end_phase(g, "un")
    end_phase(g, "communist")
    u = g.state.units
    r = u.index_of("blue_mar")
    assert u.status[r] != ON_MAP and u.strength[r] == 10 and u.arrive_turn[r] == 2


# ------------------------------------------------------------------------------ sea transport

def test_ship_between_ports_uses_lift(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game()
    put(g, "blue_2", 9, 2)
    put(g, "blue_1", 9, 2)
    end_phase(g, "communist")
    u = g.state.units
    harbour = hx(g, 11, 2)
    res = g.apply(Ship("un", unit="blue_2", to=harbour))
    assert res.ok and not res.details["evacuation"]
    r = u.index_of("blue_2")
    assert u.hex[r] == harbour and u.mp[r] == 0
    assert g.rule(NavalRules).lift_left(UN) == 0
    res = g.apply(Ship("un", unit="blue_1", to=harbour))
    assert not res.ok and "shipping" in res.reason
    g.state.sides[UN]["naval_lift"] = 4
    res = g.apply(Ship("un", unit="blue_1", to=hx(g, 1, 2)))
    assert not res.ok and "not held by your side" in res.reason
    res = g.apply(Ship("un", unit="blue_1", to=hx(g, 9, 5)))
    assert not res.ok and "only in a port" in res.reason


def test_evacuation_from_a_port_in_enemy_zoc(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game("  evacuation: {chance: 1.0, loss: 1}\n")
    put(g, "blue_2", 9, 2)
    put(g, "red_1", 8, 2)                # next to the port
    end_phase(g, "communist")
    u = g.state.units
    r = u.index_of("blue_2")
    res = g.apply(Ship("un", unit="blue_2", to=hx(g, 11, 2)))
    assert res.ok and res.details["evacuation"] and res.details["lost"] == 1
    assert u.strength[r] == 7 and u.hex[r] == hx(g, 11, 2)
    assert "evacuated under fire" in g.state.log[-1]


# ------------------------------------------------------------------------------ the AI

def test_ai_evacuates_a_unit_cut_off_in_a_port(tmp_path, end_phase, hx, put, sea_game):
    g = sea_game()
    put(g, "blue_2", 9, 2)
    end_phase(g, "communist")
    u = g.state.units
    r = u.index_of("blue_2")
    u.supply[r] = 2
    SeaOperations().run(g, BaselineAI(UN))
    assert u.hex[r] == hx(g, 11, 2)
    assert g.state.orders[-1]["type"] == "ship"


AI_LANDING = ("  landing: {chance: 1.0, max_chance: 1.0}\n"
              "  ai: {landing_min_threat: 5, supply_slack: 6, landing_cooldown: 4}\n")


def test_ai_lands_behind_the_front_deliberately(tmp_path, hx, prepared_in_westport, put, sea_game):
    g = sea_game(AI_LANDING)
    prepared_in_westport(g)
    SeaOperations().run(g, BaselineAI(UN))
    landed = [o for o in g.state.orders if o["type"] == "land"]
    assert len(landed) == 1
    beach = landed[0]["to"]
    ours = g.state.units.hex[g.state.units.on_map(UN)]
    others = ours[ours != beach]
    assert g.state.map.grid.distance(np.full(others.size, beach), others).min() >= 6
    # the cooldown: no second landing soon after
    g.state.sides[UN]["naval_lift"] = 10
    put(g, "blue_1", 9, 2)
    g.rule(NavalRules).data()["in_port"]["blue_1"] = [hx(g, 9, 2), 0]
    SeaOperations().run(g, BaselineAI(UN))
    assert len([o for o in g.state.orders if o["type"] == "land"]) == 1


def test_the_ai_lands_no_garrison_of_a_place_it_is_ordered_to_hold(tmp_path, prepared_in_westport, sea_game):
    g = sea_game(AI_LANDING)
    prepared_in_westport(g)
    SeaOperations().run(g, BaselineAI(UN, {"hold": [{"places": ["Westport"]}]}))
    assert [o for o in g.state.orders if o["type"] == "land"] == []
    SeaOperations().run(g, BaselineAI(UN, {"hold": [{"places": ["Westport"], "until": "1950-06-25"}]}))
    assert len([o for o in g.state.orders if o["type"] == "land"]) == 1     # the order has lapsed


def test_no_lift_no_plans(tmp_path, prepared_in_westport, sea_game):
    g = sea_game(AI_LANDING, un="naval_lift: 0")
    prepared_in_westport(g)
    before = list(g.state.orders)
    SeaOperations().run(g, BaselineAI(UN))
    assert g.state.orders == before


# ------------------------------------------------------------------------------ saves, schema

def test_save_and_load_keep_the_sea_state(tmp_path, hx, prepared_in_westport, put, sea_game):
    g = sea_game(CERTAIN, un="naval_lift: 2, naval_gunfire: 2")
    prepared_in_westport(g)
    put(g, "blue_1", 7, 3)
    put(g, "red_1", 6, 3)
    assert g.apply(Attack("un", units=("blue_1",), target=hx(g, 6, 3), advance=False))
    save = tmp_path / "game.json"
    save_game(g, save)
    h = load_game(save)
    assert h.state.hash() == g.state.hash()
    assert h.state.rules_state["naval"] == g.state.rules_state["naval"]
    assert h.rule(NavalRules).gunfire_left(UN) == 1
    a = g.apply(Land("un", unit="blue_2", to=hx(g, 2, 2)))
    b = h.apply(Land("un", unit="blue_2", to=hx(g, 2, 2)))
    assert a.ok and b.ok and a.details == b.details
    assert h.state.hash() == g.state.hash()


def test_no_naval_section_changes_nothing(tmp_path, sea_game):
    g = sea_game()
    naval = "naval:\n  port_capacity: {ports: {Westport: 4, Northport: 4, Harbour: 4}}\n"
    text = (tmp_path / "sea.yaml").read_text().replace(naval, "")
    (tmp_path / "rules" / "naval.yaml").write_text("naval: {}\n")
    (tmp_path / "bare.yaml").write_text(text)
    bare = new_game(tmp_path / "bare.yaml", seed=5)
    assert bare.rule(NavalRules) is None and "naval" not in bare.state.rules_state
    assert g.rule(NavalRules) is not None
    assert "no 'land' orders" in bare.apply(Land("communist", unit="red_1", to=0)).reason


def test_a_misspelt_key_is_reported_with_its_place(tmp_path, sea_game):
    sea_game()
    text = (tmp_path / "sea.yaml").read_text() + "  gunfire: {rnage: 3}\n"
    (tmp_path / "typo.yaml").write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario_dict(tmp_path / "typo.yaml")
    msg = str(err.value)
    line = len(text.splitlines())
    assert f"typo.yaml:{line}:13: naval.gunfire: unknown key 'rnage': did you mean 'range'?" in msg
