"""The scenario schema: pydantic v2 models, and pydantic errors turned into plain sentences.

The models check types, ranges and unknown keys of the *merged* scenario (after ``include``
and ``extends``). Checks that compare values with each other (a unit's type against
``unit_types``, calendar order, CRT shape...) live in :mod:`game.scenario.checks`.
Every error becomes an :class:`Issue`: a key path into the data plus a message; the loader
turns it into ``file:line:col: message`` through the source map.

The models only validate; the loader hands the engine the plain merged dict, not the models.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..engine.vocabulary import PLACE_KINDS, REGION_NAMES, UNIT_SIZES, UNIT_SYMBOLS
from .errors import did_you_mean
from .sections import air as air_section
from .sections import naval as naval_section
from .sections import politics as politics_section
from .sections import positions as positions_section
from .sections import replacements as replacements_section
from .sections import weather as weather_section
from .selectors import EDGES
from .types import (
    Color,
    Date,
    Edge,
    Hex,
    Id,
    Issue,
    Location,
    NonNeg,
    Number,
    Positive,
    SideName,
    Strict,
    Text,
    describe,
    dotted,
    in_date_order,
    is_number,
)

# ------------------------------------------------------------------------------ scenario models

MAX_STRENGTH = 999          # strength points (thousands of men) a unit may have: the state stores int16

class CalendarPeriod(Strict):
    from_: Date = Field(alias="from")
    days: int = Field(ge=1, le=31)


class SideInfo(Strict):
    name: Text
    color: Color
    # starting values of per-side numbers that cards and rules change during the game
    vp: Number | None = None
    will: NonNeg | None = None
    losses: NonNeg | None = None
    replacements: Number | None = None
    replacement_pool: NonNeg | None = None
    air_missions: NonNeg | None = None
    supply_capacity: NonNeg | None = None
    naval_gunfire: NonNeg | None = None
    naval_lift: NonNeg | None = None
    allowed: list[str] = []
    forbidden: list[str] = []


class Sides(Strict):
    un: SideInfo
    communist: SideInfo


# ------------------------------------------------------------------------------ areas, unit sets, numbers
# Shared by cards (conditions), objectives and scenario tests; game/scenario/selectors.py reads them.

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Box(Strict):
    """A lat/lon box: the hexes whose centres lie inside it."""
    lat_south: Latitude
    lat_north: Latitude
    lon_west: Longitude
    lon_east: Longitude

    @model_validator(mode="after")
    def _not_empty(self):
        if self.lat_north <= self.lat_south:
            raise PydanticCustomError("box", "lat_north ({n}) must be north of lat_south ({s})",
                                      {"n": f"{self.lat_north:g}", "s": f"{self.lat_south:g}"})
        if self.lon_east <= self.lon_west:
            raise PydanticCustomError("box", "lon_east ({e}) must be east of lon_west ({w})",
                                      {"e": f"{self.lon_east:g}", "w": f"{self.lon_west:g}"})
        return self


class PlaceArea(Strict):
    """A place and the hexes within ``radius`` steps of it."""
    place: Text
    radius: int = Field(0, ge=0, le=50)


class EdgeArea(Strict):
    """The land hexes on one edge of the map (of its crop)."""
    edge: Literal[EDGES]


def _area_tag(value) -> str:
    # A mapping when validating, a model when a validated area is dumped again.
    keys = value if isinstance(value, dict) else vars(value) if isinstance(value, BaseModel) else {}
    if "place" in keys:
        return "~place"
    return "~edge" if "edge" in keys else "~box"


Area = Annotated[
    Annotated[PlaceArea, Tag("~place")] | Annotated[EdgeArea, Tag("~edge")] | Annotated[Box, Tag("~box")],
    Discriminator(_area_tag)]


class UnitFilter(Strict):
    """Units by id, nation and type: every key given must match (none given: every unit)."""
    units: Annotated[list[Id], Field(min_length=1)] | None = None
    nation: Text | None = None
    type: Text | None = None


class Bounds(Strict):
    """A number's bounds: at least one of ``at_least`` and ``at_most``."""
    at_least: Number | None = None
    at_most: Number | None = None

    @model_validator(mode="after")
    def _one_bound(self):
        if self.at_least is None and self.at_most is None:
            raise PydanticCustomError("bounds", "give at_least, at_most or both")
        return self


class MapGrid(Strict):
    rows: int = Field(ge=1, le=2000)
    cols: int = Field(ge=1, le=2000)
    hex_km: Positive | None = None
    lat_north: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon_west: Annotated[float, Field(ge=-180, le=180)] | None = None
    ref_lat: Annotated[float, Field(ge=-90, le=90)] | None = None


class River(Strict):
    name: str | None = None
    major: bool = False
    edges: list[Edge] = Field(min_length=1)


class Road(Strict):
    name: str | None = None
    main: bool = False
    hexes: list[Hex] = Field(min_length=2)


class Rail(Strict):
    name: str | None = None
    hexes: list[Hex] = Field(min_length=2)


class Place(Strict):
    """A place of an inline map (``at``: [row, col]), or a place a scenario adds to or changes on a
    map asset (``at``: {lat, lon}; an entry named like a place of the asset changes only the
    keys it gives)."""
    name: Text
    at: Location | None = None
    kind: Literal[PLACE_KINDS] = "town"
    port: bool = False
    vp: int = Field(0, ge=0)
    aliases: list[Text] = []
    source: str | None = None


class MapSpec(Strict):
    asset: Text | None = None
    crop: Box | None = None          # an asset cut down to a lat/lon box (a small battle)
    grid: MapGrid | None = None
    terrain: list[str] | None = None
    region: list[str] | None = None
    rivers: list[River] = []
    roads: list[Road] = []
    rails: list[Rail] = []
    places: list[Place] = []


class UnitType(Strict):
    size: Literal[UNIT_SIZES]
    symbol: Literal[UNIT_SYMBOLS]
    attack: NonNeg
    defense: NonNeg
    movement: Positive
    stack: NonNeg
    name: str | None = None
    note: str | None = None


class FirepowerPeriod(Strict):
    """From this date on, the nation's firepower is this (artillery, air and armour that came
    during the war): each entry needs its source."""

    from_: Date = Field(alias="from")
    firepower: Positive
    source: Text
    note: str | None = None


class ColumnsPeriod(Strict):
    """From this date on, the nation's attacks gain (or attacks on it lose) these odds columns:
    a way of fighting, such as the Chinese armies' night infiltration or their tunnelled
    positions of 1951-53. Each entry needs its source."""

    from_: Date = Field(alias="from")
    columns: int = Field(ge=0, le=5)
    source: Text
    note: str | None = None


class Nation(Strict):
    side: SideName
    name: Text
    firepower: Positive
    quality: int = Field(ge=1, le=100)
    # Multiplies its units' movement allowance: trucks (a motorised army) against men on foot.
    movement: float = Field(1.0, gt=0, le=3)
    firepower_from: list[FirepowerPeriod] = []      # later firepower, by date (in date order)
    attack_columns_from: list[ColumnsPeriod] = []    # odds columns its attacks gain, by date
    defense_columns_from: list[ColumnsPeriod] = []   # odds columns attacks on it lose, by date
    note: str | None = None

    @field_validator("firepower_from", "attack_columns_from", "defense_columns_from")
    @classmethod
    def _periods_in_order(cls, entries):
        return in_date_order(entries)


class TerrainEffect(Strict):
    move: Positive | None               # required; null = impassable
    defense: Positive
    attack_shift: int = 0


class TerrainTable(Strict):
    VOCABULARY: ClassVar[str] = "terrain class"       # its keys are names: errors list them all
    sea: TerrainEffect | None = None
    clear: TerrainEffect | None = None
    rough: TerrainEffect | None = None
    mountain: TerrainEffect | None = None
    marsh: TerrainEffect | None = None
    lake: TerrainEffect | None = None
    urban: TerrainEffect | None = None


RegionName = Literal[REGION_NAMES]


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
    no_entry: NoEntry = NoEntry()


class RiverShift(Strict):
    minor: int
    major: int


class Combat(Strict):
    odds: list[Positive] = Field(min_length=1)
    labels: list[str] | None = None
    table: dict[int, list[str]]
    river_shift: RiverShift
    blocked_retreat_loss: int = Field(ge=0)
    retreat_into_zoc_loss: int = Field(ge=0)
    loss_step: int = Field(ge=1)
    min_attack_mp: NonNeg
    entrench_bonus: NonNeg = 0.25             # defence bonus per fortification level
    entrench_max: int = Field(2, ge=0)        # the deepest level without a positions section


class OutOfSupply(Strict):
    # effects by turns without supply (the last entry holds for longer): multipliers on
    # attack, defence and movement; strength points and efficiency lost each turn; the chance
    # (0-1) that a unit surrenders that turn
    attack: list[NonNeg] = Field([1.0], min_length=1)
    defense: list[NonNeg] = Field([1.0], min_length=1)
    movement: list[NonNeg] = Field([1.0], min_length=1)
    attrition: list[Annotated[int, Field(ge=0)]] = Field([0], min_length=1)
    efficiency: list[Annotated[int, Field(ge=0, le=100)]] = Field([0], min_length=1)
    surrender: list[Annotated[float, Field(ge=0, le=1)]] = Field([0.0], min_length=1)
    # "week": the three losses above are a week's, a turn of N days costing N/7 of them
    losses_per: Literal["turn", "week"] = "turn"


class SupplyCost(Strict):
    # supply cost of entering a hex by the best way in; missing keys take the movement costs
    rail: NonNeg | None = None
    road_main: NonNeg | None = None
    road_minor: NonNeg | None = None
    cross_country: Positive = 1.0                # times the terrain's movement cost
    river_minor: NonNeg | None = None
    river_major: NonNeg | None = None
    bridge_minor: NonNeg | None = None
    bridge_major: NonNeg | None = None


class SideRange(Strict):
    un: Positive | None = None
    communist: Positive | None = None


class Supply(Strict):
    range: Positive = 12.0                       # supply cost a source reaches (both sides)
    range_by_side: SideRange = SideRange()       # per-side ranges in place of `range`
    cost: SupplyCost | None = None            # none: supply pays the movement costs
    efficiency_floor: int = Field(10, ge=0, le=100)   # cut-off units lose efficiency down to this
    out_of_supply: OutOfSupply = OutOfSupply()


class Uncovered(Strict):
    """Ground farther than ``steps`` from all of its holder's units, but within them of a unit
    of ``side`` (in ``regions`` and ``areas``, where given), goes to ``side``: the country it
    marches past, between ``from`` and ``until`` where given; with ``spread``, also such ground
    within that many steps of ground ``side`` holds (the country taken ahead of its columns, a
    turn at a time), no farther than ``spread_within`` steps from one of its units where given."""
    side: SideName
    steps: int = Field(ge=1)
    spread: int | None = Field(None, ge=1)
    spread_within: int | None = Field(None, ge=1)   # the spread only this near one of side's units
    regions: list[RegionName] | None = None
    areas: Annotated[list[Area], Field(min_length=1)] | None = None   # as cards write them
    from_: Date | None = Field(None, alias="from")
    until: Date | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.from_ and self.until and self.from_ > self.until:
            raise PydanticCustomError("dates", "'from' ({a}) is after 'until' ({b}): the entry would never "
                                               "apply; swap them", {"a": self.from_, "b": self.until})
        return self


class Control(Strict):
    radius: int = Field(2, ge=1)
    pockets: bool = False     # ground cut off from all of a side's units and sources goes to the enemy
    uncovered: list[Uncovered] = []   # country a side takes without a fight (docs/scenarios.md)


class Unit(Strict):
    id: Id
    name: Text
    side: SideName
    nation: Text
    type: Text
    strength: int = Field(ge=1, le=MAX_STRENGTH)     # thousands of men (a corps is about 40)
    efficiency: int | None = Field(None, ge=1, le=100)
    at: Location
    parent: str | None = None
    source: str | None = None
    note: str | None = None


class Reinforcement(Unit):
    arrive: Date


class Withdrawal(Strict):
    unit: Id
    date: Date
    # Units of the same side its men join when it leaves (a formation broken up to fill others):
    # its strength is shared among those on the map, the most depleted first, each up to its
    # full strength; what they cannot take goes to the side's replacement pool.
    men_to: list[Id] = []
    source: str | None = None
    note: str | None = None


class DatedSource(Strict):
    """A source that serves only between two dates (either may be left out), or only part of
    the side's supply range (``reach``: a forward depot fed by trucks and porters)."""
    at: Location
    from_: Date | None = Field(None, alias="from")
    until: Date | None = None
    reach: float | None = Field(None, gt=0, le=1)   # share of the side's supply range it reaches
    note: Text | None = None
    source: Text | None = None


# A supply source is a location, or {at: LOCATION, from: DATE, until: DATE} for one that serves
# only part of the war (Seoul was the KPA's railhead in 1950, never the CPV's in 1951).
SourceEntry = Annotated[
    Annotated[DatedSource, Tag("~dated")] | Annotated[Location, Tag("~place")],
    Discriminator(lambda v: "~dated" if isinstance(v, dict) and "at" in v else "~place")]


class SupplySources(Strict):
    un: list[SourceEntry] = []
    communist: list[SourceEntry] = []


class SuddenDeath(Strict):
    side: SideName
    holds: list[Location] = Field(min_length=1)
    reason: Text | None = None             # what the end screen says
    unless_flag: Id | None = None          # no sudden death while a card has set this flag
    note: str | None = None


# The benchmark is a margin (UN minus Communist VP), or the historical outcome to score.
BenchmarkEntry = Annotated[
    Annotated[politics_section.Benchmark, Tag("~outcome")] | Annotated[Number, Tag("~margin")],
    Discriminator(lambda v: "~outcome" if isinstance(v, dict) else "~margin")]


class ExitSpec(UnitFilter):
    """Units of the objective's side that leave the map through an area."""
    area: Area


class Objective(Strict):
    """A goal a side scores for (docs/scenarios.md): destroying enemy units, taking its own units
    off the map through an area, or holding places on a day."""
    id: Id
    side: SideName
    text: Text | None = None               # what it is, in words (the end screen, reports)
    destroy: UnitFilter | None = None      # enemy units to destroy
    exit: ExitSpec | None = None           # own units to take off the map
    hold: Annotated[list[Location], Field(min_length=1)] | None = None
    at_least: int | None = Field(None, ge=1)   # units destroyed or out (default: all the filter names)
    by: Date | None = None                 # destroy, exit: only what happens up to this day counts
    until: Date | None = None              # hold: the day the places must be held
    continuously: bool = False             # hold: on every turn from the start to `until`
    vp: Number = 0                         # once the objective is met
    vp_each: Number = 0                    # destroy, exit: for each unit
    ends_game: bool = False                # met: the game ends, the side wins decisively
    reason: Text | None = None             # what the end screen says then
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_goal(self):
        goals = [k for k in ("destroy", "exit", "hold") if getattr(self, k) is not None]
        if len(goals) != 1:
            raise PydanticCustomError("objective", "an objective has exactly one of destroy, exit and hold "
                                                   "({n} given)", {"n": len(goals) or "none"})
        if goals == ["hold"]:
            if self.until is None:
                raise PydanticCustomError("objective", "a hold objective needs 'until: YYYY-MM-DD'")
            wrong = [k for k in ("by", "at_least") if getattr(self, k) is not None]
            wrong += ["vp_each"] if self.vp_each else []
        else:
            wrong = [k for k in ("until",) if getattr(self, k) is not None] + (["continuously"] if self.continuously
                                                                               else [])
        if wrong:
            raise PydanticCustomError("objective", "{keys} not used with {goal}",
                                      {"keys": " and ".join(wrong), "goal": goals[0]})
        return self


class Victory(Strict):
    sudden_death: list[SuddenDeath] = []
    objectives: list[Objective] = []
    benchmark: BenchmarkEntry = 0.0
    draw_margin: int = Field(0, ge=0)         # within this many VP of the benchmark: a draw
    # beyond this many VP of the benchmark a win on points is decisive (none: only a sudden
    # death, a collapse of will or a card's verdict is)
    decisive_margin: int | None = Field(None, ge=0)
    note: str | None = None

    @model_validator(mode="after")
    def _levels_in_order(self):
        if self.decisive_margin is not None and self.decisive_margin < self.draw_margin:
            raise PydanticCustomError("levels", "decisive_margin ({d}) must be at least draw_margin ({m})",
                                      {"d": self.decisive_margin, "m": self.draw_margin})
        return self


class Order(Strict):
    """An order from above to the AI (game/ai/restraint.py): in force between its dates and
    until a card sets its flag."""
    from_: Date | None = Field(None, alias="from")
    until: Date | None = None
    until_flag: Id | None = None              # lifted once a card sets this flag
    source: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.from_ is not None and self.until is not None and self.from_ > self.until:
            raise PydanticCustomError("dates", "'from' ({a}) is after 'until' ({b}): swap them",
                                      {"a": str(self.from_), "b": str(self.until)})
        return self


class KeepOut(Order):
    """Ground the AI keeps some nations' units out of. A player may go there all the same."""
    nations: Annotated[list[Text], Field(min_length=1)]
    areas: Annotated[list[Area], Field(min_length=1)]


class HoldOrder(Order):
    """Places the AI holds whatever the cost, such as X Corps' order to hold the Hungnam
    perimeter for the evacuation. The guard of the last port (game/ai/guard.py) keeps a unit
    in each."""
    places: Annotated[list[Location], Field(min_length=1)]


class MobileDefence(Order):
    """A mobile defence: on the defensive the side sends no reserves through the enemy's gaps
    into his rear (game/ai/exploitation.py) and marches its units in the rear to the sector
    that lacks most defence (game/ai/line.py), as Walker fought the summer of 1950 with his
    reserves moved from one threatened sector to the next."""


class AdvanceOrder(Order):
    """An axis of advance, as a high command gives a formation its objectives in turn (the KPA 6th
    Division's sweep through the south-west in July 1950): each named unit marches for the
    first place of the route its side does not hold, ahead of its other tasks and beyond its
    supply if need be (game/ai/restraint.py). A player may do otherwise."""
    units: Annotated[list[Id], Field(min_length=1)]
    route: Annotated[list[Location], Field(min_length=1)]


class AISide(Strict):
    """How the computer plays a side (docs/scenarios.md). A setting left out, or null where that
    is allowed, takes the default here; null in the defensive settings means "derived from the
    offensive ones" (half the aggression, 1.5 times the odds)."""
    aggression: Annotated[float, Field(ge=0, le=1)] = 0.6
    attack_odds: Positive = 1.5
    # On the defensive (no offensive ordered lately): how it plays then.
    defensive_aggression: Annotated[float, Field(ge=0, le=1)] | None = None
    defensive_attack_odds: Positive | None = None
    offensive_days: Annotated[int, Field(ge=0)] | None = None   # how long an ordered offensive lasts
    withdraw_ratio: Positive | None = None    # enemy attack : own defence at which it falls back
    # How far (hexes from the enemy) an ordered withdrawal draws its line back.
    withdrawal_depth: int = Field(6, ge=1, le=30)
    # no attacks between ordered offensives once the war of positions begins
    positional_hold: bool = False
    # Off the offensive the operational AI holds its line where its supply reaches with this
    # share of its range (1: anywhere in reach), leaving room for bad weather and interdiction.
    supply_margin: Annotated[float, Field(gt=0, le=1)] = 1.0
    supply_margin_from: Date | None = None    # ... from this day on (none: from the start)
    keep_out: list[KeepOut] = []              # zones its units of some nations never end a move in
    hold: list[HoldOrder] = []                # places it keeps a unit in while the enemy nears them
    mobile_defence: list[MobileDefence] = []  # when it defends by moving its reserves, not raiding
    advance: list[AdvanceOrder] = []          # units it sends along a route of places, in turn


class AI(Strict):
    un: AISide = AISide()
    communist: AISide = AISide()


class FogOfWar(Strict):
    enabled: bool = False
    sight: int = Field(2, ge=0, le=20)   # hexes a unit sees around it


class Scenario(Strict):
    id: Id
    title: Text
    description: str | None = None
    start: Date
    end: Date
    calendar: list[CalendarPeriod] = Field(min_length=1)
    sides: Sides
    side_order: list[SideName] = ["communist", "un"]     # who moves first each turn
    player: Literal["un", "communist", "both", "none"] = "un"
    start_control: Literal["region", "units"] | None = None
    map: MapSpec
    unit_types: dict[str, UnitType] = Field(min_length=1)
    nations: dict[str, Nation] = Field(min_length=1)
    terrain: TerrainTable
    movement: Movement
    combat: Combat
    supply: Supply = Supply()
    control: Control = Control()
    units: list[Unit] = []
    reinforcements: list[Reinforcement] = []
    withdrawals: list[Withdrawal] = []
    supply_sources: SupplySources | None = None
    victory: Victory = Victory()
    ai: AI = AI()
    decks: list[Text] = []
    require_sources: bool = False
    # The rule modules' sections: one schema file each in sections/ (imported below).
    weather: weather_section.Section | None = None
    air: air_section.Section | None = None
    naval: naval_section.Section | None = None
    politics: politics_section.Section | None = None
    positions: positions_section.Section | None = None
    replacements: replacements_section.Section | None = None
    rules_extra: dict[str, Any] | None = None
    fog_of_war: FogOfWar = FogOfWar()
    # Units held back until a card sets a flag: {flag: [unit ids or id prefixes]}
    held_until_flag: dict[str, list[str]] | None = None
    # The cards' variables and their values at the start (a variable not given starts at 0)
    variables: dict[Id, Number] | None = None


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


def _models_of_union(tp) -> tuple:
    """The models of a union of models (an area's three forms), else ()."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return ()
    arms = tuple(_unwrap(a) for a in typing.get_args(tp) if a is not type(None))
    return arms if all(isinstance(a, type) and issubclass(a, BaseModel) for a in arms) else ()


def model_at(model, path):
    """The model class that validates the mapping at ``path`` under ``model`` (or None; a
    tuple of models where a union of them does)."""
    tp = model.annotation if hasattr(model, "annotation") and not isinstance(model, type) else model
    for part in path:
        tp = _unwrap(tp)
        arms = _models_of_union(tp)
        if arms:
            found = [t for t in (_field_type(a, part) for a in arms) if t is not None]
            if not found:
                return None
            tp = found[0]
            continue
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
    arms = _models_of_union(tp)
    if arms:
        return arms
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_names(model) -> list[str]:
    if isinstance(model, tuple):
        return [name for m in model for name in field_names(m)]
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
            vocabulary = getattr(sub, "VOCABULARY", None) if isinstance(sub, type) else None
            if vocabulary:      # a closed list of names (the terrain classes): say them all
                msg = f"unknown {vocabulary} {name!r}{did_you_mean(name, names)} (one of {', '.join(names)})"
            else:
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
        return f"must be >= {_bound(ctx, 'ge')}" + (f", not {describe(value)}" if is_number(value) else "")
    if typ == "greater_than":
        return f"must be > {_bound(ctx, 'gt')}" + (f", not {describe(value)}" if is_number(value) else "")
    if typ == "less_than_equal":
        return f"must be <= {_bound(ctx, 'le')}" + (f", not {describe(value)}" if is_number(value) else "")
    if typ == "less_than":
        return f"must be < {_bound(ctx, 'lt')}" + (f", not {describe(value)}" if is_number(value) else "")
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
