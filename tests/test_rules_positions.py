"""Entrenchment by period and the war of positions: odds shift and extra attacker losses."""

import pytest
from pydantic import ValidationError

from game.engine.orders import Attack
from game.engine.units import COMMUNIST, UN
from game.rules import positions as P
from game.rules.module import AttackContext
from game.rules.turn import Game
from game.scenario.config import ScenarioConfig
from game.sim.session import RULE_MODULES


def place(game, uid, row, col):
    st = game.state
    st.units.hex[st.units.index_of(uid)] = int(st.map.grid.index(row, col))
    game.movement.invalidate()


SECTION = {
    "max_level": [{"from": "1950-06-25", "level": 2}, {"from": "1950-07-10", "level": 4}],
    "war_of_positions": {"from": "1950-07-10", "when_talks_open": True,
                         "shift_by_level": [0, 0, -1, -1, -2], "attacker_loss_by_level": [0, 0, 1, 1, 2]},
}


def game_with(small_game, section):
    """A fresh Game on the same state with the positions section in its scenario."""
    st = small_game.state
    st.scenario.data["positions"] = section
    st.scenario.config = ScenarioConfig.model_validate(st.scenario.data)
    g = Game(st, RULE_MODULES)
    g.start_hexes = st.units.hex.copy()
    return g


def test_entrenchment_builds_up_to_the_period_maximum(small_game):
    g = game_with(small_game, SECTION)
    st = g.state
    u = st.units
    rows = u.rows_on_map(UN)
    st.turn = 0
    for _ in range(5):
        P.entrench(g, UN)
    assert set(u.entrench[rows]) == {2}                    # the war of movement: 2
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    for _ in range(5):
        P.entrench(g, UN)
    assert set(u.entrench[rows]) == {4}                    # from 10 July: 4
    # A unit that moved or attacked does not dig.
    r = rows[0]
    u.entrench[r] = 0
    u.attacked[r] = True
    P.entrench(g, UN)
    assert u.entrench[r] == 0


def test_without_section_the_old_maximum_stands(small_game):
    g = game_with(small_game, {})
    st = g.state
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    for _ in range(5):
        P.entrench(g, UN)
    assert set(st.units.entrench[st.units.rows_on_map(UN)]) == {int(st.rules.combat.entrench_max)}
    assert not P.positional_war(st)
    target = st.units.hex[st.units.index_of("blue_1")]
    assert g.attack_shift(AttackContext(COMMUNIST, (st.units.index_of("red_1"),), int(target))) == \
        g.attack_shift(AttackContext(COMMUNIST, (st.units.index_of("red_1"),), int(target), preview=True))
    assert g.rule(P.PositionsRules).attack_shift(AttackContext(COMMUNIST, (0,), int(target))) == 0


def test_war_of_positions_shifts_odds_against_attacks_on_dug_in_hexes(small_game):
    g = game_with(small_game, SECTION)
    st = g.state
    u = st.units
    place(g, "blue_3", 9, 9)
    place(g, "red_1", 8, 9)
    target = int(st.map.grid.index(9, 9))
    r = u.index_of("blue_3")
    u.entrench[r] = 4
    st.turn = 0
    assert not P.positional_war(st)
    assert P.attack_shift(g, COMMUNIST, [u.index_of("red_1")], target) == 0
    st.talks = "open"                                      # the talks start the war of positions
    assert P.positional_war(st)
    assert P.attack_shift(g, COMMUNIST, [u.index_of("red_1")], target) == -2
    st.talks = "none"
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    assert P.attack_shift(g, COMMUNIST, [u.index_of("red_1")], target) == -2
    u.entrench[r] = 2
    assert P.attack_shift(g, COMMUNIST, [u.index_of("red_1")], target) == -1
    # The game's odds preview includes it.
    plain = g.odds(["red_1"], target).shift
    u.entrench[r] = 0
    assert g.odds(["red_1"], target).shift == plain + 1


def test_attackers_pay_extra_losses_against_dug_in_defenders(small_game):
    g = game_with(small_game, SECTION)
    st = g.state
    u = st.units
    st.turn = st.scenario.calendar.turn_of("1950-07-12")
    st.phase, st.side_index = "operations", list(st.scenario.side_order).index(COMMUNIST)
    place(g, "blue_3", 9, 9)
    place(g, "red_1", 8, 9)
    u.mp[u.index_of("red_1")] = 6
    u.entrench[u.index_of("blue_3")] = 4
    seen = []
    g.listeners.append(lambda kind, rep: seen.append(rep) if kind == "combat" else None)
    before = st.sides[COMMUNIST]["losses"]
    res = g.apply(Attack("communist", units=("red_1",), target=int(st.map.grid.index(9, 9)), advance=False))
    assert res.ok, res.reason
    rep = seen[-1]
    assert rep["positions_loss"] == 2
    assert st.sides[COMMUNIST]["losses"] - before == rep["attacker_lost"]
    assert any("dug-in positions" in line for line in st.log)


def test_section_schema_rejects_bad_keys():
    from game.scenario.sections.positions import Section
    Section.model_validate(SECTION)
    with pytest.raises(ValidationError):
        Section.model_validate({"max_level": [{"from": "1950-06-25", "lvl": 2}]})
    with pytest.raises(ValidationError):
        Section.model_validate({"war_of_positions": {"shift_by_level": [1]}})   # must help the defender
