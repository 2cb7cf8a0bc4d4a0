"""Combat: odds, shifts, results from the table, losses, retreats, advance."""

import numpy as np
import pytest

from game.engine.orders import Attack
from game.engine.units import ELIMINATED
from game.scenario.config import CombatResult


class FixedDie:
    """Stands in for the game's Generator where a test needs a known die roll."""

    def __init__(self, value):
        self.value = value

    def integers(self, lo, hi):
        return self.value


def setup_fight(g, attackers, defender, target_rc, attacker_rcs):
    st = g.state
    grid = st.map.grid
    st.units.hex[st.units.index_of(defender)] = int(grid.index(*target_rc))
    for uid, rc in zip(attackers, attacker_rcs, strict=False):
        st.units.hex[st.units.index_of(uid)] = int(grid.index(*rc))
    g.movement.invalidate()
    return int(grid.index(*target_rc))


def test_result_codes_parse():
    r = CombatResult.parse("A1 D2 R1")
    assert (r.attacker_loss, r.defender_loss, r.retreat) == (1, 2, 1)
    assert CombatResult.parse("-") == CombatResult(0, 0, 0, "-")
    with pytest.raises(ValueError):
        CombatResult.parse("X3")


def test_odds_from_strength_terrain_and_river(small_game):
    g = small_game
    st = g.state
    target = setup_fight(g, ["red_1"], "blue_3", (9, 9), [(8, 9)])
    odds = g.odds(["red_1"], target)
    fire = st.rules.firepower                # nation firepower from the shipped rules data
    a = 1.0 * 10 * fire("KPA") * 85 / 100   # type attack * strength * firepower * efficiency
    d = 1.0 * 8 * fire("ROK") * 60 / 100    # ROK defender on clear
    assert odds.attack == pytest.approx(a)
    assert odds.defense == pytest.approx(d)
    column = int(np.searchsorted(st.rules.odds, a / d + 1e-9, side="right")) - 1
    assert odds.label == st.rules.odds_labels[column] and odds.shift == 0
    # Across the major river (row 5 -> 6) the odds drop two columns.
    target = setup_fight(g, ["red_1"], "blue_3", (6, 6), [(5, 6)])
    odds = g.odds(["red_1"], target)
    assert odds.shift == -2
    # Mountains defend: the defender doubles and the odds shift one more column.
    target = setup_fight(g, ["red_1"], "blue_3", (6, 12), [(5, 12)])
    odds = g.odds(["red_1"], target)
    assert odds.defense == pytest.approx(d * 2.0) and odds.shift == -1


def test_attack_applies_table_result_losses_retreat_and_advance(small_game):
    g = small_game
    st = g.state
    target = setup_fight(g, ["red_1", "red_2"], "blue_3", (9, 9), [(8, 9), (8, 10)])
    st.rng = FixedDie(6)
    brow = st.units.index_of("blue_3")
    res = g.apply(Attack("communist", units=("red_1", "red_2"), target=target))
    assert res.ok, res.reason
    expected = st.rules.crt[5][res.details["odds"] and st.rules.odds_labels.index(res.details["odds"])]
    assert res.details["result"] == expected.code
    extra = res.details["defender_lost"] - expected.defender_loss      # from a blocked retreat
    assert st.units.strength[brow] == 8 - expected.defender_loss - extra
    if expected.retreat:
        assert st.units.hex[brow] != target
        assert st.map.grid.distance(st.units.hex[brow], target) >= 1
        assert res.details["advanced"] in ("red_1", "red_2")
        assert st.owner[target] == 2
    for uid in ("red_1", "red_2"):
        assert st.units.attacked[st.units.index_of(uid)]
    again = g.apply(Attack("communist", units=("red_1",), target=int(st.units.hex[brow])))
    assert not again.ok


def test_blocked_retreat_costs_extra_steps(small_game):
    g = small_game
    st = g.state
    # Defender in the south-west corner on the coast, hemmed in by sea and attackers.
    target = setup_fight(g, ["red_1", "red_2", "red_3"], "blue_1", (11, 2), [(10, 2), (10, 3), (11, 3)])
    st.rng = FixedDie(6)
    brow = st.units.index_of("blue_1")
    before = int(st.units.strength[brow])
    res = g.apply(Attack("communist", units=("red_1", "red_2", "red_3"), target=target))
    assert res.ok, res.reason
    code = CombatResult.parse(res.details["result"])
    assert code.retreat > 0
    assert res.details["defender_lost"] > code.defender_loss
    lost = before - max(int(st.units.strength[brow]), 0)
    assert lost == res.details["defender_lost"] or st.units.status[brow] == ELIMINATED


def test_invalid_attacks(small_game):
    g = small_game
    st = g.state
    empty = int(st.map.grid.index(10, 10))
    assert "no enemy" in g.apply(Attack("communist", units=("red_1",), target=empty)).reason
    far = int(st.units.hex[st.units.index_of("blue_3")])
    assert "not next to" in g.apply(Attack("communist", units=("red_1",), target=far)).reason
    assert "no attacking" in g.apply(Attack("communist", units=(), target=far)).reason


def test_dice_come_from_the_seeded_generator(small_game):
    g = small_game
    st = g.state
    target = setup_fight(g, ["red_1"], "blue_3", (9, 9), [(8, 9)])
    int(np.random.Generator(np.random.PCG64()).integers(1, 7)) if False else None
    state = st.rng.bit_generator.state
    res = g.apply(Attack("communist", units=("red_1",), target=target))
    replay = np.random.Generator(np.random.PCG64())
    replay.bit_generator.state = state
    assert res.details["die"] == int(replay.integers(1, 7))


def test_a_nations_firepower_follows_its_dated_entries(small_game):
    import datetime as dt

    from pydantic import ValidationError

    from game.rules.combat import attack_strength
    from game.scenario.schema import Nation

    spec = {"side": "un", "name": "Test", "firepower": 0.6, "quality": 60,
            "firepower_from": [{"from": "1951-07-10", "firepower": 0.8, "source": "s"},
                               {"from": "1952-06-01", "firepower": 1.1, "source": "s"}]}
    rules = small_game.state.rules
    rules.nations = {**rules.nations, "TST": Nation.model_validate(spec)}
    assert rules.firepower("TST") == 0.6
    assert rules.firepower("TST", dt.date(1951, 7, 9)) == 0.6
    assert rules.firepower("TST", dt.date(1951, 7, 10)) == 0.8
    assert rules.firepower("TST", dt.date(1953, 1, 1)) == 1.1
    # combat reads the turn's date: a unit of a nation with dated firepower
    u = small_game.state.units
    row = int(u.rows_on_map(int(u.side[0]))[0])
    nation = u.nations[row]
    before = float(attack_strength(small_game.state, [row])[0])
    rules.nations = {**rules.nations, nation: rules.nations[nation].model_copy(update={"firepower_from": [
        Nation.model_validate({**spec, "firepower_from": [{"from": "1900-01-01", "firepower":
                               2 * rules.firepower(nation), "source": "s"}]}).firepower_from[0]]})}
    assert float(attack_strength(small_game.state, [row])[0]) == pytest.approx(2 * before)
    with pytest.raises(ValidationError):
        Nation.model_validate({**spec, "firepower_from": list(reversed(spec["firepower_from"]))})
    with pytest.raises(ValidationError):
        Nation.model_validate({**spec, "firepower_from": [{"from": "1951-07-10", "firepower": 0.8}]})


def test_a_nations_way_of_fighting_shifts_the_odds_from_its_dates(small_game):
    import datetime as dt

    from game.rules.combat import compute_odds
    from game.scenario.schema import Nation

    g = small_game
    st = g.state
    rules = st.rules
    target = setup_fight(g, ["red_1", "red_2"], "blue_1", (6, 5), [(5, 4), (5, 5)])
    rows = [st.units.index_of("red_1"), st.units.index_of("red_2")]
    plain = compute_odds(st, rows, target)
    kpa = rules.nations["KPA"]
    periods = Nation.model_validate({"side": "communist", "name": "K", "firepower": 1, "quality": 80,
                                     "attack_columns_from": [
                                         {"from": "1950-06-01", "columns": 2, "source": "s"},
                                         {"from": "1951-01-25", "columns": 1, "source": "s"}]}).attack_columns_from
    rules.nations = {**rules.nations, "KPA": kpa.model_copy(update={"attack_columns_from": periods})}
    assert rules.attack_columns("KPA", dt.date(1950, 5, 31)) == 0
    assert rules.attack_columns("KPA", st.date) == 2
    assert rules.attack_columns("KPA", dt.date(1951, 2, 1)) == 1
    assert rules.attack_columns("ROK", st.date) == 0
    shifted = compute_odds(st, rows, target)
    assert shifted.shift == plain.shift + 2
    assert shifted.column == min(plain.column + 2, len(rules.odds) - 1)
    st.units.nations[rows[1]] = "CPV"                     # a mixed force gains only what all of it can
    assert compute_odds(st, rows, target).shift == plain.shift
    rok = rules.nations["ROK"]                            # dug in: attacks on its units lose columns
    held = Nation.model_validate({"side": "un", "name": "R", "firepower": 1, "quality": 60,
                                  "defense_columns_from": [{"from": "1950-06-01", "columns": 1, "source": "s"}]})
    rules.nations = {**rules.nations, "ROK": rok.model_copy(update={"defense_columns_from": held.defense_columns_from})}
    assert rules.defense_columns("ROK", st.date) == 1 and rules.defense_columns("KPA", st.date) == 0
    assert compute_odds(st, rows, target).shift == plain.shift - 1
    from game.ai.attack_math import module_shift
    st.units.nations[rows[1]] = "KPA"                     # the AI's read of the hex counts both sides' columns
    kpa_side = int(st.units.side[rows[0]])
    rules.nations = {**rules.nations, "ROK": rok}
    plain_ai = module_shift(g, kpa_side, target)
    rules.nations = {**rules.nations, "ROK": rok.model_copy(update={"defense_columns_from": held.defense_columns_from})}
    assert module_shift(g, kpa_side, target) == plain_ai - 1
    from game.ui.queries import defence_lines
    assert any("holding ground: odds -1" in line
               for line in defence_lines(st, target, [st.units.index_of("blue_1")]))
