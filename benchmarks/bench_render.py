"""Frames per second of the board at 1920x1080: the whole map visible, every unit drawn.

    python benchmarks/bench_render.py [SCENARIO] [--frames N]

Uses the full campaign on the Korea map if it loads, else the small test front. Reports the
first frame (which builds the terrain tiles for the zoom level), then the steady rate, also
for a close zoom and while panning (which keeps hitting cached tiles).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from game.render.board import BoardRenderer, Camera  # noqa: E402
from game.render.chrome import Minimap, draw_top_bar  # noqa: E402


def load(scenario):
    from game.sim.session import new_game
    candidates = [scenario] if scenario else [ROOT / "scenarios" / "korea_1950_1953.yaml",
                                              ROOT / "tests" / "scenarios" / "small_front.yaml"]
    for c in candidates:
        try:
            return new_game(c, 0), c
        except Exception as exc:  # noqa: BLE001 - fall back to the next candidate
            print(f"({c}: {type(exc).__name__}: {str(exc).splitlines()[0]})")
    raise SystemExit("no scenario loads")


def fps(fn, frames):
    fn()
    t = time.perf_counter()
    for i in range(frames):
        fn(i)
    return frames / (time.perf_counter() - t)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--frames", type=int, default=300)
    args = ap.parse_args(argv)
    game, path = load(args.scenario)
    st = game.state
    pygame.init()
    screen = pygame.display.set_mode((1920, 1080))
    board = BoardRenderer(st)
    cam = Camera(board, pygame.Rect(0, 36, 1920, 1044))
    mini = Minimap(board, (230, 270))
    n_units = int(st.units.on_map().sum())

    def frame(i=0):
        board.draw(screen, cam)
        draw_top_bar(screen, (0, 0, 1920, 36), st)
        mini.draw(screen, cam, (1920 - mini.size[0] - 12, 1080 - mini.size[1] - 12))
        pygame.display.flip()

    t = time.perf_counter()
    frame()
    first = time.perf_counter() - t
    whole = fps(lambda i=0: frame(), args.frames)
    print(f"{Path(path).name}: {st.map.n} hexes, {n_units} units on the map, 1920x1080")
    print(f"whole map (zoom {cam.zoom:.2f} px/km): first frame {first * 1000:.0f} ms, {whole:.0f} fps")
    cam.zoom_by(6)
    t = time.perf_counter()
    frame()
    first = time.perf_counter() - t
    close = fps(lambda i=0: frame(), args.frames)
    print(f"close (zoom {cam.zoom:.2f} px/km): first frame {first * 1000:.0f} ms, {close:.0f} fps")

    def pan(i=0):
        cam.pan_px(4 if (i // 100) % 2 == 0 else -4, 2 if (i // 100) % 2 == 0 else -2)
        frame()
    print(f"panning at that zoom: {fps(pan, args.frames):.0f} fps")
    print("target: 60 fps -", "met" if min(whole, close) >= 60 else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
