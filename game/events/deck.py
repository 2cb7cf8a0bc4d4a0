"""Card decks: loading (safely) and checking a deck's cards against docs/cards.md.

``check_deck(deck) -> [(path, message)]`` finds every problem in a parsed deck without a game
(``path`` is the key path from the deck's top, e.g. ``("cards", 3, "effects", 0, "vp")``), so
the validator can turn each into ``file:line:col: message``. ``check_deck_against(deck, map,
unit_ids)`` adds the checks that need a map (place names) and an order of battle (unit ids).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.calendar import parse_date
from ..engine.errors import GameError
from ..engine.paths import SCENARIOS_DIR
from ..scenario.errors import did_you_mean
from ..scenario.loader import load_deck_dict
from ..scenario.yamlsafe import to_plain
from .conditions import check_condition, places_in_condition
from .effects import check_effects, places_in_effects, units_in_effects

CARD_ID = re.compile(r"^[a-z0-9_]+$")
CARD_KEYS = ("id", "title", "date", "window", "when", "text", "source", "historical", "repeat",
             "probability", "effects", "side", "choice")
CHOICE_KEYS = ("prompt", "options", "ai")
OPTION_KEYS = ("id", "label", "historical", "effects")


class DeckError(GameError, ValueError):
    """A card deck that cannot be played, with the reason in words."""


# ------------------------------------------------------------------------------ loading

def load_deck(path) -> dict:
    """Parse one deck file with the project's safe loader (plain dicts and lists come back)."""
    data, _source = load_deck_dict(Path(path))
    return to_plain(data)


def deck_paths(scenario) -> list:
    """The deck files a scenario names, resolved against the scenario file's folder."""
    base = Path(scenario.path).resolve().parent if scenario.path else Path.cwd()
    out = []
    for name in (scenario.data.get("decks") or []):
        p = (base / str(name)).resolve()
        out.append(p)
    return out


def load_scenario_decks(scenario) -> list:
    """Load (once) the decks of a scenario, cached on ``scenario.decks``; DeckError if bad."""
    if scenario.decks:
        return scenario.decks
    base = Path(scenario.path).resolve().parent if scenario.path else Path.cwd()
    allowed = (base, SCENARIOS_DIR.resolve())
    decks = []
    for p in deck_paths(scenario):
        if not any(p == a or a in p.parents for a in allowed):
            raise DeckError(f"{p}: a deck must lie inside the scenario's folder or scenarios/")
        deck = load_deck(p)
        problems = check_deck(deck)
        if problems:
            raise DeckError("\n".join(f"{p}: {'.'.join(map(str, path))}: {msg}" for path, msg in problems))
        decks.append(deck)
    scenario.decks = decks
    return decks


# ------------------------------------------------------------------------------ checks

def _date_ok(v) -> bool:
    try:
        parse_date(v)
        return True
    except (TypeError, ValueError):
        return False


def _text(card, key, out, required=True):
    if key not in card:
        if required:
            out.append(((), f"missing {key!r}"))
        return
    v = card[key]
    if not isinstance(v, str) or not v.strip():
        out.append(((key,), f"must be text, not {v!r}"))


def check_card(card) -> list:
    """Problems with one card, as ``[(path, message)]`` relative to the card."""
    if not isinstance(card, dict):
        return [((), "a card is a mapping with id, title, date or window, text, source, effects ...")]
    out = []
    for k in card:
        if k not in CARD_KEYS:
            out.append(((k,), f"unknown card field {k!r}{did_you_mean(k, CARD_KEYS)}"))
    cid = card.get("id")
    if not isinstance(cid, str) or not CARD_ID.match(cid):
        out.append((("id",), f"a card id is [a-z0-9_]+, not {cid!r}"))
    for key in ("title", "text", "source"):
        _text(card, key, out)
    if not isinstance(card.get("historical"), bool):
        out.append((("historical",), "must be true or false"))
    has_date, has_window = "date" in card, "window" in card
    if has_date == has_window:
        out.append(((), "give either 'date' or 'window' (with 'when')"))
    if has_date and not _date_ok(card["date"]):
        out.append((("date",), f"must be a real date YYYY-MM-DD, not {card['date']!r}"))
    if has_window:
        w = card["window"]
        if not (isinstance(w, list) and len(w) == 2 and all(_date_ok(d) for d in w)):
            out.append((("window",), "must be [FIRST, LAST], two real dates YYYY-MM-DD"))
        elif parse_date(w[0]) > parse_date(w[1]):
            out.append((("window",), "the window's first day is after its last"))
        if "when" not in card:
            out.append(((), "a card with a 'window' needs a 'when' condition"))
    if "when" in card:
        if not has_window:
            out.append((("when",), "'when' needs a 'window'"))
        out += [(("when",) + p, m) for p, m in check_condition(card["when"])]
    if "repeat" in card and not isinstance(card["repeat"], bool):
        out.append((("repeat",), "must be true or false"))
    if "probability" in card:
        p = card["probability"]
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            out.append((("probability",), f"must be a number from 0.0 to 1.0, not {p!r}"))
    has_eff, has_choice = "effects" in card, "choice" in card
    if has_eff == has_choice:
        out.append(((), "give either 'effects' or 'choice'"))
    if has_eff:
        out += [(("effects",) + p, m) for p, m in check_effects(card["effects"])]
    if has_choice:
        if card.get("side") not in ("un", "communist"):
            out.append((("side",), "a choice card needs 'side: un' or 'side: communist'"))
        out += [(("choice",) + p, m) for p, m in check_choice(card["choice"])]
    elif "side" in card:
        out.append((("side",), "'side' belongs to choice cards only"))
    return out


def check_choice(ch) -> list:
    if not isinstance(ch, dict):
        return [((), "must be a mapping with prompt, options and ai")]
    out = []
    for k in ch:
        if k not in CHOICE_KEYS:
            out.append(((k,), f"unknown choice field {k!r} (expected {', '.join(CHOICE_KEYS)})"))
    if not isinstance(ch.get("prompt"), str) or not ch.get("prompt", "").strip():
        out.append((("prompt",), "a choice needs a 'prompt' text"))
    opts = ch.get("options")
    if not isinstance(opts, list) or len(opts) < 2:
        return out + [(("options",), "a choice needs a list of at least two options")]
    ids, hist = [], 0
    for i, o in enumerate(opts):
        if not isinstance(o, dict):
            out.append((("options", i), "an option is a mapping with id, label and effects"))
            continue
        for k in o:
            if k not in OPTION_KEYS:
                out.append((("options", i, k), f"unknown option field {k!r} (expected {', '.join(OPTION_KEYS)})"))
        oid = o.get("id")
        if not isinstance(oid, str) or not CARD_ID.match(oid):
            out.append((("options", i, "id"), f"an option id is [a-z0-9_]+, not {oid!r}"))
        elif oid in ids:
            out.append((("options", i, "id"), f"option id {oid!r} is used twice"))
        ids.append(oid)
        if not isinstance(o.get("label"), str) or not o.get("label", "").strip():
            out.append((("options", i, "label"), "an option needs a 'label' text"))
        if "historical" in o and not isinstance(o["historical"], bool):
            out.append((("options", i, "historical"), "must be true or false"))
        hist += o.get("historical") is True
        out += [(("options", i, "effects") + p, m) for p, m in check_effects(o.get("effects", []))]
    if hist != 1:
        out.append((("options",), f"exactly one option must be 'historical: true' ({hist} are)"))
    if "ai" in ch and ch["ai"] not in ids:
        out.append((("ai",), f"'ai' must be one of the option ids ({', '.join(map(str, ids))}), not {ch['ai']!r}"))
    return out


def check_deck(deck) -> list:
    """Every problem in a parsed deck, as ``[(path, message)]`` from the deck's top."""
    if not isinstance(deck, dict):
        return [((), "a deck is a mapping with 'deck' (its id) and 'cards'")]
    out = []
    for k in deck:
        if k not in ("deck", "description", "cards"):
            out.append(((k,), f"unknown deck field {k!r} (expected deck, description, cards)"))
    if not isinstance(deck.get("deck"), str) or not CARD_ID.match(deck.get("deck", "")):
        out.append((("deck",), "a deck needs an id: 'deck: NAME' ([a-z0-9_]+)"))
    cards = deck.get("cards")
    if not isinstance(cards, list):
        return out + [(("cards",), "a deck needs a list of 'cards'")]
    seen = {}
    for i, card in enumerate(cards):
        out += [(("cards", i) + p, m) for p, m in check_card(card)]
        cid = card.get("id") if isinstance(card, dict) else None
        if isinstance(cid, str):
            if cid in seen:
                out.append((("cards", i, "id"), f"card id {cid!r} is used twice (first at card {seen[cid]})"))
            seen.setdefault(cid, i)
    return out


def card_effect_lists(card) -> list:
    """(path, effects) for the card's effects and each option's effects."""
    out = []
    if isinstance(card.get("effects"), list):
        out.append((("effects",), card["effects"]))
    ch = card.get("choice")
    if isinstance(ch, dict) and isinstance(ch.get("options"), list):
        for i, o in enumerate(ch["options"]):
            if isinstance(o, dict):
                out.append((("choice", "options", i, "effects"), o.get("effects", [])))
    return out


def check_deck_against(deck, map_data=None, unit_ids=None) -> list:
    """Place names the map does not know and unit ids the order of battle does not define."""
    out = []
    for i, card in enumerate(deck.get("cards") or []):
        if not isinstance(card, dict):
            continue
        places = [(("when",) + p, n) for p, n in places_in_condition(card.get("when"))]
        units = []
        for base, effs in card_effect_lists(card):
            places += [(base + p, n) for p, n in places_in_effects(effs)]
            units += [(base + p, n) for p, n in units_in_effects(effs)]
        if map_data is not None:
            for p, name in places:
                if isinstance(name, str) and map_data.find_place(name) is None:
                    out.append((("cards", i) + p, f"unknown place {name!r}"))
        if unit_ids is not None:
            for p, uid in units:
                if uid not in unit_ids:
                    out.append((("cards", i) + p, f"unknown unit {uid!r}"))
    return out
