"""The top bar (scenario, date, turn, side, VP... as much as fits) with the game's buttons at
its right end, and the toolbar of overlays and views under it at the board's top left."""

from __future__ import annotations

import pygame

from ...render.chrome import draw_top_bar, px
from ..widgets import button, button_width


def top_buttons(gs) -> list:
    """(label, action, active) of the top bar's buttons, right to left."""
    return [("Menu", gs.app.to_menu, True), ("Help (H)", gs.show_help, True),
            ("Save", gs.ask_save_name, not gs.reviewing()), ("Undo (U)", gs.undo, gs.can_undo()),
            ("End turn (E)", gs.end_turn, gs.can_order())]


def draw_top(gs, s, rect) -> dict:
    """Draw the bar; returns {"buttons": [rects], "items": [rects]} (the layout tests read it)."""
    rects = []
    x = rect.right - px(8)
    buttons = top_buttons(gs)
    for label, _action, _ok in buttons:
        wd = button_width(label, 18)
        x -= wd
        rects.append(pygame.Rect(x, rect.y + px(4), wd, rect.h - px(8)))
        x -= px(6)
    left = min(r.left for r in rects)
    items = draw_top_bar(s, rect, gs.board.state if gs.reviewing() else gs.game.state, right=left - px(12))
    for r, (label, action, ok) in zip(rects, buttons, strict=True):
        button(gs.app, r, label, action, 18, active=ok)
    return {"buttons": rects, "items": items}


def toolbar_items(gs) -> list:
    """(label, action, on) of the toolbar's toggles."""
    ov = gs.overlays
    return [("Supply S", gs.toggle("supply"), ov.supply), ("Control C", gs.toggle("control"), gs.board.show_control),
            ("ZOC Z", gs.toggle("zoc"), ov.zoc), ("Threat T", gs.toggle("threat"), ov.threat),
            ("Legend K", gs.toggle("legend"), gs.show_legend), ("Review R", gs.toggle_review, gs.reviewing())]


def draw_toolbar(gs, s, topleft) -> pygame.Rect:
    x, y = topleft
    h = px(26)
    for label, action, on in toolbar_items(gs):
        wd = button_width(label, 16) - px(6)
        button(gs.app, (x, y, wd, h), label, action, 16, selected=on)
        x += wd + px(4)
    return pygame.Rect(topleft[0], y, x - topleft[0], h)
