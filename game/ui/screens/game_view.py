"""Drawing the game screen: the board (ground with its overlays, the mode's marks, counters,
objectives, names), then the top bar, the toolbar, the minimap, the log, the column of panels
on the right, the legend and the tooltip. The panels stop above the minimap."""

from __future__ import annotations

import time

import pygame

from ...render.chrome import ACCENT, fit, font, panel, px, text
from ..modes import air
from ..panels.combat import draw_combat_panel
from ..panels.legend import draw_legend
from ..panels.log import draw_log_panel
from ..panels.support import draw_support_panel, support_height
from ..panels.tooltip import draw_tooltip
from ..panels.top_bar import draw_toolbar, draw_top
from ..panels.unit import draw_unit_panel

PREFETCH_UNTIL = 0.012            # seconds into a frame: build other zoom levels' tiles until then


def draw(gs, s, deadline: float | None) -> None:
    start = time.perf_counter()
    gs.ui_rects = []
    layers = draw_board(gs, s, deadline)
    w, h = s.get_size()
    lay = gs.app.layout
    bar = draw_top(gs, s, lay["top"])
    gs.layout_info = dict(bar, top=lay["top"])
    gs.ui_rects.append(lay["top"])
    tb = draw_toolbar(gs, s, (gs.cam.viewport.x + px(8), gs.cam.viewport.y + px(6)))
    gs.ui_rects.append(tb)
    hint_bottom = draw_hint(gs, s, tb)
    mm = gs.minimap.draw(s, gs.cam, (w - gs.minimap.size[0] - px(12), h - gs.minimap.size[1] - px(12)))
    gs.ui_rects.append(mm.inflate(4, 4))
    col_w = lay["column"]
    column = pygame.Rect(w - col_w - px(10), lay["top"].bottom + px(10), col_w, 0)
    column.h = mm.top - px(14) - column.y
    panels = draw_column(gs, s, column)
    gs.layout_info.update(minimap=mm, panels=panels, toolbar=tb)
    log_w = max(px(200), min(px(620), column.x - px(30)))
    gs.log_rect = draw_log_panel(gs, s, pygame.Rect(px(10), h - px(10) - int(h * 0.22), log_w, int(h * 0.22)))
    gs.ui_rects.append(gs.log_rect)
    if gs.show_legend:
        top = hint_bottom + px(8)
        room = pygame.Rect(px(10), top, min(px(400), column.x - px(30)), gs.log_rect.top - px(10) - top)
        legend = pygame.Rect(room.x, room.y, room.w, draw_legend(gs, s, room) - room.y)
        gs.ui_rects.append(legend)
        gs.layout_info["legend"] = legend
    if gs.hover >= 0 and not gs.dragging and not gs.app.modals:
        draw_tooltip(gs, s)
    if deadline is not None and time.perf_counter() < start + PREFETCH_UNTIL:
        gs.board.tiles.prefetch(gs.cam, _ground_layers(gs, layers), start + PREFETCH_UNTIL)


def _ground_layers(gs, layers) -> list:
    return ([gs.board.control_layer()] if gs.board.show_control else []) + list(layers)


def draw_board(gs, s, deadline) -> list:
    """The board in its viewport; returns the overlay layers drawn."""
    b, cam = gs.board, gs.cam
    review = gs.input if gs.reviewing() else None
    b.state = review.state() if review else gs.game.state
    b.selected_rows = set(gs.selected) | set(gs.attackers)
    fs = gs.fog_side()
    layers: list = []
    if fs is None:
        b.fog = None
    elif review:
        seen, layer = review.fog(fs)
        b.fog = (fs, seen)
        layers = [layer]
    else:
        b.fog = (fs, gs.visible())
    if not review:
        layers = gs.overlays.layers(gs)
    hidden, extra = gs.anim.overrides(b.grid, gs.anim_speed()) if gs.anim else ((), ())
    clip = s.get_clip()
    s.set_clip(cam.viewport)
    b.draw_ground(s, cam, layers, deadline)
    gs.input.draw_under(s)
    stacks = b.draw_units(s, cam, hidden=hidden, extra=extra)
    b.draw_objectives(s, cam)
    b.draw_places(s, cam, stacks)
    gs.input.draw_over(s)
    if not review:
        air.draw_missions(gs, s)
    draw_flash(gs, s)
    s.set_clip(clip)
    return layers


def draw_flash(gs, s) -> None:
    f = gs.anim.flash()
    if not f:
        return
    x, y = gs.board.hex_centre(gs.cam, f["hex"])
    rad = int(10 + 30 * f["t"])
    pygame.draw.circle(s, (255, 200, 40), (x, y), rad, 4)
    pygame.draw.circle(s, (255, 80, 20), (x, y), max(2, rad // 2), 3)
    text(s, f["text"], (x, y - rad - 4), 24, (255, 255, 255), True, "midbottom")


def draw_hint(gs, s, toolbar: pygame.Rect) -> int:
    """The mode's hint under the toolbar; returns the bottom of what is there."""
    hint = gs.input.hint()
    if not hint:
        return toolbar.bottom
    width = min(px(820), gs.cam.viewport.w - px(420))
    box = panel(s, (toolbar.x, toolbar.bottom + px(6), width, px(28)))
    text(s, fit(hint, font(18), box.w - px(20)), (box.x + px(10), box.y + px(6)), 18, ACCENT)
    gs.ui_rects.append(box)
    return box.bottom


def draw_column(gs, s, column: pygame.Rect) -> list:
    """The right column above the minimap: the player's orders panel at its foot (so that it
    never moves), then top down in the room left the mode's panel, the unit, the last combat.
    Returns the rects drawn."""
    drawn = []
    bottom = column.bottom
    if gs.human_to_move() and not gs.reviewing():
        h = support_height(gs)
        if h <= column.h:
            foot = pygame.Rect(column.x, column.bottom - h, column.w, h)
            draw_support_panel(gs, s, foot)
            drawn.append(foot)
            bottom = foot.top - px(8)
    y = column.y
    row = shown_unit(gs)
    own = row is not None and not gs.reviewing() and gs.can_order() and bool(gs.selected) and row == gs.selected[0]
    panels = [lambda r: gs.input.panel(s, r), lambda r: draw_combat_panel(gs, s, r)]
    if row is not None:
        panels.insert(1, lambda r: draw_unit_panel(gs, s, r, row, own))
    for fn in panels:
        end = fn(pygame.Rect(column.x, y, column.w, bottom - y))
        if end > y:
            drawn.append(pygame.Rect(column.x, y, column.w, end - y))
            y = end + px(8)
    gs.ui_rects.extend(drawn)
    return drawn


def shown_unit(gs) -> int | None:
    """The unit the unit panel shows: the selected one, else the top one under the mouse."""
    if gs.input.name == "attack":
        return None
    if gs.selected and not gs.reviewing():
        return gs.selected[0]
    if gs.hover >= 0:
        rows = gs.board.shown_rows(gs.board.state.units.at_hex(gs.hover))
        if len(rows):
            return int(rows[0])
    return None
