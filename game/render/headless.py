"""Video driver choice for the commands that only draw to files (``screenshot``, the map PNG).

Nothing here runs at import: importing the renderer or the window must leave the environment
as the user set it, or a real desktop would get the invisible dummy driver (issue 19).
"""

from __future__ import annotations

import os
import sys

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY")
HEADLESS_DRIVERS = ("dummy", "offscreen")


def display_available() -> bool:
    """Whether the environment names a display a window could open on (X11 or Wayland).

    Windows and macOS always have one; elsewhere SDL needs one of these variables."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(v) for v in DISPLAY_VARIABLES)


def use_dummy_video_without_display() -> None:
    """Pick SDL's dummy video and audio drivers when no display is there and none is chosen."""
    if not display_available():
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def headless_driver_forced() -> bool:
    """Whether the user (or a test) asked SDL for a driver that shows no window."""
    return os.environ.get("SDL_VIDEODRIVER", "").lower() in HEADLESS_DRIVERS


HEADLESS_HINT = ("run headless instead: python main.py simulate korea_1950_1953, "
                 "python main.py screenshot korea_1950_1953 --out board.png")


def no_display_message() -> str:
    """One line saying why no window can open, and what to run instead."""
    named = [f"{v}={os.environ[v]}" for v in DISPLAY_VARIABLES if os.environ.get(v)]
    if named:
        return f"no window could be opened on the display ({', '.join(named)}); {HEADLESS_HINT}"
    return f"no display to open the game window on (no X11 or Wayland session found); {HEADLESS_HINT}"
