"""The window opens on a real desktop (issue 19).

Importing the window or the renderer must not pick a video driver; ``python main.py`` with no
SDL variables shows its window on an X display (Xvfb here), and says so in one line when there
is no display at all.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

TITLE = "Korean War 1950-1953"
SDL_VARS = ("SDL_VIDEODRIVER", "SDL_AUDIODRIVER")


def clean_env(**extra) -> dict:
    """The environment of a user's shell: no SDL variables, no display unless given."""
    env = {k: v for k, v in os.environ.items() if k not in SDL_VARS and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(extra)
    return env


def test_importing_the_window_and_renderer_leaves_the_video_driver_alone(repo_root):
    code = ("import os, game.ui.app, game.render.board, game.render.map_png, game.render.screenshot; "
            "print(os.environ.get('SDL_VIDEODRIVER'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=repo_root, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"


def test_no_display_says_so_in_one_line(repo_root):
    proc = subprocess.run([sys.executable, "main.py"], capture_output=True, text=True, timeout=60,
                          cwd=repo_root, env=clean_env())
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "no display" in lines[0] and "simulate" in lines[0] and "screenshot" in lines[0]


# --- the real window under Xvfb ------------------------------------------------------------------
def read_xwd(path: Path) -> np.ndarray:
    """The pixels of an XWD file (what Xvfb's -fbdir writes) as an (h, w, 3) uint8 array."""
    raw = path.read_bytes()
    for order in (">", "<"):
        head = np.frombuffer(raw, dtype=f"{order}u4", count=25)
        if head[1] == 7:                                    # XWD file version 7
            break
    else:
        raise ValueError(f"{path}: not an XWD file")
    header_size, width, height = int(head[0]), int(head[4]), int(head[5])
    byte_order, bpp, bytes_per_line = int(head[7]), int(head[11]), int(head[12])
    masks = [int(m) for m in head[14:17]]
    ncolors = int(head[19])
    if bpp != 32:
        raise ValueError(f"{path}: {bpp} bits per pixel, expected 32")
    start = header_size + 12 * ncolors
    pix = np.frombuffer(raw, dtype=">u4" if byte_order == 1 else "<u4", count=height * bytes_per_line // 4,
                        offset=start).reshape(height, bytes_per_line // 4)[:, :width]
    chans = []
    for m in masks:
        shift = (m & -m).bit_length() - 1
        chans.append(((pix & m) >> shift).astype(np.uint8))
    return np.stack(chans, axis=-1)


def window_geometry(display: str, title: str):
    """(x, y, w, h) of the top-level window named ``title``, or None."""
    out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": display}, timeout=10).stdout
    # e.g.  0x200008 "Korean War 1950-1953": ("main.py" "main.py")  1600x1000+160+40  +160+40
    pattern = re.compile(re.escape(f'"{title}"') + r".*\s(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+\+(-?\d+)\+(-?\d+)\s*$")
    for line in out.splitlines():
        m = pattern.search(line)
        if m:
            w, h, x, y = (int(v) for v in m.groups())
            return max(x, 0), max(y, 0), w, h
    return None


def free_display() -> str:
    for n in range(60, 100):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return f":{n}"
    pytest.skip("no free X display number between :60 and :99")


@pytest.fixture
def xvfb(tmp_path):
    missing = [tool for tool in ("Xvfb", "xwininfo") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (Debian: apt-get install xvfb x11-utils; "
                    ".ci/run installs them)")
    display = free_display()
    fbdir = tmp_path / "fb"
    fbdir.mkdir()
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-fbdir", str(fbdir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"Xvfb could not start on {display}")
            time.sleep(0.1)
        yield display, fbdir / "Xvfb_screen0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_main_opens_a_real_window_on_an_x_display(xvfb, tmp_path, repo_root):
    display, framebuffer = xvfb
    game = subprocess.Popen([sys.executable, "main.py"], cwd=repo_root, env=clean_env(DISPLAY=display),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        geometry, shot = None, None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and game.poll() is None:
            geometry = geometry or window_geometry(display, TITLE)
            if geometry:
                x, y, w, h = geometry
                shot = read_xwd(framebuffer)[y:y + h, x:x + w]
                if len(np.unique(shot.reshape(-1, 3), axis=0)) > 1:
                    break
            time.sleep(0.5)
        assert game.poll() is None, f"the game exited: {game.stdout.read()}"
        assert geometry is not None, f"no window named {TITLE!r} on {display}"
        colours = len(np.unique(shot.reshape(-1, 3), axis=0))
        assert colours > 1, "the window shows one flat colour: nothing was drawn"
        keep = os.environ.get("KOREA_WINDOW_SHOT")          # set it to look at the screenshot
        if keep:
            os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
            import pygame
            pygame.image.save(pygame.surfarray.make_surface(shot.swapaxes(0, 1)), keep)
    finally:
        game.terminate()
        try:
            game.wait(timeout=10)
        except subprocess.TimeoutExpired:
            game.kill()
