"""Schema of the scenario's `naval:` section, read by game/rules/naval.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
