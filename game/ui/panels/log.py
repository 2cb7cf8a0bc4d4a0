"""The log panel, bottom left: the newest lines of the game's log and the window's notes in the
order they happened; the wheel over it (or Page Up / Down) scrolls back."""

from __future__ import annotations

import pygame

from ...render.chrome import DIM, TEXT, fit, font, panel, px, text

NOTE = (170, 205, 255)


def log_rows(rect_h: int) -> int:
    return max(2, min(8, (rect_h - px(12)) // px(18)))


def draw_log_panel(gs, s, rect) -> pygame.Rect:
    """``rect``: the room for it (its bottom-left corner is kept). Returns the panel's rect."""
    rows = log_rows(rect.h)
    lines = gs.log.window(rows)
    h = px(18) * max(1, len(lines)) + px(12)
    box = panel(s, (rect.x, rect.bottom - h, rect.w, h))
    y = box.y + px(6)
    f = font(17)
    for line, note in lines:
        text(s, fit(line, f, box.w - px(24)), (box.x + px(8), y), 17, NOTE if note else TEXT)
        y += px(18)
    if gs.log.back:
        text(s, f"{gs.log.back} newer below", (box.right - px(8), box.y + px(4)), 15, DIM, False, "topright")
    return box
