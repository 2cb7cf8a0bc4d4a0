"""Draw a built map (:class:`game.engine.mapdata.MapData`) to a PNG with pygame.

Terrain colours with relief shading, rivers as blue lines on hex edges, roads and rail from
hex centre to hex centre, the 1950 borders, the 38th parallel, and the places labelled.
Draws to an off-screen surface; run as a command it picks the dummy video driver when no
display is there (importing this module changes nothing).

    python -m game.render.map_png assets/maps/korea_10km.npz out.png
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pygame

from game.engine.hexgrid import CORNER_COS, CORNER_SIN, EDGE_CORNERS, KM_PER_DEG_LAT
from game.engine.mapdata import REGION, TERRAIN, TERRAIN_NAMES, MapData
from game.render.headless import use_dummy_video_without_display

TERRAIN_COLOURS = {
    "sea": (92, 135, 190),
    "clear": (196, 214, 140),
    "rough": (176, 170, 112),
    "mountain": (140, 112, 82),
    "marsh": (118, 170, 150),
    "lake": (110, 160, 215),
    "urban": (150, 150, 150),
}
RIVER_COLOUR = (25, 80, 200)
MINOR_RIVER_COLOUR = (80, 140, 225)
ROAD_MAIN_COLOUR = (200, 40, 30)
ROAD_MINOR_COLOUR = (235, 150, 40)
RAIL_COLOUR = (20, 20, 20)
BORDER_COLOUR = (150, 30, 150)
PARALLEL_COLOUR = (220, 0, 0)



def _shade(m: MapData) -> np.ndarray:
    """Per-hex brightness factor: light from the north-west, on the hex mean heights."""
    g = m.grid
    elev = np.maximum(m.elevation.astype(np.float64), 0.0)
    nb = g.neighbors
    def at(d):
        j = nb[:, d]
        return np.where(j >= 0, elev[np.maximum(j, 0)], elev)
    # Height gain towards the light (NW, with W and NE at half weight).
    gain = (at(2) - at(5)) + 0.5 * (at(3) - at(0)) + 0.5 * (at(1) - at(4))
    shade = 1.0 - np.clip(gain / (6.0 * g.spec.hex_km * 40.0), -0.35, 0.35)
    return np.where(m.land, shade, 1.0)


def render_map_png(m: MapData, path, px_per_km: float = 2.0, labels: bool = True,
                   grid_lines: bool = True) -> None:
    """Write a picture of the whole map to ``path``."""
    pygame.font.init()
    g = m.grid
    s = px_per_km
    rad = g.corner_km
    margin = 20
    title_h = 40
    w = int((g.x_km.max() + g.spec.hex_km) * s) + 2 * margin
    h = int((g.y_km.max() + 2 * rad) * s) + 2 * margin + title_h
    surf = pygame.Surface((w, h))
    surf.fill((255, 255, 255))
    ox, oy = margin + g.spec.hex_km / 2 * s, margin + title_h + rad * s
    cx = ox + g.x_km * s
    cy = oy + g.y_km * s
    corners = np.stack([cx[:, None] + rad * s * CORNER_COS,
                        cy[:, None] + rad * s * CORNER_SIN], axis=-1)

    # Terrain with relief shading; sea shaded by depth.
    base = np.array([TERRAIN_COLOURS[t] for t in TERRAIN_NAMES], dtype=np.float64)
    col = base[m.terrain]
    shade = _shade(m)
    col = col * shade[:, None]
    sea = m.terrain == TERRAIN["sea"]
    depth = np.clip(-m.elevation.astype(np.float64) / 2500.0, 0, 1)
    col[sea] = col[sea] * (1.0 - 0.45 * depth[sea, None])
    col = np.clip(col, 0, 255).astype(int)
    outline = np.clip(col * 0.88, 0, 255).astype(int)
    for i in range(g.n):
        pts = corners[i].tolist()
        pygame.draw.polygon(surf, col[i].tolist(), pts)
        if grid_lines and not sea[i]:
            pygame.draw.polygon(surf, outline[i].tolist(), pts, 1)

    def edge_line(hx, d):
        a, b = EDGE_CORNERS[d]
        return corners[hx, a], corners[hx, b]

    # Borders between land regions (China / Korea / USSR); the 38th parallel is drawn apart.
    nb = g.neighbors
    for d in (0, 1, 2):
        j = nb[:, d]
        ok = (j >= 0)
        jj = np.maximum(j, 0)
        diff = ok & m.land & m.land[jj] & (m.region != m.region[jj])
        korean = (REGION["south"], REGION["north"])
        ns = np.isin(m.region, korean) & np.isin(m.region[jj], korean)
        for hx in np.nonzero(diff & ~ns)[0]:
            p, q = edge_line(hx, d)
            # Wide and under the rivers: a border river shows as blue with a purple band.
            pygame.draw.line(surf, BORDER_COLOUR, p, q, max(4, int(3.2 * s)))

    # Rivers on edges: minor first, major on top.
    for val, width, colour in ((1, max(1, int(0.6 * s)), MINOR_RIVER_COLOUR),
                               (2, max(2, int(1.8 * s)), RIVER_COLOUR)):
        for d in (0, 1, 2, 3, 4, 5):
            j = nb[:, d]
            # Draw each edge once: from the lower index, or from the hex when off the map.
            sel = (m.river[:, d] == val) & ((j < 0) | (np.arange(g.n) < j))
            for hx in np.nonzero(sel)[0]:
                p, q = edge_line(hx, d)
                pygame.draw.line(surf, colour, p, q, width)

    # Roads and rail, centre to centre (rail offset a little so both show).
    off = 0.12 * rad * s
    for d in (0, 1, 2):
        j = nb[:, d]
        ok = j >= 0
        for hx in np.nonzero(ok & (m.road[:, d] > 0))[0]:
            main = m.road[hx, d] == 2
            pygame.draw.line(surf, ROAD_MAIN_COLOUR if main else ROAD_MINOR_COLOUR,
                             (cx[hx], cy[hx]), (cx[j[hx]], cy[j[hx]]), 3 if main else 2)
        for hx in np.nonzero(ok & m.rail[:, d])[0]:
            pygame.draw.line(surf, RAIL_COLOUR, (cx[hx] + off, cy[hx] + off),
                             (cx[j[hx]] + off, cy[j[hx]] + off), 1)

    # The 38th parallel.
    y38 = oy + (g.spec.lat_north - 38.0) * KM_PER_DEG_LAT * s
    x = margin
    while x < w - margin:
        pygame.draw.line(surf, PARALLEL_COLOUR, (x, y38), (min(x + 12, w - margin), y38), 2)
        x += 20

    # Places.
    if labels:
        pygame.font.init()
        font = pygame.font.Font(None, max(12, int(7 * s)))
        big = pygame.font.Font(None, max(14, int(9 * s)))
        for p in sorted(m.places, key=lambda p: p.vp):
            x, y = g.latlon_to_xy(p.lat, p.lon)
            _px, _py = ox + float(x) * s, oy + float(y) * s
            hx = p.hex
            hxp, hyp = cx[hx], cy[hx]
            r = {"capital": 5, "city": 4, "town": 3, "village": 2}.get(p.kind, 3)
            pygame.draw.circle(surf, (0, 0, 0), (hxp, hyp), r + 1)
            pygame.draw.circle(surf, (255, 255, 0) if p.port else (255, 255, 255), (hxp, hyp), r)
            f = big if p.kind in ("capital", "city") else font
            txt = f.render(p.name, True, (0, 0, 0))
            halo = f.render(p.name, True, (255, 255, 255))
            tx, ty = hxp + r + 2, hyp - txt.get_height() / 2
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                surf.blit(halo, (tx + dx, ty + dy))
            surf.blit(txt, (tx, ty))
        title = big.render(
            f"Korea, 25 June 1950: {g.n} hexes of {g.spec.hex_km:g} km  "
            f"(red dashes: 38th parallel; purple: national borders; blue: rivers; "
            f"red/orange: main/minor roads; black: rail)", True, (0, 0, 0))
        surf.blit(title, (margin, margin // 2))
    tmp = str(path) + ".tmp.png"
    pygame.image.save(surf, tmp)
    os.replace(tmp, path)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print("usage: python -m game.render.map_png MAP.npz OUT.png [PX_PER_KM]", file=sys.stderr)
        return 2
    use_dummy_video_without_display()
    m = MapData.load(argv[0])
    render_map_png(m, argv[1], px_per_km=float(argv[2]) if len(argv) > 2 else 2.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
