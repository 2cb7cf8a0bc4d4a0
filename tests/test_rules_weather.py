"""Weather (game/rules/weather.py): zones, rolls, the card override, and the effects on
movement, combat odds, air and frostbite, on small hand-built situations."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from game.engine.orders import EndPhase
from game.engine.units import COMMUNIST, ELIMINATED, UN
from game.events.effects import apply_effects
from game.rules import weather
from game.rules.module import RuleModule
from game.scenario.loader import ScenarioError, load_scenario_dict
from game.sim.saves import load_game, save_game
from game.sim.session import RULE_MODULES, new_game

# The small front runs from 38.55 N (row 0) to 37.69 N (row 11): rows 0-4 are the cold zone.
EFFECTS = """\
  conditions:
    clear:       {move: 1.0, attack_shift: 0,  air: 1.0, frostbite: 0.0}
    rain:        {move: 1.25, attack_shift: 0, air: 0.6, frostbite: 0.0}
    snow:        {move: 2.0, attack_shift: -1, air: 0.5, frostbite: 0.0}
    severe_cold: {move: 1.5, attack_shift: 0,  air: 0.8, frostbite: 1.0}
    mud:         {move: 2.0, attack_shift: -1, air: 0.8, frostbite: 0.0}
  main_zone: warm
"""


def months(chances: str) -> str:
    return "".join(f"        {m}: {chances}\n" for m in weather.MONTHS)


def section(cold="{severe_cold: 1}", warm="{clear: 1}", extra="") -> str:
    return ("weather:\n" + EFFECTS + extra + "  zones:\n"
            "    cold:\n      lat_min: 38.2\n      climate:\n" + months(cold) +
            "    warm:\n      climate:\n" + months(warm))


ROOT = Path(__file__).resolve().parents[1]


def make_game(tmp_path, seed=7, name="wx", modules=RULE_MODULES, **kw):
    """The small front in tmp_path with the weather section given (the other rules as shipped)."""
    repo_root, small_front = ROOT, ROOT / "tests" / "scenarios" / "small_front.yaml"
    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(repo_root / "scenarios" / "rules", rules)
    (rules / "weather.yaml").write_text(kw.pop("text", None) or section(**kw))
    text = small_front.read_text().replace("include: [../../scenarios/rules/standard.yaml]",
                                     "include: [rules/standard.yaml]")
    text = re.sub(r"(?m)^remove: \[(.*)\]$", _keep_weather, text)   # the small front may drop it
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return new_game(path, seed=seed, modules=modules)


def _keep_weather(m) -> str:
    kept = [k.strip() for k in m.group(1).split(",") if k.strip() and k.strip() != "weather"]
    return f"remove: [{', '.join(kept)}]" if kept else ""


def end_turn(g):
    for side in ("communist", "un"):
        assert g.apply(EndPhase(side)).ok


def force(g, condition):
    """Every zone gets ``condition`` now, as a weather card would (then published)."""
    apply_effects(g, [{"weather": {"condition": condition, "turns": 1}}], {"id": "test"})
    weather.publish(g)


# ------------------------------------------------------------------------------ zones and rolls

def test_zones_split_the_map_by_latitude(tmp_path, hx):
    g = make_game(tmp_path)
    assert weather.zone_at(g, hx(g, 2, 5)) == "cold"
    assert weather.zone_at(g, hx(g, 9, 5)) == "warm"
    ws = g.state.rules_state["weather"]
    assert ws["zones"] == {"cold": "severe_cold", "warm": "clear"}
    assert ws["air"] == {"cold": 0.8, "warm": 1.0}
    assert g.state.weather == "clear"        # no fighting yet: the main zone (warm) shows


def test_the_top_bar_shows_the_zone_where_the_fighting_is(tmp_path, put):
    g = make_game(tmp_path)
    for uid, (r, c) in {"red_1": (2, 4), "blue_1": (3, 4), "red_2": (1, 6), "blue_2": (2, 6)}.items():
        put(g, uid, r, c)
    end_turn(g)
    assert g.state.rules_state["weather"]["main_zone"] == "cold"
    assert g.state.weather == "severe_cold"
    assert g.state.rules_state["weather"]["air_main"] == 0.8


def test_same_seed_same_weather(tmp_path):
    mixed = "{clear: 0.4, rain: 0.3, snow: 0.3}"

    def history(seed, name):
        g = make_game(tmp_path, seed=seed, name=name, cold=mixed, warm=mixed)
        seen = []
        for _ in range(6):
            seen.append(dict(g.state.rules_state["weather"]["zones"]))
            end_turn(g)
        return seen

    a, b = history(3, "a"), history(3, "b")
    assert a == b
    assert len({tuple(z.values()) for z in a}) > 1          # it does change from turn to turn
    assert history(4, "c") != a


def test_special_periods_replace_the_months_chances(tmp_path):
    extra_zone = ("      periods:\n        - {name: hard winter, from: 1950-06-20, to: 1950-06-30,"
                  " chances: {snow: 1}, source: test}\n")
    text = section().replace("    warm:\n      climate:\n", "    warm:\n" + extra_zone + "      climate:\n")
    g = make_game(tmp_path, text=text)
    assert g.state.rules_state["weather"]["zones"]["warm"] == "snow"     # 25 June: in the period
    model = weather.weather_model(g)
    import datetime as dt
    assert model.chances(1, dt.date(1950, 7, 10))[weather.CODE["clear"]] == 1.0


# ------------------------------------------------------------------------------ movement

def test_snow_shrinks_a_units_range(tmp_path, hx):
    g = make_game(tmp_path)
    row = g.state.units.index_of("blue_3")
    g.state.units.mp[row] = 6                                 # as at the start of its phase
    clear_range = int(g.movement.reachable(row).sum())
    force(g, "snow")
    h = hx(g, 9, 5)
    assert g.movement.multiplier(UN)[h] == pytest.approx(2.0)
    snow_range = int(g.movement.reachable(row).sum())
    assert 0 < snow_range < clear_range


def test_the_weather_layer_follows_each_zone(tmp_path, hx):
    g = make_game(tmp_path)
    mult = g.movement.multiplier(COMMUNIST)
    assert mult[hx(g, 1, 5)] == pytest.approx(1.5)           # cold zone: severe cold
    assert mult[hx(g, 10, 5)] == pytest.approx(1.0)          # warm zone: clear


def test_the_rain_slows_supply_off_the_railways_not_along_them(tmp_path, hx, park):
    from game.rules import supply as S
    text = section().replace("rain:        {move: 1.25,", "rain:        {move: 1.25, rail: 1.0,")
    g = make_game(tmp_path, text=text)
    st = g.state
    park(g, COMMUNIST)                                        # nothing of the enemy's in the way
    st.owner[st.map.land] = UN
    force(g, "clear")
    clear = S.supply_distance(st, UN, **S.trace_layers(g, UN))
    force(g, "rain")
    rain = S.supply_distance(st, UN, **S.trace_layers(g, UN))
    every_hex = S.supply_distance(st, UN, g.movement.multiplier(UN))   # the rain on the railway too
    # North of the river the railway (column 4) carries the supply from the bridge at row 5 on:
    # the rain's extra cost stays what the roads to it added, where it grew with every step.
    line = [hx(g, row, 4) for row in range(5, -1, -1)]
    extra = rain[line] - clear[line]
    assert np.allclose(extra, extra[0]) and extra[0] > 0
    assert np.all(np.diff(every_hex[line] - clear[line]) > 0)
    # Off the railway the rain slows supply as it slows movement.
    off = hx(g, 1, 7)
    assert rain[off] == pytest.approx(every_hex[off]) and rain[off] > clear[off]


# ------------------------------------------------------------------------------ the card override

def test_a_weather_card_holds_every_zone_and_counts_down(tmp_path, hx):
    g = make_game(tmp_path)
    st = g.state
    apply_effects(g, [{"weather": {"condition": "mud", "turns": 2}}], {"id": "test"})
    assert st.weather == "mud"
    end_turn(g)                                               # turn 1: one turn left
    assert st.weather_override == {"condition": "mud", "turns": 1}
    assert st.rules_state["weather"]["zones"] == {"cold": "mud", "warm": "mud"}
    assert g.movement.multiplier(UN)[hx(g, 10, 5)] == pytest.approx(2.0)
    end_turn(g)                                               # turn 2: the override is over
    assert st.weather_override == {}
    assert st.rules_state["weather"]["zones"] == {"cold": "severe_cold", "warm": "clear"}
    assert st.weather == "clear"
    assert g.movement.multiplier(UN)[hx(g, 10, 5)] == pytest.approx(1.0)
    assert any("Weather: cold mud, warm mud" in line for line in st.log)


class SnowCard(RuleModule):
    """A card that brings snow at the start of every turn, after the roll (as the event engine's
    cards do: it comes after the weather in the list of modules)."""

    def turn_start(self):
        apply_effects(self.game, [{"weather": {"condition": "snow", "turns": 1}}], {"id": "t"})


def test_a_card_fired_after_the_roll_takes_hold_before_anyone_moves(tmp_path, hx):
    g = make_game(tmp_path, modules=RULE_MODULES + (SnowCard,))
    end_turn(g)
    assert g.state.rules_state["weather"]["zones"] == {"cold": "snow", "warm": "snow"}
    assert g.movement.multiplier(UN)[hx(g, 10, 5)] == pytest.approx(2.0)


# ------------------------------------------------------------------------------ combat and air

def test_snow_shifts_the_odds_by_the_targets_zone(tmp_path, hx, put):
    g = make_game(tmp_path)
    put(g, "red_1", 8, 4)                                     # next to blue_1
    target = hx(g, 7, 4)                                      # blue_1, warm zone
    before = g.odds(["red_1"], target).shift
    force(g, "snow")
    assert g.odds(["red_1"], target).shift == before - 1
    force(g, "severe_cold")
    assert g.odds(["red_1"], target).shift == before


def test_air_factor_per_hex(tmp_path, hx):
    g = make_game(tmp_path)
    f = weather.air_factor_at(g, [hx(g, 1, 5), hx(g, 10, 5)])
    assert f.tolist() == [0.8, 1.0]


# ------------------------------------------------------------------------------ frostbite

def test_frostbite_hits_only_units_in_the_cold_zones_mountains(tmp_path, put):
    g = make_game(tmp_path)
    st, u = g.state, g.state.units
    put(g, "red_3", 1, 10)      # cold zone, mountain: bitten
    put(g, "red_1", 1, 3)       # cold zone, clear ground: spared
    put(g, "blue_3", 7, 12)     # warm zone, mountain: spared
    before = u.strength.copy()
    losses = {s: st.sides[s]["losses"] for s in (UN, COMMUNIST)}
    weather.frostbite(g, None)
    lost = before - u.strength
    assert lost[u.index_of("red_3")] == 1
    assert lost.sum() == 1
    assert st.sides[COMMUNIST]["losses"] == losses[COMMUNIST] + 1
    assert st.sides[UN]["losses"] == losses[UN]
    assert any("Frostbite: the Communists lose 1 strength point" in line for line in st.log)


def test_frostbite_is_worse_out_of_supply_and_can_destroy_a_unit(tmp_path, put):
    half = section().replace("severe_cold: {move: 1.5, attack_shift: 0,  air: 0.8, frostbite: 1.0}",
                             "severe_cold: {move: 1.5, attack_shift: 0,  air: 0.8, frostbite: 0.5}")
    g = make_game(tmp_path, text=half)
    u = g.state.units
    put(g, "red_3", 1, 10)
    put(g, "red_2", 2, 11)
    r3, r2 = u.index_of("red_3"), u.index_of("red_2")
    u.strength[r3] = 1
    u.supply[r3] = 2            # out of supply: 0.5 x 2 = certain
    u.supply[r2] = 0
    hits_r2 = 0
    for _ in range(20):
        if u.status[r3] != ELIMINATED:
            weather.frostbite(g, None)
        before = int(u.strength[r2])
        weather.frostbite(g, None)
        hits_r2 += before - int(u.strength[r2])
        u.strength[r2] = 10
    assert u.status[r3] == ELIMINATED and u.hex[r3] == -1
    assert 0 < hits_r2 < 20     # in supply: about half the time


# ------------------------------------------------------------------------------ no section, saves

def test_no_section_no_effect(tmp_path):
    g = make_game(tmp_path, text="weather: {}\n")
    assert weather.weather_model(g) is None
    end_turn(g)
    assert "weather" not in g.state.rules_state
    assert "weather" not in g.movement._layers
    assert g.state.weather == "clear"


def test_save_and_load_keep_the_weather_layer(tmp_path, hx):
    g = make_game(tmp_path, cold="{snow: 1}", warm="{mud: 1}")
    end_turn(g)
    path = tmp_path / "save.json"
    save_game(g, path)
    loaded = load_game(path)
    for side in (UN, COMMUNIST):
        assert np.array_equal(loaded.movement.multiplier(side), g.movement.multiplier(side))
    assert loaded.movement.multiplier(UN)[hx(g, 10, 5)] == pytest.approx(2.0)
    row = g.state.units.index_of("blue_3")
    assert np.array_equal(loaded.movement.reachable(row), g.movement.reachable(row))
    end_turn(g)
    end_turn(loaded)
    assert loaded.state.hash() == g.state.hash()


# ------------------------------------------------------------------------------ the schema

def _errors(tmp_path, text) -> str:
    with pytest.raises(ScenarioError) as err:
        make_game(tmp_path, text=text)
    return str(err.value)


def test_chances_must_add_up_to_one(tmp_path):
    text = section(warm="{clear: 0.5, rain: 0.4}")
    msg = _errors(tmp_path, text)
    line = text.splitlines().index("        jan: {clear: 0.5, rain: 0.4}") + 1
    assert f"weather.yaml:{line}:" in msg
    assert "weather.zones.warm.climate.jan: the chances must add up to 1, not 0.9" in msg


def test_misspelt_keys_and_unknown_zones_are_reported(tmp_path):
    msg = _errors(tmp_path, section().replace("attack_shift: -1, air: 0.5", "atack_shift: -1, air: 0.5"))
    assert "weather.conditions.snow: unknown key 'atack_shift': did you mean 'attack_shift'?" in msg
    msg = _errors(tmp_path, section().replace("main_zone: warm", "main_zone: wram"))
    assert "weather.main_zone: unknown zone 'wram'" in msg and "did you mean 'warm'" in msg
    msg = _errors(tmp_path, section(cold="{fog: 1}"))
    assert "unknown key 'fog'" in msg


def test_the_shipped_weather_data(tmp_path, repo_root):
    data, _ = load_scenario_dict(repo_root / "scenarios" / "korea_1950_1953.yaml")
    wx = data["weather"]
    assert list(wx["zones"]) == ["north", "central", "south"]
    for zone in wx["zones"].values():
        assert zone["climate"].get("source")
        for period in zone.get("periods", []):
            assert period.get("source") or period.get("note"), period["name"]
    g = new_game(repo_root / "scenarios" / "korea_1950_1953.yaml", seed=1)
    model = weather.weather_model(g)
    import datetime as dt
    north, south = model.zones.index("north"), model.zones.index("south")
    cold = weather.CODE["severe_cold"]
    assert model.chances(north, dt.date(1950, 12, 1))[cold] > model.climate[north, 11, cold]
    assert model.chances(south, dt.date(1950, 7, 20))[weather.CODE["monsoon"]] >= 0.5
