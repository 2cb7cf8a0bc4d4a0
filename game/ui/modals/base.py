"""What every modal panel has: a kind, drawing, keys (Enter, Space or Esc close it), and the
card-paper box the event cards and messages are drawn in."""

from __future__ import annotations

import pygame

from ...render.chrome import font, panel, px, text, wrap

PAPER = (236, 226, 200, 250)
PAPER_EDGE = (90, 70, 40)
INK = (30, 25, 20)
TITLE_INK = (40, 25, 15)
CLOSE_KEYS = (pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_KP_ENTER)


class Modal:
    kind = "modal"

    def draw(self, app) -> None:
        raise NotImplementedError

    def key(self, app, ev) -> None:
        if ev.key in CLOSE_KEYS:
            self.close(app)

    def close(self, app) -> None:
        if self in app.modals:
            app.modals.remove(self)


def paper(app, title: str, body: str, date: str = "", extra_h: int = 0, stripe=(120, 30, 30)):
    """A card-paper box centred on the screen with a title, a date and the wrapped body.
    Returns (box, y below the body); ``extra_h``: room wanted below the body."""
    s = app.screen
    w, h = s.get_size()
    bw = min(px(680), w - px(40))
    f = font(22)
    room = h - px(40) - px(110) - extra_h
    lines = wrap(body, f, bw - px(60))
    lines = lines[: max(1, room // px(26))]
    bh = px(110) + px(26) * len(lines) + extra_h
    box = panel(s, (w // 2 - bw // 2, max(px(10), h // 2 - bh // 2), bw, bh), PAPER, PAPER_EDGE, 10)
    pygame.draw.rect(s, stripe, (box.x, box.y, box.w, px(8)), border_radius=4)
    text(s, title, (box.x + px(30), box.y + px(24)), 32, TITLE_INK, True)
    if date:
        text(s, date, (box.right - px(30), box.y + px(30)), 22, (90, 60, 40), True, "topright")
    y = box.y + px(70)
    for line in lines:
        text(s, line, (box.x + px(30), y), 22, INK)
        y += px(26)
    return box, y
