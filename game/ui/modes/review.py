"""Turn review (R): step back through the turns played, from what the game recorded at the end
of each (who held what, where each unit stood and its strength, the combats fought and the
cards that fired), and play them forward again. The board shows the past; no orders."""

from __future__ import annotations

from types import SimpleNamespace

import pygame

from ...rules.visibility import visible_hexes
from ..history import snapshot, turn_combats
from ..overlays import FOG_RGBA, mask_layer
from ..panels.review import draw_review_panel
from .base import InputMode

SECONDS_PER_TURN = 1.2


class ReviewMode(InputMode):
    name = "review"
    orders = False

    def __init__(self, gs, index: int | None = None) -> None:
        super().__init__(gs)
        self.count = len(gs.game.owner_history)
        self.index = self.count - 1 if index is None else int(index)
        self.playing = False
        self.t = 0.0
        self._snap: dict = {}

    @property
    def turn(self) -> int:
        """The turn index shown (its end)."""
        return int(self.gs.game.state.history[self.index]["turn"])

    def state(self):
        snap = self._snap.get(self.index)
        if snap is None:
            snap = self._snap[self.index] = snapshot(self.gs.game, self.index)
        return snap

    def fog(self, side: int) -> tuple:
        """(hexes ``side`` saw at the end of the turn shown, the fog layer hiding the rest)."""
        key = ("fog", self.index, side)
        hit = self._snap.get(key)
        if hit is None:
            seen = visible_hexes(SimpleNamespace(state=self.state()), side)
            hit = self._snap[key] = (seen, mask_layer("fog", ~seen, FOG_RGBA))
        return hit

    def step(self, d: int) -> None:
        """Show the turn ``d`` turns later (earlier when < 0); past the last: back to now."""
        new = self.index + d
        if new >= self.count:
            self.gs.leave_mode()
            self.gs.say("Turn review: back to the present")
            return
        self.index = max(0, new)

    def key(self, k: int, mods: int) -> bool:
        if k in (pygame.K_LEFT, pygame.K_COMMA, pygame.K_PAGEUP):
            self.playing = False
            self.step(-1)
        elif k in (pygame.K_RIGHT, pygame.K_PERIOD, pygame.K_PAGEDOWN):
            self.playing = False
            self.step(1)
        elif k == pygame.K_HOME:
            self.index = 0
        elif k == pygame.K_SPACE:
            self.toggle_play()
        elif k in (pygame.K_r, pygame.K_END):
            self.gs.leave_mode()
        else:
            return False
        return True

    def toggle_play(self) -> None:
        self.playing = not self.playing
        self.t = 0.0

    def escape(self) -> bool:
        self.gs.leave_mode()
        return True

    def update(self, dt: float) -> None:
        if not self.playing:
            return
        self.t += dt
        if self.t >= SECONDS_PER_TURN:
            self.t = 0.0
            if self.index + 1 >= self.count:
                self.playing = False
            else:
                self.step(1)

    def draw_over(self, s) -> None:
        b, cam = self.gs.board, self.gs.cam
        for h, _line in turn_combats(self.gs.game.state, self.turn):
            x, y = b.hex_centre(cam, h)
            r = max(8, int(b.hex_km * cam.zoom * 0.35))
            pygame.draw.circle(s, (255, 80, 20), (x, y), r, 3)
            pygame.draw.line(s, (255, 200, 40), (x - r, y - r), (x + r, y + r), 3)
            pygame.draw.line(s, (255, 200, 40), (x - r, y + r), (x + r, y - r), 3)

    def panel(self, s, rect) -> int:
        return draw_review_panel(self, s, rect)

    def hint(self) -> str:
        return "Turn review: Left / Right step through the turns, Space plays them, Esc returns to the present"
