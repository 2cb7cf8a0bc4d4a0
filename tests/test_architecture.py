"""The layer contract (docs/architecture.md): imports go one way, engine -> scenario -> rules ->
events -> ai -> sim -> batch -> render -> ui -> cli/tools, with no module cycle, counting every import
statement (those inside functions too). That pygame stays in render/ and ui/ is
test_engine_headless.py's."""

import pytest

from game.engine import vocabulary
from game.scenario.sections.weather import Chances
from game.tools.imports import cycles, import_graph, layer_breaches, package_graph


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_no_layer_imports_a_layer_above_it(graph):
    assert layer_breaches(graph) == []


def test_no_module_cycle(graph):
    assert cycles(graph) == []


def test_the_rules_and_below_know_nothing_of_the_ai(graph):
    packages = package_graph(graph)
    for low in ("engine", "scenario", "rules", "events"):
        assert "ai" not in packages.get(low, set()), low


def test_the_contract_catches_a_breach_and_a_cycle(tmp_path):
    """The checker on a hand-made package: the engine importing the AI, and two modules of the
    rules importing each other (inside a function, as the old turn.py did)."""
    game = tmp_path / "game"
    for pkg in ("engine", "rules", "ai"):
        (game / pkg).mkdir(parents=True)
        (game / pkg / "__init__.py").write_text("")
    (game / "__init__.py").write_text("")
    (game / "engine" / "state.py").write_text("from ..ai import planner\n")
    (game / "ai" / "planner.py").write_text("from ..rules import turn\n")
    (game / "rules" / "turn.py").write_text("from . import supply\n")
    (game / "rules" / "supply.py").write_text("def f():\n    from .turn import x\n")
    graph = import_graph(game)
    assert layer_breaches(graph) == ["game.engine.state imports game.ai: ai is above engine",
                                     "game.engine.state imports game.ai.planner: ai is above engine"]
    assert cycles(graph) == [["game.rules.supply", "game.rules.turn"]]


def test_the_weather_conditions_are_one_vocabulary():
    assert tuple(Chances.model_fields) == vocabulary.WEATHER_CONDITIONS
