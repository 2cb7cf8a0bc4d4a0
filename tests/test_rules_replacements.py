"""Replacements: points by a dated schedule plus the cards' deltas, spent on units in supply,
faster out of contact; efficiency diluted by recruits and recovered at rest."""

import pytest
from pydantic import ValidationError

from game.engine.units import COMMUNIST, UN
from game.rules import replacements as R

SECTION = {
    "weekly": True,
    "schedule": [{"from": "1950-06-25", "un": 7, "communist": 0},
                 {"from": "1950-07-10", "un": 14}],
    "max_per_unit": {"resting": 3, "in_contact": 1},
    "recruit_quality": 0.5,
    "efficiency_recovery": 5,
}


@pytest.fixture
def game(small_game, set_section):
    st = small_game.state
    set_section(small_game, "replacements", dict(SECTION))
    st.sides[UN]["replacements"] = 0
    st.sides[UN]["replacement_pool"] = 0
    return small_game


def test_points_follow_the_schedule_scaled_by_turn_length_plus_card_deltas(game):
    st = game.state
    st.turn = 0                                            # 25 June: 3-day turns
    assert R.scheduled_points(st, UN) == 7
    assert R.points_this_turn(st, UN) == pytest.approx(7 * 3 / 7)
    st.turn = st.scenario.calendar.turn_of("1950-07-12")    # 7-day turns from 10 July
    assert R.scheduled_points(st, UN) == 14
    assert R.scheduled_points(st, COMMUNIST) == 0           # a side left out keeps its value
    assert R.points_this_turn(st, UN) == pytest.approx(14)
    st.sides[UN]["replacements"] = -20                      # cards may cut below zero: none
    assert R.points_this_turn(st, UN) == 0
    st.sides[UN]["replacements"] = 2
    assert R.points_this_turn(st, UN) == pytest.approx(16)


def test_points_go_to_units_in_supply_resting_faster_than_in_contact(game, park, put):
    st = game.state
    u = st.units
    park(game, COMMUNIST)
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    rest, line, cut = (u.index_of(i) for i in ("blue_1", "blue_2", "blue_3"))
    for r in (rest, line, cut):
        u.strength[r] = 2
    put(game, "blue_1", 10, 4)
    put(game, "blue_2", 9, 8)
    put(game, "red_1", 8, 8)                              # next to blue_2: in contact
    put(game, "blue_3", 10, 6)
    u.supply[cut] = 2                                       # out of supply this turn
    game.movement.invalidate()
    R.rebuild(game, UN)
    assert u.strength[rest] == 5                            # +3 (resting cap)
    assert u.strength[line] == 3                            # +1 (in contact)
    assert u.strength[cut] == 2                             # none: out of supply
    assert st.sides[UN]["replacement_pool"] == pytest.approx(14 - 4)
    got = st.rules_state["replacements"]
    assert got["received"]["un"] == pytest.approx(14) and got["rebuilt"]["un"] == 4


def test_recruits_dilute_efficiency_and_rest_restores_it(game, park, put):
    st = game.state
    u = st.units
    park(game, COMMUNIST)
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    r = u.index_of("blue_1")
    u.strength[r] = 4
    u.efficiency[r] = 60                                    # ROK quality 60
    put(game, "blue_1", 10, 4)
    R.rebuild(game, UN)
    # 4 points at 60 and 3 recruits at 30 -> 47, then 5 back for a quiet turn -> 52
    assert u.strength[r] == 7
    assert u.efficiency[r] == round((60 * 4 + 30 * 3) / 7) + 5
    u.strength[r] = u.max_strength[r]
    for _ in range(5):
        R.rebuild(game, UN)
    assert u.efficiency[r] == 60                            # never above the nation's quality


@pytest.mark.parametrize("section", [None, {}])
def test_no_section_or_an_empty_one_keeps_the_old_rule(small_game, park, set_section, section):
    st = small_game.state
    u = st.units
    set_section(small_game, "replacements", section)
    st.rules_state.pop("replacements", None)
    park(small_game, COMMUNIST)
    st.sides[UN]["replacements"] = 5
    st.sides[UN]["replacement_pool"] = 0
    r = u.index_of("blue_1")
    u.strength[r] = 1
    R.rebuild(small_game, UN)
    assert u.strength[r] == 6                          # all the side's points, no cap
    assert "replacements" not in st.rules_state        # an empty section is no section


def test_campaign_section_validates_and_turn_runs_it(small_game):
    from pathlib import Path

    import yaml

    from game.scenario.sections.replacements import Section
    data = yaml.safe_load((Path(__file__).parents[1] / "scenarios/rules/replacements.yaml").read_text())
    sec = data["replacements"]
    for p in sec["schedule"]:
        p["from"] = str(p["from"])
    for p in sec.get("stragglers", []) + sec.get("levies", []):
        p["from"], p["until"] = str(p["from"]), str(p["until"])
    Section.model_validate(sec)
    with pytest.raises(ValidationError):
        Section.model_validate({"schedule": [{"from": "1950-07-01", "un": 1}, {"from": "1950-06-01", "un": 2}]})
    with pytest.raises(ValidationError):
        Section.model_validate({"weekly": True, "max_per_unt": {}})


def test_a_destroyed_unit_is_re_formed_from_the_pool_after_waiting(game, set_section):
    from game.engine.units import ELIMINATED, ON_MAP
    from game.rules.combat import eliminate
    st = game.state
    u = st.units
    set_section(game, "replacements", {**SECTION, "schedule": [{"from": "1950-06-25", "un": 0, "communist": 0}],
                                        "reconstitute": {"after_turns": 2, "strength": 0.5, "per_turn": 1}})
    r = u.index_of("blue_1")
    full = int(u.max_strength[r])
    eliminate(st, r)
    st.sides[UN]["replacement_pool"] = 100
    turn = st.turn
    R.rebuild(game, UN)                                   # noted as destroyed this turn
    assert u.status[r] == ELIMINATED
    st.turn = turn + 1
    R.rebuild(game, UN)
    assert u.status[r] == ELIMINATED                      # still waiting
    st.turn = turn + 2
    R.rebuild(game, UN)
    assert u.status[r] == ON_MAP and u.strength[r] == (full + 1) // 2
    assert st.owner[u.hex[r]] == UN
    assert st.sides[UN]["replacement_pool"] <= 100 - (full + 1) // 2
    assert any("re-formed" in line for line in st.log)


def test_no_re_forming_without_the_points(game, set_section):
    from game.engine.units import ELIMINATED
    from game.rules.combat import eliminate
    st = game.state
    u = st.units
    set_section(game, "replacements", {**SECTION, "schedule": [{"from": "1950-06-25", "un": 0, "communist": 0}],
                                        "reconstitute": {"after_turns": 0}})
    r = u.index_of("blue_1")
    eliminate(st, r)
    st.sides[UN]["replacement_pool"] = 1
    R.rebuild(game, UN)
    assert u.status[r] == ELIMINATED


STRAGGLERS = {**SECTION, "schedule": [{"from": "1950-06-25", "un": 0, "communist": 0}],
              "stragglers": [{"nations": ["ROK"], "share": 0.5, "after_turns": 2,
                              "from": "1950-06-25", "until": "1950-08-05"}]}


def _routed(game, uid, lost, retreat=1):
    """What an attack that cost ``uid`` ``lost`` points (and drove it back ``retreat`` hexes) does."""
    st = game.state
    r = st.units.index_of(uid)
    st.units.strength[r] -= lost
    st.sides[int(st.units.side[r])]["losses"] += lost
    R.count_missing(game, {"retreat": retreat, "defender_losses": {uid: lost}})
    return r


def test_stragglers_of_a_rout_rejoin_their_unit_and_leave_the_losses(game, set_section):
    st = game.state
    u = st.units
    set_section(game, "replacements", STRAGGLERS)
    st.sides[UN]["losses"] = 0
    r = _routed(game, "blue_1", 4)                        # 8 -> 4: 2 points missing, 2 dead
    assert st.rules_state["replacements"]["missing"] == [{"back": st.turn + 2, "unit": "blue_1", "points": 2.0}]
    turn = st.turn
    st.turn = turn + 1
    R.rebuild(game, UN)
    assert u.strength[r] == 4 and st.sides[UN]["losses"] == 4      # not back yet
    st.turn = turn + 2
    R.rebuild(game, UN)
    assert u.strength[r] == 6                             # back with their unit
    assert st.sides[UN]["losses"] == 2                    # missing, never dead
    assert st.rules_state["replacements"]["missing"] == []
    assert any("stragglers are back" in line for line in st.log)


def test_no_stragglers_without_a_rout_for_other_nations_or_out_of_dates(game, set_section):
    st = game.state
    rule = {**STRAGGLERS["stragglers"][0], "until": "1950-06-27"}
    set_section(game, "replacements", {**STRAGGLERS, "stragglers": [rule]})
    _routed(game, "blue_2", 2, retreat=0)                 # held its ground: the losses are real
    _routed(game, "red_1", 4)                             # not a nation of the rule
    st.turn = st.scenario.calendar.turn_of("1950-07-02")
    assert st.date.isoformat() > "1950-06-27"
    _routed(game, "blue_3", 4)                            # after the rule's last day
    assert st.rules_state.get("replacements", {}).get("missing", []) == []


def test_a_destroyed_unit_is_re_formed_from_its_stragglers(game, set_section):
    from game.engine.units import ELIMINATED, ON_MAP
    from game.rules.combat import eliminate
    st = game.state
    u = st.units
    set_section(game, "replacements", STRAGGLERS)
    r = u.index_of("blue_2")
    lost = int(u.strength[r])
    eliminate(st, r)
    st.sides[UN]["losses"] = lost
    R.count_missing(game, {"retreat": 1, "defender_losses": {"blue_2": lost}})
    turn = st.turn
    R.rebuild(game, UN)
    assert u.status[r] == ELIMINATED
    st.turn = turn + 2
    R.rebuild(game, UN)
    assert u.status[r] == ON_MAP and u.strength[r] == lost // 2
    assert st.sides[UN]["losses"] == lost - lost // 2
    assert st.owner[u.hex[r]] == UN


def test_a_real_attack_reports_each_defenders_losses(small_game, put):
    from game.rules.combat import resolve_attack
    st = small_game.state
    put(small_game, "red_1", 6, 4)
    report = resolve_attack(st, COMMUNIST, [st.units.index_of("red_1"), st.units.index_of("red_2")],
                            int(st.units.hex[st.units.index_of("blue_1")]))
    assert report["defender_lost"] == sum(report["defender_losses"].values())
    assert set(report["defender_losses"]) <= {"blue_1"}
    assert report["retreat"] >= 0


LEVY = {**SECTION, "schedule": [{"from": "1950-06-25", "un": 0, "communist": 0}],
        "max_per_unit": {},
        "levies": [{"nations": ["ROK"], "points": 7, "from": "1950-07-01", "until": "1950-07-20"}]}


def test_a_levy_fills_only_its_own_nations_units(game, park, set_section):
    st = game.state
    u = st.units
    set_section(game, "replacements", dict(LEVY))
    park(game, COMMUNIST)
    rok, us = u.index_of("blue_1"), u.index_of("blue_us")
    u.strength[rok], u.strength[us] = 2, 4
    st.turn = st.scenario.calendar.turn_of("1950-06-25")     # before the levy: nothing
    R.rebuild(game, UN)
    assert (u.strength[rok], u.strength[us]) == (2, 4)
    st.turn = st.scenario.calendar.turn_of("1950-07-12")     # 7-day turns: the week's 7 points
    R.rebuild(game, UN)
    assert u.strength[rok] == 8 and u.strength[us] == 4      # 6 to the ROK unit, none to the US one
    pools = st.rules_state["replacements"]["levies"]
    assert pools["0"] == pytest.approx(1)                    # the point left waits in the levy's pool
    assert st.sides[UN]["replacement_pool"] == 0
    st.turn = st.scenario.calendar.turn_of("1950-08-01")     # after its last day no more points come
    u.strength[rok] = 5
    R.rebuild(game, UN)
    assert u.strength[rok] == 6 and pools["0"] == pytest.approx(0)


def test_a_levy_re_forms_its_nations_destroyed_units(game, set_section):
    from game.engine.units import ELIMINATED, ON_MAP
    from game.rules.combat import eliminate
    st = game.state
    u = st.units
    set_section(game, "replacements", {**LEVY, "reconstitute": {"after_turns": 0, "strength": 0.5, "per_turn": 2}})
    rok, us = u.index_of("blue_2"), u.index_of("blue_us")
    eliminate(st, rok)
    eliminate(st, us)
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    R.rebuild(game, UN)
    assert u.status[rok] == ON_MAP and u.strength[rok] == 4   # half of 8 from the levy's 7 points
    assert u.status[us] == ELIMINATED                        # the levy raises no Americans


def test_a_levy_must_name_known_nations():
    from game.scenario.checks import nation_list_issues
    data = {"replacements": {"levies": [{"nations": ["ROK", "ROKK"], "points": 1, "from": "1950-07-01"}]}}
    issues = nation_list_issues(data, {"ROK": {}, "US": {}})
    assert [i.message for i in issues] == [
        "replacements.levies.0.nations.1: unknown nation 'ROKK': did you mean 'ROK'?"]
