"""The game screen: a game in play, the player's selection and input mode, the computer's turns
with their animations, event cards, autosaves; drawing is game/ui/screens/game_view.py's.

The screen only reads the state and sends orders through ``game.apply``; it never changes the
state itself. Every query it caches is keyed by the state (``cached``).
"""

from __future__ import annotations

import numpy as np
import pygame

from ...engine.orders import Choose, EndPhase
from ...engine.units import SIDE_NAMES, UN, enemy_of
from ...render.board import ZOOMS, BoardRenderer, Camera
from ...render.chrome import SIDE_LABEL, Minimap, ui_scale
from ...rules.combat import validate_attack
from ...rules.movement import route, route_tree, route_turns, zone_of_control
from ...rules.visibility import fog_settings, visible_hexes
from ...sim import session
from .. import garbage
from ..animation import Animator
from ..log import MessageLog
from ..modals.card import CardModal, ChoiceModal
from ..modals.end_turn import EndTurnWarning
from ..modals.help import HelpModal
from ..modals.save_as import SaveAsModal
from ..modes import air, landing, shipping
from ..modes.attack import AttackMode
from ..modes.review import ReviewMode
from ..modes.select import SelectMode
from ..overlays import Overlays
from ..panels.combat import combat_note
from ..panels.support import unavailable
from ..queries import acting_side, idle_units
from ..settings import ANIM_SPEEDS
from . import game_input, game_view

SUPPORT_MODES = {"cas": lambda gs: air.AirMode(gs, "cas"), "interdiction": lambda gs: air.AirMode(gs, "interdiction"),
                 "land": landing.LandingMode, "ship": shipping.ShippingMode}
MODE_LABELS = {"cas": air.MISSIONS["cas"][0], "interdiction": air.MISSIONS["interdiction"][0],
               "land": landing.LandingMode.label, "ship": shipping.ShippingMode.label}
FOCUS_HEXES = 12          # the operational zoom: about this many hexes across the short side


class GameScreen:
    name = "game"

    def __init__(self, app, game, humans, ai_choice=None, fresh: bool = True) -> None:
        self.app = app
        self.game = game
        self.humans = set(humans)
        self.ai_choice = dict(ai_choice or {})
        self.players = session.ai_players(game, choice=self.ai_choice)
        self.board = BoardRenderer(game.state)
        self.board.label_scale = ui_scale()
        self.cam = Camera(self.board, app.layout["board"])
        self.minimap = Minimap(self.board, app.layout["minimap"])
        self.log = MessageLog(game.state)
        self.anim = Animator()
        self.overlays = Overlays()
        self.show_legend = False
        self.input = SelectMode(self)
        self.selected: list = []
        self.skipped: set = set()          # ids of the units the player skipped this phase
        self.hover = -1
        self.press = None                  # (pos, button, camera centre) of a press on the board
        self.dragging = False
        self.clock = 0.0                   # seconds of play shown (the frames' dt added up)
        self.combat_note: dict | None = None
        self.cards_seen = 0 if fresh else len(game.state.fired)
        self.phase_key = None              # (turn, side index) of the player's phase last begun
        self.ui_rects: list = []           # where the panels were drawn (no hover through them)
        self.log_rect = pygame.Rect(0, 0, 0, 0)
        self.layout_info: dict = {}
        self._cache: dict = {}
        self._gen = 0                      # bumped on every move, undo and combat: keys the caches
        self._plan: tuple = (None, None)
        game.listeners.append(self.on_event)
        self.focus_front()

    # --- who may do what --------------------------------------------------------------------
    def human_to_move(self) -> bool:
        st = self.game.state
        return st.phase == "operations" and acting_side(st) in self.humans

    def can_order(self) -> bool:
        return (self.app.mode == "game" and self.human_to_move() and not self.anim and not self.app.modals
                and self.input.orders)

    @property
    def side_name(self) -> str:
        return SIDE_NAMES[self.game.state.active_side]

    def view_side(self) -> int:
        """The side whose eyes the board shows: the human to move, else a human, else the UN."""
        side = acting_side(self.game.state)
        if side in self.humans:
            return side
        return min(self.humans) if self.humans else UN

    @property
    def mouse(self) -> tuple:
        return self.app.mouse

    def reviewing(self) -> bool:
        return self.input.name == "review"

    def say(self, line: str) -> None:
        self.log.say(line)

    # --- caches -----------------------------------------------------------------------------
    def _state_key(self) -> tuple:
        st = self.game.state
        return (st.turn, st.side_index, st.phase, len(st.orders), self._gen, hash(st.owner.tobytes()), self.fog_side())

    def cached(self, name: str, fn):
        key = (name, self._state_key())
        hit = self._cache.get(name)
        if hit is None or hit[0] != key:
            hit = (key, fn())
            self._cache[name] = hit
        return hit[1]

    def invalidate(self) -> None:
        self._cache = {}
        self._gen += 1

    # --- fog of war -------------------------------------------------------------------------
    def fog_side(self):
        """The side whose view the board shows under fog of war, or None when everything is
        shown (fog off, hot seat with both sides, or AI against AI)."""
        if len(self.humans) != 1 or not fog_settings(self.game.state).enabled:
            return None
        return next(iter(self.humans))

    def visible(self) -> np.ndarray:
        """Bool (n,): hexes the human side sees (all True without fog)."""
        fs = self.fog_side()
        if fs is None:
            return np.ones(self.game.state.map.n, dtype=bool)
        return self.cached(f"visible{fs}", lambda: visible_hexes(self.game, fs))

    def seen_rows(self, rows) -> np.ndarray:
        """Unit rows less the enemy ones hidden by fog of war."""
        rows = np.asarray(rows, dtype=np.int64)
        fs = self.fog_side()
        if fs is None or rows.size == 0:
            return rows
        u = self.game.state.units
        return rows[(u.side[rows] == fs) | self.visible()[u.hex[rows]]]

    # --- queries ----------------------------------------------------------------------------
    def reachable(self, row: int):
        """Hexes the unit can move to now, and the movement cost to each (all-False / inf if
        the engine cannot say: the window must not crash on a rules bug)."""
        st = self.game.state
        try:
            return self.game.reachable(st.units.ids[row]), self.game.movement.reach(row)[0]
        except Exception as exc:  # noqa: BLE001 - shown to the player, the game goes on
            self.say(f"(movement query failed: {type(exc).__name__}: {exc})")
            return np.zeros(st.map.n, dtype=bool), np.full(st.map.n, np.inf)

    def plan(self, row: int, h: int):
        """(path, turn of each step) of the unit's way to ``h`` over several turns, or None."""
        st = self.game.state
        if not (0 <= h < st.map.n and st.map.land[h]):
            return None
        memo = (self._state_key(), row, h)        # asked twice a frame: the tooltip and the path
        if self._plan[0] != memo:
            model = self.game.movement
            tree = self.cached(f"route{row}", lambda: route_tree(model, row))
            path = route(model, row, h, tree)
            turns = route_turns(model, row, path, float(self.game.full_allowance([row])[0])) if len(path) > 1 else []
            self._plan = (memo, (path, turns) if len(path) > 1 else None)
        return self._plan[1]

    def idle(self) -> tuple:
        """(units that can still move, units that can still attack) of the side to move."""
        side = acting_side(self.game.state)
        if side is None:
            return [], []
        return self.cached("idle", lambda: idle_units(self.game, side, self.skipped, self.visible()))

    def may_attack(self, rows, target: int) -> list:
        """The rows the combat rules let attack ``target`` now."""
        st = self.game.state
        return [int(r) for r in rows if not validate_attack(st, st.active_side, [int(r)], int(target))]

    # --- modes ------------------------------------------------------------------------------
    def set_mode(self, mode) -> None:
        self.input = mode

    def leave_mode(self) -> None:
        self.input = SelectMode(self)

    @property
    def attack_target(self) -> int:
        return self.input.target if isinstance(self.input, AttackMode) else -1

    @property
    def attackers(self) -> list:
        return self.input.attackers if isinstance(self.input, AttackMode) else []

    def odds(self):
        return self.input.odds() if isinstance(self.input, AttackMode) else None

    def target(self, h: int) -> None:
        """Preview an attack on ``h`` by the selected unit's stack."""
        st = self.game.state
        u = st.units
        pool = [int(r) for r in u.at_hex(int(u.hex[self.selected[0]]), st.active_side)] if self.selected else []
        rows = self.may_attack(pool, h)
        if not rows:
            self.say("Select a unit next to that enemy hex first (it must not have attacked yet).")
            return
        self.set_mode(AttackMode(self, h, rows))

    def toggle_mode(self, name: str) -> None:
        """Start a support mode (or leave it): it says first why it cannot start."""
        if self.input.name == name:
            self.leave_mode()
            return
        why = unavailable(self, name)
        if why:
            self.say(f"{MODE_LABELS[name]}: {why}")
            return
        self.set_mode(SUPPORT_MODES[name](self))
        self.say(f"{MODE_LABELS[name]}: {self.input.hint()}")

    def toggle(self, what: str):
        """An action that toggles an overlay or the legend (for buttons and keys)."""
        def act() -> None:
            if what == "control":
                self.board.show_control = not self.board.show_control
            elif what == "legend":
                self.show_legend = not self.show_legend
            else:
                setattr(self.overlays, what, not getattr(self.overlays, what))
        return act

    def toggle_review(self) -> None:
        if self.reviewing():
            self.leave_mode()
        elif not self.game.owner_history:
            self.say("Turn review: no turn has ended yet")
        else:
            self.selected = []
            self.set_mode(ReviewMode(self))
            self.say("Turn review: Left / Right step through the turns, Esc returns to the present")

    # --- orders -----------------------------------------------------------------------------
    def click_hex(self, h: int, shift: bool = False) -> None:
        if h < 0:
            return
        if not self.can_order():
            self.hover = h
            return
        self.input.click(h, shift)

    def can_undo(self) -> bool:
        return self.can_order() and self.game.can_undo(self.side_name)

    def undo(self) -> None:
        """Take back the acting human side's last move (U, Ctrl+Z, the Undo button)."""
        if not self.human_to_move():
            self.say("Cannot undo: it is not your turn")
            return
        if not self.can_order():
            return
        res = self.game.undo(self.side_name)
        if not res.ok:
            self.say(f"Cannot undo: {res.reason}")
            return
        row = self.game.state.units.index_of(res.details["unit"])
        self.say(f"Move taken back: {self.game.state.units.names[row]}")
        self.invalidate()
        self.selected = [int(row)]
        self.leave_mode()

    def cancel(self) -> None:
        """Esc: leave the mode, else clear the selection."""
        if not self.input.escape():
            self.selected = []

    def end_turn(self, force: bool = False) -> None:
        """End the player's turn; first warn when units can still move or attack."""
        if not self.can_order():
            return
        moving, attacking = self.idle()
        if not force and self.app.settings["warn_end_turn"] and (moving or attacking):
            self.app.modals.append(EndTurnWarning(len(moving), len(attacking), lambda: self.end_turn(True),
                                                  self.select_next))
            return
        self.leave_mode()
        self.selected = []
        res = self.game.apply(EndPhase(self.side_name))
        if not res.ok:
            self.say(f"Cannot end the turn: {res.reason}")

    def select_next(self) -> None:
        """Select the next unit that can still move or attack (after the selected one)."""
        if not self.can_order():
            return
        moving, attacking = self.idle()
        rows = sorted(set(moving) | set(attacking))
        if not rows:
            self.say("No unit can move or attack any more this turn.")
            return
        cur = self.selected[0] if self.selected else -1
        r = next((x for x in rows if x > cur), rows[0])
        self.selected = [r]
        self.leave_mode()
        self.cam.centre_on(int(self.game.state.units.hex[r]))

    def skip_unit(self) -> None:
        """The selected unit is done this turn (again: not any more)."""
        if not self.can_order() or not self.selected:
            return
        u = self.game.state.units
        uid = u.ids[self.selected[0]]
        if uid in self.skipped:
            self.skipped.discard(uid)
            self.say(f"{u.names[self.selected[0]]} is no longer skipped")
        else:
            self.skipped.add(uid)
            self.say(f"{u.names[self.selected[0]]} skips this turn")
        self.invalidate()

    def choose(self, modal, option) -> None:
        c = modal.choice
        res = self.game.apply(Choose(SIDE_NAMES[modal.side], card=c["card"], option=option))
        if res.ok:
            modal.close(self.app)
            self.say(f"Decision: {option}")
        else:
            self.say(f"Cannot choose that: {res.reason}")

    def show_help(self) -> None:
        self.app.modals.append(HelpModal())

    # --- saves ------------------------------------------------------------------------------
    def session(self) -> dict:
        return {"humans": [SIDE_NAMES[s] for s in sorted(self.humans)], "ai": dict(self.ai_choice)}

    def ask_save_name(self) -> None:
        slots = [p.stem for p in self.app.save_files()]
        self.app.modals.append(SaveAsModal(slots, self.app.save_slot, self.game.state.date.isoformat()))

    def autosave(self, side: int) -> None:
        self.app.save(self.app.save_dir / f"autosave-{SIDE_NAMES[side]}.json", quiet=True)

    # --- the engine's news ------------------------------------------------------------------
    def on_event(self, kind: str, payload) -> None:
        st = self.game.state
        if kind in ("move", "undo", "combat", "air_mission", "land", "ship"):
            self._gen += 1
        if kind == "move":
            row = st.units.index_of(payload["unit"])
            path = list(payload.get("path") or [])
            side = int(st.units.side[row])
            fs = self.fog_side()
            if fs is not None and side != fs and len(path) > 1:
                seen = self.visible()      # fog of war: only the part of an enemy move the player sees
                path = [h for h in path if seen[h]]
            if self.anim_speed() > 0 and len(path) > 1 and side not in self.humans:
                self.anim.add_move(row, path)
        elif kind == "undo":
            self.anim.drop_row(st.units.index_of(payload["unit"]))
            self._cache = {}
        elif kind == "combat":
            note = combat_note(st, payload, self.clock)
            self.combat_note = note
            if self.anim_speed() > 0 and acting_side(st) not in self.humans:
                self.anim.add_combat(int(payload["target"]), payload.get("result", ""))
                self.anim.queue[-1]["note"] = note
        elif kind == "game_over":
            self.say(f"Game over: {payload.get('reason', '')}")

    def anim_speed(self) -> float:
        return ANIM_SPEEDS[self.app.settings["anim"]]

    # --- once a frame -----------------------------------------------------------------------
    def update(self, dt: float) -> None:
        st = self.game.state
        self.clock += dt
        self.input.update(dt)
        if not self.reviewing():
            game_input.pan_keys(self, dt)
        self.hover = self.hex_under(self.mouse)
        if len(st.fired) > self.cards_seen:
            for card in st.fired[self.cards_seen:]:
                self.app.modals.append(CardModal(card))
            self.cards_seen = len(st.fired)
        for side in sorted(self.humans):
            for c in self.game.pending_for(side):
                if not any(m.kind == "choice" and m.choice is c for m in self.app.modals):
                    self.app.modals.append(ChoiceModal(c, side, self.choose))
        if self.anim:
            flash = self.anim.flash()
            if flash and flash.get("note"):
                self.combat_note = dict(flash["note"], clock=self.clock)
            self.anim.step(dt, self.anim_speed())
            return
        if self.human_to_move() and self.phase_key != (st.turn, st.side_index):
            self._phase_begins()
        if self.app.modals:
            return
        if st.over:
            if not self.reviewing():
                self.app.show_end()
            return
        side = acting_side(st)
        if st.phase == "operations" and side is not None and side not in self.humans:
            self._ai_plays(side)

    def _phase_begins(self) -> None:
        """The player's phase begins (the computer's animations are over): autosave it, clear
        the skips, look at the front."""
        st = self.game.state
        first = self.phase_key is None
        self.phase_key = (st.turn, st.side_index)
        self.skipped = set()
        self.invalidate()
        self.autosave(st.active_side)
        if self.app.tile_budget is not None:       # the real window's frames
            garbage.settle()
        if not first:
            self.centre_on_front(st.active_side)

    def _ai_plays(self, side: int) -> None:
        st = self.game.state
        start = len(st.orders)
        self.players[side].play(self.game)
        done = st.orders[start:]
        moves = sum(o["type"] == "move" for o in done)
        attacks = sum(o["type"] == "attack" for o in done)
        other = sum(o["type"] not in ("move", "attack", "end_phase", "choose") for o in done)
        self.say(f"{SIDE_LABEL[side]} played: {moves} move{'s' if moves != 1 else ''}, "
                 f"{attacks} attack{'s' if attacks != 1 else ''}" + (f", {other} other orders" if other else ""))

    def hex_under(self, pos) -> int:
        """The hex under the mouse, -1 over a panel or off the board (computed each frame, so
        that it follows the camera when the camera moves without the mouse)."""
        if any(r.collidepoint(pos) for r in self.ui_rects):
            return -1
        return self.cam.hex_at(pos)

    # --- the camera -------------------------------------------------------------------------
    def focus_front(self) -> None:
        """At the start: zoom to the operational scale on the side that plays first."""
        st = self.game.state
        u = st.units
        side = next(iter(sorted(self.humans)), acting_side(st) or UN)
        rows = u.rows_on_map(side)
        if rows.size == 0:
            return
        want = min(self.cam.viewport.w, self.cam.viewport.h) / (FOCUS_HEXES * self.board.hex_km)
        lvl = max(i for i, z in enumerate(ZOOMS) if z <= want) if want >= ZOOMS[0] else 0
        if lvl > self.cam.level:
            self.cam.level = lvl
            self.cam.cx = float(np.median(st.map.grid.x_km[u.hex[rows]]))
            self.cam.cy = float(np.median(st.map.grid.y_km[u.hex[rows]]))
            self.cam.clamp()

    def centre_on_front(self, side: int) -> None:
        """Centre on the side's units in contact with the enemy (all its units if none are)."""
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

    def resize(self, layout: dict) -> None:
        self.cam.viewport = pygame.Rect(layout["board"])
        self.cam.clamp()
        self.minimap = Minimap(self.board, layout["minimap"])

    # --- input (game_input.py) ---------------------------------------------------------------
    def handle_event(self, ev) -> None:
        game_input.handle_event(self, ev)

    # --- drawing ----------------------------------------------------------------------------
    def draw(self, s, deadline: float | None = None) -> None:
        game_view.draw(self, s, deadline)
