"""The authoring vocabulary of the cards (docs/cards.md): unit and area conditions, thresholds,
variables, random outcomes, chained and delayed cards, weighted AI choices and forced cards."""

from pathlib import Path

import pytest

from game.engine.errors import GameError
from game.engine.units import COMMUNIST, UN
from game.events.conditions import evaluate
from game.events.effects import apply_effects
from game.scenario.loader import ScenarioError, load_deck_dict, load_scenario_dict
from game.sim.saves import load_game, save_game
from game.sim.session import new_game

ROOT = Path(__file__).resolve().parents[1]
CHAIN = ROOT / "tests" / "events" / "chain_front.yaml"
CARD = {"id": "test_card", "source": "test"}


@pytest.fixture
def game(new_events_game):
    return new_events_game(seed=7)


def hex_of(game, name):
    return game.state.map.find_place(name).hex


# ------------------------------------------------------------------------------ conditions

def test_units_in_by_id_nation_type_and_area(game):
    u = game.state.units
    south = hex_of(game, "Southtown")
    u.hex[u.index_of("blue_1")] = south
    game.movement.invalidate()
    at = {"place": "Southtown", "radius": 0}
    assert evaluate(game, {"units_in": {"side": "un", "units": ["blue_1"], "area": at}})
    assert not evaluate(game, {"units_in": {"side": "un", "units": ["blue_2"], "area": at}})
    assert evaluate(game, {"units_in": {"nation": "ROK", "area": at}})
    assert not evaluate(game, {"units_in": {"nation": "US", "area": at}})
    assert evaluate(game, {"units_in": {"type": "infantry_division", "area": at}})
    assert not evaluate(game, {"units_in": {"type": "armored_brigade", "area": at}})
    assert not evaluate(game, {"units_in": {"side": "communist", "area": at}})
    assert not evaluate(game, {"units_in": {"side": "un", "area": at, "at_least": 2}})
    lat, lon = float(game.state.map.grid.lat[south]), float(game.state.map.grid.lon[south])
    box = {"lat_south": lat - 0.01, "lat_north": lat + 0.01, "lon_west": lon - 0.01, "lon_east": lon + 0.01}
    assert evaluate(game, {"units_in": {"units": ["blue_1"], "area": box}})
    wide = {"place": "Southtown", "radius": 30}
    assert evaluate(game, {"units_in": {"side": "communist", "area": wide, "at_least": 4}})


def test_units_in_a_map_edge(game):
    u = game.state.units
    r = u.index_of("blue_2")
    edge = {"edge": "south"}
    assert not evaluate(game, {"units_in": {"units": ["blue_2"], "area": edge}})
    u.hex[r] = int(game.state.map.grid.index(11, 6))      # the bottom row
    assert evaluate(game, {"units_in": {"units": ["blue_2"], "area": edge}})
    assert not evaluate(game, {"units_in": {"units": ["blue_2"], "area": {"edge": "north"}}})


def test_will_vp_and_losses_thresholds(game):
    st = game.state
    st.sides[UN]["will"] = 40
    assert evaluate(game, {"will": {"side": "un", "at_most": 40}})
    assert not evaluate(game, {"will": {"side": "un", "at_least": 41}})
    assert evaluate(game, {"will": {"side": "communist", "at_least": 50, "at_most": 100}})
    st.sides[COMMUNIST]["losses"] = 12
    assert evaluate(game, {"losses": {"side": "communist", "at_least": 12}})
    assert not evaluate(game, {"losses": {"side": "un", "at_least": 1}})
    from game.rules.victory import victory_points
    vp = victory_points(st)["un"]
    assert evaluate(game, {"vp": {"side": "un", "at_least": vp, "at_most": vp}})
    st.sides[UN]["vp"] += 10                       # card points count
    assert evaluate(game, {"vp": {"side": "un", "at_least": vp + 10}})


def test_variables_set_add_and_compare(game):
    st = game.state
    assert evaluate(game, {"var": {"name": "x", "equals": 0}})          # never set: 0
    apply_effects(game, [{"set_var": {"name": "x", "value": 3}}, {"add_var": {"name": "x", "value": 2.5}}], CARD)
    assert st.card_state["vars"] == {"x": 5.5}
    apply_effects(game, [{"add_var": {"name": "x", "value": -1.5}}], CARD)
    assert st.card_state["vars"] == {"x": 4}
    assert evaluate(game, {"var": {"name": "x", "equals": 4}})
    assert evaluate(game, {"var": {"name": "x", "at_least": 4, "at_most": 4}})
    assert not evaluate(game, {"var": {"name": "x", "at_least": 4.5}})


def test_a_declared_variable_starts_at_its_value():
    g = new_game(CHAIN, seed=1)
    assert evaluate(g, {"var": {"name": "declared", "equals": 5}})


# ------------------------------------------------------------------------------ random outcomes

def test_random_outcome_draws_by_weight_only_when_fired(game):
    st = game.state
    before = st.rng.bit_generator.state
    assert evaluate(game, {"var": {"name": "y", "equals": 0}}) and st.rng.bit_generator.state == before
    outcomes = [{"weight": 1, "label": "one", "effects": [{"set_flag": "one"}]},
                {"weight": 1000, "label": "two", "effects": [{"set_flag": "two"}]}]
    apply_effects(game, [{"random": outcomes}], CARD)
    assert st.rng.bit_generator.state != before
    assert "two" in st.flags and st.card_state["outcomes"] == {"test_card": "two"}


def test_random_outcomes_differ_by_seed_and_repeat_by_seed():
    def flags(seed):
        g = new_game(CHAIN, seed=seed)
        while g.state.turn < 3:
            _play_turn(g)
        return {"heads", "tails"} & g.state.flags

    got = [frozenset(flags(s)) for s in range(1, 9)]
    assert set(got) == {frozenset({"heads"}), frozenset({"tails"})}
    assert flags(3) == set(got[2])


# ------------------------------------------------------------------------------ chains, delays, choices

def _play_turn(g):
    from game.engine.orders import Choose, EndPhase
    from game.engine.units import SIDE_NAMES
    t = g.state.turn
    while g.state.turn == t and not g.state.over:
        name = SIDE_NAMES[g.state.active_side]
        for c in list(g.pending_for(g.state.active_side)):
            assert g.apply(Choose(name, card=c["card"], option=c["ai"])).ok
        assert g.apply(EndPhase(name)).ok


def test_a_trigger_fires_right_after_and_a_delay_days_later():
    g = new_game(CHAIN, seed=1)
    st = g.state
    order = [f["id"] for f in st.fired]
    assert order[:2] == ["starter", "follow_up"]         # right after, in the same turn
    assert "follow_up_fired" in st.flags and st.card_state["vars"]["count"] == 13
    assert "later_fired" not in st.flags and [e["card"] for e in st.card_state["scheduled"]] == ["later"]
    _play_turn(g)
    assert st.turn == 1 and "later_fired" in st.flags    # 25 June + 4 days: the turn of 28-30 June
    assert st.card_state["scheduled"] == []
    assert "blocked_fired" not in st.flags               # its condition did not hold


def test_a_weighted_ai_choice_is_drawn_when_the_card_fires():
    picks = []
    for seed in range(1, 21):
        g = new_game(CHAIN, seed=seed)
        _play_turn(g)
        pending = g.pending_for(UN)
        assert [p["card"] for p in pending] == ["chooser"]
        assert pending[0]["ai"] == g.state.card_state["pending"][0]["ai"]
        picks.append(pending[0]["ai"])
    assert picks.count("b") > picks.count("a") > 0
    again = new_game(CHAIN, seed=4)
    _play_turn(again)
    assert again.pending_for(UN)[0]["ai"] == picks[3]


def test_forced_cards_fire_whatever_their_condition_and_unknown_ones_are_refused():
    g = new_game(CHAIN, seed=1, fire=[("forced_only", "1950-07-02")])
    assert "forced" not in g.state.flags
    while g.state.turn < 2:
        _play_turn(g)
    assert "forced" in g.state.flags
    assert [f["turn"] for f in g.state.fired if f["id"] == "forced_only"] == [2]
    with pytest.raises(GameError, match="did you mean 'forced_only'"):
        new_game(CHAIN, seed=1, fire=[("forced_onl", "1950-07-02")])
    with pytest.raises(GameError, match="outside the scenario"):
        new_game(CHAIN, seed=1, fire=[("forced_only", "1951-07-02")])


def test_a_chain_of_cards_stops_at_the_limit():
    g = new_game(CHAIN, seed=1, fire=[("loop", "1950-06-25")])
    assert sum(1 for f in g.state.fired if f["turn"] == 0) == 1000          # the starter's two, then loops
    assert g.state.card_state["vars"]["loops"] == 998
    assert any("a chain of triggers stops" in line for line in g.state.log)


def test_saves_keep_variables_schedules_and_drawn_choices(tmp_path):
    g = new_game(CHAIN, seed=2)
    path = tmp_path / "chain.json"
    save_game(g, path)
    back = load_game(path)
    assert back.state.hash() == g.state.hash()
    assert back.state.card_state["scheduled"] == g.state.card_state["scheduled"]
    _play_turn(g)
    _play_turn(back)
    assert back.state.hash() == g.state.hash()
    assert back.pending_for(UN)[0]["ai"] == g.pending_for(UN)[0]["ai"]
    save_game(g, path)
    assert load_game(path).pending_for(UN)[0]["ai"] == g.pending_for(UN)[0]["ai"]


def test_the_same_seed_gives_the_same_game():
    a, b = new_game(CHAIN, seed=5), new_game(CHAIN, seed=5)
    for _ in range(4):
        _play_turn(a)
        _play_turn(b)
    assert a.state.hash() == b.state.hash()


# ------------------------------------------------------------------------------ the schema

def _deck(tmp_path, cards: str):
    path = tmp_path / "deck.yaml"
    path.write_text("deck: t\ncards:\n" + cards)
    return path


BASE = ("  - id: c\n    title: C\n    text: T\n    source: S\n    historical: false\n")


@pytest.mark.parametrize("extra, where, message", [
    ("    date: 1950-07-01\n    effects:\n      - random:\n          - {weight: 1, effects: [{set_flagg: x}]}\n"
     "          - {weight: 0, effects: [{set_flag: y}]}\n",
     (11, 36), "cards.0.effects.0.random.0.effects.0: unknown effect 'set_flagg': did you mean 'set_flag'?"),
    ("    date: 1950-07-01\n    effects:\n      - random:\n          - {weight: 1, effects: [{set_flag: x}]}\n"
     "          - {weight: 0, effects: [{set_flag: y}]}\n",
     (12, 22), "cards.0.effects.0.random.1.weight: must be > 0, not 0"),
    ("    triggered: true\n    date: 1950-07-01\n    effects: [{set_flag: x}]\n",
     (9, 5), "cards.0: a triggered card has no 'date'"),
    ("    triggered: true\n    when: {flag: x}\n    effects: [{trigger: {card: d, days: -1}}]\n",
     (10, 41), "cards.0.effects.0.trigger.days: must be >= 0, not -1"),
    ("    window: [1950-07-01, 1950-07-02]\n    when: {units_in: {side: un, area: {place: X, radiuss: 1}}}\n"
     "    effects: [{set_flag: x}]\n",
     (9, 50), "cards.0.when.units_in.area: unknown key 'radiuss': did you mean 'radius'?"),
    ("    window: [1950-07-01, 1950-07-02]\n    when: {units_in: {area: {lat_south: 40, lat_north: 39, "
     "lon_west: 1, lon_east: 2}}}\n    effects: [{set_flag: x}]\n",
     (9, 29), "cards.0.when.units_in.area: lat_north (39) must be north of lat_south (40)"),
    ("    window: [1950-07-01, 1950-07-02]\n    when: {will: {side: un}}\n    effects: [{set_flag: x}]\n",
     (9, 18), "cards.0.when.will: give at_least, at_most or both"),
    ("    date: 1950-07-01\n    side: un\n    choice:\n      prompt: P\n      options:\n"
     "        - {id: a, label: A, historical: true}\n        - {id: b, label: B}\n      ai: {a: 1, c: 2}\n",
     (15, 18), "cards.0.choice.ai: 'c' is not one of the options (a, b)"),
])
def test_deck_schema_of_the_new_vocabulary(tmp_path, extra, where, message):
    with pytest.raises(ScenarioError) as info:
        load_deck_dict(_deck(tmp_path, BASE + extra))
    got = {(p.line, p.col): p.message for p in info.value.problems}
    assert any(m.startswith(message) for m in got.values()), got
    assert any(m.startswith(message) and loc == where for loc, m in got.items()), got


def test_the_scenario_checks_triggers_variables_and_filters(tmp_path):
    events = ROOT / "tests" / "events"
    front = (events / "events_front.yaml").read_text()
    (tmp_path / "events_front.yaml").write_text(front.replace("../../scenarios/rules/standard.yaml",
                                                              "rules/standard.yaml"))
    (tmp_path / "test_deck.yaml").write_text((events / "test_deck.yaml").read_text())
    (tmp_path / "chain_deck.yaml").write_text((events / "chain_deck.yaml").read_text())
    (tmp_path / "bad.yaml").write_text(CHAIN.read_text().replace("[chain_deck.yaml]",
                                                                 "[chain_deck.yaml, bad_deck.yaml]"))
    (tmp_path / "bad_deck.yaml").write_text(
        "deck: bad\ncards:\n" + BASE + "    window: [1950-06-25, 1950-07-01]\n"
        "    when: {all: [{var: {name: cuont, at_least: 1}},\n"
        "                 {units_in: {nation: USA, type: tank, units: [blue_9], area: {edge: west}}}]}\n"
        "    effects: [{trigger: nowhere}, {add_var: {name: count, value: 1}}]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario_dict(tmp_path / "bad.yaml")
    got = sorted(str(p).split(": ", 1)[1] for p in info.value.problems)
    assert any(m.startswith("cards.0.when.all.0.var.name: no card sets the variable 'cuont'") and
               m.endswith("did you mean 'count'?") for m in got), got
    assert "cards.0.when.all.1.units_in.nation: unknown nation 'USA': did you mean 'US'?" in got
    assert any(m.startswith("cards.0.when.all.1.units_in.type: unknown unit type 'tank'") for m in got)
    assert any(m.startswith("cards.0.when.all.1.units_in.units.0: no unit 'blue_9'") for m in got)
    assert "cards.0.effects.0.trigger: no card 'nowhere' in the scenario's decks" in got


def test_releasing_a_held_unit_says_it_stays_held(new_events_game):
    g = new_events_game(seed=1, held={"go": ["blue_"]})
    apply_effects(g, [{"release_units": ["blue_us"]}], CARD)
    assert g.state.log[-1].endswith("(card test_card: blue_us stays held until the flag 'go' is set)")
    g.state.flags.add("go")
    apply_effects(g, [{"release_units": ["blue_us"]}], CARD)
    assert sum("stays held" in line for line in g.state.log) == 1
