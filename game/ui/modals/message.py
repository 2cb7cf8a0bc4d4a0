"""A message (an error, a notice) and a question with two answers."""

from __future__ import annotations

import pygame

from ...render.chrome import px
from ..widgets import button
from .base import Modal, paper


class MessageModal(Modal):
    kind = "error"

    def __init__(self, title: str, body: str, kind: str = "error") -> None:
        self.title, self.body, self.kind = title, body, kind

    def draw(self, app) -> None:
        box, _ = paper(app, self.title, self.body, extra_h=px(40), stripe=(150, 20, 20))
        button(app, (box.centerx - px(80), box.bottom - px(58), px(160), px(42)), "OK", lambda: self.close(app))


class ConfirmModal(Modal):
    """A question: ``yes`` runs the action (Enter), ``no`` only closes (Esc)."""

    kind = "confirm"

    def __init__(self, title: str, body: str, yes: str, action, no: str = "Cancel") -> None:
        self.title, self.body, self.yes, self.no, self.action = title, body, yes, no, action

    def accept(self, app) -> None:
        self.close(app)
        self.action()

    def key(self, app, ev) -> None:
        if ev.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.accept(app)
        elif ev.key == pygame.K_ESCAPE:
            self.close(app)

    def draw(self, app) -> None:
        box, _ = paper(app, self.title, self.body, extra_h=px(40))
        half = (box.w - px(80)) // 2
        button(app, (box.x + px(30), box.bottom - px(58), half, px(42)), f"{self.yes} (Enter)",
               lambda: self.accept(app))
        button(app, (box.right - px(30) - half, box.bottom - px(58), half, px(42)), f"{self.no} (Esc)",
               lambda: self.close(app))
