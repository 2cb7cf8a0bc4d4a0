"""Small battles (docs/scenarios.md): a crop of the campaign map, places added or changed,
objectives (destroy, exit, hold until a day), and rule sections a scenario replaces."""

from pathlib import Path

import numpy as np
import pytest

from game.engine.mapdata import MapData
from game.engine.units import COMMUNIST, ELIMINATED, UN, WITHDRAWN
from game.rules.victory import score
from game.scenario.build import cropped
from game.scenario.loader import ScenarioError, load_scenario_dict, validate_file
from game.sim.saves import load_game, save_game
from game.sim.session import load_scenario, new_game

ROOT = Path(__file__).resolve().parents[1]
ASSET = ROOT / "assets" / "maps" / "korea_10km.npz"
BOX = {"lat_south": 39.76, "lat_north": 40.70, "lon_west": 126.90, "lon_east": 127.90}


# ------------------------------------------------------------------------------ the crop

@pytest.fixture(scope="module")
def korea():
    return MapData.load(ASSET)


def test_a_crop_keeps_every_hex_where_it_was(korea):
    small = cropped(korea, BOX)
    g = small.grid
    assert g.n < korea.n / 50
    assert (g.lat >= BOX["lat_south"]).all() and (g.lat <= BOX["lat_north"]).all()
    assert (g.lon >= BOX["lon_west"]).all() and (g.lon <= BOX["lon_east"]).all()
    same = korea.grid.latlon_to_index(g.lat, g.lon)          # each hex is the campaign's hex there
    assert (same >= 0).all()
    assert np.allclose(korea.grid.lat[same], g.lat) and np.allclose(korea.grid.lon[same], g.lon)
    assert (korea.terrain[same] == small.terrain).all() and (korea.region[same] == small.region).all()
    assert (korea.road[same] == small.road).all() and (korea.river[same] == small.river).all()
    for p in small.places:                                   # places re-indexed onto the crop
        assert korea.find_place(p.name).hex == same[p.hex]
    assert {"Hagaru-ri", "Koto-ri", "Hungnam"} <= set(small.place_names())
    assert "Seoul" in small.meta["crop"]["outside"] and small.find_place("Seoul") is None


def test_a_crop_too_small_or_off_the_map_is_refused(korea):
    from game.scenario.build import BuildError
    with pytest.raises(BuildError, match="holds less than two rows and columns"):
        cropped(korea, {"lat_south": 50.0, "lat_north": 51.0, "lon_west": 10.0, "lon_east": 11.0})


def test_the_chosin_scenario_plays_on_its_crop():
    s = load_scenario("chosin_reservoir")
    assert s.map.n < 200 and s.map.meta["crop"]["lat_south"] == 39.76
    assert s.map.find_place("Toktong Pass") is not None                     # a place added
    assert s.map.find_place("Hamhung").vp == 0                              # a place's VP changed
    assert s.map.find_place("Hamhung").kind == "city"                       # ... and nothing else


def _scenario(tmp_path, extra: str, name="battle.yaml"):
    text = (ROOT / "scenarios" / "chosin_reservoir.yaml").read_text()
    text = text.replace("decks: [cards/chosin_reservoir_cards.yaml]\n", "decks: []\n") + extra
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("block, replacement, words", [
    ("supply_sources:\n", "supply_sources: {un: [Pusan], communist: [Yudam-ni]}\n",
     "'Pusan' lies outside the map's crop"),
    ("map:\n", "map: {asset: korea_10km, crop: {lat_south: 40, lat_north: 39, lon_west: 127, lon_east: 128}}\n",
     "map.crop: lat_north (39) must be north of lat_south (40)"),
    ("map:\n", "map: {asset: korea_10km, crop: {lat_south: 39.76, lat_north: 40.7, lon_west: 126.9, "
     "lon_east: 127.9}, places: [{name: Nowhere Pass, vp: 2}]}\n", "a new place needs 'at'"),
])
def test_crop_and_place_mistakes_are_located(tmp_path, block, replacement, words):
    text = _scenario(tmp_path, "").read_text()
    start = text.index(block)
    end = text.index("\n\n", start) + 1                     # the block runs to the next blank line
    path = tmp_path / "bad.yaml"
    path.write_text(text[:start] + replacement + text[end:])
    problems = validate_file(path)
    assert any(words in p.message for p in problems), problems
    assert all(p.path == str(path) and p.line > 1 for p in problems if words in p.message)


def test_an_inline_map_cannot_be_cropped(tmp_path, small_front):
    text = small_front.read_text().replace("include: [../../scenarios/rules/standard.yaml]",
                                           "include: [rules/standard.yaml]")
    crop = "  crop: {lat_south: 38, lat_north: 38.5, lon_west: 126.7, lon_east: 127.5}\n"
    text = text.replace("map:\n", "map:\n" + crop, 1)
    path = tmp_path / "front.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match="map.crop: crops a map asset"):
        load_scenario_dict(path)


# ------------------------------------------------------------------------------ rule sections

def test_a_scenario_replaces_the_campaigns_rule_sections_whole(tmp_path):
    data, _ = load_scenario_dict(ROOT / "scenarios" / "chosin_reservoir.yaml")
    assert [p["from"] for p in data["air"]["baseline"]] == ["1950-11-27"]     # not the campaign's six
    assert "mig_alley" not in data["air"] and "ai" not in data["air"]         # removed, not merged
    assert "reconstitute" not in data["replacements"]
    assert data["weather"]["zones"]["north"]["lat_min"] == 39.5               # other sections kept
    merged = tmp_path / "merged.yaml"                                         # without remove: merged
    merged.write_text((ROOT / "scenarios" / "chosin_reservoir.yaml").read_text()
                      .replace("remove: [air, replacements]\n", ""))
    data, _ = load_scenario_dict(merged)
    assert "mig_alley" in data["air"] and "reconstitute" in data["replacements"]


# ------------------------------------------------------------------------------ objectives

@pytest.fixture
def battle(tmp_path):
    """A Chosin game with the objectives of ``victory`` replaced, no cards."""
    def make(objectives: str, seed=1):
        text = _scenario(tmp_path, "").read_text()
        start = text.index("victory:\n")
        end = text.index("  # History: Hagaru-ri held")
        text = text[:start] + "victory:\n  objectives:\n" + objectives + text[end:]
        path = tmp_path / "objectives.yaml"
        path.write_text(text)
        return new_game(path, seed=seed)
    return make


def _hex(game, name):
    return game.state.map.find_place(name).hex


def _end_un(game, end_phase):
    if game.state.active_side == COMMUNIST:
        end_phase(game, "communist")
    end_phase(game, "un")


def test_units_that_reach_an_exit_leave_the_map_and_score(battle, end_phase):
    g = battle("    - {id: out, side: un, exit: {units: [us_5_mar, us_7_mar], area: {place: Hungnam, radius: 1}},\n"
               "       vp_each: 3, vp: 5}\n")
    u = g.state.units
    r = u.index_of("us_5_mar")
    u.hex[r] = _hex(g, "Hungnam")
    g.movement.invalidate()
    _end_un(g, end_phase)
    progress = g.state.rules_state["objectives"]["progress"]["out"]
    assert int(u.status[r]) == WITHDRAWN and progress == {"units": ["us_5_mar"], "done": None}
    assert score(g.state)["un"]["objectives"] == 3
    r7 = u.index_of("us_7_mar")
    u.hex[r7] = _hex(g, "Hamhung")                           # within one hex of Hungnam
    g.movement.invalidate()
    _end_un(g, end_phase)
    assert progress["done"] is True and score(g.state)["un"]["objectives"] == 3 * 2 + 5
    assert any("Objective met (un)" in line for line in g.state.log)


def test_destroy_objectives_count_each_unit_and_can_end_the_game(battle, next_turn):
    g = battle("    - {id: kill, side: communist, destroy: {units: [us_5_mar, us_7_mar]}, vp_each: 2, vp: 10,\n"
               "       ends_game: true, reason: gone}\n")
    u = g.state.units
    u.status[u.index_of("us_5_mar")] = ELIMINATED
    u.hex[u.index_of("us_5_mar")] = -1
    next_turn(g)
    assert score(g.state)["communist"]["objectives"] == 2 and not g.state.over
    u.status[u.index_of("us_7_mar")] = ELIMINATED
    u.hex[u.index_of("us_7_mar")] = -1
    next_turn(g)
    r = g.state.result
    assert g.state.over and r["winner"] == "communist" and r["level"] == "decisive" and r["reason"] == "gone"
    assert r["vp_breakdown"]["communist"]["objectives"] == 14


def test_hold_objectives_are_judged_on_their_day(battle):
    from game.rules.objectives import ObjectiveRules
    g = battle("    - {id: keep, side: un, hold: [Hamhung], until: 1950-11-29, vp: 4}\n"
               "    - {id: never_lose, side: un, hold: [Hagaru-ri], until: 1950-12-10, continuously: true, vp: 4}\n")
    st, rule = g.state, g.rule(ObjectiveRules)
    progress = st.rules_state["objectives"]["progress"]
    st.owner[_hex(g, "Hagaru-ri")] = COMMUNIST
    rule.turn_end()                                          # the end of 27 November
    assert progress == {"keep": {"units": [], "done": None}, "never_lose": {"units": [], "done": False}}
    st.owner[_hex(g, "Hagaru-ri")] = UN
    st.turn = 2                                              # the end of 29 November
    st.owner[_hex(g, "Hamhung")] = UN
    rule.turn_end()
    assert progress["keep"]["done"] is True and progress["never_lose"]["done"] is False
    assert score(st)["un"]["objectives"] == 4


def test_a_missed_deadline_fails_the_objective(battle, to_turn):
    g = battle("    - {id: late, side: un, exit: {units: [us_5_mar], area: {place: Hungnam}}, by: 1950-11-28, vp: 9}\n")
    to_turn(g, 2)
    assert g.state.rules_state["objectives"]["progress"]["late"]["done"] is False


def test_objectives_survive_a_save(battle, tmp_path, next_turn, end_phase):
    g = battle("    - {id: out, side: un, exit: {nation: UK, area: {edge: south}}, vp_each: 1}\n")
    next_turn(g)
    path = tmp_path / "save.json"
    save_game(g, path)
    back = load_game(path)
    assert back.state.hash() == g.state.hash()
    assert back.state.rules_state["objectives"] == g.state.rules_state["objectives"]


@pytest.mark.parametrize("objective, words", [
    ("    - {id: a, side: un, hold: [Koto-ri]}\n", "a hold objective needs 'until: YYYY-MM-DD'"),
    ("    - {id: a, side: un, hold: [Koto-ri], until: 1950-12-01, destroy: {units: [cpv_20a_60_div]}}\n",
     "an objective has exactly one of destroy, exit and hold (2 given)"),
    ("    - {id: a, side: un, destroy: {units: [cpv_20a_61_div]}}\n", "no unit 'cpv_20a_61_div'"),
    ("    - {id: a, side: un, destroy: {nation: KPA_}}\n", "unknown nation 'KPA_': did you mean 'KPA'?"),
    ("    - {id: a, side: un, exit: {area: {place: Hungnm}}}\n", "unknown place 'Hungnm': did you mean 'Hungnam'?"),
    ("    - {id: a, side: un, exit: {area: {edge: south}}, by: 1951-01-01}\n", "is outside the scenario"),
    ("    - {id: a, side: un, hold: [Koto-ri], until: 1950-12-01, vp_each: 2}\n", "vp_each not used with hold"),
    ("    - {id: a, side: un, hold: [Koto-ri], until: 1950-12-01}\n    - {id: a, side: un, hold: [Koto-ri], "
     "until: 1950-12-02}\n", "duplicate objective id 'a'"),
])
def test_objective_mistakes_are_located(tmp_path, objective, words):
    text = _scenario(tmp_path, "").read_text()
    start = text.index("victory:\n")
    end = text.index("  # History: Hagaru-ri held")
    path = tmp_path / "bad_objectives.yaml"
    path.write_text(text[:start] + "victory:\n  objectives:\n" + objective + text[end:])
    problems = validate_file(path)
    assert any(words in p.message for p in problems), problems
    assert all(p.line > 1 for p in problems)


def test_scenarios_without_objectives_score_as_before():
    g = new_game("pusan_perimeter", seed=1)
    assert "objectives" not in score(g.state)["un"] and "objectives" not in g.state.rules_state
    assert UN in g.state.sides
