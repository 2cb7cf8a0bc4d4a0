"""The protocol every input mode follows; the default of each hook does nothing."""

from __future__ import annotations


class InputMode:
    name = "select"
    orders = True            # False: the board shows the past and takes no orders (turn review)

    def __init__(self, gs) -> None:
        self.gs = gs

    def click(self, h: int, shift: bool = False) -> None:
        """A left click on hex ``h`` (the player may give orders)."""

    def key(self, k: int, mods: int) -> bool:
        """A key for this mode; True if it was used."""
        return False

    def escape(self) -> bool:
        """Esc or a right click: True if the mode used it (to leave itself, usually)."""
        return False

    def update(self, dt: float) -> None:
        """Once a frame."""

    def draw_under(self, s) -> None:
        """On the board, below the counters (ranges, targets, paths)."""

    def draw_over(self, s) -> None:
        """On the board, above the counters (arrows, marks)."""

    def panel(self, s, rect) -> int:
        """The mode's panel at the top of the right column; returns its bottom (rect.y: none)."""
        return rect.y

    def hint(self) -> str | None:
        """A line across the top of the board saying what a click does now."""
        return None
