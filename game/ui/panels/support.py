"""The orders panel of the player's turn: the units still idle (with Next idle), the air
missions, naval gunfire and sea lift left, and a button for each support mode."""

from __future__ import annotations

from ...render.chrome import DIM, TEXT, fit, font, panel, px, text
from ...rules import air as air_rules
from ..modals.end_turn import idle_words
from ..modes import air, landing, shipping
from ..modes.sea import naval
from ..widgets import button

MODE_BUTTONS = (("cas", "Air support (F)", "CAS (F)"), ("interdiction", "Interdiction (I)", "Interdict (I)"),
                ("land", "Landing (L)", "Land (L)"), ("ship", "Sea transport (P)", "Ship (P)"))


def status_lines(gs) -> list:
    st = gs.game.state
    side = gs.view_side()
    out = []
    if air.has_air(gs.game) and air_rules.air_war_only(gs.game, side):
        out.append(f"Air: {air_rules.capacity(st, side)} missions fight for MiG Alley only")
    elif air.has_air(gs.game):
        out.append(f"Air missions: {air_rules.missions_left(st, side)} left of {air_rules.capacity(st, side)}")
    nav = naval(gs.game)
    if nav is not None:
        out.append(f"Naval gunfire: {nav.gunfire_left(side)}   sea lift: {nav.lift_left(side):g}")
    return out


def unavailable(gs, mode: str) -> str:
    """Why a support mode cannot start now (empty: it can)."""
    if mode in air.MISSIONS:
        return air.unavailable(gs, mode)
    return landing.unavailable(gs) if mode == "land" else shipping.unavailable(gs)


def support_height(gs) -> int:
    lines = status_lines(gs)
    return px(64) + px(20) * len(lines) + (px(70) if lines else 0)


def draw_support_panel(gs, s, rect) -> int:
    moving, attacking = gs.idle()
    idle = idle_words(len(moving), len(attacking))
    lines = status_lines(gs)
    h = support_height(gs)
    if h > rect.h:
        return rect.y
    box = panel(s, (rect.x, rect.y, rect.w, h))
    text(s, "Your turn", (box.x + px(10), box.y + px(8)), 20, TEXT, True)
    text(s, fit((idle + ".") if idle else "Every unit has done what it can.", font(18), box.w - px(20)),
         (box.x + px(10), box.y + px(32)), 18, DIM)
    button(gs.app, (box.right - px(130), box.y + px(5), px(122), px(24)), "Next idle (N)", gs.select_next, 16,
           active=bool(moving or attacking))
    yy = box.y + px(54)
    for line in lines:
        text(s, line, (box.x + px(10), yy), 18, DIM)
        yy += px(20)
    if lines:
        wd = (box.w - px(20)) // 2
        short = any(font(16, True).size(long)[0] > wd - px(10) for _, long, _ in MODE_BUTTONS)
        for i, (mode, long, brief) in enumerate(MODE_BUTTONS):
            label = brief if short else long
            on = gs.input.name == mode
            x, y = box.x + px(8) + (i % 2) * (wd + px(4)), yy + px(4) + (i // 2) * px(32)
            button(gs.app, (x, y, wd, px(28)), label, (lambda m=mode: gs.toggle_mode(m)), 16,
                   active=on or not unavailable(gs, mode), selected=on)
    return box.bottom
