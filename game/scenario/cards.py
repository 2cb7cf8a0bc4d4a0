"""The event-card deck schema (docs/cards.md): cards, conditions and effects.

The condition and effect vocabularies are closed: an unknown key is an error with a
did-you-mean. Checks that need the scenario (do the unit ids exist? are ``add_units`` types
and nations known?) are in :func:`check_deck_against_scenario`; the loader runs them for each
deck a scenario names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from ..engine.vocabulary import ACTIONS, TALKS_EFFECTS, WEATHER_CONDITIONS, WINNERS
from .checks import unit_kind_issues
from .errors import did_you_mean
from .schema import Unit, issues_from_error
from .types import Date, Id, Issue, Number, SideName, Strict, Text, describe, dotted, to_date

REGIONS = ("south", "north")

Action = Literal[ACTIONS]


# ------------------------------------------------------------------------------ parameters

class SidePoints(Strict):
    side: SideName
    points: Number


class SideCapacity(Strict):
    side: SideName
    capacity: Number


class SideMissions(Strict):
    side: SideName
    missions: Number


class Naval(Strict):
    side: SideName
    gunfire: Number | None = None
    lift: Number | None = None


class SideVP(Strict):
    side: SideName
    points: int


class Will(Strict):
    side: SideName
    change: Number


class Weather(Strict):
    condition: Literal[WEATHER_CONDITIONS]
    turns: int = Field(ge=1)


class SideAction(Strict):
    side: SideName
    action: Action


class Allow(SideAction):
    # For `offensive` and `withdrawal`: how many days the order lasts (the AI's posture);
    # without it an offensive lasts the scenario's `ai: offensive_days`, a withdrawal 14 days.
    days: int | None = Field(default=None, ge=1)


class Evacuate(Strict):
    side: SideName
    port: Text             # the port the units sail from
    within: int = Field(ge=1)   # units this many hexes or fewer from it go
    to: Text               # the port they land at


class EndGame(Strict):
    reason: Text
    winner: Literal[WINNERS]


class Controls(Strict):
    side: SideName
    place: Text


class UnitNear(Strict):
    side: SideName
    place: Text
    hexes: int = Field(ge=0)


class HexesHeld(Strict):
    side: SideName
    region: Literal["south", "north"]
    at_least: Annotated[float, Field(ge=0, le=1)]


def _adapter(tp):
    return TypeAdapter(tp)


_TEXT = _adapter(Text)
_ID = _adapter(Id)
_DATE = _adapter(Date)
_IDS = _adapter(Annotated[list[Id], Field(min_length=1)])
_UNITS = _adapter(Annotated[list[Unit], Field(min_length=1)])
_TALKS = _adapter(Literal[TALKS_EFFECTS])

# effect -> (validator, model for did-you-mean hints or None, how to write it)
EFFECTS = {
    "set_flag": (_TEXT, None, "set_flag: NAME"),
    "clear_flag": (_TEXT, None, "clear_flag: NAME"),
    "release_units": (_IDS, None, "release_units: [UNIT_ID, ...]"),
    "add_units": (_UNITS, Unit, "add_units: [{id, name, side, nation, type, strength, at}, ...]"),
    "withdraw_units": (_IDS, None, "withdraw_units: [UNIT_ID, ...]"),
    "evacuate": (_adapter(Evacuate), Evacuate, "evacuate: {side: SIDE, port: PLACE, within: N, to: PLACE}"),
    "replacements": (_adapter(SidePoints), SidePoints, "replacements: {side: SIDE, points: N}"),
    "supply": (_adapter(SideCapacity), SideCapacity, "supply: {side: SIDE, capacity: N}"),
    "air": (_adapter(SideMissions), SideMissions, "air: {side: SIDE, missions: N}"),
    "naval": (_adapter(Naval), Naval, "naval: {side: SIDE, gunfire: N, lift: N}"),
    "vp": (_adapter(SideVP), SideVP, "vp: {side: SIDE, points: N}"),
    "will": (_adapter(Will), Will, "will: {side: SIDE, change: N}"),
    "weather": (_adapter(Weather), Weather, "weather: {condition: COND, turns: N}"),
    "allow": (_adapter(Allow), Allow, "allow: {side: SIDE, action: ACTION, days: N (optional)}"),
    "forbid": (_adapter(SideAction), SideAction, "forbid: {side: SIDE, action: ACTION}"),
    "talks": (_TALKS, None, "talks: " + "|".join(TALKS_EFFECTS)),
    "end_game": (_adapter(EndGame), EndGame, "end_game: {reason: TEXT, winner: WINNER}"),
    "message": (_TEXT, None, "message: TEXT"),
}

CONDITIONS = {
    "flag": (_TEXT, None),
    "controls": (_adapter(Controls), Controls),
    "unit_near": (_adapter(UnitNear), UnitNear),
    "eliminated": (_ID, None),
    "on_map": (_ID, None),
    "hexes_held": (_adapter(HexesHeld), HexesHeld),
    "turn_after": (_DATE, None),
    "not": None, "all": None, "any": None,         # nested conditions, checked recursively
}


# ------------------------------------------------------------------------------ card models

class Option(Strict):
    id: Id
    label: Text
    historical: bool = False
    effects: list[Any] = []


class Choice(Strict):
    prompt: Text
    options: list[Option] = Field(min_length=2)
    ai: Id


class Card(Strict):
    id: Id
    title: Text
    date: Date | None = None
    window: Annotated[list[Date], Field(min_length=2, max_length=2)] | None = None
    when: Any | None = None
    text: Text
    source: Text
    historical: bool
    repeat: bool = False
    probability: Annotated[float, Field(ge=0, le=1)] = 1.0
    side: SideName | None = None
    effects: list[Any] | None = None
    choice: Choice | None = None


class Deck(Strict):
    deck: Id
    description: str | None = None
    cards: list[Card] = Field(min_length=1)


# ------------------------------------------------------------------------------ validation

def _check(adapter, model, value, path) -> list[Issue]:
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        return issues_from_error(exc, value, model or Strict, prefix=tuple(path))
    return []


def _one_key(value, path, what, vocabulary, example) -> tuple[str | None, list[Issue]]:
    where = dotted(path)
    if not isinstance(value, dict):
        return None, [Issue(path, f"{where}: {what} is a one-key mapping like '{example}', not {describe(value)}")]
    if len(value) != 1:
        if not value:
            return None, [Issue(path, f"{where}: empty {what}: write it like '{example}'")]
        keys = ", ".join(map(str, value))
        extra = list(value)[1]
        return None, [Issue(path + (extra,),
                            f"{where}: {what} has exactly one key, this one has {len(value)} ({keys}); "
                            f"start each one on its own '- ' line" + (" or combine them with 'all:'"
                                                                        if what == "a condition" else ""),
                            key=True)]
    key = next(iter(value))
    if key not in vocabulary:
        return None, [Issue(path + (key,), f"{where}: unknown {what.split()[-1]} {key!r}"
                                           f"{did_you_mean(key, vocabulary)}", key=True)]
    return key, []


def check_condition(value, path, depth=0) -> list[Issue]:
    if depth > 50:
        return [Issue(path, f"{dotted(path)}: conditions nested too deeply")]
    key, issues = _one_key(value, path, "a condition", CONDITIONS, "flag: NAME")
    if key is None:
        return issues
    sub = value[key]
    p = tuple(path) + (key,)
    if key == "not":
        return check_condition(sub, p, depth + 1)
    if key in ("all", "any"):
        if not isinstance(sub, list) or not sub:
            return [Issue(p, f"{dotted(p)}: must be a list of one or more conditions, not {describe(sub)}")]
        out = []
        for i, c in enumerate(sub):
            out.extend(check_condition(c, p + (i,), depth + 1))
        return out
    adapter, model = CONDITIONS[key]
    return _check(adapter, model, sub, p)


def check_effects(effects, path) -> list[Issue]:
    out = []
    for i, eff in enumerate(effects):
        p = tuple(path) + (i,)
        key, issues = _one_key(eff, p, "an effect", EFFECTS, "set_flag: NAME")
        if key is None:
            out.extend(issues)
            continue
        adapter, model, _ = EFFECTS[key]
        out.extend(_check(adapter, model, eff[key], p + (key,)))
    return out


def validate_deck(data) -> list[Issue]:
    """Schema and internal consistency of a deck file (no scenario needed)."""
    try:
        Deck.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_error(exc, data, Deck)
    else:
        issues = []
    cards = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(cards, list):
        return issues
    seen = {}
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        path = ("cards", i)
        cid = card.get("id")
        if isinstance(cid, str):
            if cid in seen:
                issues.append(Issue(path + ("id",), f"cards.{i}.id: duplicate card id {cid!r} "
                                                    f"(already used by cards.{seen[cid]})"))
            else:
                seen[cid] = i
        issues.extend(_card_rules(card, path))
        if "when" in card and card["when"] is not None:
            issues.extend(check_condition(card["when"], path + ("when",)))
        if isinstance(card.get("effects"), list):
            issues.extend(check_effects(card["effects"], path + ("effects",)))
        choice = card.get("choice")
        if isinstance(choice, dict) and isinstance(choice.get("options"), list):
            for j, opt in enumerate(choice["options"]):
                if isinstance(opt, dict) and isinstance(opt.get("effects"), list):
                    issues.extend(check_effects(opt["effects"], path + ("choice", "options", j, "effects")))
    return issues


def _card_rules(card, path) -> list[Issue]:
    out = []
    where = dotted(path)
    has = {k: card.get(k) is not None for k in ("date", "window", "when", "effects", "choice", "side")}
    if has["date"] and has["window"]:
        out.append(Issue(path + ("window",), f"{where}: give either 'date' or 'window' + 'when', not both", key=True))
    elif not has["date"] and not has["window"]:
        out.append(Issue(path, f"{where}: a card needs 'date: YYYY-MM-DD', or 'window: [FIRST, LAST]' with 'when:'"))
    if has["window"] and not has["when"]:
        out.append(Issue(path + ("window",), f"{where}: a card with 'window' needs a 'when:' condition", key=True))
    if has["when"] and not has["window"]:
        out.append(Issue(path + ("when",), f"{where}: a card with 'when' needs 'window: [FIRST, LAST]' "
                                           "(the days it may fire)", key=True))
    w = card.get("window")
    if isinstance(w, list) and len(w) == 2 and all(isinstance(x, str) for x in w):
        try:
            if to_date(w[1]) < to_date(w[0]):
                out.append(Issue(path + ("window", 1), f"{where}.window: the last day {w[1]} is before "
                                                       f"the first day {w[0]}"))
        except ValueError:
            pass                                       # the schema reports bad dates
    if has["effects"] and has["choice"]:
        out.append(Issue(path + ("choice",), f"{where}: give either 'effects' or 'choice', not both "
                                             "(put the effects in the choice's options)", key=True))
    elif not has["effects"] and not has["choice"]:
        out.append(Issue(path, f"{where}: a card needs 'effects:' (a list) or a 'choice:'"))
    if has["choice"] and not has["side"]:
        out.append(Issue(path + ("choice",), f"{where}: a choice card needs 'side: un' or 'side: communist' "
                                             "(who decides)", key=True))
    if has["side"] and not has["choice"]:
        out.append(Issue(path + ("side",), f"{where}: 'side' is only used with a 'choice'", key=True))
    choice = card.get("choice")
    if isinstance(choice, dict) and isinstance(choice.get("options"), list):
        opts = [o for o in choice["options"] if isinstance(o, dict)]
        ids = {}
        for j, o in enumerate(choice["options"]):
            if isinstance(o, dict) and isinstance(o.get("id"), str):
                if o["id"] in ids:
                    out.append(Issue(path + ("choice", "options", j, "id"),
                                     f"{where}.choice.options.{j}.id: duplicate option id {o['id']!r}"))
                ids.setdefault(o["id"], j)
        hist = [o for o in opts if o.get("historical") is True]
        if len(opts) == len(choice["options"]) and len(hist) != 1:
            out.append(Issue(path + ("choice", "options"),
                             f"{where}.choice.options: exactly one option must have 'historical: true' "
                             f"({len(hist)} have)"))
        ai = choice.get("ai")
        if isinstance(ai, str) and ids and ai not in ids:
            out.append(Issue(path + ("choice", "ai"), f"{where}.choice.ai: {ai!r} is not one of the options "
                                                      f"({', '.join(ids)}){did_you_mean(ai, ids)}"))
    return out


# ------------------------------------------------------------------------------ with a scenario

def iter_effects(deck):
    """(key path, effect key, value) of every effect of every card, choices included."""
    for i, card in enumerate(deck.get("cards") or []):
        for j, eff in enumerate(card.get("effects") or []):
            for k, v in eff.items():
                yield ("cards", i, "effects", j, k), k, v
        for o, opt in enumerate((card.get("choice") or {}).get("options") or []):
            for j, eff in enumerate(opt.get("effects") or []):
                for k, v in eff.items():
                    yield ("cards", i, "choice", "options", o, "effects", j, k), k, v


def iter_conditions(cond, path):
    if not isinstance(cond, dict):
        return
    for k, v in cond.items():
        yield path + (k,), k, v
        if k == "not":
            yield from iter_conditions(v, path + (k,))
        elif k in ("all", "any") and isinstance(v, list):
            for i, c in enumerate(v):
                yield from iter_conditions(c, path + (k, i))


def deck_places(deck):
    """(key path, location) of every place a card names: conditions' places, where units are
    added, the ports of an evacuation."""
    for i, card in enumerate(deck.get("cards") or []):
        for path, key, value in iter_conditions(card.get("when"), ("cards", i, "when")):
            if key in ("controls", "unit_near") and isinstance(value, dict) and "place" in value:
                yield path + ("place",), value["place"]
    for path, key, value in iter_effects(deck):
        if key == "add_units":
            for n, u in enumerate(value):
                yield path + (n, "at"), u["at"]
        elif key == "evacuate":
            yield path + ("port",), value["port"]
            yield path + ("to",), value["to"]


def added_unit_ids(deck) -> set:
    return {u["id"] for _, k, v in iter_effects(deck) if k == "add_units" for u in v}


def check_deck_against_scenario(deck, scenario, extra_ids=()) -> list[Issue]:
    """Unit ids the deck names must exist in the scenario (or be added by a card);
    ``add_units`` must use the scenario's unit types and nations."""
    out = []
    ids = {u["id"] for key in ("units", "reinforcements") for u in scenario.get(key) or []}
    known = ids | set(extra_ids)
    types, nations = scenario.get("unit_types") or {}, scenario.get("nations") or {}

    def unknown(path, uid):
        return Issue(path, f"{dotted(path)}: no unit {uid!r} in the scenario's units or reinforcements"
                           f"{did_you_mean(uid, known)}")

    for path, key, value in iter_effects(deck):
        if key in ("release_units", "withdraw_units"):
            for n, uid in enumerate(value):
                if uid not in known:
                    out.append(unknown(path + (n,), uid))
        elif key == "add_units":
            for n, u in enumerate(value):
                p = path + (n,)
                if u["id"] in ids:
                    out.append(Issue(p + ("id",), f"{dotted(p)}.id: {u['id']!r} is already a unit of the scenario"))
                out.extend(unit_kind_issues(p, u, types, nations))
    for i, card in enumerate(deck.get("cards") or []):
        for path, key, value in iter_conditions(card.get("when"), ("cards", i, "when")):
            if key in ("eliminated", "on_map") and value not in known:
                out.append(unknown(path, value))
    return out
