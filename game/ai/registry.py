"""The AIs a player or an analyst can choose by name (``--ai un=NAME``, the new-game page).

Each entry makes an AI for a side from the scenario's ``ai:`` settings for that side.
``default`` names the AI a game gets when nobody chooses.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine.errors import GameError
from ..engine.units import SIDE_CODES
from .baseline import BaselineAI
from .operational import OperationalAI
from .passive import PassiveAI

AIS: dict[str, Callable] = {
    "operational": OperationalAI,  # main effort, concentrated attacks, exploitation, line and reserves
    "baseline": BaselineAI,        # the one-ply greedy AI, kept as it is for comparison
    "passive": PassiveAI,          # ends its turns: the yardstick every AI must beat
}
DEFAULT = "operational"
DESCRIPTIONS = {
    "operational": "reads the front by sectors: a main effort, concentrated attacks with air support, "
                   "exploitation toward supply lines, a continuous line with reserves, timely withdrawal",
    "baseline": "one-ply greedy: every unit to its best hex, attacks at good odds",
    "passive": "never moves or attacks: it only ends its turns (for tests and duels)",
}


class UnknownAI(GameError):
    """An AI name nobody knows."""


def ai_names() -> list[str]:
    """The names a user may give: every AI, and ``default``."""
    return sorted(AIS) + ["default"]


def resolve(name: str) -> str:
    """The AI a name stands for (``default`` is the default AI); UnknownAI if none."""
    name = DEFAULT if name == "default" else name
    if name not in AIS:
        raise UnknownAI(f"no AI named {name!r}: choose one of {', '.join(ai_names())}")
    return name


def make_ai(name: str, side: int, settings=None):
    """An AI called ``name`` (or ``default``) for ``side``, with the scenario's settings."""
    return AIS[resolve(name)](side, settings)


def parse_choice(values: list[str] | None) -> dict[str, str]:
    """``--ai`` values (``NAME`` for both sides, or ``SIDE=NAME``) as {side name: AI name};
    UnknownAI for a bad side or name."""
    out: dict[str, str] = {}
    for value in values or []:
        side, sep, name = value.partition("=")
        if not sep:
            side, name = "", value
        if side and side not in SIDE_CODES:
            raise UnknownAI(f"--ai {value}: the side is un or communist, not {side!r}")
        name = resolve(name.strip())
        for s in ([side] if side else list(SIDE_CODES)):
            out[s] = name
    return out
