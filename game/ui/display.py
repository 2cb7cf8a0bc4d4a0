"""Opening the window's display, and the one error when there is none to show it on."""

from __future__ import annotations

import pygame

from ..engine.errors import GameError
from ..render.headless import HEADLESS_DRIVERS, display_available, headless_driver_forced, no_display_message


class NoDisplayError(GameError):
    """No display to show the window on (SDL fell back to a driver that draws nowhere)."""


def open_display() -> None:
    """Start pygame and make sure its window will be seen.

    Without a display SDL falls back to its off-screen driver and the game would run invisibly;
    a driver that shows nothing is accepted only when it was asked for (the headless tests).
    The game makes no sound, so only the display and fonts are started."""
    forced = headless_driver_forced()
    if not forced and not display_available():
        raise NoDisplayError(no_display_message())
    try:
        pygame.display.init()
    except pygame.error as exc:
        raise NoDisplayError(f"{no_display_message()} (SDL: {exc})") from None
    pygame.font.init()
    if not forced and pygame.display.get_driver() in HEADLESS_DRIVERS:
        pygame.quit()
        raise NoDisplayError(no_display_message())
