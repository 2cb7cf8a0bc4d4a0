"""Keeping Python's full garbage collections out of the frames.

A game holds a great many long-lived objects, and a collection that walks them all takes tens
of milliseconds: a frame that meets one stutters. They are frozen (left out of collections)
once a game is open and at each of the player's turns; a new game first lets the old one's
objects go.
"""

from __future__ import annotations

import gc


def settle(fresh_start: bool = False) -> None:
    if fresh_start:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
