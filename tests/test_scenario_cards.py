"""Card deck files: the closed vocabulary of effects and conditions, choices, and unit ids."""

from pathlib import Path

import pytest

from game.scenario.loader import SCENARIOS_DIR, ScenarioError, load_deck_dict, load_scenario_dict, validate_paths

DATA = Path(__file__).parent / "data" / "scenarios"
CARDS = DATA / "cards"


def test_good_deck_loads():
    deck, source = load_deck_dict(CARDS / "good_deck.yaml")
    assert deck["deck"] == "test_deck" and len(deck["cards"]) == 3
    path, line, col = source.locate(("cards", 1, "when", "all", 2, "controls", "place"))
    assert path.endswith("good_deck.yaml") and line == 19


def test_shipped_deck_validates_on_its_own():
    deck, _ = load_deck_dict(SCENARIOS_DIR / "cards" / "korea_1950_1953_cards.yaml")
    assert deck["deck"] == "korea_1950_1953" and len(deck["cards"]) > 50
    assert all(isinstance(c.get("date", ""), str) for c in deck["cards"])


def test_bad_deck_errors_with_line_and_column():
    with pytest.raises(ScenarioError) as info:
        load_deck_dict(CARDS / "bad_deck.yaml")
    got = {(p.line, p.col): p.message for p in info.value.problems}
    assert got[(11, 9)].startswith("cards.0.effects.1: unknown effect 'relase_units': did you mean 'release_units'? "
                                   "(the effects: set_flag, clear_flag, release_units, ")
    assert got[(12, 24)] == "cards.0.effects.2.vp: unknown key 'point': did you mean 'points'?"
    assert got[(13, 23)].startswith("cards.0.effects.3: an effect has exactly one key, this one has 2")
    assert got[(16, 26)] == "cards.1.window: the last day 1950-07-01 is before the first day 1950-08-01"
    assert got[(17, 12)].startswith("cards.1.when: unknown condition 'contrls': did you mean 'controls'? "
                                    "(the conditions: flag, controls, ")
    assert got[(20, 17)] == "cards.1.historical: must be true or false, not 'maybe'"
    assert got[(22, 16)].startswith("cards.1.effects.0.talks: must be one of open, suspend")
    assert got[(23, 9)] == "cards.2.id: duplicate card id 'one' (already used by cards.0)"
    assert got[(25, 11)] == "cards.2.date: '1950-06-31' is not a real date (June has 30 days)"
    assert got[(33, 9)] == "cards.2.choice.options: exactly one option must have 'historical: true' (2 have)"
    assert got[(35, 11)] == "cards.2.choice.ai: 'c' is not one of the options (a, b)"


@pytest.mark.parametrize("card, message", [
    ("    date: 1950-06-25\n    window: [1950-06-25, 1950-07-01]\n    when: {flag: x}\n",
     "cards.0: give either 'date' or 'window' + 'when', not both"),
    ("    window: [1950-06-25, 1950-07-01]\n", "cards.0: a card with 'window' needs a 'when:' condition"),
    ("    date: 1950-06-25\n    when: {flag: x}\n",
     "cards.0: a card with 'when' needs 'window: [FIRST, LAST]' (the days it may fire)"),
    ("    title2: x\n    date: 1950-06-25\n", "cards.0: unknown key 'title2': did you mean 'title'?"),
    ("    window: [1950-06-25, 1950-07-01]\n    when: {all: []}\n",
     "cards.0.when.all: must be a list of one or more conditions, not a list"),
    ("    window: [1950-06-25, 1950-07-01]\n    when: {hexes_held: {side: un, region: south, at_least: 1.5}}\n",
     "cards.0.when.hexes_held.at_least: must be <= 1, not 1.5"),
    ("    window: [1950-06-25, 1950-07-01]\n    when: {flag: x, on_map: y}\n",
     "cards.0.when: a condition has exactly one key, this one has 2 (flag, on_map); start each one on its own "
     "'- ' line or combine them with 'all:'"),
    ("    date: 1950-06-25\n    probability: 2\n", "cards.0.probability: must be <= 1, not 2"),
    ("    date: 1950-06-25\n    side: un\n", "cards.0: 'side' is only used with a 'choice'"),
])
def test_card_rules(tmp_path, card, message):
    text = ("deck: d\ncards:\n  - id: c\n    title: t\n    text: x\n    source: s\n    historical: true\n"
            + card + "    effects: [{message: hi}]\n")
    f = tmp_path / "d.yaml"
    f.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_deck_dict(f)
    assert message in [p.message for p in info.value.problems], info.value


def test_effect_parameters():
    from game.scenario.cards import check_effects
    ok = [{"set_flag": "a"}, {"weather": {"condition": "mud", "turns": 2}}, {"naval": {"side": "un", "lift": 1}},
          {"end_game": {"reason": "r", "winner": "score"}}, {"supply": {"side": "communist", "capacity": -10}},
          {"forbid": {"side": "un", "action": "cross_38th"}}, {"talks": "agree_line"}]
    assert check_effects(ok, ("effects",)) == []
    bad = [{"weather": {"condition": "fog", "turns": 2}}, {"allow": {"side": "un", "action": "nuke"}},
           {"release_units": []}, {"end_game": {"reason": "r", "winner": "nobody"}}, "set_flag: x", {}]
    issues = check_effects(bad, ("effects",))
    assert [i.path[:2] for i in issues] == [("effects", n) for n in range(6)]


def test_scenario_with_deck_checks_unit_ids():
    data, source = load_scenario_dict(DATA / "with_deck.yaml")
    assert source.decks[0][1]["deck"] == "test_deck"
    with pytest.raises(ScenarioError) as info:
        load_scenario_dict(DATA / "bad_deck_units.yaml")
    got = [(p.path.rsplit("/", 1)[-1], p.line, p.col, p.message) for p in info.value.problems]
    assert ("units_deck.yaml", 10, 34, "cards.0.effects.0.release_units.1: no unit 'blue_usa' in the scenario's "
                                       "units or reinforcements: did you mean 'blue_us'?") in got
    assert ("units_deck.yaml", 13, 18,
            "cards.0.effects.2.add_units.0.id: 'red_1' is already a unit of the scenario") in got
    assert any(g[1:3] == (13, 74) and "unknown unit type 'infantry_divisio'" in g[3] for g in got)
    assert any(g[1:3] == (17, 48) and "no unit 'red_22'" in g[3] for g in got)
    assert len(got) == 5


def test_validate_detects_decks():
    assert validate_paths([CARDS / "good_deck.yaml"]) == []
    assert len(validate_paths([CARDS / "bad_deck.yaml"])) >= 10
