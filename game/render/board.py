"""The board: a camera over the hex map, the ground in cached tiles (game/render/tiles.py),
unit counters (game/render/counters.py), place names and the victory objectives.

World coordinates are the grid's kilometres (``grid.x_km``, ``grid.y_km``: x east, y south).
At zoom ``z`` (pixels per km) a point's *world pixel* is ``((x_km - x0) * z, (y_km - y0) * z)``;
the camera turns world pixels into screen pixels.
"""

from __future__ import annotations

import numpy as np
import pygame

from ..engine.hexgrid import CORNER_COS, CORNER_SIN, EDGE_CORNERS
from ..engine.mapdata import TERRAIN, TERRAIN_NAMES
from ..engine.units import COMMUNIST, ON_MAP, UN
from . import counters
from .map_png import TERRAIN_COLOURS, _shade
from .tiles import (
    BACKGROUND,
    FRONT_COLOUR,
    PARALLEL_COLOUR,
    RAIL_COLOUR,
    RIVER_COLOUR,
    ROAD_MAIN,
    ROAD_MINOR,
    SIDE_TINT,
    TILE,
    Layer,
    TileCompositor,
)

ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.35, 40.0, 1.25
DIR_CORNERS, HEX_COS, HEX_SIN = EDGE_CORNERS, CORNER_COS, CORNER_SIN
PLACE_RANK = {"capital": 0, "city": 1, "port": 2, "town": 2, "village": 3}
HOLDER_COLOUR = {UN: (70, 120, 255), COMMUNIST: (230, 50, 40)}
__all__ = ["BACKGROUND", "FRONT_COLOUR", "PARALLEL_COLOUR", "RAIL_COLOUR", "RIVER_COLOUR", "ROAD_MAIN",
           "ROAD_MINOR", "SIDE_TINT", "TERRAIN_COLOURS", "ZOOMS", "BoardRenderer", "Camera", "Layer"]


def zoom_levels() -> list:
    out, z = [], ZOOM_MIN
    while z <= ZOOM_MAX * 1.001:
        out.append(round(z, 4))
        z *= ZOOM_STEP
    return out


ZOOMS = zoom_levels()


class Camera:
    """What part of the world the board shows: a centre (km), a zoom level, a viewport."""

    def __init__(self, renderer: BoardRenderer, viewport: pygame.Rect):
        self.r = renderer
        self.viewport = pygame.Rect(viewport)
        self.cx, self.cy = renderer.world_km_centre()
        self.level = 0
        self.fit()

    @property
    def zoom(self) -> float:
        return ZOOMS[self.level]

    def fit(self) -> None:
        """Zoom out far enough to show the whole map, centred."""
        w_km, h_km = self.r.world_km_size()
        best = 0
        for i, z in enumerate(ZOOMS):
            if w_km * z <= self.viewport.w and h_km * z <= self.viewport.h:
                best = i
        self.level = best
        self.cx, self.cy = self.r.world_km_centre()

    def origin_px(self) -> tuple:
        """World pixel (at this zoom) at the viewport's top-left corner."""
        z = self.zoom
        ox = round((self.cx - self.r.x0) * z - self.viewport.w / 2)
        oy = round((self.cy - self.r.y0) * z - self.viewport.h / 2)
        return ox, oy

    def to_screen(self, x_km, y_km):
        z = self.zoom
        ox, oy = self.origin_px()
        sx = (np.asarray(x_km) - self.r.x0) * z - ox + self.viewport.x
        sy = (np.asarray(y_km) - self.r.y0) * z - oy + self.viewport.y
        return sx, sy

    def to_km(self, sx, sy) -> tuple:
        z = self.zoom
        ox, oy = self.origin_px()
        return ((sx - self.viewport.x + ox) / z + self.r.x0, (sy - self.viewport.y + oy) / z + self.r.y0)

    def hex_at(self, pos) -> int:
        if not self.viewport.collidepoint(pos):
            return -1
        x, y = self.to_km(*pos)
        return int(self.r.grid.xy_to_index(x, y))

    def pan_px(self, dx, dy) -> None:
        self.cx += dx / self.zoom
        self.cy += dy / self.zoom
        self.clamp()

    def clamp(self) -> None:
        """Keep the view on the map: a map wider (taller) than the view never shows its edge
        inside the view; a smaller one is centred."""
        w, h = self.r.world_km_size()
        half_w, half_h = self.viewport.w / 2 / self.zoom, self.viewport.h / 2 / self.zoom
        x0, y0 = self.r.x0, self.r.y0
        self.cx = x0 + w / 2 if 2 * half_w >= w else min(max(self.cx, x0 + half_w), x0 + w - half_w)
        self.cy = y0 + h / 2 if 2 * half_h >= h else min(max(self.cy, y0 + half_h), y0 + h - half_h)

    def zoom_by(self, steps: int, anchor=None) -> None:
        """Change zoom level, keeping the map point under ``anchor`` (screen px) in place as
        far as the map's edges allow."""
        new = min(max(self.level + steps, 0), len(ZOOMS) - 1)
        if new == self.level:
            return
        anchor = anchor if anchor is not None else self.viewport.center
        ax, ay = self.to_km(*anchor)
        self.level = new
        bx, by = self.to_km(*anchor)
        self.cx += ax - bx
        self.cy += ay - by
        self.clamp()

    def frame(self, hexes) -> None:
        """Show ``hexes`` whole: centred on them, at the closest zoom that fits them in the view."""
        x, y = self.r.grid.x_km[hexes], self.r.grid.y_km[hexes]
        margin = 2 * self.r.hex_km
        w_km, h_km = float(x.max() - x.min()) + margin, float(y.max() - y.min()) + margin
        fits = [i for i, z in enumerate(ZOOMS) if w_km * z <= self.viewport.w and h_km * z <= self.viewport.h]
        self.level = max(fits) if fits else 0
        self.cx, self.cy = float(x.min() + x.max()) / 2, float(y.min() + y.max()) / 2
        self.clamp()

    def centre_on(self, h: int) -> None:
        self.cx, self.cy = float(self.r.grid.x_km[h]), float(self.r.grid.y_km[h])
        self.clamp()

    def visible_km(self) -> tuple:
        x1, y1 = self.to_km(self.viewport.left, self.viewport.top)
        x2, y2 = self.to_km(self.viewport.right, self.viewport.bottom)
        return x1, y1, x2, y2


class BoardRenderer:
    """Draws one map and the units on it. Read-only on the game state (``state`` may be
    swapped for a snapshot of an earlier turn: the turn review does so)."""

    def __init__(self, state):
        self.state = state
        m = state.map
        self.map = m
        self.grid = g = m.grid
        self.zooms = ZOOMS
        self.hex_km = g.spec.hex_km
        self.rad_km = g.corner_km
        self.x0 = float(g.x_km.min()) - self.hex_km
        self.y0 = float(g.y_km.min()) - 1.5 * self.rad_km
        self._w_km = float(g.x_km.max()) - self.x0 + self.hex_km
        self._h_km = float(g.y_km.max()) - self.y0 + 1.5 * self.rad_km
        self.colours = self._hex_colours()
        self.tiles = TileCompositor(self)
        self._owner_key = None
        self._owner_version = 0
        self._counter_cache: dict = {}
        self._label_cache: dict = {}
        self._font_cache: dict = {}
        self._overlay_cache: dict = {}
        self.show_control = True
        self.show_grid = True
        self.label_scale = 1.0          # the window's UI scale, for names on the map
        self.selected_rows: set = set()
        # Fog of war: when set, (side, bool (n,) mask) - units not of ``side`` on hexes where the
        # mask is False are not drawn (the UI sets it for a single human side; None: draw all).
        self.fog = None
        # Edges drawn once each: direction d from h where the neighbour has a larger index (or none).
        nb = g.neighbors
        self.once = (nb < 0) | (np.arange(g.n)[:, None] < nb)
        self.place_order = sorted(range(len(m.places)),
                                  key=lambda i: (PLACE_RANK.get(m.places[i].kind, 3), -m.places[i].vp))

    # --- geometry -----------------------------------------------------------------------
    def world_km_size(self):
        return self._w_km, self._h_km

    def world_km_centre(self):
        return self.x0 + self._w_km / 2, self.y0 + self._h_km / 2

    def world_px_size(self, level: int):
        z = ZOOMS[level]
        return int(np.ceil(self._w_km * z)), int(np.ceil(self._h_km * z))

    @staticmethod
    def place_rank(place) -> int:
        return PLACE_RANK.get(place.kind, 3)

    def _hex_colours(self) -> np.ndarray:
        m = self.map
        base = np.array([TERRAIN_COLOURS[t] for t in TERRAIN_NAMES], dtype=np.float64)
        col = base[m.terrain]
        shade = _shade(m)
        # Rugged hexes a touch darker, so mountains read as mountains at every zoom.
        rel = np.clip(m.relief.astype(np.float64) / 1500.0, 0.0, 1.0)
        shade = shade * np.where(m.land, 1.0 - 0.18 * rel, 1.0)
        col = col * shade[:, None]
        sea = m.terrain == TERRAIN["sea"]
        depth = np.clip(-m.elevation.astype(np.float64) / 2500.0, 0, 1)
        col[sea] = col[sea] * (1.0 - 0.45 * depth[sea, None])
        return np.clip(col, 0, 255).astype(np.int32)

    def font(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        f = self._font_cache.get(key)
        if f is None:
            f = pygame.font.Font(None, size)
            f.set_bold(bold)
            self._font_cache[key] = f
        return f

    # --- the ground ---------------------------------------------------------------------
    def terrain_tile(self, level: int, tx: int, ty: int) -> pygame.Surface:
        return self.tiles.terrain(level, tx, ty)

    def owner_version(self) -> int:
        """A number that changes whenever who holds what changes."""
        key = hash(self.state.owner.tobytes())
        if key != self._owner_key:
            self._owner_key = key
            self._owner_version += 1
        return self._owner_version

    def control_layer(self) -> Layer:
        return Layer("control", None, self.owner_version())

    def visible_tiles(self, cam: Camera):
        ox, oy = cam.origin_px()
        for tx, ty in self.tiles_at(cam, cam.level):
            yield tx, ty, tx * TILE - ox + cam.viewport.x, ty * TILE - oy + cam.viewport.y

    def tiles_at(self, cam: Camera, level: int) -> list:
        """(tx, ty) of the tiles the camera's view needs at ``level`` (same centre)."""
        z = ZOOMS[level]
        ox = round((cam.cx - self.x0) * z - cam.viewport.w / 2)
        oy = round((cam.cy - self.y0) * z - cam.viewport.h / 2)
        w, h = self.world_px_size(level)
        tx0, ty0 = max(0, ox // TILE), max(0, oy // TILE)
        tx1 = min((w - 1) // TILE, (ox + cam.viewport.w) // TILE)
        ty1 = min((h - 1) // TILE, (oy + cam.viewport.h) // TILE)
        return [(tx, ty) for ty in range(ty0, ty1 + 1) for tx in range(tx0, tx1 + 1)]

    def draw_ground(self, surface, cam: Camera, layers=(), deadline: float | None = None) -> int:
        """Terrain and ``layers`` (the control tint first when shown). Returns the tiles not
        built yet (shown by a stand-in; see game/render/tiles.py)."""
        surface.fill(BACKGROUND, cam.viewport)
        layers = ([self.control_layer()] if self.show_control else []) + list(layers)
        return self.tiles.draw(surface, cam, layers, deadline)

    # --- per frame ----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, cam: Camera, hidden=(), extra_units=()) -> None:
        """Ground, units, objectives and place names (``hidden`` unit rows are skipped: they
        are being animated; ``extra_units`` are (row, x_km, y_km) drawn at a point)."""
        clip = surface.get_clip()
        surface.set_clip(cam.viewport)
        self.draw_ground(surface, cam)
        stacks = self.draw_units(surface, cam, hidden=hidden, extra=extra_units)
        self.draw_objectives(surface, cam)
        self.draw_places(surface, cam, stacks)
        surface.set_clip(clip)

    def hex_polygon(self, cam: Camera, h: int, shrink: float = 1.0):
        sx, sy = cam.to_screen(self.grid.x_km[h], self.grid.y_km[h])
        r = self.rad_km * cam.zoom * shrink
        return [(float(sx + r * c), float(sy + r * s)) for c, s in zip(HEX_COS, HEX_SIN, strict=False)]

    def hex_centre(self, cam: Camera, h: int):
        sx, sy = cam.to_screen(self.grid.x_km[h], self.grid.y_km[h])
        return float(sx), float(sy)

    def visible_hexes(self, cam: Camera, mask=None) -> np.ndarray:
        x1, y1, x2, y2 = cam.visible_km()
        g = self.grid
        pad = self.hex_km
        ok = (g.x_km > x1 - pad) & (g.x_km < x2 + pad) & (g.y_km > y1 - pad) & (g.y_km < y2 + pad)
        if mask is not None:
            ok &= mask
        return np.nonzero(ok)[0]

    def draw_hex_mask(self, surface, cam: Camera, mask, rgba, outline=None, key=None) -> None:
        """Shade the hexes of a small boolean mask (reachable hexes, targets) on the screen;
        big map-wide overlays go in the ground's tiles instead (:meth:`draw_ground`)."""
        hexes = self.visible_hexes(cam, mask)
        if hexes.size == 0:
            return
        vp = cam.viewport
        ck = (key, cam.level, cam.origin_px(), vp.size, hash(np.asarray(mask).tobytes()), rgba, outline)
        over = self._overlay_cache.get(key) if key else None
        if over is None or over[0] != ck:
            layer = pygame.Surface(vp.size, pygame.SRCALPHA)
            sx, sy = cam.to_screen(self.grid.x_km[hexes], self.grid.y_km[hexes])
            sx, sy = sx - vp.x, sy - vp.y
            r = self.rad_km * cam.zoom
            for x, y in zip(sx.tolist(), sy.tolist(), strict=False):
                pts = [(x + r * c, y + r * s) for c, s in zip(HEX_COS, HEX_SIN, strict=False)]
                pygame.draw.polygon(layer, rgba, pts)
                if outline:
                    pygame.draw.polygon(layer, outline, pts, 1)
            over = (ck, layer)
            if key:
                self._overlay_cache[key] = over
        surface.blit(over[1], vp.topleft)

    # --- places and objectives -------------------------------------------------------------
    def label_size(self, cam: Camera) -> int:
        hex_px = self.hex_km * cam.zoom
        return int(min(max(20, hex_px * 0.42), 28) * self.label_scale)

    def draw_places(self, surface, cam: Camera, stacks: dict | None = None) -> list:
        """Names of the places the zoom has room for, drawn above the units: beside a counter
        standing on the place, never on it, and where they cover no other counter if they can.
        Returns [(place index, rect)] drawn."""
        z = cam.zoom
        hex_px = self.hex_km * z
        m = self.map
        max_rank = 0 if hex_px < 5 else 1 if hex_px < 11 else 2 if hex_px < 30 else 3
        size = self.label_size(cam)
        stacks = stacks or {}
        counter_rects = list(stacks.values())
        taken: list = []
        out = []
        x1, y1, x2, y2 = cam.visible_km()
        for i in self.place_order:
            p = m.places[i]
            rank = PLACE_RANK.get(p.kind, 3)
            if rank > max_rank:
                continue
            hx, hy = self.grid.x_km[p.hex], self.grid.y_km[p.hex]
            if not (x1 - 60 < hx < x2 + 10 and y1 - 10 < hy < y2 + 10):
                continue
            lab = self._label(p.name, size + (3 if rank == 0 else 1 if rank == 1 else 0), bold=rank <= 1)
            sx, sy = (float(v) for v in cam.to_screen(hx, hy))
            rect = self._label_spot(lab, sx, sy, hex_px, stacks.get(p.hex), counter_rects, taken)
            if rect is None:
                continue
            taken.append(rect.inflate(4, 2))
            surface.blit(lab, rect)
            out.append((i, rect))
        return out

    @staticmethod
    def _label_spot(lab, sx, sy, hex_px, own, counter_rects, taken):
        """Where a name goes: right of the place's dot (or of a counter on it), else above,
        below or left of it; the first spot that covers no counter and no other name."""
        dot = max(3, min(9, hex_px * 0.2))
        spots = []
        if own is None:
            spots.append(lab.get_rect(midleft=(int(sx + dot + 2), int(sy - hex_px * 0.28))))
        else:
            spots += [lab.get_rect(midleft=(own.right + 3, int(sy))), lab.get_rect(midbottom=(int(sx), own.top - 1)),
                      lab.get_rect(midtop=(int(sx), own.bottom + 1)), lab.get_rect(midright=(own.left - 3, int(sy)))]
        free = [r for r in spots if r.collidelist(taken) < 0]
        if not free:
            return None
        clear = [r for r in free if r.collidelist(counter_rects) < 0]
        return (clear or free)[0]

    def _label(self, text, size, bold=False):
        key = (text, size, bold)
        s = self._label_cache.get(key)
        if s is None:
            f = self.font(size, bold)
            ink = f.render(text, True, (15, 15, 15))
            halo = f.render(text, True, (255, 255, 245))
            s = pygame.Surface((ink.get_width() + 2, ink.get_height() + 2), pygame.SRCALPHA)
            for dx, dy in ((0, 0), (2, 0), (0, 2), (2, 2), (1, 0), (0, 1), (2, 1), (1, 2)):
                s.blit(halo, (dx, dy))
            s.blit(ink, (1, 1))
            self._label_cache[key] = s
        return s

    def objectives(self) -> list:
        """Places worth victory points: [(hex, vp, holder)]."""
        owner = self.state.owner
        return [(p.hex, p.vp, int(owner[p.hex])) for p in self.map.places if p.vp]

    def draw_objectives(self, surface, cam: Camera) -> list:
        """A star in the holder's colour at each VP place, with its points when there is room.
        Returns [(hex, rect)] drawn."""
        hex_px = self.hex_km * cam.zoom
        r = max(5, min(12, int(hex_px * 0.16)))
        f = self.font(max(14, int(r * 1.8)), True)
        out = []
        vp_rect = cam.viewport.inflate(20, 20)
        for h, vp, holder in self.objectives():
            sx, sy = (float(v) for v in cam.to_screen(self.grid.x_km[h], self.grid.y_km[h]))
            x, y = sx - self.rad_km * cam.zoom * 0.55, sy - self.rad_km * cam.zoom * 0.6
            if not vp_rect.collidepoint(x, y):
                continue
            pts = star_points(x, y, r)
            pygame.draw.polygon(surface, HOLDER_COLOUR.get(holder, (200, 200, 200)), pts)
            pygame.draw.polygon(surface, (255, 225, 60), pts, 2)
            rect = pygame.Rect(int(x - r), int(y - r), 2 * r, 2 * r)
            if hex_px >= 28:
                img = f.render(str(vp), True, (255, 240, 160))
                back = img.get_rect(midleft=(int(x + r + 1), int(y)))
                pygame.draw.rect(surface, (20, 20, 20), back.inflate(4, 0), border_radius=3)
                surface.blit(img, back)
                rect = rect.union(back)
            out.append((h, rect))
        return out

    # --- units ----------------------------------------------------------------------------
    def counter_px(self, cam: Camera) -> int:
        return int(min(max(self.hex_km * cam.zoom * 0.8, 7), 80))

    def counter(self, row: int, px: int, selected: bool = False) -> pygame.Surface:
        spent = self.is_spent(row)
        key = counters.counter_key(self.state, row, px, selected, spent)
        s = self._counter_cache.get(key)
        if s is None:
            s = counters.draw_counter(self.state, row, px, self.font, selected, spent)
            if len(self._counter_cache) > 4000:
                self._counter_cache.clear()
            self._counter_cache[key] = s
        return s

    def is_spent(self, row: int) -> bool:
        """A unit of the side now acting that can no longer move or attack (drawn dimmed)."""
        st, u = self.state, self.state.units
        if st.phase != "operations" or st.over or int(u.side[row]) != st.active_side:
            return False
        return bool(u.mp[row] <= 0)

    def unit_shown(self, row: int, h=None) -> bool:
        """Whether fog of war lets the viewer see unit ``row`` (at hex ``h``, default its own)."""
        if self.fog is None:
            return True
        side, seen = self.fog
        u = self.state.units
        h = int(u.hex[row]) if h is None else int(h)
        return int(u.side[row]) == side or (0 <= h < seen.size and bool(seen[h]))

    def shown_rows(self, rows):
        """``rows`` (unit rows) less those the fog hides."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.fog is None or rows.size == 0:
            return rows
        side, seen = self.fog
        u = self.state.units
        return rows[(u.side[rows] == side) | seen[u.hex[rows]]]

    def stacks(self, hidden=()):
        """{hex: [rows]} of units on the map that the viewer can see, strongest first."""
        u = self.state.units
        rows = self.shown_rows(np.nonzero(u.status == ON_MAP)[0])
        if len(hidden):
            rows = rows[~np.isin(rows, np.asarray(list(hidden), dtype=np.int64))]
        out: dict = {}
        order = rows[np.lexsort((-u.strength[rows], u.hex[rows]))]
        for r in order.tolist():
            out.setdefault(int(u.hex[r]), []).append(r)
        return out

    def drawn_units(self, cam: Camera | None = None, hidden=()) -> list:
        """Unit rows ``draw_units`` puts on the board (in the camera's view if one is given),
        fog of war applied; stacks show at most their top three counters."""
        stacks = self.stacks(hidden)
        out = []
        for h, rows in stacks.items():
            if cam is not None:
                px = self.counter_px(cam)
                x, y = cam.to_screen(self.grid.x_km[h], self.grid.y_km[h])
                if not cam.viewport.inflate(2 * px, 2 * px).collidepoint(float(x), float(y)):
                    continue
            out.extend(rows[:3])
        return out

    def draw_units(self, surface, cam: Camera, hidden=(), extra=(), selected=()) -> dict:
        """Draw the counters; returns {hex: screen rect of its stack}."""
        px = self.counter_px(cam)
        stacks = self.stacks(hidden)
        rects: dict = {}
        if not stacks and not extra:
            return rects
        hexes = np.fromiter(stacks.keys(), dtype=np.int64, count=len(stacks))
        sx, sy = cam.to_screen(self.grid.x_km[hexes], self.grid.y_km[hexes])
        vp = cam.viewport.inflate(2 * px, 2 * px)
        sel = set(selected) if selected else self.selected_rows
        step = max(2, px // 8)
        blits = []
        badges = []
        for h, x, y in zip(hexes.tolist(), sx.tolist(), sy.tolist(), strict=False):
            if not vp.collidepoint(x, y):
                continue
            rows = stacks[h]
            shown = rows[:3][::-1]
            n = len(shown)
            for k, r in enumerate(shown):
                off = (n - 1 - k) * step
                blits.append((self.counter(r, px, r in sel), (int(x - px / 2 - off + (n - 1) * step / 2),
                                                               int(y - px / 2 + off - (n - 1) * step / 2))))
            spread = (n - 1) * step
            rects[h] = pygame.Rect(int(x - px / 2 - spread / 2), int(y - px / 2 - spread / 2), px + spread, px + spread)
            if len(rows) > 1 and px >= 18:
                badges.append((len(rows), int(x + px / 2 + spread / 2), int(y - px / 2 - spread / 2)))
        for r, xk, yk in extra:
            if self.fog is not None and not self.unit_shown(r, self.grid.xy_to_index(xk, yk)):
                continue
            x, y = cam.to_screen(xk, yk)
            blits.append((self.counter(r, px, r in sel), (int(x - px / 2), int(y - px / 2))))
        surface.fblits(blits)
        f = self.font(max(14, px // 3), True)
        for count, x, y in badges:
            t = f.render(str(count), True, (255, 255, 255))
            rr = max(t.get_width(), t.get_height()) // 2 + 2
            pygame.draw.circle(surface, (20, 20, 20), (x, y), rr)
            pygame.draw.circle(surface, (240, 200, 40), (x, y), rr, 2)
            surface.blit(t, t.get_rect(center=(x, y + 1)))
        return rects


_STAR = [((1.0 if k % 2 == 0 else 0.45) * float(np.cos(-np.pi / 2 + k * np.pi / 5)),
          (1.0 if k % 2 == 0 else 0.45) * float(np.sin(-np.pi / 2 + k * np.pi / 5))) for k in range(10)]


def star_points(x: float, y: float, r: float) -> list:
    """A five-pointed star of outer radius ``r`` centred on (x, y)."""
    return [(x + r * dx, y + r * dy) for dx, dy in _STAR]
