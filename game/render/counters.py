"""Unit counters, drawn the way a board wargame prints them: the nation's colour with the
side's border, the NATO symbol with the size mark above, the factors along the bottom
(attack - defence - movement, as the rules compute them for this unit now) and a bar of its
strength steps down the left edge. Smaller counters keep what still reads: the strength, then
only the side's colour."""

from __future__ import annotations

import math

import numpy as np
import pygame

from ..engine.units import COMMUNIST, UN
from ..rules.combat import attack_strength, defense_strength

NATION_COLOURS = {
    "US": (122, 138, 86), "ROK": (150, 196, 232), "UK": (196, 178, 122), "AUS": (188, 170, 118),
    "CAN": (200, 168, 120), "NZ": (186, 176, 128), "IND": (200, 186, 140), "TUR": (214, 150, 140),
    "GRC": (130, 170, 220), "FRA": (120, 150, 210), "NLD": (230, 160, 90), "BEL": (210, 190, 90),
    "LUX": (180, 200, 230), "PHL": (160, 200, 180), "THA": (190, 160, 210), "COL": (230, 210, 110),
    "ETH": (150, 190, 120), "ZAF": (170, 190, 110),
    "KPA": (160, 74, 52), "CPV": (150, 18, 28),
}
SIDE_BODY = {UN: (110, 150, 210), COMMUNIST: (170, 60, 50)}
SIDE_EDGE = {UN: (20, 50, 140), COMMUNIST: (110, 0, 0)}
SIZE_MARKS = {"division": "XX", "brigade": "X", "regiment": "III", "battalion": "II",
              "corps": "XXX", "army": "XXXX"}
FACTORS_PX = 32            # counters this big print their factors
NUMBER_PX = 14             # ... this big, at least the strength
SELECTED_EDGE = (255, 230, 40)


def ink_for(rgb) -> tuple:
    """Black or white, whichever reads better on ``rgb``."""
    r, g, b = rgb[:3]
    return (0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (255, 255, 255)


def unit_colours(state, row: int):
    """(body, border) of a unit's counter."""
    u = state.units
    side = int(u.side[row])
    return NATION_COLOURS.get(u.nations[row], SIDE_BODY.get(side, (180, 180, 180))), SIDE_EDGE.get(side, (0, 0, 0))


def factors(state, row: int) -> tuple[int, int, int]:
    """(attack, defence, movement) printed on the counter: the combat rules' strengths of the
    unit where it stands (supply, efficiency, terrain and digging in counted) and its movement
    allowance (its type's, times its nation's ``movement``)."""
    a = float(attack_strength(state, [row])[0])
    d = float(defense_strength(state, [row])[0]) if state.units.hex[row] >= 0 else 0.0
    return int(round(a)), int(round(d)), int(round(float(state.rules.unit_allowance(state.units, [row])[0])))


def factors_text(state, row: int) -> str:
    return "-".join(str(v) for v in factors(state, row))


def counter_key(state, row: int, px: int, selected: bool, spent: bool) -> tuple:
    """Everything a counter's picture depends on (its cache key)."""
    u = state.units
    fac = factors(state, row) if px >= FACTORS_PX else ()
    return (u.nations[row], int(u.side[row]), int(u.type[row]), int(u.strength[row]), int(u.max_strength[row]),
            int(u.supply[row] > 0), px, selected, spent, fac)


def draw_counter(state, row: int, px: int, font, selected: bool = False, spent: bool = False) -> pygame.Surface:
    """One counter ``px`` pixels square. ``font(size, bold)`` gives the fonts."""
    u = state.units
    ut = state.rules.unit_types
    t = int(u.type[row])
    body, edge = unit_colours(state, row)
    s = pygame.Surface((px, px), pygame.SRCALPHA)
    rect = s.get_rect()
    radius = max(1, px // 10)
    pygame.draw.rect(s, body, rect, border_radius=radius)
    bw = max(1, px // 16)
    pygame.draw.rect(s, SELECTED_EDGE if selected else edge, rect, bw + (2 if selected else 0), border_radius=radius)
    ink = ink_for(body)
    if px < NUMBER_PX:
        pygame.draw.rect(s, edge, rect.inflate(-px // 2, -px // 2))      # a dot in the side's colour
        return s
    if px < 24:
        # Too small for a symbol: the strength alone, as big as fits.
        txt = font(max(11, int(px * 0.72)), True).render(str(int(u.strength[row])), True, ink)
        s.blit(txt, txt.get_rect(center=(px // 2, px // 2 + 1)))
        return _marks(s, state, row, px, bw, spent)
    big = px >= FACTORS_PX
    bwid, bh = int(px * (0.5 if big else 0.62)), int(px * (0.28 if big else 0.36))
    box = pygame.Rect(0, 0, bwid, bh)
    box.center = (px // 2 + (px // 20 if big else 0), int(px * (0.40 if big else 0.43)))
    _symbol(s, ut.symbol[t], box, ink, max(1, px // 22), px)
    mark = SIZE_MARKS.get(ut.size[t], "")
    if mark:
        img = font(max(9, int(px * (0.2 if big else 0.24))), True).render(mark, True, ink)
        s.blit(img, img.get_rect(midbottom=(box.centerx, box.top + 1)))
    if big:
        # The factors fill the width right of the strength bar.
        left = _strength_bar(s, state, row, px, bw, ink) + 1
        a, d, m = factors(state, row)
        label = f"{a}-{d}-{m}"
        size = max(11, int(px * 0.3))
        f = font(size, True)
        while f.size(label)[0] > px - bw - 1 - left and size > 9:
            size -= 1
            f = font(size, True)
        img = f.render(label, True, ink)
        s.blit(img, img.get_rect(midbottom=((left + px - bw) // 2, px - bw)))
    else:
        txt = font(max(10, int(px * 0.34)), True).render(str(int(u.strength[row])), True, ink)
        s.blit(txt, txt.get_rect(midbottom=(px // 2, px - bw)))
    return _marks(s, state, row, px, bw, spent)


def _symbol(s, symbol: str, box: pygame.Rect, ink, lw: int, px: int) -> None:
    pygame.draw.rect(s, ink, box, lw)
    bwid, bh = box.w, box.h
    if symbol in ("infantry", "marine", "airborne"):
        pygame.draw.line(s, ink, box.topleft, (box.right - 1, box.bottom - 1), lw)
        pygame.draw.line(s, ink, (box.left, box.bottom - 1), (box.right - 1, box.top), lw)
    if symbol == "armor":
        pygame.draw.ellipse(s, ink, box.inflate(-bwid * 0.3, -bh * 0.36), lw)
    if symbol == "marine":
        y = box.bottom + max(2, px // 14)
        pts = [(box.left + k * bwid / 8, y + (2 if k % 2 else -1) * max(1, px // 40)) for k in range(9)]
        pygame.draw.lines(s, ink, False, pts, lw)
    if symbol == "airborne":
        arc = pygame.Rect(0, 0, bwid * 0.5, bh * 0.6)
        arc.midtop = (box.centerx, box.bottom - bh * 0.45)
        pygame.draw.arc(s, ink, arc, 0, math.pi, lw)
    if symbol == "hq":
        pygame.draw.line(s, ink, (box.left, box.bottom - 1), (box.left, box.bottom + px * 0.18), lw + 1)


def _strength_bar(s, state, row: int, px: int, bw: int, ink) -> int:
    """The strength steps left, as a bar down the left edge (full height: full strength);
    returns the bar's right edge."""
    u = state.units
    frac = float(np.clip(u.strength[row] / max(1, int(u.max_strength[row])), 0, 1))
    top, bottom = bw + 2, px - bw - 2
    w = max(3, px // 12)
    x = bw + 2
    pygame.draw.rect(s, ink, (x, top, w, bottom - top), 1)
    h = int(round((bottom - top - 2) * frac))
    colour = (60, 200, 80) if frac > 0.66 else (240, 200, 40) if frac > 0.33 else (230, 60, 40)
    if h > 0:
        pygame.draw.rect(s, colour, (x + 1, bottom - 1 - h, w - 2, h))
    return x + w


def _marks(s, state, row: int, px: int, bw: int, spent: bool) -> pygame.Surface:
    if state.units.supply[row] > 0:
        # Out of supply: a small yellow warning triangle, top right.
        k = max(4, px // 5)
        x = px - bw - 1 - k
        tri = [(x, bw + k), (x + k, bw + k), (x + k / 2, bw + 1)]
        pygame.draw.polygon(s, (255, 210, 0), tri)
        pygame.draw.polygon(s, (0, 0, 0), tri, 1)
    if spent:
        # Moved out: dim the counter a little so fresh units stand out.
        shade = pygame.Surface((px, px), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 70))
        s.blit(shade, (0, 0))
    return s
