"""Every shipped scenario (scenarios/*.yaml, not rules, oob, cards or examples) validates and
plays AI against AI to its end without error."""
from pathlib import Path

import pytest

from game.scenario.validate_cli import cli_validate
from game.sim import simulate
from game.sim.session import new_game

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


def test_the_shipped_scenarios_are_found():
    names = {p.stem for p in SCENARIOS}
    assert {"korea_1950_1953", "pusan_perimeter", "inchon_breakout", "to_the_yalu", "ridgway",
            "war_of_the_hills", "whatif_no_inchon", "whatif_china_stays_out"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_validates(path, capsys):
    assert cli_validate([str(path)]) == 0, capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_plays_to_the_end(path):
    game = new_game(path, seed=1)
    start = game.state.date
    simulate.run(game)
    assert game.state.over
    assert game.state.date >= start


def test_units_due_on_the_first_day_are_on_the_map_when_the_game_starts():
    """A later scenario places the armies of its start date as reinforcements due that day: they
    stand on the map from the start instead of landing after the first side has moved."""
    from game.engine.units import ARRIVING, ON_MAP, UN
    from game.sim.session import new_game

    g = new_game("ridgway", seed=1)
    u = g.state.units
    assert int(u.status[u.index_of("us_24_div")]) == ON_MAP              # due 25 January 1951, the first day
    assert int(u.on_map(UN).sum()) >= 30
    later = [r for r in range(len(u)) if int(u.status[r]) == ARRIVING and int(u.arrive_turn[r]) > 0]
    assert later                                                           # later arrivals still wait
