"""The game window: the screens (menu, game, end), the modal panels on top of them, settings,
saving and loading.

Everything is drawn immediate-mode: each frame registers its clickable areas (``hits``), and
``handle_event`` routes a click to the topmost one, else to the screen. Tests drive the window
with synthetic pygame events (``handle_event``) and ``frame()``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pygame

from ..engine.paths import saves_dir
from ..engine.units import SIDE_CODES, UN
from ..render.chrome import px, set_ui_scale
from ..sim import session
from ..sim.saves import SaveError, load_session, save_game
from . import garbage
from .display import NoDisplayError, open_display
from .modals.message import MessageModal
from .modals.save_as import slot_file
from .modes.review import ReviewMode
from .queries import acting_side
from .scenarios import sides_for
from .screens.end import EndScreen
from .screens.game import GameScreen
from .screens.menu import MenuScreen
from .settings import Settings

TILE_BUDGET = 0.007     # seconds a frame may spend building the board's tiles in the real window
__all__ = ["App", "NoDisplayError", "play_command"]


def layout(size) -> dict:
    """Where the fixed parts of the window go at this size (and the UI scale)."""
    w, h = size
    top = pygame.Rect(0, 0, w, px(36))
    return {"top": top, "board": pygame.Rect(0, top.bottom, w, h - top.bottom),
            "minimap": (min(px(230), w // 5), min(px(270), h // 3)),
            "column": min(px(340), max(px(250), w // 4))}


class App:
    def __init__(self, size=(1600, 1000), save_dir=None, settings_file=True):
        open_display()
        self.save_dir = Path(save_dir) if save_dir else saves_dir()     # the user's data folder
        self.settings = Settings(self.save_dir / "settings.json" if settings_file else None, size)
        set_ui_scale(self.settings["ui_scale"])
        self.mode = "menu"                   # menu | game | end
        self.mouse = (0, 0)
        self.hits: list = []                 # (rect, action, label) registered by the last draw
        self.modals: list = []               # the queue of modal panels; the first is shown
        self.tile_budget: float | None = None   # None: build every tile at once (tests, shots)
        self.screen = self._set_mode(tuple(self.settings["size"]))
        pygame.display.set_caption("Korean War 1950-1953")
        pygame.key.set_repeat(300, 40)
        self.clock = pygame.time.Clock()
        self.running = True
        self.menu = MenuScreen(self)
        self.end = EndScreen(self)
        self.play: GameScreen | None = None

    # --- what tests and the command line read --------------------------------------------------
    @property
    def game(self):
        return self.play.game if self.play else None

    @property
    def humans(self) -> set:
        return self.play.humans if self.play else set()

    @humans.setter
    def humans(self, sides) -> None:
        if self.play and set(sides) != self.play.humans:
            self.play.humans = set(sides)
            self._say_command()

    def _say_command(self) -> None:
        """Tell the player which sides they command (on a new game, a load, or a change)."""
        who = " and ".join("UN Command" if s == UN else "Communists" for s in sorted(self.play.humans))
        self.play.say(f"{self.game.state.scenario.title}: you command {who or 'nobody (AI against AI)'}")

    def human_to_move(self) -> bool:
        return self.play is not None and self.play.human_to_move()

    @property
    def board(self):
        return self.play.board if self.play else None

    @property
    def cam(self):
        return self.play.cam if self.play else None

    def screen_now(self):
        return {"menu": self.menu, "game": self.play, "end": self.end}[self.mode]

    # --- the window -----------------------------------------------------------------------------
    def _set_mode(self, size):
        flags = pygame.FULLSCREEN if self.settings["fullscreen"] else pygame.RESIZABLE
        screen = pygame.display.set_mode((0, 0) if self.settings["fullscreen"] else size, flags)
        self.layout = layout(screen.get_size())
        if getattr(self, "play", None) is not None:
            self.play.resize(self.layout)
        return screen

    def resize(self, size) -> None:
        self.settings["size"] = list(size)
        self.settings["fullscreen"] = False
        self.screen = self._set_mode(tuple(size))

    def toggle_fullscreen(self) -> None:
        self.settings["fullscreen"] = not self.settings["fullscreen"]
        self.screen = self._set_mode(tuple(self.settings["size"]))

    def set_ui_scale(self, scale: float) -> None:
        self.settings["ui_scale"] = float(scale)
        set_ui_scale(scale)
        self.layout = layout(self.screen.get_size())
        if self.play:
            self.play.board.label_scale = scale
            self.play.resize(self.layout)

    # --- games ----------------------------------------------------------------------------------
    def start_game(self, game, humans, ai_choice=None, fresh: bool = True) -> None:
        self.modals = [m for m in self.modals if m.kind == "error"]
        self.play = GameScreen(self, game, humans, ai_choice, fresh)
        if self.tile_budget is not None:
            self._ready_for_frames()
        self.mode = "end" if game.state.over else "game"
        self._say_command()

    def new_game(self, scenario, side_choice, seed=0, ai=None) -> None:
        self.start_game(session.new_game(scenario, seed), sides_for(side_choice), ai)

    def start_from_menu(self) -> None:
        nc = self.menu.new_choice
        try:
            self.new_game(nc["scenario"], nc["side"], nc["seed"], nc["ai"])
        except Exception as exc:  # noqa: BLE001 - a broken scenario must not kill the window: show why
            self.modals.append(MessageModal("Cannot start this scenario", str(exc)))

    def load(self, path, humans=None) -> bool:
        """Load a save; ``humans`` (the sides the player commands) overrides the save's own."""
        try:
            game, sess = load_session(path)
        except (SaveError, OSError) as exc:
            self.modals.append(MessageModal("Cannot load", str(exc)))
            return False
        names = sess.get("humans")
        if humans is not None:
            humans = set(humans)
        elif isinstance(names, list) and all(n in SIDE_CODES for n in names):
            humans = {SIDE_CODES[n] for n in names}
        else:                                # a save without who played it: the side to move
            side = acting_side(game.state)
            humans = {side} if side is not None else set()
        ai = sess.get("ai") if isinstance(sess.get("ai"), dict) else None
        self.start_game(game, humans, ai, fresh=False)
        self.play.say(f"Loaded {Path(path).name}")
        return True

    def save(self, path, quiet: bool = False) -> bool:
        try:
            save_game(self.game, path, session=self.play.session())
        except OSError as exc:
            self.play.say(f"Save failed: {exc}")
            return False
        if not quiet:
            self.play.say(f"Saved {Path(path).name}")
        return True

    def save_slot(self, name: str) -> bool:
        return self.save(self.save_dir / slot_file(name))

    def save_files(self) -> list:
        """The save files in the save folder (not the settings)."""
        if not self.save_dir.exists():
            return []
        return [p for p in self.save_dir.glob("*.json") if p.name != "settings.json"]

    def quicksave(self) -> None:
        self.save(self.save_dir / "quicksave.json")

    def quickload(self) -> None:
        self.load(self.save_dir / "quicksave.json")

    def to_menu(self) -> None:
        self.mode, self.menu.page = "menu", "main"

    def show_end(self) -> None:
        self.mode = "end"

    def review_from_end(self) -> None:
        if self.play and self.game.owner_history:
            self.mode = "game"
            self.play.set_mode(ReviewMode(self.play))

    # --- the loop -------------------------------------------------------------------------------
    def _ready_for_frames(self) -> None:
        """Before the real window's frames: the stand-in of tiles not drawn yet, and the garbage
        frozen (game/ui/garbage.py)."""
        self.play.board.tiles.overview()
        garbage.settle(fresh_start=True)

    def run(self) -> int:
        self.tile_budget = TILE_BUDGET
        if self.play is not None:
            self._ready_for_frames()
        while self.running:
            dt = self.clock.tick(60) / 1000.0
            for ev in pygame.event.get():
                self.handle_event(ev)
            self.update(dt)
            self.draw()
            pygame.display.flip()
        self.settings.save()
        pygame.quit()
        return 0

    def frame(self, dt: float = 1 / 60) -> None:
        """One step without the clock: what tests and screenshots use."""
        for ev in pygame.event.get():
            self.handle_event(ev)
        self.update(dt)
        self.draw()

    def update(self, dt: float) -> None:
        if self.mode == "game" and self.play is not None:
            self.play.update(dt)

    def draw(self) -> None:
        start = time.perf_counter()
        self.hits = []
        self.screen.fill((16, 20, 28))
        if self.mode == "game" and self.play is not None:
            self.play.draw(self.screen, None if self.tile_budget is None else start + self.tile_budget)
        elif self.mode == "end" and self.play is not None:
            self.end.draw(self.screen)
        else:
            self.mode = "menu"
            self.menu.draw(self.screen)
        if self.modals:
            self._draw_modal()

    def _draw_modal(self) -> None:
        w, h = self.screen.get_size()
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 120))
        self.screen.blit(shade, (0, 0))
        self.hits = []                 # clicks go only to the modal
        self.modals[0].draw(self)

    # --- events ---------------------------------------------------------------------------------
    def handle_event(self, ev) -> None:
        if ev.type == pygame.QUIT:
            self.running = False
            return
        if ev.type == pygame.VIDEORESIZE and not self.settings["fullscreen"]:
            self.screen = pygame.display.get_surface() or self.screen
            self.layout = layout(self.screen.get_size())
            if self.play:
                self.play.resize(self.layout)
            return
        if hasattr(ev, "pos") and ev.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.mouse = ev.pos
        if ev.type == pygame.MOUSEBUTTONDOWN and ev.button == 1:
            for rect, action, _label in reversed(self.hits):
                if rect.collidepoint(ev.pos):
                    action()
                    return
        if self.modals:
            if ev.type == pygame.KEYDOWN:
                self.modals[0].key(self, ev)
            return
        screen = self.screen_now()
        if screen is not None:
            screen.handle_event(ev)


def play_command(args) -> int:
    """``python main.py play [SCENARIO] [--side ...] [--load SAVE] [--seed N]``."""
    try:
        app = App()
    except NoDisplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    side = getattr(args, "side", None)
    seed = int(getattr(args, "seed", 0) or 0)
    nc = app.menu.new_choice
    nc["seed"] = seed
    if getattr(args, "load", None):
        if not app.load(args.load, sides_for(side) if side else None):
            app.mode = "menu"
    elif getattr(args, "scenario", None):
        path = session.resolve_scenario(args.scenario)
        nc["scenario"] = Path(path)
        if side:
            app.new_game(path, side, seed)
        else:
            app.menu.page = "new"
    elif side:
        nc["side"] = side
    return app.run()
