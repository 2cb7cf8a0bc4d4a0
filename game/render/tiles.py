"""The board's ground, in tiles: terrain drawn once per zoom level, then *composites* (terrain
with who holds what and the overlays the player turned on) blitted each frame as one opaque
surface per tile, so a frame costs a dozen blits however many overlays are on.

A composite is keyed by the content of each layer *inside that tile*: a move rebuilds only the
tiles around it. With a deadline (the window's frame budget) missing tiles are built until the
deadline and the others show a stand-in (the tile as it was, or the whole map's small overview
scaled up) so that no frame waits for a whole zoom level; ``prefetch`` builds the neighbouring
zoom levels in the time a frame leaves over.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import NamedTuple

import numpy as np
import pygame

from ..engine.hexgrid import CORNER_COS, CORNER_SIN, EDGE_CORNERS, KM_PER_DEG_LAT
from ..engine.mapdata import TERRAIN
from ..engine.units import COMMUNIST, UN

TILE = 512
MAX_TILES = 200                    # terrain, composite and stand-in tiles kept (1 MB each)
BACKGROUND = (24, 34, 52)
RIVER_COLOUR = (40, 95, 205)
ROAD_MAIN = (170, 45, 30)
ROAD_MINOR = (150, 100, 50)
RAIL_COLOUR = (25, 25, 25)
COAST_COLOUR = (50, 70, 90)
PARALLEL_COLOUR = (200, 20, 40)
SIDE_TINT = {UN: (40, 90, 230), COMMUNIST: (220, 30, 30)}
FRONT_COLOUR = (255, 250, 235)
FRONT_CASING = (20, 20, 20)
HEX_COS, HEX_SIN = CORNER_COS, CORNER_SIN
CHUNK = 80                        # polygons a drawing job draws between two looks at the clock


class Layer(NamedTuple):
    """One overlay on the ground. ``colours``: (n, 4) uint8 RGBA per hex (alpha 0: nothing);
    None for the control layer, which is drawn from the owner array with the front line.
    ``token`` changes whenever what the layer shows changes."""

    key: str
    colours: np.ndarray | None
    token: int
    outline: bool = False


def front_width(zoom: float) -> int:
    """Width of the front line: bolder than the 38th parallel at every zoom."""
    return max(3, int(round(0.5 * zoom)))


def parallel_width(zoom: float) -> int:
    return max(1, int(round(0.22 * zoom)))


class TileCompositor:
    """The tile caches of one board (see the module's docstring)."""

    def __init__(self, board):
        self.b = board
        self._tiles: OrderedDict = OrderedDict()
        self._hexes: dict = {}
        self._tokens: dict = {}
        self._last: dict = {}                # (level, tx, ty) -> key of the newest composite
        self._jobs: dict = {}                # key -> generator drawing that tile a slice at a time
        self._wanted: set = set()            # composites the last frame drew or prefetched
        self._overview: tuple | None = None   # (surface, px per km)

    # --- cache ------------------------------------------------------------------------------
    def get(self, key, bump: bool = True):
        s = self._tiles.get(key)
        if s is not None and bump:
            self._tiles.move_to_end(key)
        return s

    def put(self, key, surf) -> None:
        self._tiles[key] = surf
        while len(self._tiles) > MAX_TILES:
            self._tiles.popitem(last=False)

    def tile_hexes(self, level: int, tx: int, ty: int):
        """Hexes whose drawing can touch tile (tx, ty), and their centres in tile pixels."""
        key = (level, tx, ty)
        hit = self._hexes.get(key)
        if hit is None:
            b = self.b
            z = b.zooms[level]
            g = b.grid
            px = (g.x_km - b.x0) * z - tx * TILE
            py = (g.y_km - b.y0) * z - ty * TILE
            r = b.rad_km * z * 1.5 + 2
            sel = np.nonzero((px > -r) & (px < TILE + r) & (py > -r) & (py < TILE + r))[0]
            hit = (sel, px[sel], py[sel])
            if len(self._hexes) > 4000:
                self._hexes.clear()
            self._hexes[key] = hit
        return hit

    # --- composites -------------------------------------------------------------------------
    def terrain(self, level: int, tx: int, ty: int) -> pygame.Surface:
        key = ("t", level, tx, ty)
        s = self.get(key)
        if s is None:
            s = self._run(key, lambda: terrain_steps(self, level, tx, ty), None)
            self.put(key, s)
        return s

    def _run(self, key, start, deadline: float | None):
        """Advance the job drawing ``key`` (started by ``start()``) until it is done (returns
        its surface) or ``deadline`` passes (returns None; the job waits for the next call)."""
        job = self._jobs.get(key)
        if job is None:
            job = self._jobs[key] = start()
        try:
            while True:
                next(job)
                if deadline is not None and time.perf_counter() >= deadline:
                    return None
        except StopIteration as done:
            del self._jobs[key]
            return done.value

    def _tile_token(self, layer: Layer, level: int, tx: int, ty: int) -> int:
        key = (layer.key, layer.token, level, tx, ty)
        tok = self._tokens.get(key)
        if tok is None:
            sel = self.tile_hexes(level, tx, ty)[0]
            if layer.colours is None:
                owner = self.b.state.owner
                nb = self.b.grid.neighbors[sel]
                data = owner[sel].tobytes() + owner[np.maximum(nb, 0)].tobytes()
            else:
                data = layer.colours[sel].tobytes()
            tok = hash((layer.key, layer.outline, data))
            if len(self._tokens) > 20000:
                self._tokens.clear()
            self._tokens[key] = tok
        return tok

    def key(self, level: int, tx: int, ty: int, layers) -> tuple:
        return ("c", level, tx, ty, tuple(self._tile_token(la, level, tx, ty) for la in layers))

    def compose(self, level: int, tx: int, ty: int, layers, key=None, deadline: float | None = None):
        """The composite of a tile, drawn (a slice at a time when a deadline is given: None
        if it is not done by then)."""
        key = key or self.key(level, tx, ty, layers)
        s = self.get(key)
        if s is None:
            s = self._run(key, lambda: self._compose_steps(level, tx, ty, layers), deadline)
            if s is not None:
                self.put(key, s)
                self._last[(level, tx, ty)] = key
        return s

    def _compose_steps(self, level: int, tx: int, ty: int, layers):
        tkey = ("t", level, tx, ty)
        terrain = self.get(tkey)
        if terrain is None:
            terrain = yield from terrain_steps(self, level, tx, ty)
            self.put(tkey, terrain)
        s = terrain.copy()
        for la in layers:
            over = yield from (control_steps(self, level, tx, ty) if la.colours is None
                               else layer_steps(self, level, tx, ty, la))
            if over is not None:
                s.blit(over, (0, 0))
            yield
        return s

    def stand_in(self, level: int, tx: int, ty: int):
        """A tile not built yet shows as it last was, or its bare terrain (None: neither)."""
        old = self._last.get((level, tx, ty))
        for key in ((old,) if old else ()) + (("t", level, tx, ty),):
            s = self.get(key, bump=False)
            if s is not None:
                return s
        return None

    def draw(self, surface, cam, layers, deadline: float | None = None) -> int:
        """Blit the ground of the camera's view; returns how many tiles were stand-ins."""
        # Jobs for tiles the last frame no longer wanted (another zoom, changed overlays) go.
        self._jobs = {k: j for k, j in self._jobs.items() if k in self._wanted or k[0] == "t"}
        self._wanted = set()
        blits, waiting, bare = [], 0, False
        for tx, ty, x, y in self.b.visible_tiles(cam):
            key = self.key(cam.level, tx, ty, layers)
            self._wanted.add(key)
            tile = self.get(key)
            if tile is None and (deadline is None or time.perf_counter() < deadline):
                tile = self.compose(cam.level, tx, ty, layers, key, deadline)
            if tile is None:
                tile = self.stand_in(cam.level, tx, ty)
                waiting += 1
            if tile is None:
                bare = True
            else:
                blits.append((tile, (x, y)))
        if bare:
            self.backdrop(surface, cam)
        surface.fblits(blits)
        return waiting

    def prefetch(self, cam, layers, deadline: float) -> None:
        """Build the tiles the next zoom in and out would show, until ``deadline``."""
        for level in (cam.level + 1, cam.level - 1):
            if not 0 <= level < len(self.b.zooms):
                continue
            for tx, ty in self.b.tiles_at(cam, level):
                if time.perf_counter() >= deadline:
                    return
                key = self.key(level, tx, ty, layers)
                self._wanted.add(key)
                if self.get(key, bump=False) is None:
                    self.compose(level, tx, ty, layers, key, deadline)

    # --- the overview -----------------------------------------------------------------------
    def overview(self) -> tuple:
        """The whole map small (terrain only), sampled hex by hex: the stand-in's source."""
        if self._overview is None:
            b = self.b
            w_km, h_km = b.world_km_size()
            scale = min(900 / w_km, 1100 / h_km)
            w, h = max(1, int(w_km * scale)), max(1, int(h_km * scale))
            xs = b.x0 + (np.arange(w) + 0.5) / scale
            ys = b.y0 + (np.arange(h) + 0.5) / scale
            X, Y = np.meshgrid(xs, ys, indexing="xy")
            idx = b.grid.xy_to_index(X, Y)
            col = b.colours[np.maximum(idx, 0)].astype(np.uint8)
            col[idx < 0] = BACKGROUND
            surf = pygame.surfarray.make_surface(col.transpose(1, 0, 2))
            self._overview = (surf.convert() if pygame.display.get_surface() else surf, scale)
        return self._overview

    def backdrop(self, surface, cam) -> None:
        """The overview scaled to the camera's view, under tiles not built yet (one scaling
        for the whole view: a frame costs the same however many tiles are missing)."""
        src, scale = self.overview()
        b = self.b
        x1, y1, x2, y2 = cam.visible_km()
        ox, oy = (x1 - b.x0) * scale, (y1 - b.y0) * scale
        area = pygame.Rect(int(ox), int(oy), int((x2 - x1) * scale) + 2, int((y2 - y1) * scale) + 2)
        clip = area.clip(src.get_rect())
        if clip.w <= 0 or clip.h <= 0:
            return
        k = cam.zoom / scale                          # screen pixels per overview pixel
        dest = pygame.Rect(cam.viewport.x + round((clip.x - ox) * k), cam.viewport.y + round((clip.y - oy) * k),
                           max(1, round(clip.w * k)), max(1, round(clip.h * k)))
        surface.blit(pygame.transform.scale(src.subsurface(clip), dest.size), dest.topleft)


# --- drawing one tile -----------------------------------------------------------------------------
def _corners(cx, cy, rad):
    return np.stack([cx[:, None] + rad * HEX_COS, cy[:, None] + rad * HEX_SIN], axis=-1)


def finish(steps):
    """Run a drawing generator to its end; its surface."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def layer_steps(tc: TileCompositor, level: int, tx: int, ty: int, layer: Layer):
    """Draw one overlay layer of a tile (a generator: yields every CHUNK hexes; its value is
    the SRCALPHA surface, or None when the layer shows nothing there)."""
    sel, cx, cy = tc.tile_hexes(level, tx, ty)
    col = layer.colours[sel]
    on = np.nonzero(col[:, 3] > 0)[0]
    if on.size == 0:
        return None
    surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    rad = tc.b.rad_km * tc.b.zooms[level]
    yield from polygons(surf, _corners(cx[on], cy[on], rad + 0.5), col[on])
    if layer.outline and rad >= 5:
        edge = col[on].copy()
        edge[:, 3] = np.minimum(255, edge[:, 3].astype(int) * 3)
        yield from polygons(surf, _corners(cx[on], cy[on], rad), edge, 1)
    return surf


def polygons(surf, corners: np.ndarray, colours, width: int = 0):
    """Draw hexes (``corners`` (k, 6, 2), ``colours`` (k, 3|4) or one colour) CHUNK at a time,
    yielding between chunks. The point lists are made a chunk at a time: big lists kept alive
    across frames would make each of Python's full garbage collections slow."""
    one = not isinstance(colours, np.ndarray)
    for a in range(0, len(corners), CHUNK):
        pts = corners[a:a + CHUNK].tolist()
        cols = [colours] * len(pts) if one else colours[a:a + CHUNK].tolist()
        for p, c in zip(pts, cols, strict=True):
            pygame.draw.polygon(surf, c, p, width)
        yield


def draw_control(tc: TileCompositor, level: int, tx: int, ty: int) -> pygame.Surface:
    return finish(control_steps(tc, level, tx, ty))


def control_steps(tc: TileCompositor, level: int, tx: int, ty: int):
    """Who holds what, tinted, and the front line (edges between the two sides' ground) drawn
    boldly with a dark casing (a generator, as layer_steps)."""
    b = tc.b
    z = b.zooms[level]
    owner = b.state.owner
    m = b.map
    surf = pygame.Surface((TILE, TILE), pygame.SRCALPHA)
    sel, cx, cy = tc.tile_hexes(level, tx, ty)
    rad = b.rad_km * z
    grown = _corners(cx, cy, rad + 0.5)
    own = owner[sel]
    for side, rgb in SIDE_TINT.items():
        yield from polygons(surf, grown[(own == side) & m.land[sel]], (*rgb, 42))
    nb = b.grid.neighbors[sel]
    jj = np.maximum(nb, 0)
    w = front_width(z)
    tight = _corners(cx, cy, rad)
    edges = []
    for d in range(6):
        front = (own == UN) & (nb[:, d] >= 0) & (owner[jj[:, d]] == COMMUNIST)
        a, c = EDGE_CORNERS[d]
        edges += [(tight[i, a].tolist(), tight[i, c].tolist()) for i in np.nonzero(front)[0]]
    for p, q in edges:
        pygame.draw.line(surf, FRONT_CASING, p, q, w + 2)
    for p, q in edges:
        pygame.draw.line(surf, FRONT_COLOUR, p, q, w)
        if w >= 3:
            pygame.draw.circle(surf, FRONT_COLOUR, p, w // 2)
            pygame.draw.circle(surf, FRONT_COLOUR, q, w // 2)
    return surf


def terrain_steps(tc: TileCompositor, level: int, tx: int, ty: int):
    """Draw a tile's terrain: hexes, outlines, relief marks, coasts, rivers, roads, rail, the
    38th parallel, town dots (a generator, as layer_steps)."""
    b = tc.b
    z = b.zooms[level]
    m, g = b.map, b.grid
    surf = pygame.Surface((TILE, TILE))
    surf.fill(BACKGROUND)
    sel, cx, cy = tc.tile_hexes(level, tx, ty)
    if sel.size == 0:
        return surf.convert() if pygame.display.get_surface() else surf
    rad = b.rad_km * z
    hex_px = b.hex_km * z
    # Slightly oversized polygons close the hairline gaps between neighbours.
    corners = _corners(cx, cy, rad)
    col = b.colours[sel]
    yield from polygons(surf, _corners(cx, cy, rad + 0.6), col)
    land = m.land[sel]
    if b.show_grid and hex_px >= 16:
        yield from polygons(surf, corners[land], np.clip(col[land] * 0.85, 0, 255).astype(int), 1)
    if hex_px >= 26:
        s = hex_px * 0.16
        for i in np.nonzero(m.terrain[sel] == TERRAIN["mountain"])[0]:
            x, y = cx[i], cy[i] + s * 0.3
            c = np.clip(col[i] * 0.7, 0, 255).astype(int).tolist()
            pygame.draw.lines(surf, c, False, [(x - 2 * s, y + s), (x - s, y - 0.3 * s), (x - 0.2 * s, y + 0.5 * s),
                                               (x + 0.8 * s, y - s), (x + 2 * s, y + s)], max(1, int(hex_px / 28)))
        for i in np.nonzero(m.terrain[sel] == TERRAIN["marsh"])[0]:
            c = np.clip(col[i] * 0.75, 0, 255).astype(int).tolist()
            for k in (-1, 0, 1):
                y = cy[i] + k * s
                half = s * 1.2 - abs(k) * s * 0.4
                pygame.draw.line(surf, c, (cx[i] - half, y), (cx[i] + half, y), 1)
    nb = g.neighbors[sel]
    jj = np.maximum(nb, 0)
    once = b.once[sel]

    def edge(i, d):
        a, c = EDGE_CORNERS[d]
        return corners[i, a], corners[i, c]

    coast_w = max(1, int(round(z * 0.25)))
    for d in range(6):
        other_sea = (nb[:, d] >= 0) & ~m.land[jj[:, d]]
        for i in np.nonzero(land & other_sea)[0]:
            p, q = edge(i, d)
            pygame.draw.line(surf, COAST_COLOUR, p, q, coast_w)
        yield
    for val, w_km in ((1, 0.25), (2, 0.55)):
        w = max(1 if val == 1 else 2, int(round(w_km * z)))
        for d in range(6):
            for i in np.nonzero((m.river[sel, d] == val) & once[:, d])[0]:
                p, q = edge(i, d)
                pygame.draw.line(surf, RIVER_COLOUR, p, q, w)
                if w >= 3:
                    pygame.draw.circle(surf, RIVER_COLOUR, p, w // 2)
                    pygame.draw.circle(surf, RIVER_COLOUR, q, w // 2)
            yield
    for d in range(6):
        yield
        ok = (nb[:, d] >= 0) & once[:, d]
        ncx = (g.x_km[jj[:, d]] - b.x0) * z - tx * TILE
        ncy = (g.y_km[jj[:, d]] - b.y0) * z - ty * TILE
        for i in np.nonzero(ok & (m.road[sel, d] > 0))[0]:
            main = m.road[sel[i], d] == 2
            w = max(1, int(round((0.45 if main else 0.25) * z)))
            pygame.draw.line(surf, ROAD_MAIN if main else ROAD_MINOR, (cx[i], cy[i]), (ncx[i], ncy[i]), w)
            if w >= 3:
                pygame.draw.circle(surf, ROAD_MAIN if main else ROAD_MINOR, (cx[i], cy[i]), w // 2)
        off = 0.18 * rad
        for i in np.nonzero(ok & m.rail[sel, d])[0]:
            dashed(surf, RAIL_COLOUR, (cx[i] + off, cy[i] + off), (ncx[i] + off, ncy[i] + off),
                   max(1, int(round(0.2 * z))), max(3.0, 1.2 * z))
    # The 38th parallel, dashed across the tile (thinner than the front line).
    y38 = (g.spec.lat_north - 38.0) * KM_PER_DEG_LAT
    if g.lat.min() < 38.0 < g.lat.max():
        py = (y38 - b.y0) * z - ty * TILE
        if -4 < py < TILE + 4:
            dash = max(6.0, 2.0 * z)
            x = -(tx * TILE % (2 * dash))
            wline = parallel_width(z)
            x_end = min(TILE, b.world_km_size()[0] * z - tx * TILE)
            while x < x_end:
                pygame.draw.line(surf, PARALLEL_COLOUR, (x, py), (x + dash, py), wline)
                x += 2 * dash
    # City and town dots (names are drawn per frame, above the units).
    for p in m.places:
        i = np.searchsorted(sel, p.hex)
        if i >= sel.size or sel[i] != p.hex:
            continue
        rank = b.place_rank(p)
        if hex_px < 6 and rank >= 2:
            continue
        r = min(9, max(2, int(round({0: 0.55, 1: 0.42, 2: 0.3, 3: 0.22}[rank] * hex_px * 0.45))))
        pygame.draw.circle(surf, (20, 20, 20), (cx[i], cy[i]), r + 1)
        pygame.draw.circle(surf, (250, 230, 80) if p.port else (255, 255, 255), (cx[i], cy[i]), r)
        if p.kind == "capital":
            pygame.draw.circle(surf, (200, 20, 20), (cx[i], cy[i]), max(1, r // 2))
    return surf.convert() if pygame.display.get_surface() else surf


def dashed(surf, colour, p, q, width, dash) -> None:
    x1, y1 = p
    x2, y2 = q
    length = float(np.hypot(x2 - x1, y2 - y1))
    if length < 1:
        return
    n = max(1, int(length / dash))
    for k in range(0, n, 2):
        a, c = k / n, min(1.0, (k + 1) / n)
        pygame.draw.line(surf, colour, (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                         (x1 + (x2 - x1) * c, y1 + (y2 - y1) * c), width)
