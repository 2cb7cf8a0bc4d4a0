"""The AI trace tool: which planner moved a unit, without changing the game it watches."""

import pytest

from game.engine.errors import GameError
from game.sim.session import ai_players, new_game
from game.sim.simulate import run
from game.tools import ai_trace


def test_the_trace_follows_the_units_and_changes_nothing(small_front):
    game, steps = ai_trace.trace(small_front, ["red_1", "blue_1"], seed=1, until="1950-07-10")
    plain = new_game(small_front, seed=1)
    run(plain, until="1950-07-10", players=ai_players(plain))
    assert game.state.hash() == plain.state.hash()                  # watching plays the same game
    names = {p.name for ai in ai_players(plain).values() for p in ai.planners}
    assert steps and {s.planner for s in steps} <= names
    assert {s.unit for s in steps} == {"red_1", "blue_1"}
    assert [s.side for s in steps if s.unit == "red_1"][0] == "communist"
    for uid in ("red_1", "blue_1"):
        # One side's planners run one after the other in its phase: each starts where the last left it.
        mine = [s for s in steps if s.unit == uid]
        assert all(a.after == b.before for a, b in zip(mine[:-1], mine[1:], strict=True) if b.date == a.date)
    attack = next(s for s in steps if s.attacked)
    assert "attacked" in ai_trace.describe(game.state.map, attack)


def test_an_unknown_unit_is_named(capsys, small_front):
    with pytest.raises(GameError, match="no unit 'red_9'"):
        ai_trace.trace(small_front, ["red_1", "red_9"])
    assert ai_trace.main([str(small_front), "--units", "red_9"]) == 2
    assert "ai_trace: no unit 'red_9'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        ai_trace.main([str(small_front), "--units", ","])
