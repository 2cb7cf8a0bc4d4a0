"""Schema of the scenario's `politics:` section, read by game/rules/politics.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
