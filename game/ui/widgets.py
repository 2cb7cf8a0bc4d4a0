"""Immediate-mode widgets: each frame a screen draws its buttons and registers where they are
(``app.hits``); a click goes to the topmost one. Scrolling lists keep only their offset."""

from __future__ import annotations

import pygame

from ..render.chrome import ACCENT, DIM, PANEL_EDGE, TEXT, fit, font, px, text

BUTTON_BG = (40, 45, 56)
BUTTON_HOT = (58, 64, 78)
BUTTON_ON = (52, 96, 170)


def button(app, rect, label, action, size=20, active=True, selected=False) -> pygame.Rect:
    """Draw a button; while ``active`` a click on it calls ``action()``."""
    rect = pygame.Rect(rect)
    s = app.screen
    hot = rect.collidepoint(app.mouse) and active
    pygame.draw.rect(s, BUTTON_ON if selected else BUTTON_HOT if hot else BUTTON_BG, rect, border_radius=px(6))
    pygame.draw.rect(s, ACCENT if selected or hot else PANEL_EDGE, rect, 1, border_radius=px(6))
    text(s, fit(label, font(size, True), rect.w - px(8)), rect.center, size, TEXT if active else DIM, True, "center")
    if active:
        app.hits.append((rect, action, label))
    return rect


def button_width(label: str, size: int = 18) -> int:
    return font(size, True).size(label)[0] + px(22)


class Scroll:
    """The first row a list shows, kept within the list."""

    def __init__(self) -> None:
        self.top = 0

    def clamp(self, total: int, shown: int) -> None:
        self.top = max(0, min(self.top, total - shown))

    def by(self, rows: int, total: int, shown: int) -> None:
        self.top += rows
        self.clamp(total, shown)

    def window(self, items: list, shown: int) -> list:
        self.clamp(len(items), shown)
        return items[self.top:self.top + shown]

    def draw_bar(self, surface, rect: pygame.Rect, total: int, shown: int) -> None:
        """A thin scroll bar along the right of ``rect`` when the list is longer than it."""
        if total <= shown:
            return
        bar = pygame.Rect(rect.right - px(6), rect.y, px(4), rect.h)
        pygame.draw.rect(surface, (50, 55, 66), bar, border_radius=2)
        h = max(px(16), int(rect.h * shown / total))
        y = rect.y + int((rect.h - h) * self.top / max(1, total - shown))
        pygame.draw.rect(surface, DIM, (bar.x, y, bar.w, h), border_radius=2)


class TextField:
    """A one-line text entry (a save's name): printable keys add, Backspace removes."""

    ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.()")

    def __init__(self, value: str = "", limit: int = 40) -> None:
        self.value = value
        self.limit = limit

    def key(self, ev) -> bool:
        if ev.key == pygame.K_BACKSPACE:
            self.value = self.value[:-1]
            return True
        ch = getattr(ev, "unicode", "")
        if ch and ch in self.ALLOWED and len(self.value) < self.limit:
            self.value += ch
            return True
        return False

    def draw(self, surface, rect, size: int = 22) -> pygame.Rect:
        rect = pygame.Rect(rect)
        pygame.draw.rect(surface, (250, 248, 240), rect, border_radius=px(4))
        pygame.draw.rect(surface, (90, 70, 40), rect, 2, border_radius=px(4))
        r = text(surface, self.value, (rect.x + px(8), rect.centery), size, (20, 20, 20), False, "midleft")
        pygame.draw.line(surface, (20, 20, 20), (r.right + 2, rect.y + px(6)), (r.right + 2, rect.bottom - px(6)), 2)
        return rect
