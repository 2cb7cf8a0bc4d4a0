"""The save browser (the menu's Load page): every save in the save folder, newest first, with
its scenario, date, turn, the side to move and who played it; the wheel scrolls, a click loads."""

from __future__ import annotations

import datetime as dt
import time

import pygame

from ...render.chrome import ACCENT, DIM, SIDE_TEXT, TEXT, fit, font, panel, px, text
from ...sim.saves import SaveError, save_info
from ..widgets import Scroll, button

SIDE_WORDS = {"un": "UN", "communist": "Communists"}


def save_rows(paths) -> list:
    """[(path, info or None, problem)] for the browser, newest first."""
    out = []
    for p in paths:
        try:
            out.append((p, save_info(p), ""))
        except SaveError as exc:
            out.append((p, None, str(exc).split(": ", 1)[-1]))
    return sorted(out, key=lambda r: -(r[1]["mtime"] if r[1] else r[0].stat().st_mtime))


def describe(info: dict) -> tuple[str, str]:
    """The two lines a save shows: scenario and date; turn, whose turn, who plays."""
    try:
        date = dt.date.fromisoformat(info["date"]).strftime("%d %b %Y").lstrip("0")
    except ValueError:
        date = info["date"]
    if info["over"]:
        winner = info["winner"]
        whose = f"game over ({SIDE_WORDS[winner] + ' victory' if winner in SIDE_WORDS else 'draw'})"
    else:
        whose = f"{SIDE_WORDS.get(info.get('side'), '?')} to move"
    humans = (info.get("session") or {}).get("humans")
    players = "" if humans is None else "  -  you: " + (" and ".join(SIDE_WORDS.get(h, h) for h in humans) or "nobody")
    return f"{info['title']}  -  {date}", f"turn {info['turn']}, {whose}{players}"


class SaveBrowser:
    def __init__(self, app) -> None:
        self.app = app
        self.scroll = Scroll()
        self.rows_shown = 1
        self.list_rect = pygame.Rect(0, 0, 0, 0)
        self._rows: list = []
        self._key = None

    def rows(self) -> list:
        files = self.app.save_files()
        key = tuple((p.name, p.stat().st_mtime) for p in files)
        if key != self._key:
            self._rows, self._key = save_rows(files), key
        return self._rows

    def wheel(self, dy: int) -> None:
        self.scroll.by(-dy, len(self._rows), self.rows_shown)

    def draw(self, s, rect: pygame.Rect) -> None:
        app = self.app
        box = panel(s, rect)
        text(s, "Saved games", (box.x + px(20), box.y + px(14)), 26, ACCENT, True)
        rows = self.rows()
        row_h = px(54)
        self.list_rect = pygame.Rect(box.x + px(20), box.y + px(52), box.w - px(40), box.h - px(52) - px(76))
        self.rows_shown = max(1, self.list_rect.h // row_h)
        if not rows:
            text(s, f"No saves yet in {app.save_dir}", self.list_rect.topleft, 20, DIM)
        y = self.list_rect.y
        for path, info, problem in self.scroll.window(rows, self.rows_shown):
            r = pygame.Rect(self.list_rect.x, y, self.list_rect.w - px(12), row_h - px(6))
            button(app, r, "", (lambda q=path: app.load(q)), 18, active=info is not None)
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info["mtime"] if info else path.stat().st_mtime))
            text(s, path.stem, (r.x + px(10), r.y + px(5)), 20, ACCENT if info else DIM, True)
            text(s, when, (r.right - px(10), r.y + px(5)), 16, DIM, False, "topright")
            if info:
                head, tail = describe(info)
                side_col = SIDE_TEXT.get({"un": 1, "communist": 2}.get(info.get("side") or ""), TEXT)
                x = r.x + px(10) + font(20, True).size(path.stem)[0] + px(16)
                text(s, fit(head, font(17), r.right - px(150) - x), (x, r.y + px(7)), 17, TEXT)
                text(s, fit(tail, font(17), r.w - px(20)), (r.x + px(10), r.y + px(27)), 17, side_col)
            else:
                text(s, fit(f"cannot be loaded: {problem}", font(17), r.w - px(20)), (r.x + px(10), r.y + px(27)),
                     17, (255, 140, 120))
            y += row_h
        self.scroll.draw_bar(s, self.list_rect, len(rows), self.rows_shown)
        if len(rows) > self.rows_shown:
            text(s, f"{self.scroll.top + 1}-{min(len(rows), self.scroll.top + self.rows_shown)} of {len(rows)}"
                 " (wheel to scroll)", (box.right - px(20), box.bottom - px(52)), 17, DIM, False, "topright")
        button(app, (box.x + px(20), box.bottom - px(64), px(200), px(48)), "Back", app.menu.back)
