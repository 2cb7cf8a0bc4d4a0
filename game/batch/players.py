"""Which AI plays each side of a batch's games: ``--ai NAME`` for both, ``--ai SIDE=NAME`` for
one, the names of game/ai/registry.py; the choice is stored with every run."""

from __future__ import annotations

from ..ai.registry import DEFAULT, parse_choice, resolve
from ..engine.units import SIDE_CODES
from ..sim.session import ai_players


def parse_ai(specs) -> dict:
    """{side name: AI name} for both sides from ``--ai`` values (UnknownAI for a bad one); the
    default AI for a side not named."""
    choice = parse_choice(specs)
    return {side: choice.get(side, resolve(DEFAULT)) for side in SIDE_CODES}


def ai_label(ai: dict) -> str:
    """The AI choice as one stable string (stored with every run): ``un=baseline,communist=...``."""
    return ",".join(f"{side}={ai[side]}" for side in sorted(ai, key=SIDE_CODES.__getitem__))


def make_players(game, ai: dict) -> dict:
    """The players of a game, {side code: player}."""
    return ai_players(game, choice=ai)
