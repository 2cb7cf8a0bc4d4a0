"""The game screen's mouse and keys: the wheel zooms (or scrolls the log under it), a drag
pans, a click goes to the input mode, keys to the mode first and then to the screen's table;
arrow keys and the window's edges pan."""

from __future__ import annotations

import pygame

from ..panels.log import log_rows

SUPPORT_KEYS = {pygame.K_f: "cas", pygame.K_i: "interdiction", pygame.K_l: "land", pygame.K_p: "ship"}


def handle_event(gs, ev) -> None:
    if ev.type == pygame.MOUSEWHEEL:
        if gs.log_rect.collidepoint(gs.mouse):
            gs.log.scroll(1 if ev.y > 0 else -1, log_rows(gs.log_rect.h))
        elif gs.cam.viewport.collidepoint(gs.mouse):
            gs.cam.zoom_by(1 if ev.y > 0 else -1, gs.mouse)
        return
    if ev.type == pygame.MOUSEMOTION:
        if gs.press and any(ev.buttons):
            start, _, (cx, cy) = gs.press
            if gs.dragging or abs(ev.pos[0] - start[0]) + abs(ev.pos[1] - start[1]) > 6:
                gs.dragging = True
                gs.cam.cx = cx - (ev.pos[0] - start[0]) / gs.cam.zoom
                gs.cam.cy = cy - (ev.pos[1] - start[1]) / gs.cam.zoom
                gs.cam.clamp()
        return
    if ev.type == pygame.MOUSEBUTTONDOWN and ev.button in (1, 2, 3):
        if gs.minimap.rect.collidepoint(ev.pos):
            gs.cam.cx, gs.cam.cy = gs.minimap.km_at(ev.pos)
            gs.cam.clamp()
        elif gs.cam.viewport.collidepoint(ev.pos):
            gs.press = (ev.pos, ev.button, (gs.cam.cx, gs.cam.cy))
            gs.dragging = False
        return
    if ev.type == pygame.MOUSEBUTTONUP and ev.button in (1, 2, 3):
        press, gs.press = gs.press, None
        was_drag, gs.dragging = gs.dragging, False
        if press is None or was_drag:
            return
        if ev.button == 1:
            gs.click_hex(gs.cam.hex_at(ev.pos), shift=bool(_mods(ev) & pygame.KMOD_SHIFT))
        elif ev.button == 3:
            gs.cancel()
        return
    if ev.type == pygame.KEYDOWN:
        key(gs, ev)

def key(gs, ev) -> None:
    k, mods = ev.key, _mods(ev)
    if k in (pygame.K_SPACE, pygame.K_ESCAPE) and gs.anim:
        gs.anim.skip()
        return
    if gs.input.key(k, mods):
        return
    if k == pygame.K_ESCAPE:
        if not gs.input.escape() and not gs.reviewing():
            gs.app.to_menu()
        return
    action = key_action(gs, k, mods)
    if action is not None:
        action()
    elif k in SUPPORT_KEYS and not gs.reviewing():
        gs.toggle_mode(SUPPORT_KEYS[k])

def key_action(gs, k: int, mods: int):
    ctrl = mods & pygame.KMOD_CTRL
    if k == pygame.K_z and ctrl or k == pygame.K_u:
        return gs.undo
    if k == pygame.K_s and ctrl:
        return gs.ask_save_name
    table = {
        pygame.K_RETURN: gs.end_turn, pygame.K_KP_ENTER: gs.end_turn, pygame.K_e: gs.end_turn,
        pygame.K_h: gs.show_help, pygame.K_F1: gs.show_help,
        pygame.K_s: gs.toggle("supply"), pygame.K_c: gs.toggle("control"), pygame.K_z: gs.toggle("zoc"),
        pygame.K_t: gs.toggle("threat"), pygame.K_k: gs.toggle("legend"), pygame.K_r: gs.toggle_review,
        pygame.K_F5: gs.app.quicksave, pygame.K_F9: gs.app.quickload,
        pygame.K_PLUS: lambda: gs.cam.zoom_by(1), pygame.K_EQUALS: lambda: gs.cam.zoom_by(1),
        pygame.K_KP_PLUS: lambda: gs.cam.zoom_by(1), pygame.K_MINUS: lambda: gs.cam.zoom_by(-1),
        pygame.K_KP_MINUS: lambda: gs.cam.zoom_by(-1), pygame.K_HOME: gs.cam.fit,
        pygame.K_TAB: gs.select_next, pygame.K_n: gs.select_next, pygame.K_SPACE: gs.skip_unit,
        pygame.K_PAGEUP: lambda: gs.log.scroll(log_rows(gs.log_rect.h) - 1, log_rows(gs.log_rect.h)),
        pygame.K_PAGEDOWN: lambda: gs.log.scroll(1 - log_rows(gs.log_rect.h), log_rows(gs.log_rect.h)),
    }
    return table.get(k)


def pan_keys(gs, dt: float) -> None:
    keys = pygame.key.get_pressed()
    speed = 700 * dt
    dx = (keys[pygame.K_RIGHT] - keys[pygame.K_LEFT]) * speed
    dy = (keys[pygame.K_DOWN] - keys[pygame.K_UP]) * speed
    # Edge scroll only when the window has the mouse and the pointer is at its very edge.
    if pygame.mouse.get_focused() and not gs.dragging:
        mx, my = pygame.mouse.get_pos()
        w, h = gs.app.screen.get_size()
        if mx <= 2 or mx >= w - 3:
            dx += -speed if mx <= 2 else speed
        if my >= h - 3:
            dy += speed
    if dx or dy:
        gs.cam.pan_px(dx, dy)


def _mods(ev) -> int:
    mod = getattr(ev, "mod", None)
    return pygame.key.get_mods() if mod is None else mod

