"""The main menu and its pages: new game (scenario, your side, the computer's AI for each side
it plays), load (the save browser), settings (window size, full screen, animation speed, UI
scale, the end-turn warning)."""

from __future__ import annotations

from pathlib import Path

import pygame

from ...ai.registry import DEFAULT, DESCRIPTIONS, ai_names
from ...engine.units import SIDE_NAMES
from ...render.chrome import ACCENT, DIM, TEXT, fit, font, panel, px, text
from ..scenarios import SIDE_CHOICES, default_scenario, scenario_title, shipped_scenarios, sides_for
from ..settings import ANIM_SPEEDS, SIZES, UI_SCALES
from ..widgets import Scroll, button
from .saves import SaveBrowser

SIDE_WORDS = {"un": "UN Command", "communist": "Communists"}


def computer_sides(side_choice: str) -> list:
    """Names of the sides the computer plays for a choice of the player's side."""
    humans = sides_for(side_choice)
    return [name for code, name in sorted(SIDE_NAMES.items()) if code not in humans]


def ai_choices() -> list:
    """The AIs a player can pick: whatever the registry holds (not its ``default`` alias)."""
    return [n for n in ai_names() if n != "default"]


class MenuScreen:
    name = "menu"

    def __init__(self, app) -> None:
        self.app = app
        self.page = "main"
        self.new_choice = {"scenario": default_scenario(), "side": "un", "seed": 0,
                           "ai": {"un": DEFAULT, "communist": DEFAULT}}
        self.browser = SaveBrowser(app)
        self.scenario_scroll = Scroll()
        self.scenario_rect = pygame.Rect(0, 0, 0, 0)
        self.scenario_rows = 1

    def back(self) -> None:
        if self.page == "settings":
            self.app.settings.save()
        self.page = "main"

    def handle_event(self, ev) -> None:
        if ev.type == pygame.KEYDOWN and ev.key == pygame.K_ESCAPE:
            if self.page != "main":
                self.back()
            elif self.app.play is not None and not self.app.game.state.over:
                self.app.mode = "game"
        elif ev.type == pygame.MOUSEWHEEL:
            if self.page == "load":
                self.browser.wheel(ev.y)
            elif self.page == "new" and self.scenario_rect.collidepoint(self.app.mouse):
                self.scenario_scroll.by(-ev.y, len(shipped_scenarios()), self.scenario_rows)

    def update(self, dt: float) -> None:
        pass

    # --- drawing ----------------------------------------------------------------------------
    def draw(self, s) -> None:
        w, h = s.get_size()
        backdrop(s)
        big = h >= px(760)
        text(s, "KOREA 1950-1953", (w // 2, px(90 if big else 56)), 84 if big else 60, ACCENT, True, "center")
        text(s, "An operational wargame of the Korean War", (w // 2, px(150 if big else 100)), 28 if big else 22,
             TEXT, False, "center")
        top = px(200 if big else 130)
        room = pygame.Rect(w // 2 - min(px(400), w // 2 - px(20)), top, min(px(800), w - px(40)), h - top - px(44))
        {"main": self.draw_main, "new": self.draw_new, "load": lambda s, r: self.browser.draw(s, r),
         "settings": self.draw_settings}[self.page](s, room)

    def draw_main(self, s, room) -> None:
        app = self.app
        x, y = room.centerx - px(170), room.y + px(10)
        if app.play is not None and not app.game.state.over:
            button(app, (x, y, px(340), px(50)), "Continue", lambda: setattr(app, "mode", "game"))
            y += px(62)
        for label, page in (("New game", "new"), ("Load game", "load"), ("Settings", "settings")):
            button(app, (x, y, px(340), px(50)), label, (lambda p=page: setattr(self, "page", p)))
            y += px(62)
        button(app, (x, y, px(340), px(50)), "Quit", lambda: setattr(app, "running", False))

    def draw_new(self, s, room) -> None:
        app = self.app
        nc = self.new_choice
        box = panel(s, room)
        x, wd = box.x + px(20), box.w - px(40)
        text(s, "Scenario", (x, box.y + px(12)), 24, ACCENT, True)
        found = shipped_scenarios()
        computers = computer_sides(nc["side"])
        below = px(6 + 32 + 56) + len(computers) * px(30 + 40) + (px(34) if computers else 0) + px(70)
        self.scenario_rect = pygame.Rect(x, box.y + px(44), wd, max(px(40), box.h - px(44) - below))
        self.scenario_rows = max(1, self.scenario_rect.h // px(40))
        y = self.scenario_rect.y
        for path in self.scenario_scroll.window(found, self.scenario_rows):
            sel = Path(nc["scenario"]).resolve() == path.resolve()
            button(app, (x, y, wd - px(12), px(34)), scenario_title(path),
                   (lambda p=path: nc.__setitem__("scenario", p)), 19, selected=sel)
            y += px(40)
        self.scenario_scroll.draw_bar(s, self.scenario_rect, len(found), self.scenario_rows)
        y = self.scenario_rect.bottom + px(6)
        text(s, "Your side", (x, y), 24, ACCENT, True)
        y += px(32)
        bw = (wd - px(30)) // 4
        for i, (key, label) in enumerate(SIDE_CHOICES):
            button(app, (x + i * (bw + px(10)), y, bw, px(38)), label, (lambda k=key: nc.__setitem__("side", k)), 18,
                   selected=nc["side"] == key)
        y += px(56)
        if computers:
            text(s, "The computer's AI", (x, y), 24, ACCENT, True)
            y += px(34)
        names = ai_choices()
        for side in computers:
            text(s, f"{SIDE_WORDS[side]}:", (x, y + px(8)), 19, TEXT, True)
            bx = x + px(150)
            ab = max(px(110), min(px(200), (wd - px(150)) // max(1, len(names)) - px(8)))
            for name in names:
                button(app, (bx, y, ab, px(32)), name, (lambda sd=side, n=name: nc["ai"].__setitem__(sd, n)), 18,
                       selected=nc["ai"].get(side, DEFAULT) == name)
                bx += ab + px(8)
            desc = DESCRIPTIONS.get(nc["ai"].get(side, DEFAULT), "")
            text(s, fit(desc, font(16), wd - px(150)), (x + px(150), y + px(36)), 16, DIM)
            y += px(70)
        button(app, (x, box.bottom - px(60), px(200), px(46)), "Back", self.back)
        button(app, (box.right - px(240), box.bottom - px(60), px(220), px(46)), "Start", app.start_from_menu)

    def draw_settings(self, s, room) -> None:
        app = self.app
        st = app.settings
        box = panel(s, room)
        x, y = box.x + px(20), box.y + px(14)
        cols = len(SIZES) + 1
        bw = (box.w - px(40) - (cols - 1) * px(8)) // cols

        def row(title: str, options, current, act) -> None:
            nonlocal y
            text(s, title, (x, y), 22, ACCENT, True)
            y += px(30)
            for i, (label, value) in enumerate(options):
                button(app, (x + i * (bw + px(8)), y, bw, px(38)), label, (lambda v=value: act(v)), 18,
                       selected=current(value))
            y += px(54)

        row("Window size", [(f"{a} x {b}", (a, b)) for a, b in SIZES] + [("Full screen", None)],
            lambda v: (st["fullscreen"] if v is None else tuple(st["size"]) == v and not st["fullscreen"]),
            lambda v: app.toggle_fullscreen() if v is None else app.resize(v))
        row("Animation of the computer's moves", [(k.title(), k) for k in ANIM_SPEEDS],
            lambda v: st["anim"] == v, lambda v: st.__setitem__("anim", v))
        row("UI scale (text and panels; for high-DPI screens)", [(f"{v:g}x", v) for v in UI_SCALES],
            lambda v: st["ui_scale"] == v, app.set_ui_scale)
        row("Warn before ending a turn with idle units", [("On", True), ("Off", False)],
            lambda v: st["warn_end_turn"] == v, lambda v: st.__setitem__("warn_end_turn", v))
        button(app, (x, box.bottom - px(62), px(200), px(46)), "Back", self.back)


def backdrop(s) -> None:
    w, h = s.get_size()
    for i in range(0, h, 4):
        c = 16 + int(14 * i / h)
        pygame.draw.rect(s, (c, c + 4, c + 12), (0, i, w, 4))
    text(s, "Esc: back     H in game: help", (w // 2, h - px(20)), 17, DIM, False, "center")
