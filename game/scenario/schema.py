"""The scenario schema: pydantic v2 models, and pydantic errors turned into plain sentences.

The models check types, ranges and unknown keys of the *merged* scenario (after ``include``
and ``extends``). Checks that compare values with each other (a unit's type against
``unit_types``, calendar order, CRT shape...) live in :mod:`game.scenario.checks`.
Every error becomes an :class:`Issue`: a key path into the data plus a message; the loader
turns it into ``file:line:col: message`` through the source map.

The models only validate; the loader hands the engine the plain merged dict, not the models.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PlainValidator, Tag, ValidationError
from pydantic_core import PydanticCustomError

from .errors import did_you_mean


@dataclass(frozen=True)
class Issue:
    """A problem at key path ``path`` of the data; ``key`` points at the key, not its value."""

    path: tuple
    message: str
    key: bool = False


def dotted(path) -> str:
    return ".".join(str(p) for p in path)


def describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return repr(value)


# ------------------------------------------------------------------------------ value types

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_problem(value) -> str | None:
    """None if ``value`` is a real date written YYYY-MM-DD, else why not."""
    if not isinstance(value, str):
        return f"must be a date written YYYY-MM-DD, not {describe(value)}"
    m = _DATE_RE.match(value)
    if not m:
        return f"{value!r} is not a date: write it YYYY-MM-DD (e.g. 1950-06-25)"
    y, mo, d = (int(g) for g in m.groups())
    if not 1 <= mo <= 12:
        return f"{value!r} is not a real date (there is no month {mo})"
    last = _calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        month = _calendar.month_name[mo]
        if mo == 2:
            return f"{value!r} is not a real date (February {y} has {last} days)"
        return f"{value!r} is not a real date ({month} has {last} days)"
    return None


def to_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _date(value):
    why = date_problem(value)
    if why:
        raise PydanticCustomError("date", why)
    return value


_ID_RE = re.compile(r"^[a-z0-9_]+$")


def _id(value):
    if not isinstance(value, str):
        raise PydanticCustomError("id", "must be an id (lowercase letters, digits and '_'), not {what}",
                                  {"what": describe(value)})
    if not _ID_RE.match(value):
        raise PydanticCustomError("id", "{v} is not a valid id: use only lowercase letters, digits and '_'",
                                  {"v": repr(value)})
    return value


_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _color(value):
    if not isinstance(value, str) or not _COLOR_RE.match(value):
        raise PydanticCustomError("color", "must be a colour written \"#rrggbb\" (in quotes), not {what}",
                                  {"what": describe(value)})
    return value


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), float("-inf"))


def _hex(value):
    if (isinstance(value, list) and len(value) == 2 and all(_is_int(v) and v >= 0 for v in value)):
        return value
    raise PydanticCustomError("hex", "must be a hex [row, col] (two whole numbers >= 0), not {what}",
                              {"what": describe(value)})


def _edge(value):
    if isinstance(value, list) and len(value) == 2:
        for v in value:
            _hex(v)
        return value
    raise PydanticCustomError("edge", "must be an edge [[row, col], [row, col]] between two hexes, not {what}",
                              {"what": describe(value)})


_LOCATION_HELP = "a place name, {lat: .., lon: ..}, {row: .., col: ..} or [row, col]"


def location_problem(value) -> str | None:
    if isinstance(value, str):
        return None if value.strip() else "must be a place name, not empty text"
    if isinstance(value, list):
        if len(value) == 2 and all(_is_int(v) and v >= 0 for v in value):
            return None
        return f"must be {_LOCATION_HELP}; a list must be [row, col] with two whole numbers >= 0"
    if isinstance(value, dict):
        keys = set(value)
        if keys == {"lat", "lon"}:
            lat, lon = value["lat"], value["lon"]
            if not (_is_num(lat) and -90 <= lat <= 90):
                return f"lat must be a number of degrees between -90 and 90, not {describe(lat)}"
            if not (_is_num(lon) and -180 <= lon <= 180):
                return f"lon must be a number of degrees between -180 and 180, not {describe(lon)}"
            return None
        if keys == {"row", "col"}:
            for k in ("row", "col"):
                if not (_is_int(value[k]) and value[k] >= 0):
                    return f"{k} must be a whole number >= 0, not {describe(value[k])}"
            return None
        for k in sorted(keys - {"lat", "lon", "row", "col"}, key=str):
            return f"unknown key {k!r} in a location{did_you_mean(k, ['lat', 'lon', 'row', 'col'])}"
        if keys & {"lat", "lon"} and keys & {"row", "col"}:
            return "give either {lat, lon} or {row, col}, not both"
        missing = ({"lat", "lon"} - keys) if keys & {"lat", "lon"} else ({"row", "col"} - keys)
        return f"missing {' and '.join(sorted(missing))}: a location is {_LOCATION_HELP}"
    return f"must be {_LOCATION_HELP}, not {describe(value)}"


def _location(value):
    why = location_problem(value)
    if why:
        raise PydanticCustomError("location", why)
    return value


Date = Annotated[str, PlainValidator(_date)]
Id = Annotated[str, PlainValidator(_id)]
Color = Annotated[str, PlainValidator(_color)]
Hex = Annotated[list, PlainValidator(_hex)]
Edge = Annotated[list, PlainValidator(_edge)]
Location = Annotated[Any, PlainValidator(_location)]
Text = Annotated[str, Field(min_length=1)]
Number = float
NonNeg = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
SideName = Literal["un", "communist"]


def in_date_order(entries: list) -> list:
    """A validator body for lists of dated entries (``from:``): each must begin after the last."""
    for a, b in zip(entries, entries[1:]):
        if b.from_ <= a.from_:
            raise PydanticCustomError("order", "entries must be in date order: {b} is listed after {a}",
                                      {"a": a.from_, "b": b.from_})
    return entries


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, populate_by_name=False)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False, populate_by_name=False)


# ------------------------------------------------------------------------------ scenario models

class CalendarPeriod(Strict):
    from_: Date = Field(alias="from")
    days: int = Field(ge=1, le=31)


class SideInfo(Strict):
    name: Text
    color: Color
    # starting values of per-side numbers that cards and rules change during the game
    vp: Optional[Number] = None
    will: Optional[NonNeg] = None
    losses: Optional[NonNeg] = None
    replacements: Optional[Number] = None
    replacement_pool: Optional[NonNeg] = None
    air_missions: Optional[NonNeg] = None
    supply_capacity: Optional[NonNeg] = None
    naval_gunfire: Optional[NonNeg] = None
    naval_lift: Optional[NonNeg] = None
    allowed: list[str] = []
    forbidden: list[str] = []


class Sides(Strict):
    un: SideInfo
    communist: SideInfo


class MapGrid(Strict):
    rows: int = Field(ge=1, le=2000)
    cols: int = Field(ge=1, le=2000)
    hex_km: Optional[Positive] = None
    lat_north: Optional[Annotated[float, Field(ge=-90, le=90)]] = None
    lon_west: Optional[Annotated[float, Field(ge=-180, le=180)]] = None
    ref_lat: Optional[Annotated[float, Field(ge=-90, le=90)]] = None


class River(Strict):
    name: Optional[str] = None
    major: bool = False
    edges: list[Edge] = Field(min_length=1)


class Road(Strict):
    name: Optional[str] = None
    main: bool = False
    hexes: list[Hex] = Field(min_length=2)


class Rail(Strict):
    name: Optional[str] = None
    hexes: list[Hex] = Field(min_length=2)


class Place(Strict):
    name: Text
    at: Hex
    kind: Literal["capital", "city", "town", "village", "port"] = "town"
    port: bool = False
    vp: int = Field(0, ge=0)
    aliases: list[Text] = []
    source: Optional[str] = None


class MapSpec(Strict):
    asset: Optional[Text] = None
    grid: Optional[MapGrid] = None
    terrain: Optional[list[str]] = None
    region: Optional[list[str]] = None
    rivers: list[River] = []
    roads: list[Road] = []
    rails: list[Rail] = []
    places: list[Place] = []


class UnitType(Strict):
    size: Literal["division", "brigade", "regiment", "battalion", "corps"]
    symbol: Literal["infantry", "armor", "marine", "airborne", "hq", "artillery"]
    attack: NonNeg
    defense: NonNeg
    movement: Positive
    stack: NonNeg
    name: Optional[str] = None
    note: Optional[str] = None


class Nation(Strict):
    side: SideName
    name: Text
    firepower: Positive
    quality: int = Field(ge=1, le=100)
    note: Optional[str] = None


class TerrainEffect(Strict):
    move: Optional[Positive]               # required; null = impassable
    defense: Positive
    attack_shift: int = 0


class TerrainTable(Strict):
    sea: Optional[TerrainEffect] = None
    clear: Optional[TerrainEffect] = None
    rough: Optional[TerrainEffect] = None
    mountain: Optional[TerrainEffect] = None
    marsh: Optional[TerrainEffect] = None
    lake: Optional[TerrainEffect] = None
    urban: Optional[TerrainEffect] = None


RegionName = Literal["none", "south", "north", "china", "ussr"]


class NoEntry(Strict):
    un: list[RegionName] = []
    communist: list[RegionName] = []


class Movement(Strict):
    road_main: NonNeg
    road_minor: NonNeg
    rail: NonNeg
    river_minor: NonNeg
    river_major: NonNeg
    bridge_minor: NonNeg
    bridge_major: NonNeg
    stack_limit: int = Field(ge=1)
    zoc_stops: bool
    # 1950 regions (none, south, north, china, ussr) a side's ground units may never enter
    no_entry: Optional[NoEntry] = None


class RiverShift(Strict):
    minor: int
    major: int


class Combat(Strict):
    odds: list[Positive] = Field(min_length=1)
    labels: Optional[list[str]] = None
    table: dict[int, list[str]]
    river_shift: RiverShift
    blocked_retreat_loss: int = Field(ge=0)
    retreat_into_zoc_loss: int = Field(ge=0)
    loss_step: int = Field(ge=1)
    min_attack_mp: NonNeg
    entrench_bonus: Optional[NonNeg] = None   # defence bonus per fortification level
    entrench_max: Optional[int] = Field(None, ge=0)


class OutOfSupply(Strict):
    # effects by turns without supply (the last entry holds for longer): multipliers on
    # attack, defence and movement; strength points and efficiency lost each turn; the chance
    # (0-1) that a unit surrenders that turn
    attack: Optional[list[NonNeg]] = Field(None, min_length=1)
    defense: Optional[list[NonNeg]] = Field(None, min_length=1)
    movement: Optional[list[NonNeg]] = Field(None, min_length=1)
    attrition: Optional[list[Annotated[int, Field(ge=0)]]] = Field(None, min_length=1)
    efficiency: Optional[list[Annotated[int, Field(ge=0, le=100)]]] = Field(None, min_length=1)
    surrender: Optional[list[Annotated[float, Field(ge=0, le=1)]]] = Field(None, min_length=1)


class SupplyCost(Strict):
    # supply cost of entering a hex by the best way in; missing keys take the movement costs
    rail: Optional[NonNeg] = None
    road_main: Optional[NonNeg] = None
    road_minor: Optional[NonNeg] = None
    cross_country: Optional[Positive] = None     # times the terrain's movement cost
    river_minor: Optional[NonNeg] = None
    river_major: Optional[NonNeg] = None
    bridge_minor: Optional[NonNeg] = None
    bridge_major: Optional[NonNeg] = None


class SideRange(Strict):
    un: Optional[Positive] = None
    communist: Optional[Positive] = None


class Supply(Strict):
    range: Positive                              # supply cost a source reaches (both sides)
    range_by_side: Optional[SideRange] = None    # per-side ranges in place of `range`
    cost: Optional[SupplyCost] = None
    efficiency_floor: Optional[int] = Field(None, ge=0, le=100)
    out_of_supply: Optional[OutOfSupply] = None


class Control(Strict):
    radius: int = Field(ge=1)
    pockets: Optional[bool] = None     # ground cut off from all of a side's units and sources goes to the enemy


class Unit(Strict):
    id: Id
    name: Text
    side: SideName
    nation: Text
    type: Text
    strength: int = Field(ge=1)
    efficiency: Optional[int] = Field(None, ge=1, le=100)
    at: Location
    parent: Optional[str] = None
    source: Optional[str] = None
    note: Optional[str] = None


class Reinforcement(Unit):
    arrive: Date


class Withdrawal(Strict):
    unit: Id
    date: Date
    source: Optional[str] = None
    note: Optional[str] = None


class DatedSource(Strict):
    """A source that serves only between two dates (either may be left out)."""
    at: Location
    from_: Optional[Date] = Field(None, alias="from")
    until: Optional[Date] = None
    note: Optional[Text] = None
    source: Optional[Text] = None


# A supply source is a location, or {at: LOCATION, from: DATE, until: DATE} for one that serves
# only part of the war (Seoul was the KPA's railhead in 1950, never the CPV's in 1951).
SourceEntry = Annotated[
    Union[Annotated[DatedSource, Tag("~dated")], Annotated[Location, Tag("~place")]],
    Discriminator(lambda v: "~dated" if isinstance(v, dict) and "at" in v else "~place")]


class SupplySources(Strict):
    un: list[SourceEntry] = []
    communist: list[SourceEntry] = []


class SuddenDeath(Open):
    side: SideName
    holds: list[Location] = Field(min_length=1)


class Victory(Open):
    sudden_death: list[SuddenDeath] = []
    draw_margin: Optional[int] = Field(None, ge=0)


class AISide(Strict):
    aggression: Optional[Annotated[float, Field(ge=0, le=1)]] = None
    attack_odds: Optional[Positive] = None
    # On the defensive (no offensive ordered lately): how it plays then.
    defensive_aggression: Optional[Annotated[float, Field(ge=0, le=1)]] = None
    defensive_attack_odds: Optional[Positive] = None
    offensive_days: Optional[Annotated[int, Field(ge=0)]] = None   # how long an ordered offensive lasts
    withdraw_ratio: Optional[Positive] = None    # enemy attack : own defence at which it falls back
    positional_hold: Optional[bool] = None       # no attacks between ordered offensives once the war of positions begins


class AI(Strict):
    un: Optional[AISide] = None
    communist: Optional[AISide] = None


class FogOfWar(Strict):
    enabled: bool = False
    sight: int = Field(2, ge=0, le=20)   # hexes a unit sees around it


# The sections import Strict/Open from this module, so they come in after those are defined.
from .sections import air as air_section  # noqa: E402
from .sections import naval as naval_section  # noqa: E402
from .sections import politics as politics_section  # noqa: E402
from .sections import positions as positions_section  # noqa: E402
from .sections import replacements as replacements_section  # noqa: E402
from .sections import weather as weather_section  # noqa: E402


class Scenario(Strict):
    id: Id
    title: Text
    description: Optional[str] = None
    start: Date
    end: Date
    calendar: list[CalendarPeriod] = Field(min_length=1)
    sides: Sides
    side_order: Optional[list[SideName]] = None
    player: Optional[Literal["un", "communist", "both", "none"]] = None
    start_control: Optional[Literal["region", "units"]] = None
    map: MapSpec
    unit_types: dict[str, UnitType] = Field(min_length=1)
    nations: dict[str, Nation] = Field(min_length=1)
    terrain: TerrainTable
    movement: Movement
    combat: Combat
    supply: Optional[Supply] = None
    control: Optional[Control] = None
    units: list[Unit] = []
    reinforcements: list[Reinforcement] = []
    withdrawals: list[Withdrawal] = []
    supply_sources: Optional[SupplySources] = None
    victory: Optional[Victory] = None
    ai: Optional[AI] = None
    decks: list[Text] = []
    require_sources: bool = False
    # The rule modules' sections: one schema file each in sections/ (imported below).
    weather: Optional[weather_section.Section] = None
    air: Optional[air_section.Section] = None
    naval: Optional[naval_section.Section] = None
    politics: Optional[politics_section.Section] = None
    positions: Optional[positions_section.Section] = None
    replacements: Optional[replacements_section.Section] = None
    rules_extra: Optional[dict[str, Any]] = None
    fog_of_war: Optional["FogOfWar"] = None
    # Units held back until a card sets a flag: {flag: [unit ids or id prefixes]}
    held_until_flag: Optional[dict[str, list[str]]] = None


# Keys the loader consumes before validation; offered in did-you-mean hints.
COMPOSITION_KEYS = ("include", "extends", "remove")
RULES_KEYS = ("unit_types", "nations", "terrain", "movement", "combat")


# ------------------------------------------------------------------------------ error conversion

def _unwrap(tp):
    """The model (or container type) under Optional/Annotated."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _field_type(model, name):
    for fname, info in model.model_fields.items():
        if (info.alias or fname) == name:
            return info.annotation
    return None


def model_at(model, path):
    """The model class that validates the mapping at ``path`` under ``model`` (or None)."""
    tp = model.annotation if hasattr(model, "annotation") and not isinstance(model, type) else model
    for part in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            tp = _field_type(tp, part)
            if tp is None:
                return None
            continue
        origin = typing.get_origin(tp)
        if origin is list:
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_names(model) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _walk_loc(loc, data):
    """Pydantic loc -> (key path that exists in ``data`` as far as possible, points at key?)."""
    path, node, at_key = [], data, False
    for part in loc:
        if part == "[key]":
            at_key = True
            break
        if isinstance(part, str) and part.startswith("~"):
            continue          # a union's tag (e.g. "~dated"), not a key of the file
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part.lstrip("-").isdigit() and int(part) in node:
            part = int(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            path.append(part)
            node = None
            continue
        path.append(part)
    return tuple(path), at_key


def _bound(ctx, key):
    v = ctx.get(key)
    return f"{v:g}" if isinstance(v, float) else str(v)


def issues_from_error(exc: ValidationError, data, model, prefix=(), hints=None) -> list[Issue]:
    """Turn a pydantic ValidationError into plain-words Issues (paths relative to ``data``)."""
    out = []
    seen = set()
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        typ = err["type"]
        ctx = err.get("ctx") or {}
        value = err.get("input")
        path, at_key = _walk_loc(loc, data)
        full = prefix + path
        if typ == "missing" and full:
            parent, name = full[:-1], full[-1]
            msg = f"missing required key {name!r}"
            if hints and name in hints:
                msg += hints[name]
            out.append(Issue(parent, _prefixed(parent, msg)))
            continue
        if typ == "extra_forbidden" and full:
            parent, name = full[:-1], full[-1]
            sub = model_at(model, path[:-1])
            names = field_names(sub) if sub is not None else []
            if sub is model and not path[:-1]:
                names = names + list(COMPOSITION_KEYS)
            msg = f"unknown key {name!r}{did_you_mean(name, names)}"
            out.append(Issue(full, _prefixed(parent, msg), key=True))
            continue
        if at_key:
            msg = f"bad key {describe(value)}: " + _type_message(typ, ctx, value, err["msg"])
            out.append(Issue(full, _prefixed(full, msg), key=True))
            continue
        key = (full, typ)
        if key in seen:
            continue
        seen.add(key)
        out.append(Issue(full, _prefixed(full, _type_message(typ, ctx, value, err["msg"]))))
    return out


def _prefixed(path, msg):
    return f"{dotted(path)}: {msg}" if path else msg


def _type_message(typ, ctx, value, default) -> str:
    if typ == "greater_than_equal":
        return f"must be >= {_bound(ctx, 'ge')}" + (f", not {describe(value)}" if _is_num(value) else "")
    if typ == "greater_than":
        return f"must be > {_bound(ctx, 'gt')}" + (f", not {describe(value)}" if _is_num(value) else "")
    if typ == "less_than_equal":
        return f"must be <= {_bound(ctx, 'le')}" + (f", not {describe(value)}" if _is_num(value) else "")
    if typ == "less_than":
        return f"must be < {_bound(ctx, 'lt')}" + (f", not {describe(value)}" if _is_num(value) else "")
    if typ in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {describe(value)}"
    if typ in ("float_type", "float_parsing"):
        return f"must be a number, not {describe(value)}"
    if typ == "finite_number":
        return "must be a finite number"
    if typ in ("string_type", "string_sub_type"):
        hint = " (put it in quotes)" if isinstance(value, (int, float, bool)) else ""
        return f"must be text{hint}, not {describe(value)}"
    if typ == "string_too_short":
        return "must not be empty"
    if typ in ("bool_type", "bool_parsing"):
        hint = " (yes/no/on/off are text here)" if isinstance(value, str) and value.lower() in (
            "yes", "no", "on", "off", "y", "n") else ""
        return f"must be true or false{hint}, not {describe(value)}"
    if typ == "literal_error":
        expected = ctx.get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        return f"must be one of {', '.join(options) or expected}, not {describe(value)}{did_you_mean(value, options)}"
    if typ in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"must be a mapping (key: value lines), not {describe(value)}"
    if typ in ("list_type", "tuple_type", "iterable_type"):
        return f"must be a list, not {describe(value)}"
    if typ == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} item{'s' if n != 1 else ''}" if isinstance(value, list) else \
            f"must have at least {n} entr{'ies' if n != 1 else 'y'}"
    if typ == "too_long":
        n = ctx.get("max_length")
        return f"must have at most {n} items"
    if typ == "none_required":
        return f"must be empty, not {describe(value)}"
    if typ == "value_error":
        return str(ctx.get("error", default)).removeprefix("Value error, ")
    return default


MISSING_HINTS = {k: " (add `include: [rules/standard.yaml]` to use the standard rules)" for k in RULES_KEYS}


def validate_scenario(data: dict) -> list[Issue]:
    """Schema issues of a merged scenario dict (empty list if it conforms)."""
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return issues_from_error(exc, data, Scenario, hints=MISSING_HINTS)
    return []


_FIELD_ADAPTERS: dict = {}


def validate_fragment(data: dict) -> list[Issue]:
    """Schema issues of an include file on its own: each top-level key it has is checked
    like the same key of a scenario; nothing is required."""
    from pydantic import TypeAdapter

    out = []
    fields = {info.alias or name: info for name, info in Scenario.model_fields.items()}
    for key, value in data.items():
        info = fields.get(key)
        if info is None:
            out.append(Issue((key,), f"unknown key {key!r}{did_you_mean(key, [*fields, *COMPOSITION_KEYS])}",
                             key=True))
            continue
        adapter = _FIELD_ADAPTERS.get(key)
        if adapter is None:
            tp = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            adapter = _FIELD_ADAPTERS[key] = TypeAdapter(tp)
        try:
            adapter.validate_python(value, strict=True)
        except ValidationError as exc:
            out.extend(issues_from_error(exc, value, _FragmentField(info.annotation), prefix=(key,)))
    return out


class _FragmentField:
    """Lets model_at() walk from a field's annotation (used for did-you-mean hints)."""

    def __init__(self, annotation):
        self.annotation = annotation


def validate_part(model, value, prefix) -> list[Issue]:
    """Validate ``value`` (found at key path ``prefix``) against ``model``."""
    try:
        model.model_validate(value)
    except ValidationError as exc:
        return issues_from_error(exc, value, model, prefix=tuple(prefix))
    return []
