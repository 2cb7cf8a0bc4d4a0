"""Event cards as they fire, and the decision cards that ask the player to choose."""

from __future__ import annotations

import pygame

from ...render.chrome import font, px, text, wrap
from ..widgets import button
from .base import Modal, paper


class CardModal(Modal):
    kind = "card"

    def __init__(self, card: dict) -> None:
        self.card = card

    def draw(self, app) -> None:
        c = self.card
        title = str(c.get("title", c.get("id", "Event")))
        body = str(c.get("text") or c.get("description") or "")
        box, _ = paper(app, title, body, str(c.get("date", "")), extra_h=px(40))
        button(app, (box.centerx - px(80), box.bottom - px(58), px(160), px(42)), "OK", lambda: self.close(app))


def options(choice: dict) -> list:
    """[(option id, label)] of a decision card."""
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


class ChoiceModal(Modal):
    """A decision card: its text, its question, one button per option (or keys 1-9).
    ``on_choose(modal, option)`` sends the choice."""

    kind = "choice"

    def __init__(self, choice: dict, side: int, on_choose) -> None:
        self.choice, self.side, self.on_choose = choice, side, on_choose

    def key(self, app, ev) -> None:
        opts = options(self.choice)
        if pygame.K_1 <= ev.key <= pygame.K_9 and ev.key - pygame.K_1 < len(opts):
            self.on_choose(self, opts[ev.key - pygame.K_1][0])

    def draw(self, app) -> None:
        c = self.choice
        opts = options(c)
        ask = wrap(str(c.get("prompt") or ""), font(22, True), px(600))[:3]
        extra = (px(12) + px(26) * len(ask) if ask else 0) + px(50) * len(opts) - px(40)
        box, y = paper(app, str(c.get("title") or c.get("card")), str(c.get("text") or c.get("question") or "Choose:"),
                       extra_h=extra)
        if ask:
            y += px(12)
            for line in ask:
                text(app.screen, line, (box.x + px(30), y), 22, (90, 30, 20), True)
                y += px(26)
        for i, (oid, label) in enumerate(opts):
            button(app, (box.x + px(30), y + px(10) + i * px(50), box.w - px(60), px(42)), f"{i + 1}. {label}",
                   (lambda o=oid: self.on_choose(self, o)), 20)
