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

MIN_FONT = 20                   # pygame's default font at 20 is 13 px high: nothing smaller reads well

_fonts: dict = {}
_texts: dict = {}
_panels: dict = {}
_scale = [1.0]


def set_ui_scale(scale: float) -> None:
    """Scale every font and every size the window asks through :func:`px` (high-DPI screens)."""
    _scale[0] = float(scale)
    _fonts.clear()
    _texts.clear()


def ui_scale() -> float:
    return _scale[0]


def px(v: float) -> int:
    """A size in pixels at the UI scale."""
    return int(round(v * _scale[0]))


def font(size: int, bold: bool = False) -> pygame.font.Font:
    """pygame's default font at ``size`` (scaled, never below MIN_FONT)."""
    key = (size, bold)
    f = _fonts.get(key)
    if f is None:
        if not pygame.font.get_init():
            pygame.font.init()
        f = pygame.font.Font(None, max(MIN_FONT, int(round(size * _scale[0]))))
        f.set_bold(bold)
        _fonts[key] = f
    return f


def rendered(s: str, size: int = 20, colour=TEXT, bold: bool = False) -> pygame.Surface:
    """The picture of a line of text, cached (a frame draws the same lines again and again)."""
    key = (s, size, tuple(colour), bold)
    img = _texts.get(key)
    if img is None:
        img = font(size, bold).render(s, True, colour)
        if len(_texts) > 3000:
            _texts.clear()
        _texts[key] = img
    return img


def panel(surface, rect, alpha_bg=PANEL_BG, edge=PANEL_EDGE, radius=6) -> pygame.Rect:
    rect = pygame.Rect(rect)
    key = (rect.size, tuple(alpha_bg), tuple(edge), radius)
    s = _panels.get(key)
    if s is None:
        s = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(s, alpha_bg, s.get_rect(), border_radius=radius)
        pygame.draw.rect(s, edge, s.get_rect(), 1, border_radius=radius)
        if len(_panels) > 200:
            _panels.clear()
        _panels[key] = s
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


def fit(text: str, f: pygame.font.Font, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if f.size(text)[0] <= width:
        return text
    while len(text) > 1 and f.size(text + "...")[0] > width:
        text = text[:-1]
    return text.rstrip() + "..."


def plural(n: int, word: str) -> str:
    """'1 card', '3 cards'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def text(surface, s, pos, size=20, colour=TEXT, bold=False, anchor="topleft") -> pygame.Rect:
    img = rendered(str(s), size, colour, bold)
    r = img.get_rect(**{anchor: pos})
    surface.blit(img, r)
    return r


def side_to_move(state) -> str:
    if state.over:
        return "game over"
    return SIDE_LABEL.get(state.active_side, SIDE_NAMES.get(state.active_side, "?"))


def top_bar_items(state) -> list:
    """What the top bar says, most important first: (text, size, colour, bold)."""
    cal = state.scenario.calendar
    side = None if state.over else state.active_side
    vp = victory_points(state)
    items = [
        (state.date.strftime("%d %B %Y").lstrip("0"), 22, TEXT, True),
        (f"Turn {state.turn + 1}/{len(cal)}", 20, DIM, False),
        (side_to_move(state), 20, SIDE_TEXT.get(side, TEXT), True),
        (f"VP  UN {vp.get('un', 0):.0f}", 20, SIDE_TEXT[UN], True),
        (f"COM {vp.get('communist', 0):.0f}", 20, SIDE_TEXT[COMMUNIST], True),
        (f"Weather: {state.weather.replace('_', ' ')}", 18, DIM, False),
        (f"({state.phase})", 18, DIM, False),
    ]
    will = {s: state.sides[s].get("will") for s in (UN, COMMUNIST)}
    if all(w is not None for w in will.values()):
        items.append((f"Will  UN {will[UN]:.0f}  COM {will[COMMUNIST]:.0f}", 18, DIM, False))
    if state.talks not in ("none", "closed"):
        items.append((f"Talks: {state.talks.replace('_', ' ')}", 18, DIM, False))
    return items


def draw_top_bar(surface, rect, state, extra: str = "", right: int | None = None) -> list:
    """Scenario, date, turn, side to move, VP, weather... left to right up to ``right`` (default
    the bar's end): what does not fit is left out, least important first; the title gets the
    room left (shortened, or left out when too little is left). Returns the rects drawn."""
    rect = pygame.Rect(rect)
    pygame.draw.rect(surface, (20, 24, 32), rect)
    pygame.draw.line(surface, PANEL_EDGE, rect.bottomleft, rect.bottomright)
    right = rect.right - px(12) if right is None else right
    if extra:
        right = text(surface, extra, (right, rect.centery), 18, DIM, False, "midright").left - px(18)
    items = top_bar_items(state)
    gap = px(16)
    width = [rendered(t, size, col, bold).get_width() + gap for t, size, col, bold in items]
    x0 = rect.x + px(12)
    while items and x0 + sum(width) > right:
        items.pop()
        width.pop()
    title = fit(state.scenario.title, font(22, True), max(0, right - x0 - sum(width) - gap))
    drawn = []
    x = x0
    if len(title) >= 20:             # a title cut shorter than that says little: leave it out
        drawn.append(text(surface, title, (x0, rect.centery), 22, ACCENT, True, "midleft"))
        x = drawn[0].right + gap
    for t, size, col, bold in items:
        drawn.append(text(surface, t, (x, rect.centery), size, col, bold, "midleft"))
        x = drawn[-1].right + gap
    return drawn


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
