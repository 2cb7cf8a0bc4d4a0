"""The one error a batch reports to its user: one line, no traceback."""

from ..engine.errors import GameError


class BatchError(GameError):
    """Bad input or a batch that cannot go on, said in words."""
