"""End-turn safety: before a turn ends with units that could still move or attack, say how
many and offer the next idle unit instead."""

from __future__ import annotations

import pygame

from ...render.chrome import px
from ..widgets import button
from .base import Modal, paper


def idle_words(moving: int, attacking: int) -> str:
    parts = []
    if moving:
        parts.append(f"{moving} unit{'s' if moving != 1 else ''} can still move")
    if attacking:
        parts.append(f"{attacking} can still attack")
    return " and ".join(parts)


class EndTurnWarning(Modal):
    """``end()`` ends the turn anyway (Enter or E), ``next_idle()`` selects an idle unit (N or
    Tab); Esc goes back to the turn."""

    kind = "end_turn"

    def __init__(self, moving: int, attacking: int, end, next_idle) -> None:
        self.moving, self.attacking, self.end, self.next_idle = moving, attacking, end, next_idle

    def _end(self, app) -> None:
        self.close(app)
        self.end()

    def _next(self, app) -> None:
        self.close(app)
        self.next_idle()

    def key(self, app, ev) -> None:
        if ev.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_e):
            self._end(app)
        elif ev.key in (pygame.K_n, pygame.K_TAB):
            self._next(app)
        elif ev.key == pygame.K_ESCAPE:
            self.close(app)

    def draw(self, app) -> None:
        body = (f"{idle_words(self.moving, self.attacking)}. Units you do not want to use this turn can be "
                "skipped (Space) so that they are not counted.")
        box, _ = paper(app, "End the turn?", body, extra_h=px(40), stripe=(160, 120, 30))
        third = (box.w - px(80)) // 3
        y = box.bottom - px(58)
        button(app, (box.x + px(30), y, third, px(42)), "End turn (Enter)", lambda: self._end(app), 18)
        button(app, (box.x + px(40) + third, y, third, px(42)), "Next idle (N)", lambda: self._next(app), 18)
        button(app, (box.x + px(50) + 2 * third, y, third, px(42)), "Back (Esc)", lambda: self.close(app), 18)
