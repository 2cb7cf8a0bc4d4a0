"""Schema of the scenario's `air:` section, read by game/rules/air.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
