"""The event-card deck schema (docs/cards.md): cards, conditions and effects.

The condition and effect vocabularies are closed: an unknown key is an error with a
did-you-mean. Checks that need the scenario (do the unit ids exist? are ``add_units`` types
and nations known?) are in :func:`check_deck_against_scenario`; the loader runs them for each
deck a scenario names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, TypeAdapter, ValidationError, model_validator

from ..engine.vocabulary import ACTIONS, TALKS_EFFECTS, WEATHER_CONDITIONS, WINNERS
from .checks import filter_issues, unit_kind_issues
from .errors import did_you_mean
from .schema import Area, Bounds, Unit, UnitFilter, issues_from_error, validate_part
from .types import Date, Id, Issue, Number, Positive, SideName, Strict, Text, describe, dotted, to_date

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


class UnitsIn(UnitFilter):
    """Units of a side (or of either) matching the filter, standing in an area."""
    side: SideName | None = None
    area: Area
    at_least: int = Field(1, ge=1)          # how many such units


class SideBounds(Bounds):
    side: SideName


class VarBounds(Bounds):
    name: Id
    equals: Number | None = None

    @model_validator(mode="before")
    @classmethod
    def _equals_is_a_bound(cls, data):
        # `equals` alone is enough: it stands for at_least and at_most both.
        if isinstance(data, dict) and data.get("equals") is not None:
            return {**data, "at_least": data.get("at_least", data["equals"]),
                    "at_most": data.get("at_most", data["equals"])}
        return data


class SetVar(Strict):
    name: Id
    value: Number


class Outcome(Strict):
    weight: Positive
    label: Text | None = None
    effects: list[Any] = Field(min_length=1)


class Trigger(Strict):
    card: Id
    days: int = Field(0, ge=0, le=3650)    # 0: right after this card


def _trigger_tag(value) -> str:
    return "~card" if isinstance(value, str) else "~after"


TriggerArg = Annotated[Annotated[Id, Tag("~card")] | Annotated[Trigger, Tag("~after")], Discriminator(_trigger_tag)]


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
    "set_var": (_adapter(SetVar), SetVar, "set_var: {name: NAME, value: N}"),
    "add_var": (_adapter(SetVar), SetVar, "add_var: {name: NAME, value: N}"),
    "random": (_adapter(Annotated[list[Outcome], Field(min_length=2)]), Outcome,
               "random: [{weight: W, label: TEXT, effects: [...]}, ...]"),
    "trigger": (_adapter(TriggerArg), Trigger, "trigger: CARD_ID, or trigger: {card: CARD_ID, days: N}"),
}

CONDITIONS = {
    "flag": (_TEXT, None),
    "controls": (_adapter(Controls), Controls),
    "unit_near": (_adapter(UnitNear), UnitNear),
    "eliminated": (_ID, None),
    "on_map": (_ID, None),
    "hexes_held": (_adapter(HexesHeld), HexesHeld),
    "turn_after": (_DATE, None),
    "units_in": (_adapter(UnitsIn), UnitsIn),
    "will": (_adapter(SideBounds), SideBounds),
    "vp": (_adapter(SideBounds), SideBounds),
    "losses": (_adapter(SideBounds), SideBounds),
    "var": (_adapter(VarBounds), VarBounds),
    "objective": (_ID, None),
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
    # the option the AI takes, or {option: weight, ...}: drawn when the card fires
    ai: Id | Annotated[dict[Id, Positive], Field(min_length=1)]


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
    triggered: bool = False       # fires only when another card triggers it (or simulate --fire)
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
        kind = what.split()[-1]
        return None, [Issue(path + (key,), f"{where}: unknown {kind} {key!r}{did_you_mean(key, vocabulary)} "
                                           f"(the {kind}s: {', '.join(map(str, vocabulary))})", key=True)]
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


def check_effects(effects, path, depth=0) -> list[Issue]:
    if depth > 20:
        return [Issue(tuple(path), f"{dotted(path)}: random outcomes nested too deeply")]
    out = []
    for i, eff in enumerate(effects):
        p = tuple(path) + (i,)
        key, issues = _one_key(eff, p, "an effect", EFFECTS, "set_flag: NAME")
        if key is None:
            out.extend(issues)
            continue
        adapter, model, _ = EFFECTS[key]
        out.extend(_check(adapter, model, eff[key], p + (key,)))
        if key == "random" and isinstance(eff[key], list):     # each outcome's effects, the same way
            for j, outcome in enumerate(eff[key]):
                if isinstance(outcome, dict) and isinstance(outcome.get("effects"), list):
                    out.extend(check_effects(outcome["effects"], p + (key, j, "effects"), depth + 1))
    return out


def validate_deck(data) -> list[Issue]:
    """Schema and internal consistency of a deck file (no scenario needed)."""
    issues = validate_part(Deck, data, ())
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
    if card.get("triggered") is True:
        for k in ("date", "window"):
            if has[k]:
                out.append(Issue(path + (k,), f"{where}: a triggered card has no '{k}': it fires when another "
                                              "card triggers it (its 'when', if any, is tested then)", key=True))
    elif has["date"] and has["window"]:
        out.append(Issue(path + ("window",), f"{where}: give either 'date' or 'window' + 'when', not both", key=True))
    elif not has["date"] and not has["window"]:
        out.append(Issue(path, f"{where}: a card needs 'date: YYYY-MM-DD', or 'window: [FIRST, LAST]' with 'when:'"
                               " (or 'triggered: true' when another card fires it)"))
    if has["window"] and not has["when"]:
        out.append(Issue(path + ("window",), f"{where}: a card with 'window' needs a 'when:' condition", key=True))
    if has["when"] and not has["window"] and card.get("triggered") is not True:
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
        elif isinstance(ai, dict) and ids:
            for name in ai:
                if name not in ids:
                    out.append(Issue(path + ("choice", "ai", name),
                                     f"{where}.choice.ai: {name!r} is not one of the options ({', '.join(ids)})"
                                     f"{did_you_mean(name, ids)}", key=True))
    return out


# ------------------------------------------------------------------------------ with a scenario

def _walk_effects(effects, path):
    for j, eff in enumerate(effects or []):
        for k, v in eff.items():
            yield path + (j, k), k, v
            if k == "random":
                for n, outcome in enumerate(v):
                    yield from _walk_effects(outcome.get("effects"), path + (j, k, n, "effects"))


def iter_effects(deck):
    """(key path, effect key, value) of every effect of every card: choices and random outcomes
    included."""
    for i, card in enumerate(deck.get("cards") or []):
        yield from _walk_effects(card.get("effects"), ("cards", i, "effects"))
        for o, opt in enumerate((card.get("choice") or {}).get("options") or []):
            yield from _walk_effects(opt.get("effects"), ("cards", i, "choice", "options", o, "effects"))


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
            elif key == "units_in" and "place" in value["area"]:
                yield path + ("area", "place"), value["area"]["place"]
    for path, key, value in iter_effects(deck):
        if key == "add_units":
            for n, u in enumerate(value):
                yield path + (n, "at"), u["at"]
        elif key == "evacuate":
            yield path + ("port",), value["port"]
            yield path + ("to",), value["to"]


def added_unit_ids(deck) -> set:
    return {u["id"] for _, k, v in iter_effects(deck) if k == "add_units" for u in v}


def set_variables(deck) -> set:
    """Names of the variables the deck's effects set or add to."""
    return {v["name"] for _, k, v in iter_effects(deck) if k in ("set_var", "add_var")}


def set_flags(deck) -> set:
    """Names of the flags the deck's effects set."""
    return {v for _, k, v in iter_effects(deck) if k == "set_flag"}


def check_sudden_death_flags(scenario, flags) -> list[Issue]:
    """A sudden death's ``unless_flag`` must be a flag the scenario can set: one of its decks'
    cards, or its ``politics.start_flags``."""
    out = []
    for i, rule in enumerate((scenario.get("victory") or {}).get("sudden_death") or []):
        flag = rule.get("unless_flag") if isinstance(rule, dict) else None
        if flag is not None and flag not in flags:
            path = ("victory", "sudden_death", i, "unless_flag")
            out.append(Issue(path, f"{dotted(path)}: neither a card of the scenario's decks nor its "
                                   f"politics.start_flags sets the flag {flag!r}"
                                   f"{did_you_mean(flag, sorted(flags))}"))
    return out


def check_deck_against_scenario(deck, scenario, extra_ids=(), card_ids=None, variables=None) -> list[Issue]:
    """Unit ids the deck names must exist in the scenario (or be added by a card);
    ``add_units`` and ``units_in`` must use the scenario's unit types and nations; a card a
    ``trigger`` names must be one of ``card_ids`` (every card of the scenario's decks), a
    variable a ``var`` condition reads one of ``variables`` (set by a card or declared by the
    scenario). None: that check is left out."""
    out = []
    ids = {u["id"] for key in ("units", "reinforcements") for u in scenario.get(key) or []}
    known = ids | set(extra_ids)
    types, nations = scenario.get("unit_types") or {}, scenario.get("nations") or {}
    objectives = [o["id"] for o in (scenario.get("victory") or {}).get("objectives") or []]

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
        elif key == "trigger" and card_ids is not None:
            target, p = (value, path) if isinstance(value, str) else (value["card"], path + ("card",))
            if target not in card_ids:
                out.append(Issue(p, f"{dotted(p)}: no card {target!r} in the scenario's decks"
                                    f"{did_you_mean(target, card_ids)}"))
    for i, card in enumerate(deck.get("cards") or []):
        for path, key, value in iter_conditions(card.get("when"), ("cards", i, "when")):
            if key in ("eliminated", "on_map") and value not in known:
                out.append(unknown(path, value))
            elif key == "units_in":
                out.extend(filter_issues(path, value, known, types, nations, unknown))
            elif key == "objective" and value not in objectives:
                out.append(Issue(path, f"{dotted(path)}: no objective {value!r} in the scenario's victory.objectives"
                                       f"{did_you_mean(value, objectives)}"))
            elif key == "var" and variables is not None and value["name"] not in variables:
                out.append(Issue(path + ("name",), f"{dotted(path)}.name: no card sets the variable "
                                                   f"{value['name']!r} and the scenario's 'variables' do not "
                                                   f"declare it{did_you_mean(value['name'], variables)}"))
    return out
