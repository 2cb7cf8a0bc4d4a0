"""The board renderer and the screenshot command, headless."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from argparse import Namespace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
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


def test_screenshot_turn_is_the_turn_shown_and_a_region_is_framed(tmp_path, capsys, small_game):
    from game.render.screenshot import screenshot_command
    out = tmp_path / "shot.png"
    rc = screenshot_command(Namespace(scenario=str(SMALL), out=str(out), turn=3, size="800x600", seed=0,
                                      region=None))
    assert rc == 0 and ", turn 3, " in capsys.readouterr().out
    st = small_game.state
    board = BoardRenderer(st)
    cam = Camera(board, pygame.Rect(0, 0, 800, 600))
    whole = cam.level
    g = st.map.grid
    corner = np.nonzero((g.lat > np.percentile(g.lat, 75)) & (g.lon < np.percentile(g.lon, 25)))[0]
    cam.frame(corner)
    sx, sy = cam.to_screen(g.x_km[corner], g.y_km[corner])
    assert cam.level > whole                                   # closer than the whole map
    assert (sx >= 0).all() and (sx <= 800).all() and (sy >= 0).all() and (sy <= 600).all()
    rc = screenshot_command(Namespace(scenario=str(SMALL), out=str(out), turn=1, size="800x600", seed=0,
                                      region="38.3,38.6,126.5,126.9"))
    assert rc == 0
