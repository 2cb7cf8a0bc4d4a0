"""The board: a camera over the hex map, the terrain layer pre-rendered in tiles (one set per
zoom level, cached), an owner tint rebuilt only when ownership changes, and unit counters.

World coordinates are the grid's kilometres (``grid.x_km``, ``grid.y_km``: x east, y south).
At zoom ``z`` (pixels per km) a point's *world pixel* is ``((x_km - x0) * z, (y_km - y0) * z)``;
the camera turns world pixels into screen pixels. The terrain of each zoom level is drawn once,
tile by tile, as the view first needs it (so the whole-peninsula view costs one pass over the
hexes, and a close view only the few tiles it shows), then every frame just blits tiles.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pygame

from ..engine.hexgrid import CORNER_COS, CORNER_SIN, EDGE_CORNERS, KM_PER_DEG_LAT
from ..engine.mapdata import TERRAIN, TERRAIN_NAMES
from ..engine.units import COMMUNIST, ON_MAP, UN
from .map_png import TERRAIN_COLOURS, _shade

TILE = 512
MAX_TILES = 160                    # terrain + tint tiles kept (about 170 MB at most)
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.35, 40.0, 1.25
BACKGROUND = (24, 34, 52)
RIVER_COLOUR = (40, 95, 205)
ROAD_MAIN = (170, 45, 30)
ROAD_MINOR = (150, 100, 50)
RAIL_COLOUR = (25, 25, 25)
COAST_COLOUR = (50, 70, 90)
PARALLEL_COLOUR = (200, 20, 40)
SIDE_TINT = {UN: (40, 90, 230), COMMUNIST: (220, 30, 30)}
FRONT_COLOUR = (255, 250, 235)

# Hex corner geometry is defined once, in the engine's hex grid module.
DIR_CORNERS, HEX_COS, HEX_SIN = EDGE_CORNERS, CORNER_COS, CORNER_SIN

# Nation colours: the counter's body. The border says the side (UN blue, Communist red).
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
PLACE_RANK = {"capital": 0, "city": 1, "port": 2, "town": 2, "village": 3}


def zoom_levels() -> list:
    out, z = [], ZOOM_MIN
    while z <= ZOOM_MAX * 1.001:
        out.append(round(z, 4))
        z *= ZOOM_STEP
    return out


ZOOMS = zoom_levels()


def ink_for(rgb) -> tuple:
    """Black or white, whichever reads better on ``rgb``."""
    r, g, b = rgb[:3]
    return (0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (255, 255, 255)


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
        w, h = self.r.world_km_size()
        self.cx = min(max(self.cx, self.r.x0), self.r.x0 + w)
        self.cy = min(max(self.cy, self.r.y0), self.r.y0 + h)

    def zoom_by(self, steps: int, anchor=None) -> None:
        """Change zoom level, keeping the map point under ``anchor`` (screen px) in place."""
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

    def centre_on(self, h: int) -> None:
        self.cx, self.cy = float(self.r.grid.x_km[h]), float(self.r.grid.y_km[h])
        self.clamp()

    def visible_km(self) -> tuple:
        x1, y1 = self.to_km(self.viewport.left, self.viewport.top)
        x2, y2 = self.to_km(self.viewport.right, self.viewport.bottom)
        return x1, y1, x2, y2


class BoardRenderer:
    """Draws one map and the units on it. Read-only on the game state."""

    def __init__(self, state):
        self.state = state
        m = state.map
        self.map = m
        self.grid = g = m.grid
        self.hex_km = g.spec.hex_km
        self.rad_km = g.corner_km
        self.x0 = float(g.x_km.min()) - self.hex_km
        self.y0 = float(g.y_km.min()) - 1.5 * self.rad_km
        self._w_km = float(g.x_km.max()) - self.x0 + self.hex_km
        self._h_km = float(g.y_km.max()) - self.y0 + 1.5 * self.rad_km
        self.colours = self._hex_colours()
        self._tiles: OrderedDict = OrderedDict()    # (kind, level, tx, ty, version) -> Surface
        self._owner_key = None
        self._owner_version = 0
        self._counter_cache: dict = {}
        self._label_cache: dict = {}
        self._font_cache: dict = {}
        self._overlay_cache = {}
        self.show_control = True
        self.show_grid = True
        # Fog of war: when set, (side, bool (n,) mask) - units not of ``side`` on hexes where the
        # mask is False are not drawn (the UI sets it for a single human side; None: draw all).
        self.fog = None
        # Edges drawn once each: direction d from h where the neighbour has a larger index (or none).
        nb = g.neighbors
        self._once = (nb < 0) | (np.arange(g.n)[:, None] < nb)
        self.place_order = sorted(range(len(m.places)),
                                  key=lambda i: (PLACE_RANK.get(m.places[i].kind, 3), -m.places[i].vp))

    # --- geometry -----------------------------------------------------------------------
    def world_km_size(self):
        return self._w_km, self._h_km

    def world_km_centre(self):
        return self.x0 + self._w_km / 2, self.y0 + self._h_km / 2

    def world_px_size(self, level: int):
        z = ZOOMS[level]
        return int(math.ceil(self._w_km * z)), int(math.ceil(self._h_km * z))

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

    # --- tiles --------------------------------------------------------------------------
    def _cache_get(self, key):
        s = self._tiles.get(key)
        if s is not None:
            self._tiles.move_to_end(key)
        return s

    def _cache_put(self, key, surf):
        self._tiles[key] = surf
        while len(self._tiles) > MAX_TILES:
            self._tiles.popitem(last=False)

    def _tile_hexes(self, level: int, tx: int, ty: int, pad: float = 1.5):
        """Hexes whose drawing can touch tile (tx, ty), and their centres in tile pixels."""
        z = ZOOMS[level]
        g = self.grid
        px = (g.x_km - self.x0) * z - tx * TILE
        py = (g.y_km - self.y0) * z - ty * TILE
        r = self.rad_km * z * pad + 2
        sel = np.nonzero((px > -r) & (px < TILE + r) & (py > -r) & (py < TILE + r))[0]
        return sel, px[sel], py[sel]

    def terrain_tile(self, level: int, tx: int, ty: int) -> pygame.Surface:
        key = ("t", level, tx, ty)
        s = self._cache_get(key)
        if s is None:
            s = self._draw_terrain_tile(level, tx, ty)
            self._cache_put(key, s)
        return s

    def _draw_terrain_tile(self, level: int, tx: int, ty: int) -> pygame.Surface:
        z = ZOOMS[level]
        m, g = self.map, self.grid
        surf = pygame.Surface((TILE, TILE))
        surf.fill(BACKGROUND)
        sel, cx, cy = self._tile_hexes(level, tx, ty)
        if sel.size == 0:
            return surf.convert() if pygame.display.get_surface() else surf
        rad = self.rad_km * z
        hex_px = self.hex_km * z
        # Slightly oversized polygons close the hairline gaps between neighbours.
        grow = rad + 0.6
        cxs = cx[:, None] + grow * HEX_COS
        cys = cy[:, None] + grow * HEX_SIN
        corners = np.stack([cx[:, None] + rad * HEX_COS, cy[:, None] + rad * HEX_SIN], axis=-1)
        col = self.colours[sel]
        draw_poly = pygame.draw.polygon
        for i in range(sel.size):
            draw_poly(surf, col[i].tolist(), list(zip(cxs[i].tolist(), cys[i].tolist(), strict=False)))
        land = m.land[sel]
        # Hex outlines when hexes are big enough to read them.
        if self.show_grid and hex_px >= 16:
            outline = np.clip(col * 0.85, 0, 255).astype(int)
            for i in np.nonzero(land)[0]:
                pygame.draw.polygon(surf, outline[i].tolist(), corners[i].tolist(), 1)
        # Mountains: a small peak mark in each big enough mountain hex.
        if hex_px >= 26:
            mtn = np.nonzero(m.terrain[sel] == TERRAIN["mountain"])[0]
            s = hex_px * 0.16
            for i in mtn:
                x, y = cx[i], cy[i] + s * 0.3
                c = np.clip(col[i] * 0.7, 0, 255).astype(int).tolist()
                pygame.draw.lines(surf, c, False, [(x - 2 * s, y + s), (x - s, y - 0.3 * s), (x - 0.2 * s, y + 0.5 * s),
                                                   (x + 0.8 * s, y - s), (x + 2 * s, y + s)], max(1, int(hex_px / 28)))
            marsh = np.nonzero(m.terrain[sel] == TERRAIN["marsh"])[0]
            for i in marsh:
                c = np.clip(col[i] * 0.75, 0, 255).astype(int).tolist()
                for k in (-1, 0, 1):
                    y = cy[i] + k * s
                    half = s * 1.2 - abs(k) * s * 0.4
                    pygame.draw.line(surf, c, (cx[i] - half, y), (cx[i] + half, y), 1)
        nb = g.neighbors[sel]
        jj = np.maximum(nb, 0)
        once = self._once[sel]

        def edge(i, d):
            a, b = DIR_CORNERS[d]
            return corners[i, a], corners[i, b]

        # Coast: land next to sea (or off the map).
        coast_w = max(1, int(round(z * 0.25)))
        for d in range(6):
            other_sea = (nb[:, d] >= 0) & ~m.land[jj[:, d]]
            for i in np.nonzero(land & other_sea)[0]:
                p, q = edge(i, d)
                pygame.draw.line(surf, COAST_COLOUR, p, q, coast_w)
        # Rivers on edges, major wider; a lake is drawn by its terrain colour.
        for val, w_km in ((1, 0.25), (2, 0.55)):
            w = max(1 if val == 1 else 2, int(round(w_km * z)))
            for d in range(6):
                for i in np.nonzero((m.river[sel, d] == val) & once[:, d])[0]:
                    p, q = edge(i, d)
                    pygame.draw.line(surf, RIVER_COLOUR, p, q, w)
                    if w >= 3:
                        pygame.draw.circle(surf, RIVER_COLOUR, p, w // 2)
                        pygame.draw.circle(surf, RIVER_COLOUR, q, w // 2)
        # Roads, centre to centre along the edge they cross; rail dashed, offset a little.
        for d in range(6):
            ok = (nb[:, d] >= 0) & once[:, d]
            ncx = (g.x_km[jj[:, d]] - self.x0) * z - tx * TILE
            ncy = (g.y_km[jj[:, d]] - self.y0) * z - ty * TILE
            for i in np.nonzero(ok & (m.road[sel, d] > 0))[0]:
                main = m.road[sel[i], d] == 2
                w = max(1, int(round((0.45 if main else 0.25) * z)))
                pygame.draw.line(surf, ROAD_MAIN if main else ROAD_MINOR, (cx[i], cy[i]), (ncx[i], ncy[i]), w)
                if w >= 3:
                    pygame.draw.circle(surf, ROAD_MAIN if main else ROAD_MINOR, (cx[i], cy[i]), w // 2)
            off = 0.18 * rad
            for i in np.nonzero(ok & m.rail[sel, d])[0]:
                _dashed(surf, RAIL_COLOUR, (cx[i] + off, cy[i] + off), (ncx[i] + off, ncy[i] + off),
                        max(1, int(round(0.2 * z))), max(3.0, 1.2 * z))
        # The 38th parallel, dashed across the tile.
        y38 = (g.spec.lat_north - 38.0) * KM_PER_DEG_LAT
        if g.lat.min() < 38.0 < g.lat.max():
            py = (y38 - self.y0) * z - ty * TILE
            if -4 < py < TILE + 4:
                dash = max(6.0, 2.0 * z)
                x = -(tx * TILE % (2 * dash))
                wline = max(2, int(round(0.3 * z)))
                x_end = min(TILE, self._w_km * z - tx * TILE)
                while x < x_end:
                    pygame.draw.line(surf, PARALLEL_COLOUR, (x, py), (x + dash, py), wline)
                    x += 2 * dash
        # City and town dots (names are drawn per frame, above the units' ground).
        for p in self.map.places:
            i = np.searchsorted(sel, p.hex)
            if i >= sel.size or sel[i] != p.hex:
                continue
            rank = PLACE_RANK.get(p.kind, 3)
            if hex_px < 6 and rank >= 2:
                continue
            r = max(2, int(round({0: 0.55, 1: 0.42, 2: 0.3, 3: 0.22}[rank] * hex_px * 0.45)))
            r = min(r, 9)
            pygame.draw.circle(surf, (20, 20, 20), (cx[i], cy[i]), r + 1)
            pygame.draw.circle(surf, (250, 230, 80) if p.port else (255, 255, 255), (cx[i], cy[i]), r)
            if p.kind == "capital":
                pygame.draw.circle(surf, (200, 20, 20), (cx[i], cy[i]), max(1, r // 2))
        return surf.convert() if pygame.display.get_surface() else surf

    def owner_version(self) -> int:
        key = hash(self.state.owner.tobytes())
        if key != self._owner_key:
            self._owner_key = key
            self._owner_version += 1
            self._tiles = OrderedDict((k, v) for k, v in self._tiles.items() if k[0] != "o")
        return self._owner_version

    def tint_tile(self, level: int, tx: int, ty: int) -> pygame.Surface:
        key = ("o", level, tx, ty, self._owner_version)
        s = self._cache_get(key)
        if s is None:
            s = self._draw_tint_tile(level, tx, ty)
            self._cache_put(key, s)
        return s

    def _draw_tint_tile(self, level: int, tx: int, ty: int) -> pygame.Surface:
        z = ZOOMS[level]
        owner = self.state.owner
        m = self.map
        surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
        sel, cx, cy = self._tile_hexes(level, tx, ty)
        rad = self.rad_km * z
        corners = np.stack([cx[:, None] + (rad + 0.5) * HEX_COS, cy[:, None] + (rad + 0.5) * HEX_SIN], axis=-1)
        own = owner[sel]
        for side, rgb in SIDE_TINT.items():
            colour = (*rgb, 42)
            for i in np.nonzero((own == side) & m.land[sel])[0]:
                pygame.draw.polygon(surf, colour, corners[i].tolist())
        # The front line: edges between hexes the two sides hold.
        nb = self.grid.neighbors[sel]
        jj = np.maximum(nb, 0)
        w = max(1, int(round(0.18 * z)))
        tight = np.stack([cx[:, None] + rad * HEX_COS, cy[:, None] + rad * HEX_SIN], axis=-1)
        for d in range(6):
            front = (own == UN) & (nb[:, d] >= 0) & (owner[jj[:, d]] == COMMUNIST)
            for i in np.nonzero(front)[0]:
                a, b = DIR_CORNERS[d]
                pygame.draw.line(surf, (*FRONT_COLOUR, 200), tight[i, a], tight[i, b], w)
        return surf

    def visible_tiles(self, cam: Camera):
        ox, oy = cam.origin_px()
        w, h = self.world_px_size(cam.level)
        tx0, ty0 = max(0, ox // TILE), max(0, oy // TILE)
        tx1 = min((w - 1) // TILE, (ox + cam.viewport.w) // TILE)
        ty1 = min((h - 1) // TILE, (oy + cam.viewport.h) // TILE)
        for ty in range(ty0, ty1 + 1):
            for tx in range(tx0, tx1 + 1):
                yield tx, ty, tx * TILE - ox + cam.viewport.x, ty * TILE - oy + cam.viewport.y

    # --- per frame ----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, cam: Camera, hidden=(), extra_units=()) -> None:
        """Terrain, control tint, place names, and units. ``hidden`` unit rows are skipped
        (they are being animated); ``extra_units`` are (row, x_km, y_km) drawn at a point."""
        clip = surface.get_clip()
        surface.set_clip(cam.viewport)
        surface.fill(BACKGROUND, cam.viewport)
        tiles = list(self.visible_tiles(cam))
        surface.fblits([(self.terrain_tile(cam.level, tx, ty), (x, y)) for tx, ty, x, y in tiles])
        if self.show_control:
            self.owner_version()
            surface.fblits([(self.tint_tile(cam.level, tx, ty), (x, y)) for tx, ty, x, y in tiles])
        self.draw_places(surface, cam)
        self.draw_units(surface, cam, hidden=hidden, extra=extra_units)
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
        """Shade the hexes of a boolean mask (reachable hexes, supply, zones of control)."""
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

    def draw_places(self, surface, cam: Camera) -> None:
        z = cam.zoom
        hex_px = self.hex_km * z
        m = self.map
        # Which ranks get names at this zoom: capitals always, cities from modest zoom, etc.
        max_rank = 0 if hex_px < 5 else 1 if hex_px < 11 else 2 if hex_px < 30 else 3
        size = int(min(max(13, hex_px * 0.42), 24))
        taken = []
        x1, y1, x2, y2 = cam.visible_km()
        for i in self.place_order:
            p = m.places[i]
            rank = PLACE_RANK.get(p.kind, 3)
            if rank > max_rank:
                continue
            hx, hy = self.grid.x_km[p.hex], self.grid.y_km[p.hex]
            if not (x1 - 60 < hx < x2 + 10 and y1 - 10 < hy < y2 + 10):
                continue
            fsize = size + (3 if rank == 0 else 1 if rank == 1 else 0)
            lab = self._label(p.name, fsize, bold=rank <= 1)
            sx, sy = cam.to_screen(hx, hy)
            dot = max(3, min(9, hex_px * 0.2))
            rect = lab.get_rect(midleft=(int(sx + dot + 2), int(sy - hex_px * 0.28)))
            if any(rect.colliderect(t) for t in taken):
                continue
            taken.append(rect.inflate(4, 2))
            surface.blit(lab, rect)

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

    # --- units ----------------------------------------------------------------------------
    def counter_px(self, cam: Camera) -> int:
        return int(min(max(self.hex_km * cam.zoom * 0.78, 7), 72))

    def unit_colours(self, row: int):
        u = self.state.units
        side = int(u.side[row])
        body = NATION_COLOURS.get(u.nations[row], SIDE_BODY.get(side, (180, 180, 180)))
        return body, SIDE_EDGE.get(side, (0, 0, 0))

    def counter(self, row: int, px: int, selected: bool = False) -> pygame.Surface:
        u = self.state.units
        t = int(u.type[row])
        key = (u.nations[row], int(u.side[row]), t, int(u.strength[row]), int(u.supply[row] > 0),
               px, selected, self.is_spent(row))
        s = self._counter_cache.get(key)
        if s is None:
            s = draw_counter(self, row, px, selected)
            if len(self._counter_cache) > 4000:
                self._counter_cache.clear()
            self._counter_cache[key] = s
        return s

    def is_spent(self, row: int) -> bool:
        """A unit of the side now acting that can no longer move or attack (drawn dimmed)."""
        st, u = self.state, self.state.units
        if st.phase != "operations" or int(u.side[row]) != st.active_side:
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
        out = {}
        order = rows[np.lexsort((-u.strength[rows], u.hex[rows]))]
        for r in order.tolist():
            out.setdefault(int(u.hex[r]), []).append(r)
        return out

    def drawn_units(self, cam: Camera = None, hidden=()) -> list:
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

    def draw_units(self, surface, cam: Camera, hidden=(), extra=(), selected=()) -> None:
        px = self.counter_px(cam)
        stacks = self.stacks(hidden)
        if not stacks and not extra:
            return
        hexes = np.fromiter(stacks.keys(), dtype=np.int64, count=len(stacks))
        sx, sy = cam.to_screen(self.grid.x_km[hexes], self.grid.y_km[hexes])
        vp = cam.viewport.inflate(2 * px, 2 * px)
        sel = set(selected) if selected else getattr(self, "selected_rows", set())
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
            if len(rows) > 1 and px >= 18:
                badges.append((len(rows), int(x + px / 2 + (n - 1) * step / 2), int(y - px / 2 - (n - 1) * step / 2)))
        for r, xk, yk in extra:
            if self.fog is not None and not self.unit_shown(r, self.grid.xy_to_index(xk, yk)):
                continue
            x, y = cam.to_screen(xk, yk)
            blits.append((self.counter(r, px, r in sel), (int(x - px / 2), int(y - px / 2))))
        surface.fblits(blits)
        f = self.font(max(12, px // 3), True)
        for count, x, y in badges:
            t = f.render(str(count), True, (255, 255, 255))
            rr = max(t.get_width(), t.get_height()) // 2 + 2
            pygame.draw.circle(surface, (20, 20, 20), (x, y), rr)
            pygame.draw.circle(surface, (240, 200, 40), (x, y), rr, 2)
            surface.blit(t, t.get_rect(center=(x, y + 1)))


def _dashed(surf, colour, p, q, width, dash):
    x1, y1 = p
    x2, y2 = q
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1:
        return
    n = max(1, int(length / dash))
    for k in range(0, n, 2):
        a, b = k / n, min(1.0, (k + 1) / n)
        pygame.draw.line(surf, colour, (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                         (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b), width)


def draw_counter(r: BoardRenderer, row: int, px: int, selected: bool = False) -> pygame.Surface:
    """One unit counter: nation-coloured body, side-coloured border, NATO symbol box with the
    size mark above and the strength below."""
    st = r.state
    u = st.units
    ut = st.rules.unit_types
    t = int(u.type[row])
    symbol, size = ut.symbol[t], ut.size[t]
    body, edge = r.unit_colours(row)
    spent = r.is_spent(row)
    s = pygame.Surface((px, px), pygame.SRCALPHA)
    rect = s.get_rect()
    pygame.draw.rect(s, body, rect, border_radius=max(1, px // 10))
    bw = max(1, px // 16)
    pygame.draw.rect(s, (255, 230, 40) if selected else edge, rect, bw + (2 if selected else 0),
                     border_radius=max(1, px // 10))
    ink = ink_for(body)
    if px < 16:
        # Too small for a symbol: a dot in the side's colour says enough.
        pygame.draw.rect(s, edge, rect.inflate(-px // 2, -px // 2))
        return s
    # Symbol box.
    bwid, bh = int(px * 0.62), int(px * 0.36)
    box = pygame.Rect(0, 0, bwid, bh)
    box.center = (px // 2, int(px * 0.43))
    lw = max(1, px // 22)
    pygame.draw.rect(s, ink, box, lw)
    if symbol in ("infantry", "marine", "airborne"):
        pygame.draw.line(s, ink, box.topleft, (box.right - 1, box.bottom - 1), lw)
        pygame.draw.line(s, ink, (box.left, box.bottom - 1), (box.right - 1, box.top), lw)
    if symbol == "armor":
        oval = box.inflate(-bwid * 0.3, -bh * 0.36)
        pygame.draw.ellipse(s, ink, oval, lw)
    if symbol == "marine":
        # An anchor-ish wave under the box: amphibious.
        y = box.bottom + max(2, px // 14)
        pts = [(box.left + k * bwid / 8, y + (2 if k % 2 else -1) * max(1, px // 40)) for k in range(9)]
        pygame.draw.lines(s, ink, False, pts, lw)
    if symbol == "airborne":
        arc = pygame.Rect(0, 0, bwid * 0.5, bh * 0.6)
        arc.midtop = (box.centerx, box.bottom - bh * 0.45)
        pygame.draw.arc(s, ink, arc, 0, math.pi, lw)
    if symbol == "hq":
        pygame.draw.line(s, ink, (box.left, box.bottom - 1), (box.left, box.bottom + px * 0.18), lw + 1)
    # Size mark above the box.
    mark = SIZE_MARKS.get(size, "")
    if mark and px >= 22:
        f = r.font(max(9, int(px * 0.24)), True)
        t = f.render(mark, True, ink)
        s.blit(t, t.get_rect(midbottom=(px // 2, box.top + 1)))
    # Strength.
    f = r.font(max(10, int(px * 0.34)), True)
    txt = f.render(str(int(u.strength[row])), True, ink)
    s.blit(txt, txt.get_rect(midbottom=(px // 2, px - bw)))
    if u.supply[row] > 0:
        # Out of supply: a small yellow warning triangle, top left.
        k = max(4, px // 5)
        pygame.draw.polygon(s, (255, 210, 0), [(bw + 1, bw + k), (bw + 1 + k, bw + k), (bw + 1 + k / 2, bw + 1)])
        pygame.draw.polygon(s, (0, 0, 0), [(bw + 1, bw + k), (bw + 1 + k, bw + k), (bw + 1 + k / 2, bw + 1)], 1)
    if spent:
        # Moved out: dim the counter a little so fresh units stand out.
        shade = pygame.Surface((px, px), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 60))
        s.blit(shade, (0, 0))
    return s
