"""Open a scenario (or a save) as a Game ready to play: the one door the CLI, UI and tests use."""

from __future__ import annotations

from pathlib import Path

from ..ai.baseline import BaselineAI
from ..engine.units import SIDE_NAMES, SIDES
from ..rules.turn import Game
from ..scenario.build import REPO_ROOT, BuildError, build_scenario, new_state
from ..scenario.loader import Problem, ScenarioError, load_scenario_dict

SCENARIOS = REPO_ROOT / "scenarios"
DEFAULT_SCENARIO = SCENARIOS / "korea_1950_1953.yaml"


def resolve_scenario(name: str | Path) -> Path:
    """A path as given, or a shipped scenario by name (``korea_1950_1953``)."""
    p = Path(name)
    if p.exists():
        return p
    shipped = SCENARIOS / f"{name}.yaml"
    return shipped if shipped.exists() else p


def _located(exc: BuildError, source) -> ScenarioError:
    file, line, col = source.locate(exc.where)
    return ScenarioError([Problem(str(file), line, col, exc.message)])


def load_scenario(path):
    """Load, validate and build a scenario; every problem comes back as a ScenarioError."""
    return _open(path)[0]


def _open(path):
    data, source = load_scenario_dict(resolve_scenario(path))
    try:
        return build_scenario(data, resolve_scenario(path)), source
    except BuildError as exc:
        raise _located(exc, source) from None


def new_game(path, seed: int = 0) -> Game:
    """A new game of a scenario, started and waiting for the first side's orders."""
    scenario, source = _open(path)
    try:
        state = new_state(scenario, seed)
    except BuildError as exc:
        raise _located(exc, source) from None
    game = Game(state)
    install_rules(game)
    game.start()
    return game


# Rule modules with an ``install(game)``, in the order their hooks run within a phase: the
# weather is set before the cards of the turn fire (a card may override it).
RULE_MODULES = ("game.rules.weather", "game.events.engine", "game.rules.replacements",
                "game.rules.positions", "game.rules.air", "game.rules.naval", "game.rules.politics")


def install_rules(game: Game) -> None:
    """Plug the rule modules into the turn hooks. Each reads its own section of the scenario
    (and does nothing without one) and restores what it derives from a loaded game's state."""
    import importlib

    for name in RULE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue      # a module not written yet
            raise
        module.install(game)


def ai_players(game: Game, sides=SIDES) -> dict:
    settings = game.state.scenario.ai
    return {s: BaselineAI(s, settings.get(SIDE_NAMES[s])) for s in sides}
