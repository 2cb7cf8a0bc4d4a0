"""The decks of a scenario, as the loader checked them (game/scenario/cards.py is the one deck
schema; the loader resolves each deck the scenario names next to the scenario's file, then in
the shipped scenarios, and checks card ids are unique across its decks)."""

from __future__ import annotations

from pathlib import Path

from ..engine.errors import GameError
from ..scenario.loader import load_deck_dict
from ..scenario.yamlsafe import to_plain


class DeckError(GameError, ValueError):
    """A card deck that cannot be played, with the reason in words."""


def load_deck(path) -> dict:
    """Load and check one deck file on its own (plain dicts and lists come back)."""
    data, _source = load_deck_dict(Path(path))
    return to_plain(data)


def scenario_decks(scenario) -> list:
    """The scenario's decks (loaded with it); DeckError if two share a card id."""
    seen: dict[str, str] = {}
    for deck in scenario.decks:
        for card in deck.get("cards") or []:
            if card["id"] in seen:
                raise DeckError(f"card id {card['id']!r} is used by decks {seen[card['id']]!r} and "
                                f"{deck.get('deck')!r} of {scenario.id}")
            seen[card["id"]] = deck.get("deck")
    return scenario.decks
