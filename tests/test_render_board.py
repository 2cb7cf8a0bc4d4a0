"""The board renderer and the screenshot command, headless."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from argparse import Namespace  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402

from game.render.board import ZOOMS, BoardRenderer, Camera  # noqa: E402

SMALL = Path(__file__).resolve().parent / "scenarios" / "small_front.yaml"


def test_camera_round_trip_and_zoom_anchor(small_game):
    pygame.init()
    b = BoardRenderer(small_game.state)
    cam = Camera(b, pygame.Rect(0, 30, 800, 600))
    g = small_game.state.map.grid
    for h in (0, 17, g.n - 1):
        x, y = b.hex_centre(cam, h)
        assert cam.hex_at((int(round(x)), int(round(y)))) == h
    h = 40
    anchor = tuple(int(round(v)) for v in b.hex_centre(cam, h))
    cam.zoom_by(3, anchor)
    assert cam.zoom == ZOOMS[cam.level] and cam.hex_at(anchor) == h


def test_draw_at_every_zoom_and_tint_follows_owner(small_game):
    pygame.init()
    st = small_game.state
    b = BoardRenderer(st)
    surf = pygame.Surface((640, 480))
    cam = Camera(b, surf.get_rect())
    for level in range(0, len(ZOOMS), 4):
        cam.level = level
        b.draw(surf, cam)
    v = b.owner_version()
    assert b.owner_version() == v
    st.owner[st.map.land.nonzero()[0][0]] ^= 3
    assert b.owner_version() == v + 1


def test_screenshot_command(tmp_path):
    from game.render.screenshot import screenshot_command
    out = tmp_path / "shot.png"
    rc = screenshot_command(Namespace(scenario=str(SMALL), out=str(out), turn=1, size="800x600", seed=0))
    assert rc == 0 and out.exists()
    img = pygame.image.load(str(out))
    assert img.get_size() == (800, 600)
