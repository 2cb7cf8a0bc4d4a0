"""Screen furniture shared by the game window and headless screenshots: the top bar, the
minimap and small drawing helpers (panels, wrapped text)."""

from __future__ import annotations

import numpy as np
import pygame

from ..engine.units import COMMUNIST, SIDE_NAMES, UN
from ..rules.victory import victory_points
from .board import BACKGROUND, SIDE_TINT, BoardRenderer, Camera

PANEL_BG = (28, 32, 40, 232)
PANEL_EDGE = (90, 100, 120)
TEXT = (232, 232, 225)
DIM = (160, 165, 175)
ACCENT = (240, 200, 60)
SIDE_LABEL = {UN: "UN Command", COMMUNIST: "Communists"}
SIDE_TEXT = {UN: (120, 170, 255), COMMUNIST: (255, 110, 100)}

_fonts: dict = {}


def font(size: int, bold: bool = False) -> pygame.font.Font:
    key = (size, bold)
    f = _fonts.get(key)
    if f is None:
        if not pygame.font.get_init():
            pygame.font.init()
        f = pygame.font.Font(None, size)
        f.set_bold(bold)
        _fonts[key] = f
    return f


def panel(surface, rect, alpha_bg=PANEL_BG, edge=PANEL_EDGE, radius=6) -> pygame.Rect:
    rect = pygame.Rect(rect)
    s = pygame.Surface(rect.size, pygame.SRCALPHA)
    pygame.draw.rect(s, alpha_bg, s.get_rect(), border_radius=radius)
    pygame.draw.rect(s, edge, s.get_rect(), 1, border_radius=radius)
    surface.blit(s, rect.topleft)
    return rect


def wrap(text: str, f: pygame.font.Font, width: int) -> list:
    lines = []
    for para in str(text).split("\n"):
        words, cur = para.split(), ""
        for w in words:
            trial = (cur + " " + w).strip()
            if f.size(trial)[0] <= width or not cur:
                cur = trial
            else:
                lines.append(cur)
                cur = w
        lines.append(cur)
    return lines


def text(surface, s, pos, size=20, colour=TEXT, bold=False, anchor="topleft") -> pygame.Rect:
    img = font(size, bold).render(str(s), True, colour)
    r = img.get_rect(**{anchor: pos})
    surface.blit(img, r)
    return r


def side_to_move(state) -> str:
    if state.over:
        return "game over"
    return SIDE_LABEL.get(state.active_side, SIDE_NAMES.get(state.active_side, "?"))


def draw_top_bar(surface, rect, state, extra: str = "") -> pygame.Rect:
    """Scenario, date, turn, phase, side to move, weather, victory points."""
    rect = pygame.Rect(rect)
    pygame.draw.rect(surface, (20, 24, 32), rect)
    pygame.draw.line(surface, PANEL_EDGE, rect.bottomleft, rect.bottomright)
    cal = state.scenario.calendar
    y = rect.centery
    x = rect.x + 12
    x = text(surface, state.scenario.title, (x, y), 22, ACCENT, True, "midleft").right + 22
    x = text(surface, state.date.strftime("%d %B %Y").lstrip("0"), (x, y), 22, TEXT, True, "midleft").right + 18
    x = text(surface, f"Turn {state.turn + 1}/{len(cal)}", (x, y), 20, DIM, False, "midleft").right + 18
    side = state.active_side
    x = text(surface, side_to_move(state), (x, y), 20, SIDE_TEXT.get(side, TEXT), True, "midleft").right + 6
    x = text(surface, f"({state.phase})", (x, y), 18, DIM, False, "midleft").right + 18
    x = text(surface, f"Weather: {state.weather.replace('_', ' ')}", (x, y), 18, DIM, False, "midleft").right + 18
    vp = victory_points(state)
    x = text(surface, f"VP  UN {vp.get('un', 0):.0f}", (x, y), 20, SIDE_TEXT[UN], True, "midleft").right + 10
    x = text(surface, f"COM {vp.get('communist', 0):.0f}", (x, y), 20, SIDE_TEXT[COMMUNIST], True, "midleft").right + 18
    will = {s: state.sides[s].get("will") for s in (UN, COMMUNIST)}
    if all(w is not None for w in will.values()):
        x = text(surface, f"Will  UN {will[UN]:.0f}  COM {will[COMMUNIST]:.0f}", (x, y), 18, DIM, False,
                 "midleft").right + 18
    if state.talks not in ("none", "closed"):
        x = text(surface, f"Talks: {state.talks.replace('_', ' ')}", (x, y), 18, DIM, False, "midleft").right + 18
    if extra:
        text(surface, extra, (rect.right - 12, y), 18, DIM, False, "midright")
    return rect


class Minimap:
    """The whole map small, with who holds what and the camera's view box; click to jump."""

    def __init__(self, board: BoardRenderer, max_size=(260, 300)):
        self.board = board
        w_km, h_km = board.world_km_size()
        self.scale = min(max_size[0] / w_km, max_size[1] / h_km)
        self.size = (max(1, int(w_km * self.scale)), max(1, int(h_km * self.scale)))
        self.rect = pygame.Rect((0, 0), self.size)
        self._key = None
        self._img = None

    def _render(self) -> pygame.Surface:
        b = self.board
        g, m = b.grid, b.map
        w, h = self.size
        # Sample the hex under each minimap pixel: cheap and exact enough at this size.
        xs = b.x0 + (np.arange(w) + 0.5) / self.scale
        ys = b.y0 + (np.arange(h) + 0.5) / self.scale
        X, Y = np.meshgrid(xs, ys, indexing="xy")
        idx = g.xy_to_index(X, Y)
        ok = idx >= 0
        hh = np.where(ok, idx, 0)
        col = b.colours[hh].astype(np.float64)
        owner = b.state.owner[hh]
        for side, rgb in SIDE_TINT.items():
            mask = ok & m.land[hh] & (owner == side)
            col[mask] = col[mask] * 0.6 + np.array(rgb) * 0.4
        col[~ok] = BACKGROUND
        arr = np.clip(col, 0, 255).astype(np.uint8).transpose(1, 0, 2)
        return pygame.surfarray.make_surface(arr)

    def draw(self, surface, cam: Camera, topleft) -> pygame.Rect:
        key = hash(self.board.state.owner.tobytes())
        if key != self._key or self._img is None:
            self._img = self._render()
            self._key = key
        self.rect = pygame.Rect(topleft, self.size)
        pygame.draw.rect(surface, PANEL_EDGE, self.rect.inflate(4, 4), 2)
        surface.blit(self._img, self.rect)
        x1, y1, x2, y2 = cam.visible_km()
        b = self.board
        vr = pygame.Rect(self.rect.x + (x1 - b.x0) * self.scale, self.rect.y + (y1 - b.y0) * self.scale,
                         (x2 - x1) * self.scale, (y2 - y1) * self.scale).clip(self.rect)
        pygame.draw.rect(surface, (255, 255, 255), vr, 2)
        return self.rect

    def km_at(self, pos):
        b = self.board
        return (b.x0 + (pos[0] - self.rect.x) / self.scale, b.y0 + (pos[1] - self.rect.y) / self.scale)
