"""Schema of the scenario's `replacements:` section, read by game/rules/replacements.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
