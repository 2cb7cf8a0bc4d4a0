"""The one base class for everything a user can cause: a bad scenario, deck, save or map file.

The command line and the window catch :class:`GameError` alone and print its message in one
line; anything else that escapes is a bug in the game, not in the user's input.
"""

from __future__ import annotations


class GameError(Exception):
    """A problem with the user's input (file, save, order), with the reason in words."""
