"""The game window (pygame). Importing ``game.render`` first keeps pygame's banner quiet."""

import game.render  # noqa: F401
