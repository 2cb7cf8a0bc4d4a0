"""The front-by-turn tool: the front on each meridian at every turn, against the line in force."""

import math

import numpy as np
import pytest

from game.engine.calendar import parse_date
from game.sim.arc import campaign_grid, meridian_grid, war_reference
from game.sim.front import front_latitudes
from game.sim.front_metric import KM_PER_DEGREE, reference_latitudes
from game.sim.session import ai_players, new_game
from game.sim.simulate import run
from game.tools import front_by_turn


def test_each_turns_front_is_the_games_own(small_front):
    dates, fronts = front_by_turn.play((str(small_front), 1, "1950-07-04"))
    game = new_game(small_front, seed=1)
    run(game, until="1950-07-04", players=ai_players(game))
    grid = meridian_grid(game.state.map)
    assert len(dates) == len(fronts) == len(game.owner_history)
    assert dates[0] == "1950-06-25" and dates[1] == "1950-06-28"        # a turn's first day
    last = front_latitudes(game.owner_history[-1], grid.lat, grid.lon, grid.korea, grid.edges)
    assert [None if math.isnan(x) else x for x in last] == fronts[-1]


def test_the_offset_is_from_the_line_that_stood_that_day():
    grid, war = campaign_grid(), war_reference()
    perimeter = war.line_on(parse_date("1950-08-03"))
    assert perimeter is not None and war.line_on(parse_date("1950-07-20")) is None
    ref = reference_latitudes(grid, perimeter.points)
    b = int(np.nanargmin(np.abs(grid.centres - 128.6)))           # a meridian the line crosses
    north = [None] * len(ref)
    north[b] = float(ref[b]) + 0.5                                  # half a degree north of it
    none = [None] * len(ref)
    per_seed = [(["1950-07-20", "1950-08-03"], [north, north]),
                (["1950-07-20", "1950-08-03"], [north, north]),
                (["1950-07-20", "1950-08-03"], [none, none])]      # no front on that meridian
    rows = front_by_turn.rows(per_seed, grid, [b], war)
    assert rows[0][1] is None and rows[0][2] == [None]              # no line stood on 20 July
    day, line, (km,) = rows[1]
    assert day == "1950-08-03" and line is perimeter
    assert km == pytest.approx(0.5 * KM_PER_DEGREE)
    per_seed[2] = (per_seed[2][0], [none, none])
    per_seed.append((["1950-07-20", "1950-08-03"], [none, none]))  # two of four: still counted
    assert front_by_turn.rows(per_seed, grid, [b], war)[1][2] == [pytest.approx(0.5 * KM_PER_DEGREE)]
    per_seed.append((["1950-07-20"], [none]))                      # a game that ended: not counted on 3 Aug
    per_seed.append((["1950-07-20", "1950-08-03"], [none, none]))  # two of five: not enough
    assert front_by_turn.rows(per_seed, grid, [b], war)[1][2] == [None]
    lat = front_by_turn.rows(per_seed[:2], grid, [b], war, latitudes=True)
    assert lat[0][2] == [pytest.approx(ref[b] + 0.5)] and lat[0][1] is None
    text = front_by_turn.table(rows, list(grid.centres), [b])
    assert "| 2 | 1950-08-03 | The Pusan Perimeter formed | +56 |" in text


def test_the_command_line_says_what_is_wrong(capsys, small_front):
    assert front_by_turn.main(["nosuch_scenario", "--seeds", "1"]) == 2
    assert "front_by_turn:" in capsys.readouterr().err
    for args, words in ((["--until", "1950-13-01"], "--until"), (["--lons", "east"], "--lons"),
                        (["--lons", ","], "at least one")):
        with pytest.raises(SystemExit) as stop:
            front_by_turn.main([str(small_front), *args])
        assert stop.value.code == 2 and words in capsys.readouterr().err
