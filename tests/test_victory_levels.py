"""Victory levels: decisive, marginal or a draw, from the margin against the historical
benchmark and the scenario's thresholds; the result says it in words."""

import pytest
from pydantic import ValidationError

from game.rules import victory
from game.scenario.schema import Victory
from game.sim.session import new_game
from game.ui.screens.end import explain, vp_table


@pytest.fixture
def game(small_game):
    cfg = small_game.state.scenario.config
    small_game.state.scenario.config = cfg.model_copy(update={"victory": Victory(draw_margin=5, decisive_margin=20)})
    return small_game


def with_margin(game, margin, monkeypatch):
    """Make the UN's VP minus the Communists' exactly ``margin`` above the benchmark."""
    monkeypatch.setattr(victory, "victory_points", lambda st: {"un": 100.0 + margin, "communist": 100.0})
    monkeypatch.setattr(victory, "benchmark", lambda st: {"margin": 0})
    return victory.final_result(game.state, "the last turn ended")


@pytest.mark.parametrize("margin,winner,level,words", [
    (3, "draw", "draw", "Draw: 3 VP from history, within the draw margin"),
    (-5, "draw", "draw", "Draw: 5 VP from history, within the draw margin"),
    (12, "un", "marginal", "UN marginal victory: 12 VP better than history"),
    (-12, "communist", "marginal", "Communist marginal victory: 12 VP better than history"),
    (25, "un", "decisive", "UN decisive victory: 25 VP better than history"),
    (-30.5, "communist", "decisive", "Communist decisive victory: 30.5 VP better than history"),
])
def test_the_margin_against_history_gives_the_winner_and_the_level(game, monkeypatch, margin, winner, level, words):
    result = with_margin(game, margin, monkeypatch)
    assert (result["winner"], result["level"]) == (winner, level)
    assert result["summary"] == words and result["margin_vs_history"] == margin


def test_without_a_decisive_margin_a_win_on_points_is_marginal(game, monkeypatch):
    game.state.scenario.config = game.state.scenario.config.model_copy(update={"victory": Victory(draw_margin=5)})
    assert with_margin(game, 500, monkeypatch)["level"] == "marginal"


def test_a_sudden_death_or_a_collapse_is_decisive(game):
    result = victory.final_result(game.state, "the UN Command is driven into the sea", "communist")
    assert result["level"] == "decisive"
    assert result["summary"] == "Communist decisive victory: the UN Command is driven into the sea"


def test_the_levels_must_be_in_order():
    with pytest.raises(ValidationError, match="decisive_margin"):
        Victory(draw_margin=10, decisive_margin=5)


def test_a_named_benchmark_is_named_in_the_result_and_on_the_end_screen(monkeypatch):
    # A what-if scored against an outcome history never had (whatif_china_stays_out: a united
    # Korea) says so: "26 VP better than history" would be wrong there.
    game = new_game("whatif_china_stays_out", seed=1)
    st = game.state
    bench = victory.benchmark(st)
    assert bench["name"] == "Korea united"
    monkeypatch.setattr(victory, "victory_points", lambda s: {"un": float(bench["margin"]) - 26.0, "communist": 0.0})
    result = victory.final_result(st, "the last turn ended")
    assert result["summary"] == "Communist marginal victory: 26 VP better than Korea united"
    words = " ".join(explain(result, 25.0))
    assert "The benchmark is Korea united" in words and "26 VP worse than Korea united" in words
    assert "history" not in words
    assert vp_table(result)[0][-1] == "Benchmark"
    monkeypatch.setattr(victory, "victory_points", lambda s: {"un": float(bench["margin"]) - 3.0, "communist": 0.0})
    assert victory.final_result(st, "x")["summary"] == "Draw: 3 VP from Korea united, within the draw margin"
