"""Rendering with pygame (the only package besides game.ui that may import pygame).

pygame prints a banner on import unless told not to; that is the only variable set here (the
video driver is never chosen at import: see ``headless``)."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
