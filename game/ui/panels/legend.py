"""The map's legend (K): terrain, lines, who holds what, the counters, objectives, overlays."""

from __future__ import annotations

import pygame

from ...engine.mapdata import TERRAIN_NAMES
from ...render import tiles
from ...render.board import HOLDER_COLOUR, TERRAIN_COLOURS, star_points
from ...render.chrome import ACCENT, DIM, panel, px, text
from ..overlays import FOG_RGBA, SUPPLY_RGBA, THREAT_RGBA, ZOC_RGBA

LINES = [("River", tiles.RIVER_COLOUR, 3, False), ("Main road", tiles.ROAD_MAIN, 3, False),
         ("Road", tiles.ROAD_MINOR, 2, False), ("Railway", tiles.RAIL_COLOUR, 2, True),
         ("38th parallel", tiles.PARALLEL_COLOUR, 2, True), ("Front line", tiles.FRONT_COLOUR, 4, False)]
SHADES = [("Held by the UN", (*tiles.SIDE_TINT[1], 90)), ("Held by the Communists", (*tiles.SIDE_TINT[2], 90)),
          ("Your supply (S)", SUPPLY_RGBA), ("Enemy zones of control (Z)", ZOC_RGBA),
          ("Enemy threat, low to high (T)", THREAT_RGBA[1]), ("Out of sight (fog)", FOG_RGBA),
          ("Where the selected unit can move", (255, 255, 255, 90))]
COUNTER_NOTES = ["bottom: attack - defence - movement", "left bar: strength steps left",
                 "XX division, X brigade, III regiment", "yellow triangle: out of supply", "dimmed: has moved"]


def legend_height() -> int:
    """What draw_legend's rows add up to."""
    rows = (len(TERRAIN_NAMES) + 1) // 2 + len(LINES) // 2 + len(SHADES)
    return px(38) + rows * px(22) + px(12) + px(28) + max(px(64), px(17) * len(COUNTER_NOTES)) + px(12)


def draw_legend(gs, s, rect) -> int:
    """The legend in ``rect`` (drawn once for its size, then blitted)."""
    h = min(legend_height(), rect.h)
    if h < px(120):
        return rect.y
    rows = gs.game.state.units.rows_on_map()
    sample = int(rows[0]) if len(rows) else -1
    key = (rect.w, h, px(100), sample)
    cached = getattr(gs, "legend_cache", None)
    if cached is None or cached[0] != key:
        surf = pygame.Surface((rect.w, h), pygame.SRCALPHA)
        render_legend(gs, surf, sample)
        cached = gs.legend_cache = (key, surf)
    s.blit(cached[1], rect.topleft)
    return rect.y + h


def render_legend(gs, s, sample: int) -> None:
    box = panel(s, s.get_rect(), (24, 28, 36, 240))
    x, y = box.x + px(12), box.y + px(8)
    half = (box.w - px(24)) // 2
    text(s, "Legend (K)", (x, y), 22, ACCENT, True)
    y += px(30)
    sw = px(18)
    for i, name in enumerate(TERRAIN_NAMES):
        cx, cy = x + (i % 2) * half, y + (i // 2) * px(22)
        pygame.draw.rect(s, TERRAIN_COLOURS[name], (cx, cy, sw, sw - px(4)))
        text(s, name, (cx + sw + px(6), cy - 1), 17)
    y += ((len(TERRAIN_NAMES) + 1) // 2) * px(22) + px(6)
    for i, (name, colour, w, dashed) in enumerate(LINES):
        cx, cy = x + (i % 2) * half, y + (i // 2) * px(22) + px(8)
        if name == "Front line":
            pygame.draw.line(s, tiles.FRONT_CASING, (cx, cy), (cx + sw + px(6), cy), w + 2)
        if dashed:
            tiles.dashed(s, colour, (cx, cy), (cx + sw + px(6), cy), w, 5)
        else:
            pygame.draw.line(s, colour, (cx, cy), (cx + sw + px(6), cy), w)
        text(s, name, (cx + sw + px(12), cy - px(8)), 17)
    y += (len(LINES) // 2) * px(22) + px(6)
    layer = pygame.Surface((sw, sw - px(4)), pygame.SRCALPHA)
    for name, rgba in SHADES:
        pygame.draw.rect(s, (190, 200, 150), (x, y, sw, sw - px(4)))
        layer.fill(rgba)
        s.blit(layer, (x, y))
        text(s, name, (x + sw + px(6), y - 1), 17)
        y += px(22)
    pts = star_points(x + sw / 2, y + px(8), px(8))
    pygame.draw.polygon(s, HOLDER_COLOUR[1], pts)
    pygame.draw.polygon(s, (255, 225, 60), pts, 2)
    text(s, "Victory objective: its VP, in the holder's colour", (x + sw + px(6), y), 17)
    y += px(28)
    if sample >= 0:
        s.blit(gs.board.counter(sample, px(64)), (x, y))
    for i, note in enumerate(COUNTER_NOTES):
        text(s, note, (x + px(74), y + i * px(17)), 16, DIM)
