"""The game window: main menu, the board with camera, selection, movement and combat, the AI's
turns with short animations, event cards, saves, and the end screen.

The UI only reads the state and sends Orders through ``game.apply``; it never changes state.
Everything is drawn immediate-mode: each frame registers its clickable areas (``self._hits``),
and ``handle_event`` routes a click to the topmost one, else to the board. Tests drive it with
synthetic pygame events (``handle_event``) and ``frame()``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pygame

from ..engine.errors import GameError
from ..engine.mapdata import TERRAIN_NAMES
from ..engine.orders import Attack, Choose, EndPhase, Move
from ..engine.paths import REPO_ROOT, SCENARIOS_DIR, saves_dir
from ..engine.units import (
    COMMUNIST,
    ON_MAP,
    SIDE_NAMES,
    STATUS_NAMES,
    UN,
    enemy_of,
)
from ..render.board import ZOOMS, BoardRenderer, Camera
from ..render.chrome import (
    ACCENT,
    DIM,
    PANEL_EDGE,
    SIDE_LABEL,
    SIDE_TEXT,
    TEXT,
    Minimap,
    draw_top_bar,
    font,
    panel,
    text,
    wrap,
)
from ..render.headless import (
    HEADLESS_DRIVERS,
    display_available,
    headless_driver_forced,
    no_display_message,
)
from ..rules.movement import zone_of_control
from ..rules.supply import supply_distance
from ..rules.visibility import fog_settings, visible_hexes
from ..sim import session
from ..sim.saves import SaveError, load_game, save_game
from .support import SupportOrders

TOP_H = 36
SIZES = [(1280, 800), (1600, 1000), (1920, 1080)]
ANIM_SPEEDS = {"off": 0.0, "fast": 0.035, "normal": 0.07, "slow": 0.14}   # seconds per hex
HELP_LINES = [
    ("Left click", "select a unit (again: next unit in the stack); click a shaded hex to move"),
    ("Click enemy", "with units selected: preview the attack (odds, the six results)"),
    ("Shift+click", "add the units of a neighbouring hex to the attack"),
    ("A / Attack", "confirm the attack; right click or Esc cancels"),
    ("Drag / arrows / edges", "pan the map (right or middle drag too)"),
    ("Wheel, + / -", "zoom in and out; Home shows the whole map"),
    ("Tab", "select the next unit that can still move"),
    ("U or Ctrl+Z", "take back your last move (until you attack or end the turn)"),
    ("Enter or E", "end your turn (the AI then plays; Space or Esc skips its animations)"),
    ("F / I", "air missions: close air support / interdiction, then click a hex"),
    ("L / P", "land the selected unit from its port on a beach / ship it to another port"),
    ("S / C / Z", "overlays: your supply, control and front line, enemy zones of control"),
    ("F5 / F9", "quicksave / quickload (autosave each turn, in your data folder's saves/)"),
    ("H or F1", "this help"),
    ("Esc", "close a panel, clear the selection, or open the menu"),
]


def scenario_title(path: Path) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r'^title:\s*"?(.*?)"?\s*$', line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return path.stem


def shipped_scenarios() -> list:
    """Scenario files a player can start: scenarios/*.yaml, then the engine test scenario."""
    out = sorted(SCENARIOS_DIR.glob("*.yaml"))
    camp = SCENARIOS_DIR / "korea_1950_1953.yaml"
    if camp in out:
        out.remove(camp)
        out.insert(0, camp)
    test = REPO_ROOT / "tests" / "scenarios" / "small_front.yaml"
    if test.exists():
        out.append(test)
    return out


def default_scenario() -> Path:
    found = shipped_scenarios()
    return found[0] if found else REPO_ROOT / "tests" / "scenarios" / "small_front.yaml"


def sides_for(choice: str | None) -> set:
    return {"un": {UN}, "communist": {COMMUNIST}, "both": {UN, COMMUNIST}, "none": set()}.get(choice or "un", {UN})


class NoDisplayError(GameError):
    """No display to show the window on (SDL fell back to a driver that draws nowhere)."""


def open_display() -> None:
    """Start pygame and make sure its window will be seen.

    Without a display SDL falls back to its off-screen driver and the game would run invisibly;
    a driver that shows nothing is accepted only when it was asked for (the headless tests).
    The game makes no sound, so only the display and fonts are started."""
    forced = headless_driver_forced()
    if not forced and not display_available():
        raise NoDisplayError(no_display_message())
    try:
        pygame.display.init()
    except pygame.error as exc:
        raise NoDisplayError(f"{no_display_message()} (SDL: {exc})") from None
    pygame.font.init()
    if not forced and pygame.display.get_driver() in HEADLESS_DRIVERS:
        pygame.quit()
        raise NoDisplayError(no_display_message())


class App:
    def __init__(self, size=(1600, 1000), save_dir=None, settings_file=True):
        open_display()
        self.save_dir = Path(save_dir) if save_dir else saves_dir()     # the user's data folder
        self.settings = {"size": list(size), "fullscreen": False, "anim": "normal"}
        self._settings_path = self.save_dir / "settings.json" if settings_file else None
        self._load_settings()
        self.screen = self._set_mode(tuple(self.settings["size"]))
        pygame.display.set_caption("Korean War 1950-1953")
        pygame.key.set_repeat(300, 40)
        self.clock = pygame.time.Clock()
        self.running = True
        self.mode = "menu"             # menu | game | end
        self.page = "main"             # main | new | load | settings (menu pages)
        self.new_choice = {"scenario": default_scenario(), "side": "un", "seed": 0}
        self.game = None
        self.board = None
        self.cam = None
        self.minimap = None
        self.humans = {UN}
        self.players = {}
        self._hits = []                # (rect, action) registered by the last draw
        self.messages = []             # UI lines for the log panel
        self.modals = []               # queue of {"kind": card|choice|help|error, ...}
        self.anims = []                # queued move/combat animations
        self.anim_t = 0.0
        self.selected = []             # unit rows; [0] is the one that moves
        self.attack_target = -1
        self.attackers = []
        self.hover = -1
        self.mouse = (0, 0)
        self.press = None              # (pos, button, cam centre) of a mouse press on the board
        self.dragging = False
        self.show_supply = False
        self.show_zoc = False
        self.cards_seen = 0
        self.last_turn = None
        self.last_combat = None
        self.error = ""
        self._cache = {}
        self._gen = 0                  # bumped on every move, undo and combat: keys the caches

    # --- settings and window --------------------------------------------------------------
    def _load_settings(self):
        if self._settings_path and self._settings_path.exists():
            try:
                data = json.loads(self._settings_path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    if data.get("anim") in ANIM_SPEEDS:
                        self.settings["anim"] = data["anim"]
                    if isinstance(data.get("fullscreen"), bool):
                        self.settings["fullscreen"] = data["fullscreen"]
                    sz = data.get("size")
                    if (isinstance(sz, list) and len(sz) == 2
                            and all(isinstance(v, int) and 640 <= v <= 8000 for v in sz)):
                        self.settings["size"] = sz
            except (OSError, ValueError):
                pass

    def _save_settings(self):
        if self._settings_path:
            try:
                self.save_dir.mkdir(parents=True, exist_ok=True)
                self._settings_path.write_text(json.dumps(self.settings), encoding="utf-8")
            except OSError:
                pass

    def _set_mode(self, size):
        flags = pygame.FULLSCREEN if self.settings["fullscreen"] else pygame.RESIZABLE
        screen = pygame.display.set_mode((0, 0) if self.settings["fullscreen"] else size, flags)
        self._layout(screen.get_size())
        return screen

    def _layout(self, size):
        w, h = size
        self.board_rect = pygame.Rect(0, TOP_H, w, h - TOP_H)
        if getattr(self, "cam", None) is not None:
            self.cam.viewport = self.board_rect.copy()

    # --- starting and ending games ----------------------------------------------------------
    def start_game(self, game, humans) -> None:
        self.game = game
        self.humans = set(humans)
        self.players = session.ai_players(game)
        self.board = BoardRenderer(game.state)
        self.cam = Camera(self.board, self.board_rect)
        self.minimap = Minimap(self.board, (230, 270))
        game.listeners.append(self._on_event)
        self.mode = "game"
        self.support = SupportOrders(self)
        self.modals = [m for m in self.modals if m["kind"] == "error"]
        self.anims = []
        self.selected, self.attackers, self.attack_target = [], [], -1
        self.cards_seen = len(game.state.fired)
        self.last_turn = game.state.turn
        self._focus_key = None         # (turn, side index) whose start the camera last centred on
        self.messages = []
        self._cache = {}
        self._gen = 0
        # Start on the side that plays first, close enough to read the counters.
        self._focus_front()
        self.say(f"{game.state.scenario.title}: you command "
                 f"{' and '.join(SIDE_LABEL[s] for s in sorted(self.humans)) or 'nobody (AI against AI)'}")

    def new_game(self, scenario, side_choice, seed=0) -> None:
        game = session.new_game(scenario, seed)
        self.start_game(game, sides_for(side_choice))

    def load(self, path) -> bool:
        try:
            game = load_game(path)
        except (SaveError, OSError) as exc:
            self.modals.append({"kind": "error", "title": "Cannot load", "text": str(exc)})
            return False
        humans = self.humans if self.game is not None else {game.state.active_side}
        self.start_game(game, humans)
        self.say(f"Loaded {Path(path).name}")
        return True

    def save(self, path) -> bool:
        try:
            save_game(self.game, path)
        except OSError as exc:
            self.say(f"Save failed: {exc}")
            return False
        self.say(f"Saved {Path(path).name}")
        return True

    def _focus_front(self):
        st = self.game.state
        u = st.units
        side = next(iter(sorted(self.humans)), st.active_side)
        rows = u.rows_on_map(side)
        if rows.size == 0:
            return
        # Zoom so that about 14 hexes span the short side of the window, if that is closer.
        want = min(self.board_rect.w, self.board_rect.h) / (14 * self.board.hex_km)
        lvl = max(i for i, z in enumerate(ZOOMS) if z <= want) if want >= ZOOMS[0] else 0
        if lvl > self.cam.level:
            self.cam.level = lvl
            x = float(np.median(st.map.grid.x_km[u.hex[rows]]))
            y = float(np.median(st.map.grid.y_km[u.hex[rows]]))
            self.cam.cx, self.cam.cy = x, y
            self.cam.clamp()

    def _centre_on_front(self, side: int) -> None:
        """Centre the camera on the side's units in contact with the enemy (all its units if
        none are), keeping the zoom."""
        st = self.game.state
        u = st.units
        rows = u.rows_on_map(side)
        if rows.size == 0:
            return
        contact = rows[zone_of_control(st.map, u, enemy_of(side))[u.hex[rows]]]
        rows = contact if contact.size else rows
        self.cam.cx = float(np.median(st.map.grid.x_km[u.hex[rows]]))
        self.cam.cy = float(np.median(st.map.grid.y_km[u.hex[rows]]))
        self.cam.clamp()

    def say(self, line: str) -> None:
        self.messages.append(line)
        del self.messages[:-50]

    # --- engine events ----------------------------------------------------------------------
    def _on_event(self, kind, payload):
        st = self.game.state
        if kind in ("move", "undo", "combat"):
            self._gen += 1
        if kind == "move":
            row = st.units.index_of(payload["unit"])
            path = list(payload.get("path") or [])
            side = int(st.units.side[row])
            fs = self.fog_side()
            if fs is not None and side != fs and len(path) > 1:
                # Fog of war: show only the part of an enemy move that the player can see.
                seen = self.visible()
                path = [h for h in path if seen[h]]
            if ANIM_SPEEDS[self.settings["anim"]] > 0 and len(path) > 1 and self._animate_side(side):
                self.anims.append({"kind": "move", "row": row, "path": path})
        elif kind == "undo":
            row = st.units.index_of(payload["unit"])
            self.anims = [a for a in self.anims if a.get("row") != row]
            self._cache = {}
        elif kind == "combat":
            self.last_combat = dict(payload)
            if ANIM_SPEEDS[self.settings["anim"]] > 0:
                self.anims.append({"kind": "combat", "hex": int(payload["target"]), "text": payload.get("result", "")})
        elif kind == "game_over":
            self.say(f"Game over: {payload.get('reason', '')}")

    def _animate_side(self, side: int) -> bool:
        return side not in self.humans

    # --- main loop ----------------------------------------------------------------------------
    def run(self) -> int:
        while self.running:
            dt = self.clock.tick(60) / 1000.0
            for ev in pygame.event.get():
                self.handle_event(ev)
            self.update(dt)
            self.draw()
            pygame.display.flip()
        self._save_settings()
        pygame.quit()
        return 0

    def frame(self, dt: float = 1 / 60) -> None:
        """One step without the clock: what tests and screenshots use."""
        for ev in pygame.event.get():
            self.handle_event(ev)
        self.update(dt)
        self.draw()

    # --- state checks -----------------------------------------------------------------------
    def human_to_move(self) -> bool:
        st = self.game.state
        return (not st.over and st.phase == "operations" and st.active_side in self.humans)

    def can_order(self) -> bool:
        return self.mode == "game" and self.human_to_move() and not self.anims and not self.modals

    @property
    def side_name(self) -> str:
        return SIDE_NAMES[self.game.state.active_side]

    def view_side(self) -> int:
        st = self.game.state
        if st.active_side in self.humans:
            return st.active_side
        return min(self.humans) if self.humans else UN

    def _state_key(self):
        st = self.game.state
        return (st.turn, st.side_index, st.phase, len(st.orders), self._gen, hash(st.owner.tobytes()),
                self.fog_side())

    # --- fog of war -----------------------------------------------------------------------------
    def fog_side(self):
        """The side whose view the board shows under fog of war, or None when everything is
        shown (fog off, hot seat with both sides, or AI against AI)."""
        if self.game is None or len(self.humans) != 1:
            return None
        if not fog_settings(self.game.state).enabled:
            return None
        return next(iter(self.humans))

    def visible(self):
        """Bool (n,): hexes the human side sees (all True without fog); recomputed only when
        the state changed."""
        fs = self.fog_side()
        if fs is None:
            return np.ones(self.game.state.map.n, dtype=bool)
        return self.cached(f"visible{fs}", lambda: visible_hexes(self.game, fs))

    def seen_rows(self, rows):
        """Unit rows less the enemy ones hidden by fog of war."""
        rows = np.asarray(rows, dtype=np.int64)
        fs = self.fog_side()
        if fs is None or rows.size == 0:
            return rows
        u = self.game.state.units
        return rows[(u.side[rows] == fs) | self.visible()[u.hex[rows]]]

    def cached(self, name, fn):
        key = (name, self._state_key())
        hit = self._cache.get(name)
        if hit is None or hit[0] != key:
            hit = (key, fn())
            self._cache[name] = hit
        return hit[1]

    # --- update -------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.mode != "game" or self.game is None:
            return
        st = self.game.state
        self._pan_keys(dt)
        # New event cards become modal panels, one after another.
        if len(st.fired) > self.cards_seen:
            for card in st.fired[self.cards_seen:]:
                self.modals.append({"kind": "card", "card": card})
            self.cards_seen = len(st.fired)
        for side in sorted(self.humans):
            for c in self.game.pending_for(side):
                if not any(m["kind"] == "choice" and m["choice"] is c for m in self.modals):
                    self.modals.append({"kind": "choice", "choice": c, "side": side})
        if st.turn != self.last_turn:
            self.last_turn = st.turn
            self.save(self.save_dir / "autosave.json")
        if self.anims:
            self._step_anims(dt)
            return
        if self.human_to_move() and self._focus_key != (st.turn, st.side_index):
            # The player's phase begins (the AI's animations are done): look at their front.
            if self._focus_key is not None:
                self._centre_on_front(st.active_side)
            self._focus_key = (st.turn, st.side_index)
        if self.modals:
            return
        if st.over:
            self.mode = "end"
            return
        if st.phase == "operations" and st.active_side not in self.humans:
            player = self.players[st.active_side]
            self.say(f"{SIDE_LABEL[st.active_side]} are moving...")
            player.play(self.game)

    def _step_anims(self, dt: float) -> None:
        per_hex = ANIM_SPEEDS[self.settings["anim"]]
        a = self.anims[0]
        self.anim_t += dt
        total = per_hex * (len(a["path"]) - 1) if a["kind"] == "move" else 0.45
        if self.anim_t >= total:
            self.anims.pop(0)
            self.anim_t = 0.0

    def skip_anims(self) -> None:
        self.anims = []
        self.anim_t = 0.0

    def _pan_keys(self, dt: float) -> None:
        keys = pygame.key.get_pressed()
        speed = 700 * dt
        dx = (keys[pygame.K_RIGHT] - keys[pygame.K_LEFT]) * speed
        dy = (keys[pygame.K_DOWN] - keys[pygame.K_UP]) * speed
        # Edge scroll only when the window has the mouse and the pointer is at its very edge.
        if pygame.mouse.get_focused() and not self.dragging:
            mx, my = pygame.mouse.get_pos()
            w, h = self.screen.get_size()
            if 0 < w and (mx <= 2 or mx >= w - 3) and self.board_rect.collidepoint(mx, min(max(my, TOP_H + 1), h - 1)):
                dx += (-speed if mx <= 2 else speed)
            if my >= h - 3:
                dy += speed
        if dx or dy:
            self.cam.pan_px(dx, dy)

    # --- events -------------------------------------------------------------------------------
    def handle_event(self, ev) -> None:
        if ev.type == pygame.QUIT:
            self.running = False
            return
        if ev.type == pygame.VIDEORESIZE and not self.settings["fullscreen"]:
            self.screen = pygame.display.get_surface() or self.screen
            self._layout(self.screen.get_size())
            return
        if ev.type == pygame.MOUSEBUTTONDOWN and ev.button == 1:
            for rect, action in reversed(self._hits):
                if rect.collidepoint(ev.pos):
                    action()
                    return
            if self.modals:
                return
        if ev.type == pygame.KEYDOWN and self.modals:
            self._modal_key(ev)
            return
        if self.mode == "game":
            self._game_event(ev)
        elif self.mode == "end":
            if ev.type == pygame.KEYDOWN and ev.key in (pygame.K_ESCAPE, pygame.K_RETURN):
                self.mode, self.page = "menu", "main"
        elif self.mode == "menu":
            if ev.type == pygame.KEYDOWN and ev.key == pygame.K_ESCAPE:
                if self.page != "main":
                    self.page = "main"
                elif self.game is not None and not self.game.state.over:
                    self.mode = "game"

    def _modal_key(self, ev) -> None:
        m = self.modals[0]
        if m["kind"] == "choice":
            opts = self._options(m["choice"])
            if pygame.K_1 <= ev.key <= pygame.K_9 and ev.key - pygame.K_1 < len(opts):
                self.choose(m, opts[ev.key - pygame.K_1][0])
            return
        if ev.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_KP_ENTER) or \
                (m["kind"] == "help" and ev.key in (pygame.K_h, pygame.K_F1)):
            self.modals.pop(0)

    def _mods(self, ev) -> int:
        mod = getattr(ev, "mod", None)
        return pygame.key.get_mods() if mod is None else mod

    def _game_event(self, ev) -> None:
        if ev.type == pygame.MOUSEWHEEL:
            if self.board_rect.collidepoint(self.mouse):
                self.cam.zoom_by(1 if ev.y > 0 else -1, self.mouse)
            return
        if ev.type == pygame.MOUSEMOTION:
            self.mouse = ev.pos
            if self.press and (ev.buttons[0] or ev.buttons[1] or ev.buttons[2]):
                start, _, (cx, cy) = self.press
                if self.dragging or abs(ev.pos[0] - start[0]) + abs(ev.pos[1] - start[1]) > 6:
                    self.dragging = True
                    self.cam.cx = cx - (ev.pos[0] - start[0]) / self.cam.zoom
                    self.cam.cy = cy - (ev.pos[1] - start[1]) / self.cam.zoom
                    self.cam.clamp()
            self.hover = self.cam.hex_at(ev.pos)
            return
        if ev.type == pygame.MOUSEBUTTONDOWN and ev.button in (1, 2, 3):
            self.mouse = ev.pos
            if self.minimap and self.minimap.rect.collidepoint(ev.pos):
                self.cam.cx, self.cam.cy = self.minimap.km_at(ev.pos)
                self.cam.clamp()
                return
            if self.board_rect.collidepoint(ev.pos):
                self.press = (ev.pos, ev.button, (self.cam.cx, self.cam.cy))
                self.dragging = False
            return
        if ev.type == pygame.MOUSEBUTTONUP and ev.button in (1, 2, 3):
            press, self.press = self.press, None
            was_drag, self.dragging = self.dragging, False
            if press is None or was_drag:
                return
            h = self.cam.hex_at(ev.pos)
            if ev.button == 1:
                self.click_hex(h, shift=bool(self._mods(ev) & pygame.KMOD_SHIFT))
            elif ev.button == 3:
                self.cancel()
            return
        if ev.type == pygame.KEYDOWN:
            self._game_key(ev)

    def _game_key(self, ev) -> None:
        k = ev.key
        if k in (pygame.K_SPACE,) and self.anims:
            self.skip_anims()
        elif k == pygame.K_ESCAPE:
            if self.anims:
                self.skip_anims()
            elif self.support.cancel():
                pass
            elif self.attack_target >= 0 or self.selected:
                self.cancel()
            else:
                self.mode, self.page = "menu", "main"
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_e):
            self.end_turn()
        elif k == pygame.K_a and self.attack_target >= 0:
            self.confirm_attack()
        elif k == pygame.K_u or (k == pygame.K_z and self._mods(ev) & pygame.KMOD_CTRL):
            self.undo()
        elif k in (pygame.K_h, pygame.K_F1):
            self.modals.append({"kind": "help"})
        elif k == pygame.K_s:
            self.show_supply = not self.show_supply
        elif k == pygame.K_c:
            self.board.show_control = not self.board.show_control
        elif k == pygame.K_z:
            self.show_zoc = not self.show_zoc
        elif k == pygame.K_F5:
            self.save(self.save_dir / "quicksave.json")
        elif k == pygame.K_F9:
            self.load(self.save_dir / "quicksave.json")
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.cam.zoom_by(1)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.cam.zoom_by(-1)
        elif k == pygame.K_HOME:
            self.cam.fit()
        elif k == pygame.K_TAB:
            self.select_next()
        else:
            self.support.key(k)

    # --- orders from clicks -------------------------------------------------------------------
    def click_hex(self, h: int, shift: bool = False) -> None:
        if h < 0:
            return
        st = self.game.state
        u = st.units
        if not self.can_order():
            self.hover = h
            return
        if self.support.click(h):
            return
        side = st.active_side
        mine = [int(r) for r in u.at_hex(h, side)]
        theirs = self.seen_rows(u.at_hex(h, enemy_of(side)))   # hidden enemies: no attack offered
        if shift and self.attack_target >= 0 and mine:
            self._toggle_attackers(mine)
            return
        if len(theirs):
            self._target(h)
            return
        if mine:
            if self.selected and self.selected[0] in mine:
                i = mine.index(self.selected[0])
                self.selected = [mine[(i + 1) % len(mine)]]
            else:
                self.selected = [mine[0]]
            self.attack_target, self.attackers = -1, []
            return
        if self.selected:
            row = self.selected[0]
            res = self.game.apply(Move(self.side_name, unit=u.ids[row], to=int(h)))
            if not res.ok:
                self.say(f"Cannot move: {res.reason}")
            return
        self.cancel()

    def can_undo(self) -> bool:
        return self.can_order() and self.game.can_undo(self.side_name)

    def undo(self) -> None:
        """Take back the acting human side's last move (U, Ctrl+Z, the Undo button)."""
        if self.game is None or self.mode != "game":
            return
        if not self.human_to_move():
            self.say("Cannot undo: it is not your turn")
            return
        if not self.can_order():
            return
        res = self.game.undo(self.side_name)
        if not res.ok:
            self.say(f"Cannot undo: {res.reason}")
            return
        u = self.game.state.units
        row = u.index_of(res.details["unit"])
        self.say(f"Move taken back: {u.names[row]}")
        self._cache = {}
        self.selected = [int(row)]
        self.attack_target, self.attackers = -1, []

    def _eligible(self, rows, target):
        st = self.game.state
        u = st.units
        min_mp = float(st.rules.combat.min_attack_mp)
        g = st.map.grid
        return [int(r) for r in rows if u.status[r] == ON_MAP and not u.attacked[r] and u.mp[r] >= min_mp
                and int(g.distance(u.hex[r], target)) == 1]

    def _target(self, h: int) -> None:
        st = self.game.state
        u = st.units
        pool = list(self.selected)
        if pool:
            # The whole stack of the selected unit joins by default.
            pool = [int(r) for r in u.at_hex(int(u.hex[pool[0]]), st.active_side)]
        rows = self._eligible(pool, h)
        if not rows:
            self.say("Select a unit next to that enemy hex first (it must not have attacked yet).")
            return
        self.attack_target = int(h)
        self.attackers = rows

    def _toggle_attackers(self, rows) -> None:
        rows = self._eligible(rows, self.attack_target)
        if not rows:
            self.say("Those units cannot join this attack (not adjacent, or spent).")
            return
        if all(r in self.attackers for r in rows):
            self.attackers = [r for r in self.attackers if r not in rows]
        else:
            self.attackers += [r for r in rows if r not in self.attackers]
        if not self.attackers:
            self.attack_target = -1

    def reachable(self, row: int):
        """Hexes the unit can move to now, and the movement cost to each (all-False / inf if
        the engine cannot say: the UI must not crash on a rules bug)."""
        st = self.game.state
        try:
            return self.game.reachable(st.units.ids[row]), self.game.movement.reach(row)[0]
        except Exception as exc:  # noqa: BLE001 - shown to the player, the game goes on
            self.say(f"(movement query failed: {type(exc).__name__}: {exc})")
            return np.zeros(st.map.n, dtype=bool), np.full(st.map.n, np.inf)

    def odds(self):
        if self.attack_target < 0 or not self.attackers:
            return None
        u = self.game.state.units
        return self.game.odds([u.ids[r] for r in self.attackers], self.attack_target)

    def confirm_attack(self) -> None:
        if self.attack_target < 0 or not self.attackers or not self.can_order():
            return
        u = self.game.state.units
        res = self.game.apply(Attack(self.side_name, units=tuple(u.ids[r] for r in self.attackers),
                                     target=self.attack_target))
        if res.ok:
            d = res.details
            self.say(f"Attack at {d['odds']} (die {d['die']}): {d['result']} - you lost {d['attacker_lost']}, "
                     f"the enemy {d['defender_lost']}" + (f"; {d['advanced']} advances" if d.get("advanced") else ""))
            self.last_combat = dict(d)
            self.last_combat["shown"] = time.time()
        else:
            self.say(f"Cannot attack: {res.reason}")
        self.attack_target, self.attackers = -1, []
        self.selected = [r for r in self.selected if u.status[r] == ON_MAP]

    def cancel(self) -> None:
        if self.support.cancel():
            return                        # leaving a support mode keeps the selection
        self.selected, self.attackers, self.attack_target = [], [], -1

    def end_turn(self) -> None:
        if not self.can_order():
            return
        self.cancel()
        res = self.game.apply(EndPhase(self.side_name))
        if not res.ok:
            self.say(f"Cannot end the turn: {res.reason}")

    def select_next(self) -> None:
        if not self.can_order():
            return
        u = self.game.state.units
        rows = [int(r) for r in u.rows_on_map(self.game.state.active_side) if u.mp[r] > 0 and not u.stopped[r]]
        if not rows:
            self.say("No unit can move any more this turn.")
            return
        cur = self.selected[0] if self.selected else -1
        later = [r for r in rows if r > cur]
        r = (later or rows)[0]
        self.selected = [r]
        self.attack_target, self.attackers = -1, []
        self.cam.centre_on(int(u.hex[r]))

    def choose(self, modal, option) -> None:
        c = modal["choice"]
        res = self.game.apply(Choose(SIDE_NAMES[modal["side"]], card=c["card"], option=option))
        if res.ok:
            self.modals.remove(modal)
            self.say(f"Decision: {option}")
        else:
            self.say(f"Cannot choose that: {res.reason}")

    @staticmethod
    def _options(choice) -> list:
        out = []
        opts = choice.get("options") or []
        if isinstance(opts, dict):
            opts = [{"id": k, **(v if isinstance(v, dict) else {"label": str(v)})} for k, v in opts.items()]
        for o in opts:
            if isinstance(o, dict):
                oid = str(o.get("id") or o.get("key") or o.get("option") or o.get("label"))
                out.append((oid, str(o.get("label") or o.get("title") or o.get("text") or oid)))
            else:
                out.append((str(o), str(o)))
        return out

    # --- drawing ------------------------------------------------------------------------------
    def button(self, rect, label, action, size=22, active=True, selected=False) -> pygame.Rect:
        rect = pygame.Rect(rect)
        hot = rect.collidepoint(self.mouse) and active
        bg = (70, 90, 130) if selected else (58, 64, 78) if hot else (40, 45, 56)
        pygame.draw.rect(self.screen, bg, rect, border_radius=6)
        pygame.draw.rect(self.screen, ACCENT if selected or hot else PANEL_EDGE, rect, 1, border_radius=6)
        text(self.screen, label, rect.center, size, TEXT if active else DIM, True, "center")
        if active:
            self._hits.append((rect, action))
        return rect

    def draw(self) -> None:
        self._hits = []
        self.screen.fill((16, 20, 28))
        if self.mode == "game" and self.game is not None:
            self.draw_game()
        elif self.mode == "end" and self.game is not None:
            self.draw_end()
        else:
            self.draw_menu()
        if self.modals:
            self.draw_modal(self.modals[0])

    # main menu ----------------------------------------------------------------------------------
    def draw_menu(self) -> None:
        s = self.screen
        w, h = s.get_size()
        self._menu_backdrop()
        text(s, "KOREA 1950-1953", (w // 2, 110), 84, ACCENT, True, "center")
        text(s, "An operational wargame of the Korean War", (w // 2, 170), 28, TEXT, False, "center")
        x = w // 2 - 170
        y = 240
        if self.page == "main":
            if self.game is not None and not self.game.state.over:
                self.button((x, y, 340, 50), "Continue", lambda: setattr(self, "mode", "game"))
                y += 62
            self.button((x, y, 340, 50), "New game", lambda: setattr(self, "page", "new"))
            self.button((x, y + 62, 340, 50), "Load game", lambda: setattr(self, "page", "load"))
            self.button((x, y + 124, 340, 50), "Settings", lambda: setattr(self, "page", "settings"))
            self.button((x, y + 186, 340, 50), "Quit", lambda: setattr(self, "running", False))
        elif self.page == "new":
            self._menu_new(w, y)
        elif self.page == "load":
            self._menu_load(w, y)
        elif self.page == "settings":
            self._menu_settings(w, y)

    def _menu_backdrop(self):
        s = self.screen
        w, h = s.get_size()
        for i in range(0, h, 4):
            c = 16 + int(14 * i / h)
            pygame.draw.rect(s, (c, c + 4, c + 12), (0, i, w, 4))
        text(s, "Esc: back     H in game: help", (w // 2, h - 24), 18, DIM, False, "center")

    def _menu_new(self, w, y):
        s = self.screen
        found = shipped_scenarios()[:8]
        box = panel(s, (w // 2 - 380, y - 10, 760, 200 + 44 * len(found)))
        text(s, "Scenario", (box.x + 20, box.y + 14), 26, ACCENT, True)
        yy = box.y + 48
        for path in found:
            sel = Path(self.new_choice["scenario"]).resolve() == path.resolve()
            label = scenario_title(path)
            self.button((box.x + 20, yy, 720, 38), label,
                        (lambda p=path: self.new_choice.__setitem__("scenario", p)), 20, selected=sel)
            yy += 44
        yy += 10
        text(s, "Your side", (box.x + 20, yy), 26, ACCENT, True)
        yy += 34
        for i, (key, label) in enumerate((("un", "UN Command"), ("communist", "Communists"),
                                          ("both", "Both (hot seat)"), ("none", "None (watch AI)"))):
            self.button((box.x + 20 + i * 182, yy, 172, 40), label,
                        (lambda k=key: self.new_choice.__setitem__("side", k)), 20,
                        selected=self.new_choice["side"] == key)
        yy += 64
        self.button((box.x + 20, yy, 200, 48), "Back", lambda: setattr(self, "page", "main"))
        self.button((box.right - 240, yy, 220, 48), "Start", self._start_from_menu)

    def _start_from_menu(self):
        try:
            self.new_game(self.new_choice["scenario"], self.new_choice["side"], self.new_choice["seed"])
        except Exception as exc:  # a broken scenario must not kill the window: show why
            self.modals.append({"kind": "error", "title": "Cannot start this scenario", "text": str(exc)})

    def _menu_load(self, w, y):
        s = self.screen
        box = panel(s, (w // 2 - 380, y - 10, 760, 520))
        text(s, "Saved games", (box.x + 20, box.y + 14), 26, ACCENT, True)
        saves = sorted(self.save_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) \
            if self.save_dir.exists() else []
        saves = [p for p in saves if p.name != "settings.json"][:8]
        yy = box.y + 50
        if not saves:
            text(s, f"No saves yet in {self.save_dir}", (box.x + 20, yy), 20, DIM)
        for p in saves:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(p.stat().st_mtime))
            self.button((box.x + 20, yy, 720, 40), f"{p.stem}    ({when})", (lambda q=p: self.load(q)), 20)
            yy += 48
        self.button((box.x + 20, box.bottom - 64, 200, 48), "Back", lambda: setattr(self, "page", "main"))

    def _menu_settings(self, w, y):
        s = self.screen
        box = panel(s, (w // 2 - 380, y - 10, 760, 360))
        text(s, "Window size", (box.x + 20, box.y + 16), 24, ACCENT, True)
        for i, sz in enumerate(SIZES):
            current = tuple(self.settings["size"]) == sz and not self.settings["fullscreen"]
            self.button((box.x + 20 + i * 180, box.y + 48, 170, 40), f"{sz[0]} x {sz[1]}",
                        (lambda v=sz: self._resize(v)), 20, selected=current)
        self.button((box.x + 560, box.y + 48, 180, 40), "Fullscreen", self._toggle_fullscreen, 20,
                    selected=self.settings["fullscreen"])
        text(s, "Animation speed", (box.x + 20, box.y + 112), 24, ACCENT, True)
        for i, key in enumerate(ANIM_SPEEDS):
            self.button((box.x + 20 + i * 180, box.y + 144, 170, 40), key.title(),
                        (lambda k=key: self.settings.__setitem__("anim", k)), 20, selected=self.settings["anim"] == key)
        self.button((box.x + 20, box.bottom - 64, 200, 48), "Back",
                    lambda: (self._save_settings(), setattr(self, "page", "main")))

    def _resize(self, size):
        self.settings["size"] = list(size)
        self.settings["fullscreen"] = False
        self.screen = self._set_mode(size)

    def _toggle_fullscreen(self):
        self.settings["fullscreen"] = not self.settings["fullscreen"]
        self.screen = self._set_mode(tuple(self.settings["size"]))

    # the game screen -----------------------------------------------------------------------------
    def _anim_overrides(self):
        """Rows hidden from their hexes, and (row, x_km, y_km) to draw instead."""
        if not self.anims:
            return (), ()
        g = self.game.state.map.grid
        hidden, extra = [], []
        per_hex = max(ANIM_SPEEDS[self.settings["anim"]], 1e-6)
        for k, a in enumerate(self.anims):
            if a["kind"] != "move":
                continue
            path = a["path"]
            if k == 0:
                f = min(self.anim_t / per_hex, len(path) - 1.0001)
                i = int(f)
                t = f - i
                x = g.x_km[path[i]] * (1 - t) + g.x_km[path[i + 1]] * t
                y = g.y_km[path[i]] * (1 - t) + g.y_km[path[i + 1]] * t
            else:
                x, y = g.x_km[path[0]], g.y_km[path[0]]
            if a["row"] not in hidden:
                hidden.append(a["row"])
                extra.append((a["row"], float(x), float(y)))
        return hidden, extra

    def draw_game(self) -> None:
        s = self.screen
        st = self.game.state
        b, cam = self.board, self.cam
        b.selected_rows = set(self.selected) | set(self.attackers)
        fs = self.fog_side()
        b.fog = None if fs is None else (fs, self.visible())
        hidden, extra = self._anim_overrides()
        clip = s.get_clip()
        s.set_clip(cam.viewport)
        s.fill((24, 34, 52), cam.viewport)
        tiles = list(b.visible_tiles(cam))
        s.fblits([(b.terrain_tile(cam.level, tx, ty), (x, y)) for tx, ty, x, y in tiles])
        if b.show_control:
            b.owner_version()
            s.fblits([(b.tint_tile(cam.level, tx, ty), (x, y)) for tx, ty, x, y in tiles])
        vs = self.view_side()
        if fs is not None:
            # Fog of war: hexes the player's side cannot see are shaded.
            b.draw_hex_mask(s, cam, ~b.fog[1], (10, 14, 24, 70), key="fog")
        if self.show_supply:
            mask = self.cached("supply", lambda: np.isfinite(
                supply_distance(st, vs, self.game.movement.edge_cost(vs))) & st.map.land)
            b.draw_hex_mask(s, cam, mask, (250, 230, 60, 55), key="supply")
        if self.show_zoc:
            mask = self.cached("zoc", lambda: self._zoc(zone_of_control, vs))
            b.draw_hex_mask(s, cam, mask, (255, 40, 160, 60), (255, 60, 170, 200), key="zoc")
        self._draw_selection(s)
        b.draw_places(s, cam)
        b.draw_units(s, cam, hidden=hidden, extra=extra)
        self.support.draw_board(s, b, cam)
        self._draw_combat_flash(s)
        s.set_clip(clip)
        draw_top_bar(s, (0, 0, s.get_width(), TOP_H), st)
        self._draw_side_buttons(s)
        w, h = s.get_size()
        self.minimap.draw(s, cam, (w - self.minimap.size[0] - 12, h - self.minimap.size[1] - 12))
        self._draw_log(s)
        self._draw_right_panel(s)
        if self.hover >= 0 and not self.dragging and not self.modals:
            self._draw_tooltip(s)

    def _zoc(self, zone_of_control, vs):
        """Enemy zones of control; under fog only those of the enemy units the player sees."""
        st = self.game.state
        zoc = zone_of_control(st.map, st.units, enemy_of(vs))
        fs = self.fog_side()
        if fs is None:
            return zoc
        rows = self.seen_rows(st.units.rows_on_map(enemy_of(fs)))
        near = np.zeros(st.map.n, dtype=bool)
        near[st.units.hex[rows]] = True
        nbs = st.map.grid.neighbors[near].ravel()
        near[nbs[nbs >= 0]] = True
        return zoc & near

    def _draw_selection(self, s) -> None:
        b, cam = self.board, self.cam
        st = self.game.state
        u = st.units
        if self.selected and self.can_order() and self.attack_target < 0:
            row = self.selected[0]
            reach, dist = self.cached(f"reach{row}", lambda: self.reachable(row))
            b.draw_hex_mask(s, cam, reach, (255, 255, 255, 70), (255, 255, 255, 150), key="reach")
            pygame.draw.polygon(s, (255, 230, 40), b.hex_polygon(cam, int(u.hex[row])), 3)
            h = self.hover
            if 0 <= h < st.map.n and reach[h]:
                path = self.game.path(u.ids[row], h)
                if len(path) > 1:
                    pts = [b.hex_centre(cam, p) for p in path]
                    pygame.draw.lines(s, (20, 20, 20), False, pts, 6)
                    pygame.draw.lines(s, (255, 230, 40), False, pts, 3)
                    for p in pts[1:]:
                        pygame.draw.circle(s, (255, 230, 40), p, 4)
                    cost = float(dist[h])
                    left = float(u.mp[row]) - cost
                    lab = font(20, True).render(f"{cost:g} MP ({left:g} left)", True, (0, 0, 0))
                    x, y = pts[-1]
                    r = lab.get_rect(midbottom=(x, y - 14)).inflate(8, 4)
                    pygame.draw.rect(s, (255, 240, 170), r, border_radius=4)
                    s.blit(lab, lab.get_rect(center=r.center))
        if self.attack_target >= 0:
            pygame.draw.polygon(s, (255, 40, 40), b.hex_polygon(cam, self.attack_target), 4)
            tx, ty = b.hex_centre(cam, self.attack_target)
            for r in self.attackers:
                x, y = b.hex_centre(cam, int(u.hex[r]))
                pygame.draw.line(s, (255, 60, 40), (x, y), (x + (tx - x) * 0.7, y + (ty - y) * 0.7), 5)
                pygame.draw.polygon(s, (255, 230, 40), b.hex_polygon(cam, int(u.hex[r])), 3)

    def _draw_combat_flash(self, s) -> None:
        if not self.anims or self.anims[0]["kind"] != "combat":
            return
        a = self.anims[0]
        x, y = self.board.hex_centre(self.cam, a["hex"])
        t = self.anim_t / 0.45
        rad = int(10 + 30 * t)
        pygame.draw.circle(s, (255, 200, 40), (x, y), rad, 4)
        pygame.draw.circle(s, (255, 80, 20), (x, y), max(2, rad // 2), 3)
        text(s, a["text"], (x, y - rad - 4), 24, (255, 255, 255), True, "midbottom")

    def _draw_side_buttons(self, s) -> None:
        w = s.get_width()
        x = w - 8
        for label, action, ok in (("Menu", self._to_main_menu, True),
                                  ("Help (H)", lambda: self.modals.append({"kind": "help"}), True),
                                  ("Save (F5)", lambda: self.save(self.save_dir / "quicksave.json"), True),
                                  ("Undo (U)", self.undo, self.can_undo()),
                                  ("End turn (E)", self.end_turn, self.can_order())):
            wd = font(18, True).size(label)[0] + 22
            x -= wd
            self.button((x, 4, wd, TOP_H - 8), label, action, 18, active=ok)
            x -= 6

    def _draw_log(self, s) -> None:
        st = self.game.state
        lines = (st.log[-5:] + self.messages[-4:])[-8:]
        h = s.get_height()
        f = font(18)
        wmax = min(620, s.get_width() // 2 - 20)
        box = panel(s, (10, h - 18 * len(lines) - 22, wmax, 18 * len(lines) + 12))
        y = box.y + 6
        for line in lines:
            while f.size(line)[0] > wmax - 16 and len(line) > 4:
                line = line[:-4] + "..."
            s.blit(f.render(line, True, TEXT), (box.x + 8, y))
            y += 18

    def _draw_right_panel(self, s) -> None:
        w = s.get_width()
        x, y = w - 340, TOP_H + 10
        od = self.odds()
        if od is not None:
            y = self._draw_odds_panel(s, x, y, od) + 10
        if self.selected:
            y = self._draw_unit_panel(s, x, y, self.selected[0]) + 10
        elif self.hover >= 0 and not self.attack_target >= 0:
            rows = self.seen_rows(self.game.state.units.at_hex(self.hover))
            if len(rows):
                y = self._draw_unit_panel(s, x, y, int(rows[0])) + 10
        lc = self.last_combat
        if lc and od is None and time.time() - lc.get("shown", time.time()) < 8:
            box = panel(s, (x, y, 330, 56))
            y = box.bottom + 10
            text(s, f"Combat at {lc['odds']}: die {lc['die']} -> {lc['result']}", (box.x + 10, box.y + 8), 20,
                 ACCENT, True)
            text(s, f"attacker lost {lc['attacker_lost']}, defender lost {lc['defender_lost']}",
                 (box.x + 10, box.y + 30), 18)
        if self.human_to_move():
            self.support.draw_panel(s, x, y)

    def _draw_unit_panel(self, s, x, y, row) -> int:
        st = self.game.state
        u = st.units
        ut = st.rules.unit_types
        t = int(u.type[row])
        nation = st.rules.nation_name(u.nations[row])
        mp_full = float(ut.movement[t])
        cut = int(u.supply[row])
        supply = "in supply" if cut == 0 else f"OUT of supply ({cut} turn{'s' if cut > 1 else ''})"
        lines = [
            (f"{nation}", DIM),
            (f"{ut.names[t].replace('_', ' ')}  ({u.ids[row]})", DIM),
            (f"Strength {int(u.strength[row])} / {int(u.max_strength[row])}", TEXT),
            (f"Movement left {float(u.mp[row]):g} of {mp_full:g}" + ("  (stopped by ZOC)" if u.stopped[row] else ""),
             TEXT),
            (supply, TEXT if u.supply[row] == 0 else (255, 200, 60)),
            (f"Efficiency {int(u.efficiency[row])}%   Dug in {int(u.entrench[row])}", TEXT),
        ]
        if u.parents[row]:
            lines.append((f"Part of {u.parents[row]}", DIM))
        if u.attacked[row]:
            lines.append(("Has attacked this turn", (255, 160, 120)))
        if u.status[row] != ON_MAP:
            lines.append((STATUS_NAMES[u.status[row]], (255, 160, 120)))
        h = 48 + 22 * len(lines)
        box = panel(s, (x, y, 330, h))
        img = self.board.counter(row, 44)
        s.blit(img, (box.x + 10, box.y + 10))
        name = u.names[row]
        f = font(22, True)
        while f.size(name)[0] > 260 and len(name) > 4:
            name = name[:-4] + "..."
        text(s, name, (box.x + 62, box.y + 10), 22, SIDE_TEXT.get(int(u.side[row]), TEXT), True)
        yy = box.y + 34
        for i, (line, col) in enumerate(lines):
            text(s, line, (box.x + (62 if i < 1 else 12), yy if i else yy), 19, col)
            yy += 22 if i else 24
        return box.bottom

    def _draw_odds_panel(self, s, x, y, od) -> int:
        st = self.game.state
        u = st.units
        box = panel(s, (x, y, 330, 250 + 20 * len(self.attackers)))
        text(s, "Attack", (box.x + 12, box.y + 10), 26, (255, 120, 100), True)
        place = st.map.place_at[self.attack_target]
        where = st.map.places[place].name if place >= 0 else TERRAIN_NAMES[st.map.terrain[self.attack_target]]
        text(s, f"on {where}", (box.x + 100, box.y + 14), 20, DIM)
        yy = box.y + 40
        for r in self.attackers:
            text(s, f"- {u.names[r]} ({int(u.strength[r])})", (box.x + 12, yy), 18)
            yy += 20
        text(s, f"Strength {od.attack:.1f} : {od.defense:.1f}   ratio {od.ratio:.2f}", (box.x + 12, yy + 4), 20)
        shift = f"  shift {od.shift:+d}" if od.shift else ""
        text(s, f"Odds column {od.label}{shift}", (box.x + 12, yy + 28), 24, ACCENT, True)
        yy += 58
        for die, res in enumerate(od.outcomes, 1):
            good = res.defender_loss or res.retreat
            col = (255, 140, 120) if res.attacker_loss > res.defender_loss else (150, 230, 150) if good else TEXT
            text(s, f"{die}: {res.code}", (box.x + 12 + (die - 1) % 3 * 104, yy + (die - 1) // 3 * 22), 20, col)
        yy += 52
        text(s, "Shift+click a neighbouring stack to add it", (box.x + 12, yy), 17, DIM)
        self.button((box.x + 12, box.bottom - 46, 150, 36), "Attack (A)", self.confirm_attack, 20)
        self.button((box.right - 162, box.bottom - 46, 150, 36), "Cancel", self.cancel, 20)
        return box.bottom

    def _draw_tooltip(self, s) -> None:
        st = self.game.state
        m = st.map
        h = self.hover
        if not (0 <= h < m.n) or self.minimap.rect.collidepoint(self.mouse):
            return
        lines = [f"{TERRAIN_NAMES[m.terrain[h]].title()}, {int(m.elevation[h])} m"
                 + (f" (relief {int(m.relief[h])} m)" if m.relief[h] else "")]
        if m.place_at[h] >= 0:
            p = m.places[m.place_at[h]]
            lines.insert(0, f"{p.name} ({p.kind}{', port' if p.port else ''}{f', {p.vp} VP' if p.vp else ''})")
        rid = {int(i) for i in m.river_id[h] if i >= 0}
        names = [m.river_names[i] for i in sorted(rid) if i < len(m.river_names)]
        if m.river[h].any():
            size = "major" if m.river[h].max() == 2 else "minor"
            lines.append(f"River: {', '.join(names) if names else 'unnamed'} ({size})")
        if m.road[h].any() or m.rail[h].any():
            lines.append(" + ".join(x for x, ok in (("main road", m.road[h].max() == 2), ("road", m.road[h].max() == 1),
                                                     ("railway", m.rail[h].any())) if ok))
        owner = int(st.owner[h])
        lines.append("Held by " + {UN: "the UN", COMMUNIST: "the Communists"}.get(owner, "nobody"))
        if m.land[h]:
            vs = self.view_side()
            dist = self.cached("supply_dist", lambda: supply_distance(st, vs, self.game.movement.edge_cost(vs)))
            lines.append(f"{SIDE_LABEL[vs]} supply: {'yes' if np.isfinite(dist[h]) else 'no'}")
        rows = self.seen_rows(st.units.at_hex(h))
        for r in rows[:4]:
            lines.append(f"{st.units.names[r]}  {int(st.units.strength[r])}/{int(st.units.max_strength[r])}")
        lines.append(f"lat {m.grid.lat[h]:.2f} lon {m.grid.lon[h]:.2f}")
        f = font(18)
        wd = max(f.size(line_)[0] for line_ in lines) + 16
        hh = 20 * len(lines) + 10
        x, y = self.mouse[0] + 18, self.mouse[1] + 18
        W, H = s.get_size()
        if x + wd > W:
            x = self.mouse[0] - wd - 10
        if y + hh > H:
            y = self.mouse[1] - hh - 10
        box = panel(s, (x, y, wd, hh), (15, 18, 24, 235))
        for i, line_ in enumerate(lines):
            s.blit(f.render(line_, True, ACCENT if i == 0 else TEXT), (box.x + 8, box.y + 6 + 20 * i))

    # modals -------------------------------------------------------------------------------------------
    def draw_modal(self, m) -> None:
        s = self.screen
        w, h = s.get_size()
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 120))
        s.blit(shade, (0, 0))
        # Clicks go only to the modal: drop what the screen underneath registered.
        self._hits = []
        kind = m["kind"]
        if kind == "help":
            box = panel(s, (w // 2 - 430, h // 2 - 300, 860, 600), (24, 28, 36, 250))
            text(s, "Keys and mouse", (box.x + 24, box.y + 18), 30, ACCENT, True)
            y = box.y + 64
            for k, v in HELP_LINES:
                text(s, k, (box.x + 24, y), 21, ACCENT, True)
                text(s, v, (box.x + 250, y), 21)
                y += 34
            self.button((box.centerx - 80, box.bottom - 56, 160, 42), "Close", lambda: self.modals.remove(m))
            return
        if kind == "card":
            c = m["card"]
            title = str(c.get("title", c.get("id", "Event")))
            body = str(c.get("text") or c.get("description") or "")
            date = str(c.get("date", ""))
        elif kind == "choice":
            c = m["choice"]
            title = str(c.get("title") or c.get("card"))
            body = str(c.get("text") or c.get("question") or "Choose:")
            date = ""
        else:
            title, body, date = m.get("title", "Error"), m.get("text", ""), ""
        f = font(22)
        lines = wrap(body, f, 600)[:16]
        # A choice asks its question (the card's prompt) under the text, above the options.
        ask = wrap(str(m["choice"].get("prompt") or ""), font(22, True), 600)[:3] if kind == "choice" else []
        if kind == "choice":
            bh = 110 + 26 * len(lines) + (12 + 26 * len(ask) if ask else 0) + 50 * len(self._options(m["choice"]))
        else:
            bh = 150 + 26 * len(lines)
        box = panel(s, (w // 2 - 340, h // 2 - bh // 2, 680, bh), (236, 226, 200, 250), (90, 70, 40), 10)
        stripe = (120, 30, 30) if kind != "error" else (150, 20, 20)
        pygame.draw.rect(s, stripe, (box.x, box.y, box.w, 8), border_radius=4)
        text(s, title, (box.x + 30, box.y + 24), 32, (40, 25, 15), True)
        if date:
            text(s, date, (box.right - 30, box.y + 30), 22, (90, 60, 40), True, "topright")
        y = box.y + 70
        for line in lines:
            text(s, line, (box.x + 30, y), 22, (30, 25, 20))
            y += 26
        if kind == "choice":
            if ask:
                y += 12
                for line in ask:
                    text(s, line, (box.x + 30, y), 22, (90, 30, 20), True)
                    y += 26
            for i, (oid, label) in enumerate(self._options(m["choice"])):
                self.button((box.x + 30, y + 10 + i * 50, box.w - 60, 42), f"{i + 1}. {label}",
                            (lambda o=oid: self.choose(m, o)), 20)
        else:
            self.button((box.centerx - 80, box.bottom - 58, 160, 42), "OK", lambda: self.modals.remove(m))

    # end screen ---------------------------------------------------------------------------------------
    def draw_end(self) -> None:
        s = self.screen
        st = self.game.state
        w, h = s.get_size()
        self._menu_backdrop()
        res = st.result or {}
        winner = res.get("winner")
        head = {"un": "UN victory", "communist": "Communist victory"}.get(
            winner, "Draw" if winner in (None, "draw") else str(winner))
        text(s, head, (w // 2, 80), 64, ACCENT, True, "center")
        text(s, str(res.get("reason", "")), (w // 2, 130), 26, TEXT, False, "center")
        vp = res.get("vp") or {}
        if vp:
            text(s, f"Victory points: UN {vp.get('un', 0)}  -  Communists {vp.get('communist', 0)}", (w // 2, 166),
                 24, DIM, False, "center")
        self.draw_chart(pygame.Rect(w // 2 - 500, 210, 1000, min(460, h - 330)))
        self.button((w // 2 - 110, h - 90, 220, 50), "Main menu", self._to_main_menu)

    def _to_main_menu(self) -> None:
        self.mode, self.page = "menu", "main"

    def draw_chart(self, rect) -> None:
        s = self.screen
        hist = self.game.state.history
        panel(s, rect)
        text(s, "Ground held (hexes, solid) and strength (dashed) by turn", (rect.x + 12, rect.y + 8), 20, TEXT, True)
        plot = pygame.Rect(rect.x + 60, rect.y + 40, rect.w - 90, rect.h - 80)
        pygame.draw.rect(s, (60, 64, 74), plot, 1)
        if len(hist) < 1:
            text(s, "No turns were completed.", plot.center, 22, DIM, False, "center")
            return
        series = [("un_hexes", SIDE_TEXT[UN], False), ("communist_hexes", SIDE_TEXT[COMMUNIST], False),
                  ("un_strength", SIDE_TEXT[UN], True), ("communist_strength", SIDE_TEXT[COMMUNIST], True)]
        top = max(1, max(max(hh.get(k, 0) for hh in hist) for k, _, _ in series))
        n = len(hist)
        for frac in (0.25, 0.5, 0.75, 1.0):
            yy = plot.bottom - frac * plot.h
            pygame.draw.line(s, (50, 54, 62), (plot.x, yy), (plot.right, yy))
            text(s, f"{int(top * frac)}", (plot.x - 6, yy), 16, DIM, False, "midright")
        for key, col, dashed in series:
            pts = [(plot.x + (i / max(1, n - 1)) * plot.w, plot.bottom - hh.get(key, 0) / top * plot.h)
                   for i, hh in enumerate(hist)]
            if len(pts) == 1:
                pygame.draw.circle(s, col, pts[0], 3)
            for i in range(len(pts) - 1):
                if not dashed or i % 2 == 0:
                    pygame.draw.line(s, col, pts[i], pts[i + 1], 3 if not dashed else 2)
        text(s, hist[0].get("date", ""), (plot.x, plot.bottom + 6), 16, DIM)
        text(s, hist[-1].get("date", ""), (plot.right, plot.bottom + 6), 16, DIM, False, "topright")
        text(s, "UN", (plot.right - 120, plot.y + 8), 20, SIDE_TEXT[UN], True)
        text(s, "Communists", (plot.right - 90, plot.y + 8), 20, SIDE_TEXT[COMMUNIST], True)


def play_command(args) -> int:
    """``python main.py play [SCENARIO] [--side ...] [--load SAVE] [--seed N]``."""
    try:
        app = App()
    except NoDisplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    side = getattr(args, "side", None)
    seed = int(getattr(args, "seed", 0) or 0)
    if getattr(args, "load", None):
        if not app.load(args.load):
            app.mode = "menu"
        elif side:
            app.humans = sides_for(side)
    elif getattr(args, "scenario", None):
        path = session.resolve_scenario(args.scenario)
        app.new_choice["scenario"] = Path(path)
        if side:
            app.new_game(path, side, seed)
        else:
            app.page = "new"
            app.new_choice["seed"] = seed
    else:
        app.new_choice["seed"] = seed
        if side:
            app.new_choice["side"] = side
    return app.run()
