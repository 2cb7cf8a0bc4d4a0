"""The tooltip of the hex under the mouse: place and terrain, rivers and roads, who holds it,
supply; for the selected unit the movement it costs (or in which turn the unit gets there);
the defence it is worth; the danger from the enemy next turn; the units on it."""

from __future__ import annotations

import numpy as np
import pygame

from ...engine.mapdata import TERRAIN_NAMES
from ...engine.units import COMMUNIST, UN
from ...render.chrome import ACCENT, SIDE_LABEL, TEXT, panel, px, rendered
from ..modes.select import turns_words
from ..overlays import THREAT_WORDS
from ..queries import defence_lines

DANGER = (255, 170, 90)


def movement_line(gs, h: int, enemy_here: bool) -> str | None:
    """What moving the player's selected unit to ``h`` costs (not into the enemy)."""
    if not gs.selected or not gs.can_order() or gs.input.name != "select" or enemy_here:
        return None
    st = gs.game.state
    row = gs.selected[0]
    if h == int(st.units.hex[row]) or not st.map.land[h]:
        return None
    side = int(st.units.side[row])
    enter = float(st.rules.terrain_move[st.map.terrain[h]]) * float(gs.game.movement.multiplier(side)[h])
    head = f"Move {st.units.names[row]}: "
    reach, dist = gs.cached(f"reach{row}", lambda: gs.reachable(row))
    if reach[h]:
        return head + f"{float(dist[h]):g} MP of {float(st.units.mp[row]):g} left (entering costs {enter:g})"
    plan = gs.plan(row, h)
    if not plan:
        return head + "no way there"
    return head + f"gets there {turns_words(plan[1][-1])} (entering costs {enter:g} MP)"


def danger_line(gs, h: int) -> str | None:
    band = gs.overlays.danger_band(gs, h)
    if not band:
        return None
    th = float(gs.overlays.enemy_threat(gs)[h])
    return f"Danger: {THREAT_WORDS[band - 1]} - the enemy could attack here next turn with strength {th:.0f}"


def tooltip_lines(gs, h: int) -> list:
    """[(text, colour)] for hex ``h``."""
    st = gs.board.state
    m = st.map
    lines = [(f"{TERRAIN_NAMES[m.terrain[h]].title()}, {int(m.elevation[h])} m"
              + (f" (relief {int(m.relief[h])} m)" if m.relief[h] else ""), ACCENT)]
    if m.place_at[h] >= 0:
        p = m.places[m.place_at[h]]
        lines.insert(0, (f"{p.name} ({p.kind}{', port' if p.port else ''}{f', {p.vp} VP' if p.vp else ''})", ACCENT))
    rid = {int(i) for i in m.river_id[h] if i >= 0}
    names = [m.river_names[i] for i in sorted(rid) if i < len(m.river_names)]
    if m.river[h].any():
        lines.append((f"River: {', '.join(names) if names else 'unnamed'} "
                      f"({'major' if m.river[h].max() == 2 else 'minor'})", TEXT))
    if m.road[h].any() or m.rail[h].any():
        lines.append((" + ".join(x for x, ok in (("main road", m.road[h].max() == 2), ("road", m.road[h].max() == 1),
                                                 ("railway", m.rail[h].any())) if ok), TEXT))
    lines.append(("Held by " + {UN: "the UN", COMMUNIST: "the Communists"}.get(int(st.owner[h]), "nobody"), TEXT))
    if gs.reviewing():
        rows = gs.board.shown_rows(st.units.at_hex(h))
    else:
        rows = gs.seen_rows(st.units.at_hex(h))
        if m.land[h]:
            vs = gs.view_side()
            supplied = np.isfinite(gs.overlays.supply_distance(gs)[h])
            lines.append((f"{SIDE_LABEL[vs]} supply: {'yes' if supplied else 'no'}", TEXT))
            enemy_here = bool(len(rows)) and int(st.units.side[rows[0]]) != vs
            move = movement_line(gs, h, enemy_here)
            if move:
                lines.append((move, (255, 240, 170)))
            lines += [(line, TEXT) for line in defence_lines(st, h, rows)]
            danger = None if enemy_here else danger_line(gs, h)
            if danger:
                lines.append((danger, DANGER))
    for r in rows[:4]:
        lines.append((f"{st.units.names[r]}  {int(st.units.strength[r])}/{int(st.units.max_strength[r])}", TEXT))
    return lines


def tooltip_rect(gs, size, wd: int, hh: int) -> pygame.Rect:
    """Beside the mouse: below right if there is room, else another corner; clear of the path
    preview when one is drawn, and of the panels (the turn's orders, the unit, the log...) where
    a corner is."""
    mx, my = gs.mouse
    W, H = size
    gap = px(18)
    spots = [pygame.Rect(x, y, wd, hh) for y in (my + gap, my - hh - gap) for x in (mx + gap, mx - wd - gap)]
    inside = [r for r in spots if r.left >= 0 and r.top >= 0 and r.right <= W and r.bottom <= H] or spots[:1]
    preview = getattr(gs.input, "preview_rect", None)
    clear = [r for r in inside if preview is None or not r.colliderect(preview)] or inside
    panels = getattr(gs, "ui_rects", [])
    r = next((r for r in clear if r.collidelist(panels) < 0), clear[0])
    return r.clamp(pygame.Rect(0, 0, W, H))


def draw_tooltip(gs, s) -> None:
    h = gs.hover
    if not 0 <= h < gs.game.state.map.n:
        return
    lines = tooltip_lines(gs, h)
    imgs = [rendered(t, 17, c) for t, c in lines]
    wd = max(i.get_width() for i in imgs) + px(16)
    line_h = px(19)
    hh = line_h * len(imgs) + px(10)
    box = panel(s, tooltip_rect(gs, s.get_size(), wd, hh), (15, 18, 24, 235))
    s.fblits([(img, (box.x + px(8), box.y + px(5) + line_h * i)) for i, img in enumerate(imgs)])
