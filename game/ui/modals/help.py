"""The list of keys and mouse actions (H or F1)."""

from __future__ import annotations

import pygame

from ...render.chrome import ACCENT, MIN_FONT, font, panel, px, text, wrap
from ..widgets import button
from .base import Modal

HELP_LINES = [
    ("Left click", "select a unit (again: the next unit in the stack); click a shaded hex to move there"),
    ("Hover a hex", "terrain, movement cost for the selected unit, defence, supply and the enemy's threat"),
    ("Beyond reach", "the path shows in which turn the unit gets where (1, 2, 3...)"),
    ("Click enemy", "with units selected: preview the attack (odds, the six results)"),
    ("Shift+click", "add the units of a neighbouring hex to the attack"),
    ("A / Attack", "confirm the attack; right click or Esc cancels"),
    ("Tab or N", "select the next unit that can still move or attack"),
    ("Space", "skip the selected unit: it is done this turn (not counted as idle)"),
    ("U or Ctrl+Z", "take back your last move (until you attack, fly or end the turn)"),
    ("Enter or E", "end your turn (warns when units can still move or attack)"),
    ("F / I", "air missions: close air support / interdiction, then click a hex"),
    ("L / P", "land the selected unit from its port on a beach / ship it to another port"),
    ("S / C / Z / T", "overlays: supply, control and front line, enemy zones of control, enemy threat"),
    ("K", "the map's legend"),
    ("R", "review earlier turns (Left / Right step, Space plays, Esc back to now)"),
    ("Drag / arrows", "pan the map (right or middle drag too); the wheel, + and - zoom; Home fits"),
    ("Wheel on the log", "scroll the log (Page Up / Page Down too)"),
    ("F5 / F9", "quicksave / quickload; Ctrl+S saves under a name; each of your turns is autosaved"),
    ("H or F1", "this help; Esc closes a panel, clears the selection, or opens the menu"),
]


def help_layout(w: int, h: int) -> dict:
    """Where the help's pieces go in a ``w`` x ``h`` window: the box, each line's key and text
    positions with their wrapped text, and the Close button (below every line)."""
    size = 20
    while True:
        f = font(size)
        bw = min(px(960), w - px(30))
        key_w = max(font(size, True).size(k)[0] for k, _ in HELP_LINES) + px(18)
        text_w = bw - key_w - px(48)
        rows = [(k, wrap(v, f, text_w)) for k, v in HELP_LINES]
        line_h = f.get_linesize()
        body = sum(len(lines) * line_h + px(6) for _, lines in rows)
        bh = px(64) + body + px(76)
        if bh <= h - px(20) or size <= MIN_FONT:
            break
        size -= 1
    box = pygame.Rect(w // 2 - bw // 2, max(px(10), h // 2 - bh // 2), bw, bh)
    y = box.y + px(60)
    placed = []
    for k, lines in rows:
        placed.append((k, lines, (box.x + px(24), y), (box.x + px(24) + key_w, y)))
        y += len(lines) * line_h + px(6)
    close = pygame.Rect(box.centerx - px(80), max(y + px(14), box.bottom - px(58)), px(160), px(42))
    return {"box": box, "size": size, "line_h": line_h, "lines": placed, "close": close, "text_bottom": y}


class HelpModal(Modal):
    kind = "help"

    def key(self, app, ev) -> None:
        if ev.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_KP_ENTER, pygame.K_h, pygame.K_F1):
            self.close(app)

    def draw(self, app) -> None:
        s = app.screen
        lay = help_layout(*s.get_size())
        box = panel(s, lay["box"], (24, 28, 36, 250))
        text(s, "Keys and mouse", (box.x + px(24), box.y + px(16)), 30, ACCENT, True)
        for k, lines, kpos, tpos in lay["lines"]:
            text(s, k, kpos, lay["size"], ACCENT, True)
            for i, line in enumerate(lines):
                text(s, line, (tpos[0], tpos[1] + i * lay["line_h"]), lay["size"])
        button(app, lay["close"], "Close", lambda: self.close(app))
