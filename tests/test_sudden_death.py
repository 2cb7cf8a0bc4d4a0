"""Sudden death: holding every place of a list ends the game at once, unless a card has set the
rule's ``unless_flag`` (the campaign: all North Korea is no victory once China has decided to
intervene, since its armies cross regardless)."""

import pytest

from game.rules import victory
from game.scenario.loader import ScenarioError
from game.sim.session import new_game


def take_the_south(game):
    st = game.state
    rule = st.scenario.sudden_death[0]
    st.owner[rule["hexes"]] = 2          # the Communists hold Southtown and Harbour
    return rule


def test_holding_every_place_ends_the_game(small_game):
    take_the_south(small_game)
    result = victory.check_victory(small_game.state)
    assert result["winner"] == "communist" and result["level"] == "decisive"
    assert result["reason"] == "the Communists take the south"


def test_no_sudden_death_while_its_flag_is_set(small_game):
    rule = take_the_south(small_game)
    rule["unless_flag"] = "reinforcements_at_sea"
    assert victory.check_victory(small_game.state)["winner"] == "communist"   # the flag is not set yet
    small_game.state.flags.add("reinforcements_at_sea")
    assert victory.check_victory(small_game.state) is None


def test_the_campaign_is_not_won_in_the_north_once_china_has_decided(tmp_path):
    game = new_game("korea_1950_1953", seed=1)
    st = game.state
    rule = next(r for r in st.scenario.sudden_death if r["side"] == "un")
    assert rule["unless_flag"] == "china_intervenes"
    st.owner[rule["hexes"]] = 1
    assert victory.check_victory(st)["winner"] == "un"
    st.flags.add("china_intervenes")
    assert victory.check_victory(st) is None


def test_a_flag_no_card_sets_is_an_error_with_a_suggestion(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text('extends: korea_1950_1953\nid: mine\ntitle: "Mine"\nvictory:\n  sudden_death:\n'
                    '    - {side: un, holds: [Pyongyang], unless_flag: china_intervene}\n')
    with pytest.raises(ScenarioError) as err:
        new_game(path)
    text = str(err.value)
    assert f"{path}:6:" in text
    assert ("victory.sudden_death.0.unless_flag: neither a card of the scenario's decks nor its "
            "politics.start_flags sets the flag 'china_intervene'") in text
    assert "did you mean 'china_intervenes'?" in text


def test_a_start_flag_is_a_flag_the_scenario_sets(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text('extends: korea_1950_1953\nid: mine\ntitle: "Mine"\npolitics:\n  start_flags: [my_premise]\n'
                    'victory:\n  sudden_death:\n    - {side: un, holds: [Pyongyang], unless_flag: my_premise}\n')
    game = new_game(path)
    assert game.state.scenario.sudden_death[0]["unless_flag"] == "my_premise"
    assert "my_premise" in game.state.flags
