"""Schema of the scenario's `weather:` section, read by game/rules/weather.py."""

from ..schema import Open


class Section(Open):
    """Not yet specified: any mapping is accepted."""
