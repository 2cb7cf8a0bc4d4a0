"""``python main.py screenshot SCENARIO --out PNG [--turn N] [--size WxH] [--seed N]``:
play N turns AI against AI, then draw the whole board with the top bar, minimap and legend
headless, and save a PNG."""

from __future__ import annotations

import os
import sys

import numpy as np

from .headless import use_dummy_video_without_display


def _parse_size(text: str):
    try:
        w, h = (int(v) for v in str(text).lower().split("x"))
    except ValueError:
        raise ValueError(f"--size must look like 1600x1000, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise ValueError("--size must be between 200x200 and 8000x8000")
    return w, h


def parse_region(text: str) -> tuple[float, float, float, float]:
    """``--region LAT_S,LAT_N,LON_W,LON_E`` as four numbers; ValueError with the reason."""
    try:
        s, n, w, e = (float(v) for v in str(text).split(","))
    except ValueError:
        raise ValueError(f"--region must look like 37.0,38.5,126.0,128.0 (south, north, west, east), "
                         f"not {text!r}") from None
    if not (-90 <= s < n <= 90 and -180 <= w < e <= 180):
        raise ValueError("--region: south must be below north and west left of east, in degrees")
    return s, n, w, e


def render_game(game, size, level_offset: int = 0, centre_hex: int | None = None, region=None):
    """A surface of the board with its chrome (the same pieces the window shows)."""
    import pygame

    from .board import BoardRenderer, Camera
    from .chrome import Minimap, draw_top_bar, panel, text

    w, h = size
    surf = pygame.Surface((w, h))
    bar = pygame.Rect(0, 0, w, 36)
    board = BoardRenderer(game.state)
    cam = Camera(board, pygame.Rect(0, bar.bottom, w, h - bar.bottom))
    if level_offset:
        cam.zoom_by(level_offset)
    if centre_hex is not None:
        cam.centre_on(centre_hex)
    if region is not None:
        g = game.state.map.grid
        s, n, w_, e = region
        inside = np.nonzero((g.lat >= s) & (g.lat <= n) & (g.lon >= w_) & (g.lon <= e))[0]
        if inside.size:
            cam.frame(inside)
    board.draw(surf, cam)
    draw_top_bar(surf, bar, game.state)
    mini = Minimap(board, (min(240, w // 6), min(280, h // 4)))
    mini.draw(surf, cam, (w - mini.size[0] - 14, h - mini.size[1] - 14))
    # A small legend and the last lines of the log, bottom left.
    log = game.state.log[-6:]
    box = panel(surf, (10, h - 30 - 20 * len(log) - 8, min(640, w // 2), 28 + 20 * len(log)))
    y = box.y + 6
    text(surf, "Blue lines: rivers   red: main roads   black dashes: rail   red dashes: 38th parallel",
         (box.x + 8, y), 17, (200, 200, 190))
    for line in log:
        y += 20
        text(surf, line[:95], (box.x + 8, y), 18)
    return surf


def screenshot_command(args) -> int:
    use_dummy_video_without_display()
    try:
        size = _parse_size(getattr(args, "size", None) or "1600x1000")
        region = parse_region(args.region) if getattr(args, "region", None) else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import pygame

    from ..sim.session import ai_players, new_game

    game = new_game(args.scenario, int(getattr(args, "seed", 0) or 0))
    st = game.state
    players = ai_players(game)
    # --turn N: the board as the N-th turn begins (turn 1: the start), after the AI played the
    # turns before it.
    target = max(1, int(getattr(args, "turn", 1) or 1)) - 1
    while not st.over and st.turn < target:
        players[st.active_side].play(game)
    pygame.font.init()
    surf = render_game(game, size, region=region)
    out = str(args.out)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".tmp.png"
    pygame.image.save(surf, tmp)
    os.replace(tmp, out)
    print(f"wrote {out} ({size[0]}x{size[1]}, turn {st.turn + 1}, {st.date.isoformat()})")
    return 0
