"""Schema of the scenario's `positions:` section, read by game/rules/positions.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
