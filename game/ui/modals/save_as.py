"""Save under a name: type it (or click a slot to overwrite it), Enter saves."""

from __future__ import annotations

import re

import pygame

from ...render.chrome import DIM, px, text
from ..widgets import TextField, button
from .base import INK, Modal, paper


def slot_file(name: str) -> str:
    """A save's file name from the name a player typed."""
    stem = re.sub(r"[^A-Za-z0-9._()-]+", "_", name.strip()).strip("._") or "save"
    return f"{stem}.json"


class SaveAsModal(Modal):
    """``slots``: names of the saves there are; ``save(name)`` writes one."""

    kind = "save_as"

    def __init__(self, slots: list, save, default: str = "") -> None:
        self.slots, self.save = slots, save
        self.field = TextField(default)

    def _save(self, app) -> None:
        if self.field.value.strip():
            self.close(app)
            self.save(self.field.value.strip())

    def key(self, app, ev) -> None:
        if ev.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self._save(app)
        elif ev.key == pygame.K_ESCAPE:
            self.close(app)
        else:
            self.field.key(ev)

    def draw(self, app) -> None:
        shown = self.slots[:8]
        box, y = paper(app, "Save the game", "Name the save, or click one to overwrite it.",
                       extra_h=px(60) + px(34) * len(shown) + px(40), stripe=(40, 90, 60))
        s = app.screen
        self.field.draw(s, (box.x + px(30), y + px(6), box.w - px(60), px(40)))
        y += px(56)
        if shown:
            text(s, "Saves there are:", (box.x + px(30), y), 18, INK)
            y += px(22)
        for name in shown:
            button(app, (box.x + px(30), y, box.w - px(60), px(30)), name,
                   (lambda n=name: setattr(self.field, "value", n)), 18)
            y += px(34)
        if len(self.slots) > len(shown):
            text(s, f"... and {len(self.slots) - len(shown)} more", (box.x + px(30), y), 16, DIM)
        half = (box.w - px(80)) // 2
        button(app, (box.x + px(30), box.bottom - px(56), half, px(40)), "Save (Enter)", lambda: self._save(app),
               active=bool(self.field.value.strip()))
        button(app, (box.right - px(30) - half, box.bottom - px(56), half, px(40)), "Cancel (Esc)",
               lambda: self.close(app))
