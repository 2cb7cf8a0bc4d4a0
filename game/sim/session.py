"""Open a scenario (or a save) as a Game ready to play: the one door the CLI, UI and tests use."""

from __future__ import annotations

from ..ai.registry import DEFAULT, make_ai
from ..engine.paths import SCENARIOS_DIR, resolve_scenario
from ..engine.units import SIDE_NAMES, SIDES
from ..events.engine import DeckError, EventRules
from ..rules.air import AirRules
from ..rules.arrivals import Arrivals
from ..rules.control import ControlRules
from ..rules.naval import NavalRules
from ..rules.objectives import ObjectiveRules
from ..rules.politics import PoliticsRules
from ..rules.positions import PositionsRules
from ..rules.replacements import ReplacementRules
from ..rules.supply import SupplyRules
from ..rules.turn import Game
from ..rules.victory import SuddenDeath
from ..rules.weather import WeatherRules
from ..scenario.build import BuildError, build_scenario, new_state
from ..scenario.loader import Problem, ScenarioError, load_scenario_dict

SCENARIOS = SCENARIOS_DIR
DEFAULT_SCENARIO = SCENARIOS / "korea_1950_1953.yaml"

# The rule modules of a game, in the order their hooks run at each step of the turn
# (game/rules/module.py). Where two act at the same step the order matters:
# - sudden death is judged before a card's end of the game, and both before a collapse of will;
# - the weather is rolled before the turn's cards fire (a card may override it);
# - dug-in defenders' losses are added to the combat report before the gunfire is spent;
# - landings of scheduled reinforcements on enemy beaches come before ordinary arrivals;
# - the supply trace comes before replacements (only units in supply get new men);
# - frostbite (weather) comes before control of ground, and both before war-weariness;
# - objectives judge the places held once control of ground is settled, and a met objective ends
#   the game after a sudden death or a card's end but before a collapse of will.
RULE_MODULES = (SuddenDeath, WeatherRules, EventRules, PositionsRules, NavalRules, Arrivals, SupplyRules,
                ReplacementRules, AirRules, ControlRules, ObjectiveRules, PoliticsRules)


def _located(exc: BuildError, source) -> ScenarioError:
    file, line, col = source.locate(exc.where)
    return ScenarioError([Problem(str(file), line, col, exc.message)])


def load_scenario(path):
    """Load, validate and build a scenario; every problem comes back as a ScenarioError."""
    return _open(path)[0]


def _open(path):
    data, source = load_scenario_dict(resolve_scenario(path))
    try:
        return build_scenario(data, resolve_scenario(path), [deck for _, deck, _ in source.decks]), source
    except BuildError as exc:
        raise _located(exc, source) from None


def new_game(path, seed: int = 0, modules=RULE_MODULES, fire=()) -> Game:
    """A new game of a scenario, started and waiting for the first side's orders. ``modules``:
    the rule modules in hook order (the standard ones; a variant may add its own). ``fire``:
    ``(card id, YYYY-MM-DD)`` pairs, cards forced to fire in the turn containing that day
    (``simulate --fire``; a DeckError names an unknown card or date)."""
    scenario, source = _open(path)
    try:
        state = new_state(scenario, seed)
    except BuildError as exc:
        raise _located(exc, source) from None
    game = Game(state, modules)
    if fire:
        events = game.rule(EventRules)
        if events is None:
            raise DeckError(f"--fire: the scenario {scenario.id} plays no event cards")
        for card, date in fire:
            events.force(card, date)
    game.start()
    return game


def ai_players(game: Game, sides=SIDES, choice: dict[str, str] | None = None) -> dict:
    """An AI player for each of ``sides``: the one ``choice`` names for that side ({side name:
    AI name}, see game/ai/registry.py), else the default AI, with the scenario's settings."""
    settings = game.state.scenario.config.ai
    choice = choice or {}
    return {s: make_ai(choice.get(SIDE_NAMES[s], DEFAULT), s, getattr(settings, SIDE_NAMES[s])) for s in sides}
