"""Event engine: the decks themselves (the shipped historical deck) and the one deck checker,
game/scenario/cards.py, which the loader runs on every deck."""

import re
from pathlib import Path

import pytest

from game.events.conditions import CONDITIONS
from game.events.deck import load_deck
from game.events.effects import EFFECTS
from game.events.engine import EventRules
from game.scenario import cards
from game.scenario.loader import load_scenario_dict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real(real_deck):
    return load_deck(real_deck)


def _walk_condition(cond, seen):
    (key, arg), = cond.items()
    seen.add(key)
    if key == "not":
        _walk_condition(arg, seen)
    elif key in ("all", "any"):
        for c in arg:
            _walk_condition(c, seen)


def test_vocabulary_is_the_documented_one():
    doc = (ROOT / "docs" / "cards.md").read_text(encoding="utf-8")
    cond_part = doc.split("## Conditions", 1)[1].split("## Effects", 1)[0]
    eff_part = doc.split("## Effects", 1)[1].split("## Choice cards", 1)[0]
    doc_conds = set(re.findall(r"^\| `\{(\w+):", cond_part, re.M))
    doc_effs = set(re.findall(r"`(\w+):", "\n".join(line_.split("|")[1] for line_ in eff_part.splitlines()
                                                     if line_.startswith("| `"))))
    assert doc_conds == set(CONDITIONS) == set(cards.CONDITIONS)
    assert doc_effs == set(EFFECTS) == set(cards.EFFECTS)


def test_every_checked_condition_and_effect_can_be_played():
    assert set(cards.CONDITIONS) == set(CONDITIONS)
    assert set(cards.EFFECTS) == set(EFFECTS)


def test_real_deck_parses_and_every_key_is_known(real):
    assert real["deck"] == "korea_1950_1953"
    assert len(real["cards"]) == 101
    assert cards.validate_deck(real) == []
    conds, effs = set(), set()
    for card in real["cards"]:
        if "when" in card:
            _walk_condition(card["when"], conds)
        lists = [card.get("effects") or []]
        if "choice" in card:
            lists += [o.get("effects") or [] for o in card["choice"]["options"]]
            assert card["choice"]["ai"] in [o["id"] for o in card["choice"]["options"]]
        for effects in lists:
            for e in effects:
                (key, _), = e.items()
                effs.add(key)
    assert conds <= set(CONDITIONS) and effs <= set(EFFECTS)
    assert len(effs) >= 15                       # the deck exercises nearly all of the vocabulary


def test_real_deck_places_and_units_are_in_the_campaign(real):
    """Place names on the campaign map, unit ids in its order of battle: the loader's checks of
    the campaign's deck against the campaign find nothing."""
    data, source = load_scenario_dict(ROOT / "scenarios" / "korea_1950_1953.yaml")
    (_, deck, _), = source.decks
    assert deck["deck"] == real["deck"]
    assert cards.check_deck_against_scenario(deck, data, cards.added_unit_ids(deck)) == []


def _deck(*card_list):
    return {"deck": "bad", "cards": list(card_list)}


def _problems(deck):
    return [(i.path, i.message) for i in cards.validate_deck(deck)]


BASE = {"id": "c", "title": "T", "date": "1950-07-01", "text": "x", "source": "s",
        "historical": True, "effects": [{"set_flag": "f"}]}


@pytest.mark.parametrize("change,where,words", [
    ({"effects": [{"set_flagg": "f"}]}, ("cards", 0, "effects", 0, "set_flagg"), "did you mean 'set_flag'"),
    ({"effects": [{"vp": {"side": "un"}}]}, ("cards", 0, "effects", 0, "vp"), "missing required key 'points'"),
    ({"effects": [{"vp": {"side": "nato", "points": 1}}]}, ("cards", 0, "effects", 0, "vp", "side"),
     "must be one of un, communist"),
    ({"effects": [{"talks": "collapse"}]}, ("cards", 0, "effects", 0, "talks"), "must be one of"),
    ({"effects": [{"weather": {"condition": "fog", "turns": 1}}]}, ("cards", 0, "effects", 0, "weather", "condition"),
     "must be one of"),
    ({"effects": [{"allow": {"side": "un", "action": "nuke"}}]}, ("cards", 0, "effects", 0, "allow", "action"),
     "must be one of"),
    ({"date": "1950-06-31"}, ("cards", 0, "date"), "real date"),
    ({"probability": 1.5}, ("cards", 0, "probability"), "must be <= 1"),
    ({"colour": "red"}, ("cards", 0, "colour"), "unknown key 'colour'"),
    ({"when": {"flag": "x"}}, ("cards", 0, "when"), "needs 'window"),
])
def test_checker_reports_bad_cards(change, where, words):
    problems = _problems(_deck({**BASE, **change}))
    assert any(p == where and words in m for p, m in problems), problems


def test_checker_reports_bad_conditions_and_choices():
    card = {**BASE, "window": ["1950-07-01", "1950-07-10"], "when": {"all": [{"flag": "a"}, {"eval": 1}]}}
    del card["date"]
    problems = _problems(_deck(card))
    assert any(p == ("cards", 0, "when", "all", 1, "eval") and "unknown condition" in m for p, m in problems)
    choice = {**BASE, "side": "un", "choice": {"prompt": "?", "ai": "c", "options": [
        {"id": "a", "label": "A", "historical": True, "effects": []},
        {"id": "b", "label": "B", "historical": True, "effects": []}]}}
    del choice["effects"]
    msgs = [m for _, m in _problems(_deck(choice))]
    assert any("exactly one option" in m for m in msgs) and any("is not one of the options" in m for m in msgs)
    assert any("duplicate card id" in m for _, m in _problems(_deck(BASE, BASE)))
    assert _problems(_deck(BASE)) == []


def test_campaign_idle_run_fires_every_dated_card_on_its_date(real, next_turn):
    """The full campaign, nobody moving: every dated card fires in the turn of its date, the
    choices take the AI's option, and the armistice card ends the game on its last turn."""
    from game.engine.calendar import parse_date
    from game.scenario.errors import ScenarioError
    from game.sim.session import new_game

    try:
        g = new_game(ROOT / "scenarios" / "korea_1950_1953.yaml", seed=2)
    except (ScenarioError, FileNotFoundError) as exc:
        pytest.skip(f"the campaign scenario does not load yet: {exc}")
    if not g.rule(EventRules).cards:
        pytest.skip("the campaign names no deck")
    while not g.state.over:
        next_turn(g)
    st = g.state
    cal = st.scenario.calendar
    turns = {f["id"]: f["turn"] for f in st.fired}
    ids = [f["id"] for f in st.fired]
    assert len(ids) == len(set(ids))
    for card in real["cards"]:
        if "date" in card and cal.turn_start(0) <= parse_date(card["date"]) <= cal.end:
            assert turns.get(card["id"]) == cal.turn_of(card["date"]), card["id"]
    for card in real["cards"]:
        if card["id"] in turns and "choice" in card:
            assert st.card_state["choices"][card["id"]] == card["choice"]["ai"]
    assert st.result["reason"].startswith("Armistice signed")
    assert st.card_state["end_game"]["card"] == "armistice_signed"
    assert not g.pending_choices and not st.card_state.get("pending")
