"""Test setup: headless SDL for any test that touches the renderer, and the shared fixtures.

Helpers are fixtures (ask for ``hx``, ``put``, ``park``, ``next_turn``... by name); nothing here
is imported as a module.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# Saves and settings of the tests go to a folder of their own, never the user's.
os.environ["KOREA_WAR_HOME"] = tempfile.mkdtemp(prefix="korea-war-tests-")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from game.engine.orders import Choose, EndPhase  # noqa: E402
from game.engine.units import SIDE_NAMES, UN  # noqa: E402
from game.rules.turn import Game  # noqa: E402
from game.scenario.build import new_state  # noqa: E402
from game.scenario.config import ScenarioConfig  # noqa: E402
from game.scenario.loader import ScenarioError, load_scenario_dict  # noqa: E402
from game.sim.session import RULE_MODULES, load_scenario, new_game  # noqa: E402

SMALL = ROOT / "tests" / "scenarios" / "small_front.yaml"
EVENTS_FRONT = ROOT / "tests" / "events" / "events_front.yaml"


# --- paths ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def small_front() -> Path:
    """The small hand-drawn test scenario (tests/scenarios/small_front.yaml)."""
    return SMALL


@pytest.fixture
def small_front_with(small_front, tmp_path):
    """``small_front_with(old, new)``: a copy of the small front in ``tmp_path`` with the text
    ``old`` (which must be there) replaced by ``new``; its includes still found."""
    def write(old: str, new: str) -> Path:
        text = small_front.read_text()
        assert old in text, old
        shipped = os.path.relpath(small_front.parents[2] / "scenarios", tmp_path)
        f = tmp_path / "small_front.yaml"
        f.write_text(text.replace(old, new).replace("../../scenarios/", f"{shipped}/"))
        return f
    return write


@pytest.fixture(scope="session")
def refusal():
    """``refusal(path)``: the problems the loader refuses a scenario file for, each as (its
    message, the text of the file from the line and column it points at)."""
    def refuse(path: Path) -> list[tuple[str, str]]:
        with pytest.raises(ScenarioError) as info:
            load_scenario_dict(path)
        lines = path.read_text().splitlines()
        return [(p.message, lines[p.line - 1][p.col - 1:]) for p in info.value.problems]
    return refuse


@pytest.fixture(scope="session")
def events_front() -> Path:
    """The event engine's test scenario (tests/events/events_front.yaml)."""
    return EVENTS_FRONT


@pytest.fixture(scope="session")
def real_deck() -> Path:
    """The campaign's card deck."""
    return ROOT / "scenarios" / "cards" / "korea_1950_1953_cards.yaml"


@pytest.fixture
def small_game():
    return new_game(SMALL, seed=7)


# --- hand-built situations on a test map ---------------------------------------------------------
def _hx(game, row, col) -> int:
    return int(game.state.map.grid.index(row, col))


def _put(game, uid, row, col):
    u = game.state.units
    u.hex[u.index_of(uid)] = _hx(game, row, col)
    game.movement.invalidate()


@pytest.fixture(scope="session")
def hx():
    """``hx(game, row, col)``: the hex at offset ``row, col``."""
    return _hx


@pytest.fixture(scope="session")
def put():
    """``put(game, uid, row, col)``: stand unit ``uid`` on hex ``row, col`` (caches rebuilt)."""
    return _put


@pytest.fixture(scope="session")
def park():
    """``park(game, side)``: put ``side``'s units in the far north-east corner of the small front."""
    def park(game, side):
        st = game.state
        for k, r in enumerate(st.units.rows_on_map(side)):
            st.units.hex[r] = _hx(game, 0, 10 + k % 4)
        game.movement.invalidate()
    return park


@pytest.fixture(scope="session")
def set_section():
    """``set_section(game, key, value)``: change one section of a game's scenario, as if the file
    had said so (the typed configuration is rebuilt; modules built from it are not)."""
    def set_section(game, key, value):
        scenario = game.state.scenario
        scenario.data[key] = value
        scenario.config = ScenarioConfig.model_validate(scenario.data)
    return set_section


# --- playing turns ---------------------------------------------------------------------------
def _end_side(game, choose_ai: bool = True):
    side = game.state.active_side
    name = SIDE_NAMES[side]
    if choose_ai:
        for c in list(game.pending_for(side)):
            assert game.apply(Choose(name, card=c["card"], option=c["ai"])).ok
    res = game.apply(EndPhase(name))
    assert res.ok, res.reason


def _next_turn(game, choose_ai: bool = True):
    t = game.state.turn
    while game.state.turn == t and not game.state.over:
        _end_side(game, choose_ai)


@pytest.fixture(scope="session")
def end_side():
    """``end_side(game, choose_ai=True)``: end the active side's operations without moving
    (taking ``ai`` for its choices)."""
    return _end_side


@pytest.fixture(scope="session")
def next_turn():
    """``next_turn(game)``: play both sides of the turn with no moves; the next turn's cards fire."""
    return _next_turn


@pytest.fixture(scope="session")
def to_turn():
    def to_turn(game, turn: int):
        while game.state.turn < turn and not game.state.over:
            _next_turn(game)
    return to_turn


@pytest.fixture(scope="session")
def end_phase():
    """``end_phase(game, side_name)``: end that side's operations phase (it must succeed)."""
    def end(g, side):
        assert g.apply(EndPhase(side)), f"could not end {side}'s phase"
    return end


@pytest.fixture(scope="session")
def fired_ids():
    return lambda game: [f["id"] for f in game.state.fired]


@pytest.fixture(scope="session")
def fired_turns():
    return lambda game: {f["id"]: f["turn"] for f in game.state.fired}


@pytest.fixture(scope="session")
def new_events_game():
    """``new_events_game(seed=7, held=None)``: a started game of events_front, optionally with
    ``held_until_flag`` set in its data."""
    def make(seed: int = 7, held=None):
        if held is None:
            return new_game(EVENTS_FRONT, seed=seed)
        scenario = load_scenario(EVENTS_FRONT)
        scenario.data["held_until_flag"] = held
        scenario.config = ScenarioConfig.model_validate(scenario.data)
        game = Game(new_state(scenario, seed), RULE_MODULES)
        game.start()
        return game
    return make


# --- the sea: the small front with two more ports (tests of the naval rules and the window) --------
SEA_PORTS = """    - {name: Westport, at: [9, 2], kind: port, port: true}
    - {name: Northport, at: [1, 2], kind: port, port: true}
"""
SEA_NAVAL = """naval:
  port_capacity: {ports: {Westport: 4, Northport: 4, Harbour: 4}}
"""
SEA_MARINES = ("  - {id: blue_mar, name: \"Blue Marines\", side: un, nation: US, type: marine_division, "
               "strength: 12, at: Northport, arrive: 1950-06-28}\n")


@pytest.fixture
def sea_game(tmp_path):
    """``sea_game(naval_extra="", un="naval_lift: 2", seed=5, marines=False, name="sea")``: a copy
    of the small front in tmp_path with Westport (UN, row 9) and Northport (Communist, row 1) on
    its west coast and a naval section (plus ``naval_extra``)."""
    def make(naval_extra="", un="naval_lift: 2", seed=5, marines=False, name="sea"):
        rules = tmp_path / "rules"
        if not rules.exists():
            shutil.copytree(ROOT / "scenarios" / "rules", rules)
        text = SMALL.read_text()
        text = text.replace("include: [../../scenarios/rules/standard.yaml]", "include: [rules/standard.yaml]")
        text = text.replace("  places:\n", "  places:\n" + SEA_PORTS)
        text = text.replace('color: "#3060c0", replacements: 1}', f'color: "#3060c0", replacements: 1, {un}}}')
        if marines:
            text = text.replace("reinforcements:\n", "reinforcements:\n" + SEA_MARINES)
        text += SEA_NAVAL + naval_extra
        path = tmp_path / f"{name}.yaml"
        path.write_text(text)
        return new_game(path, seed=seed)
    return make


@pytest.fixture
def prepared_in_westport(end_phase):
    """``prepared_in_westport(g, uid="blue_2")``: put ``uid`` in Westport before the UN's first
    naval phase and wait there one turn: on return it is the UN's operations phase of turn 1 and
    the unit is prepared. Returns its row."""
    def prepare(g, uid="blue_2"):
        _put(g, uid, 9, 2)
        end_phase(g, "communist")
        end_phase(g, "un")
        end_phase(g, "communist")
        assert g.state.turn == 1 and g.state.active_side == UN
        return g.state.units.index_of(uid)
    return prepare


# --- the window, headless (SDL's dummy driver) -----------------------------------------------------
class _UI:
    """What a player's mouse and keyboard do, as synthetic pygame events (each followed by a
    frame, as the window's loop would)."""

    @staticmethod
    def move_to(app, pos):
        import pygame
        app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        app.frame()

    @staticmethod
    def click_at(app, pos, button=1, mod=0):
        import pygame
        app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
        app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button, mod=mod))
        app.frame()

    @staticmethod
    def hex_pos(app, h):
        x, y = app.board.hex_centre(app.cam, h)
        return int(round(x)), int(round(y))

    @classmethod
    def click(cls, app, h, button=1, mod=0):
        """Click hex ``h`` (centred on it first if it is off screen)."""
        if not app.cam.viewport.collidepoint(cls.hex_pos(app, h)):
            app.cam.centre_on(h)
            app.frame()
        cls.click_at(app, cls.hex_pos(app, h), button, mod)

    @classmethod
    def hover(cls, app, h):
        """Put the mouse on hex ``h``, the camera centred on it (clear of the panels)."""
        app.cam.centre_on(h)
        cls.move_to(app, cls.hex_pos(app, h))

    @staticmethod
    def key(app, k, mod=0, unicode=""):
        import pygame
        app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode))
        app.frame()

    @staticmethod
    def wheel(app, pos, y):
        import pygame
        app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
        app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False))
        app.frame()

    @staticmethod
    def labels(app):
        app.frame()
        return [label for _, _, label in app.hits]

    @classmethod
    def press(cls, app, label):
        """Click the button called ``label`` (as drawn by the last frame)."""
        import pygame
        app.frame()
        for rect, _action, text in reversed(app.hits):
            if text == label:
                app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1))
                app.frame()
                return
        raise AssertionError(f"no button {label!r} among {[t for _, _, t in app.hits]}")


@pytest.fixture(scope="session")
def ui():
    """``ui.click(app, hex)``, ``ui.key(app, pygame.K_e)``, ``ui.press(app, "Start")``...: input
    for the window under test."""
    return _UI


@pytest.fixture
def make_app(tmp_path):
    """``make_app(size=(1280, 800), scenario=SMALL, side="un", seed=7, warn=False)``: the window,
    headless, its saves in tmp_path/saves, animations off; with a scenario, a new game in which
    the first side's computer turn is played. ``scenario=None``: the main menu."""
    import pygame

    from game.ui.app import App

    def make(size=(1280, 800), scenario=SMALL, side="un", seed=7, warn=False):
        app = App(size=size, save_dir=tmp_path / "saves", settings_file=False)
        app.settings["anim"] = "off"
        app.settings["warn_end_turn"] = warn
        if scenario is not None:
            app.new_game(scenario, side, seed)
            for _ in range(3):
                app.frame()
        return app
    yield make
    from game.render.chrome import set_ui_scale
    set_ui_scale(1.0)
    pygame.display.quit()


# --- the front along the meridians --------------------------------------------------------------
def _meridian_columns(columns):
    """A hand-built map: column ``b`` (a list of owner codes, south to north, None = sea)
    stands in meridian bin ``b`` (124.5 + 0.25 b to 124.75 + 0.25 b E); rows are 0.1 degree
    apart from 37.0 N. Returns (owner, lat, lon, korea) arrays."""
    owner, lat, lon, korea = [], [], [], []
    for b, col in enumerate(columns):
        for k, o in enumerate(col):
            owner.append(o or 0)
            lat.append(37.0 + 0.1 * k)
            lon.append(124.6 + 0.25 * b)
            korea.append(o is not None)
    return np.array(owner, np.int8), np.array(lat), np.array(lon), np.array(korea)


@pytest.fixture(scope="session")
def meridian_columns():
    return _meridian_columns
