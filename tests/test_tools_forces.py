"""The forces tool: strength on the map by nation on chosen dates, over seeds."""

import datetime as dt

import pytest

from game.engine.units import ON_MAP
from game.scenario.reference import Strength
from game.sim.session import ai_players, new_game
from game.sim.simulate import run
from game.tools import forces


def test_the_forces_on_a_date_are_the_games_own(small_front):
    found = forces.play((str(small_front), 1, ["1950-06-28", "1950-07-04"]))
    assert len(found) == 2
    game = new_game(small_front, seed=1)
    run(game, until="1950-07-04", players=ai_players(game))
    st, u = game.state, game.state.units
    on = u.status == ON_MAP
    kpa = int(sum(int(u.strength[r]) for r in range(len(u)) if on[r] and u.nations[r] == "KPA"))
    assert found[1]["KPA"] == kpa
    assert found[1]["losses un"] == st.sides[1]["losses"] and found[1]["losses communist"] == st.sides[2]["losses"]
    nations = {k: v for k, v in found[1].items() if not k.startswith(("losses", forces.TOTAL))}
    assert sum(nations.values()) == int(u.strength[on].sum())
    assert found[1]["total un"] + found[1]["total communist"] == int(u.strength[on].sum())
    assert found[1]["total communist"] == sum(int(u.strength[r]) for r in range(len(u)) if on[r] and u.side[r] == 2)


def test_the_table_gives_means_and_ranges_and_the_games_that_reached_each_date():
    per_seed = [[{"KPA": 10, "ROK": 4, "losses un": 1}, {"KPA": 8, "ROK": 2, "losses un": 3}],
                [{"KPA": 12, "ROK": 4, "losses un": 1}]]                 # the second game ended early
    text = forces.table(["1950-07-01", "1950-08-01"], per_seed)
    assert "| date | games | KPA | ROK | losses un |" in text
    assert "| 1950-07-01 | 2 | 11.0 (10-12) | 4.0 | 1.0 |" in text
    assert "| 1950-08-01 | 1 | 8.0 | 2.0 | 3.0 |" in text


def test_the_command_line_says_what_is_wrong(capsys, small_front):
    assert forces.main(["nosuch_scenario", "--dates", "1950-07-01"]) == 2
    assert "forces:" in capsys.readouterr().err
    for dates, words in (("1950-13-01", "month must be in 1..12"), ("1950-08-01,1950-07-01", "in order")):
        with pytest.raises(SystemExit) as stop:
            forces.main([str(small_front), "--dates", dates])
        assert stop.value.code == 2 and words in capsys.readouterr().err


def test_the_sources_strengths_stand_beside_the_games_on_the_nearest_date():
    per_seed = [[{"KPA": 120, "ROK": 30, "US": 30, "total un": 62, "total communist": 120}],
                [{"KPA": 100, "ROK": 26, "US": 36, "total un": 64, "total communist": 100}]]
    near = Strength(dt.date(1950, 8, 5), "communist", ("KPA",), 98.0, 70.0, "Appleman")
    side = Strength(dt.date(1950, 8, 4), "un", (), 141.8, None, "Appleman XV")
    pair = Strength(dt.date(1950, 8, 1), "un", ("ROK", "US"), 92.0, None, "sum")
    far = Strength(dt.date(1950, 6, 25), "un", ("ROK",), 98.0, 65.0, "too far")
    text = forces.sources_table(["1950-08-04"], per_seed, [near, side, pair, far])
    assert "| 1950-08-05 | KPA | 98 (70 in combat units) | 1950-08-04: 110.0 (100-120) | Appleman |" in text
    assert "| 1950-08-04 | all UN | 141.8 | 1950-08-04: 63.0 (62-64) | Appleman XV |" in text
    assert "| 1950-08-01 | ROK, US | 92 | 1950-08-04: 61.0 (60-62) | sum |" in text
    assert "too far" not in text
    british = Strength(dt.date(1950, 8, 29), "un", ("UK",), 1.6, None, "27th Brigade")
    assert "| 1950-08-29 | UK | 1.6 | 1950-09-01: · (counted among other UN) | 27th Brigade |" in \
        forces.sources_table(["1950-09-01"], per_seed, [british])
    assert forces.sources_table(["1951-01-01"], per_seed, [near]) == ""
    table = forces.table(["1950-08-04"], per_seed)
    assert "total" not in table                    # the side totals feed the sources' rows only
