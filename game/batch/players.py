"""Which AI plays each side of a batch's games: ``--ai NAME`` for both, ``--ai SIDE=NAME`` for
one. Only the baseline AI exists so far; when an AI registry comes, :func:`make_players` is
the one call to switch to it."""

from __future__ import annotations

from ..engine.units import SIDE_CODES
from ..sim.session import ai_players
from .errors import BatchError

AI_NAMES = {"baseline": "baseline", "default": "baseline"}   # accepted name -> the AI it means
DEFAULT_AI = {"un": "baseline", "communist": "baseline"}


def parse_ai(specs) -> dict:
    """{side name: AI name} from ``--ai`` values (each ``NAME`` or ``SIDE=NAME``)."""
    ai = dict(DEFAULT_AI)
    for spec in specs or ():
        side, _, name = spec.rpartition("=")
        sides = [side] if side else list(ai)
        if side and side not in SIDE_CODES:
            raise BatchError(f"--ai {spec}: no side {side!r} (sides: {', '.join(SIDE_CODES)})")
        if name not in AI_NAMES:
            raise BatchError(f"--ai {spec}: no AI named {name!r} (known: {', '.join(AI_NAMES)})")
        for s in sides:
            ai[s] = AI_NAMES[name]
    return ai


def ai_label(ai: dict) -> str:
    """The AI choice as one stable string (stored with every run): ``un=baseline,communist=...``."""
    return ",".join(f"{side}={ai[side]}" for side in sorted(ai, key=SIDE_CODES.get))


def make_players(game, ai: dict) -> dict:
    """The players of a game, {side code: player}. Every name is the baseline AI for now."""
    return ai_players(game)
