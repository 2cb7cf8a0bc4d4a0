"""The shape of a save file, checked field by field before a game is rebuilt from it.

A save is untrusted input: someone may edit it and recompute its checksums. So every field is
typed and bounded here (pydantic, strict), and :func:`check_against` bounds what depends on the
scenario (hexes on the map, turns in the calendar, unit types, the length of every column).
Anything wrong becomes one sentence naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..engine.units import NUMERIC_COLUMNS, TEXT_COLUMNS
from ..engine.vocabulary import WEATHER_CONDITIONS, WINNERS
from ..scenario.schema import MAX_STRENGTH

FORMAT = "korea-war-save"
VERSION = 2
MAX_NESTING = 64                      # lists and mappings inside each other
PHASES = ("setup", "turn_start", "reinforcements", "supply", "air", "naval", "operations", "side_end",
          "turn_end", "over")
TALKS = ("none", "open", "suspended", "panmunjom", "line_agreed")

Count = Annotated[int, Field(ge=0, le=10**9)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
Text = Annotated[str, Field(max_length=100_000)]
Name = Annotated[str, Field(max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Open(BaseModel):
    """A mapping the rule modules own: its known keys are checked, others kept."""
    model_config = ConfigDict(extra="allow", strict=True)


class SideData(Strict):
    vp: Number
    will: Number
    losses: Number
    replacements: Number
    replacement_pool: Annotated[float, Field(ge=0, le=1e9)]
    air_missions: Number
    supply_capacity: Number
    naval_gunfire: Number
    naval_lift: Number
    allowed: list[Name]
    forbidden: list[Name]
    changed: dict[Name, Name]
    lasts: dict[Name, Annotated[int, Field(ge=0, le=100_000)]]


class Sides(Strict):
    un: SideData
    communist: SideData


class WeatherOverride(Strict):
    condition: Literal[WEATHER_CONDITIONS]
    turns: Annotated[int, Field(ge=0, le=10_000)]


class RngInner(Strict):
    state: Annotated[int, Field(ge=0, lt=2**128)]
    inc: Annotated[int, Field(ge=0, lt=2**128)]


class RngState(Strict):
    bit_generator: Literal["PCG64"]
    state: RngInner
    has_uint32: Annotated[int, Field(ge=0, le=1)]
    uinteger: Annotated[int, Field(ge=0, lt=2**32)]


class Fired(Open):
    id: Name
    title: Text
    date: Name
    turn: Count


class Pending(Strict):
    card: Name
    record: Count
    ai: Name | None = None             # the option drawn for the AI (a choice that weighs its options)


class Scheduled(Strict):
    """A card another card triggered (or ``simulate --fire`` forced), waiting for its day."""
    card: Name
    date: Name
    by: Name = ""
    force: bool = False


class EndGame(Strict):
    reason: Text
    winner: Literal[WINNERS]
    card: Name = ""


class CardState(Strict):
    fired: dict[Name, Count] = {}
    pending: list[Pending] = []
    choices: dict[Name, Name] = {}
    end_game: EndGame | None = None
    talks_before_suspend: Literal[TALKS] | None = None
    scheduled: list[Scheduled] = []
    vars: dict[Name, Number] = {}                 # the cards' variables
    outcomes: dict[Name, Name] = {}               # card id -> label of the random outcome it drew


class Result(Open):
    winner: Literal[WINNERS] | None
    reason: Text


class State(Strict):
    seed: Annotated[int, Field(ge=0, lt=2**63)]
    turn: Count
    side_index: Annotated[int, Field(ge=0, le=2)]   # 2 once both sides have played the last turn
    phase: Literal[PHASES]
    flags: list[Name]
    sides: Sides
    weather: Literal[WEATHER_CONDITIONS]
    weather_override: WeatherOverride | Annotated[dict[str, Any], Field(max_length=0)]
    talks: Literal[TALKS]
    fired: list[Fired]
    card_state: CardState
    rules_state: dict[str, dict[str, Any]]
    result: Result | None
    rng: RngState


class Units(Strict):
    type_names: list[Name]
    ids: list[Name]
    names: list[Text]
    nations: list[Name]
    parents: list[Text]
    sources: list[Text]
    arrays: dict[str, list[int | float | bool]]


class TurnRecord(Strict):
    turn: Count
    date: Name
    un_hexes: Count
    communist_hexes: Count
    un_strength: Count
    communist_strength: Count
    un_losses: Number
    communist_losses: Number


class OrderRecord(Open):
    type: Name
    side: Literal["un", "communist"]
    turn: Count


class ScenarioRef(Strict):
    shipped: Name | None = None        # a shipped scenario's name
    path: Text | None = None           # else a path: relative to the save's folder, or absolute


class UnitRecord(Strict):
    """Where each unit stood (-1: off the map) and its strength at the end of a turn, base64."""
    hex: Annotated[str, Field(max_length=10**7)]
    strength: Annotated[str, Field(max_length=10**7)]


class SaveDoc(Strict):
    format: Literal[FORMAT]
    version: Literal[VERSION]
    scenario: ScenarioRef
    scenario_id: Name
    scenario_digest: Name
    title: Text
    date: Name
    state: State
    owner: Annotated[str, Field(max_length=10**7)]
    units: Units
    log: list[Text]
    orders: list[OrderRecord]
    history: list[TurnRecord]
    owner_history: list[Annotated[str, Field(max_length=10**7)]]
    unit_history: list[UnitRecord | None] = []          # saves before the turn review had none
    side: Literal["un", "communist"] | None = None       # the side to move (None: game over)
    start_hexes: list[int] | None
    session: dict[str, Any]
    hash: Name
    checksum: Name


def nesting_depth(text: str, limit: int = MAX_NESTING) -> int:
    """How deep lists and mappings nest in a JSON text (stops counting past ``limit``), found
    without parsing it, so that a file nested 200,000 deep never reaches the parser."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def parse(doc: Any) -> SaveDoc:
    """The document as a SaveDoc; ValueError with one sentence per problem otherwise."""
    try:
        return SaveDoc.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[:3]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in first)
        more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
        raise ValueError(where + more) from None


# Bounds of each unit column (the state stores them in small integer types).
COLUMN_BOUNDS = {
    "side": (1, 2), "strength": (0, MAX_STRENGTH), "max_strength": (1, MAX_STRENGTH), "mp": (0, 1000),
    "supply": (0, 99), "efficiency": (0, 100), "status": (0, 4), "attacked": (0, 1), "stopped": (0, 1),
    "entrench": (0, 20),
}


def check_against(doc: SaveDoc, n_hexes: int, n_turns: int, type_names: list[str]) -> None:
    """What depends on the scenario: ValueError naming the first field out of bounds."""
    st, units = doc.state, doc.units
    if st.turn >= n_turns:
        raise ValueError(f"state.turn: {st.turn} is past the scenario's {n_turns} turns")
    if units.type_names != type_names:
        raise ValueError("units.type_names: not the scenario's unit types")
    n = len(units.ids)
    if len(set(units.ids)) != n:
        raise ValueError("units.ids: a unit id is used twice")
    for name in TEXT_COLUMNS:
        if len(getattr(units, name)) != n:
            raise ValueError(f"units.{name}: {len(getattr(units, name))} entries for {n} units")
    if set(units.arrays) != set(NUMERIC_COLUMNS):
        raise ValueError("units.arrays: not the columns of a unit table")
    bounds = dict(COLUMN_BOUNDS, type=(0, len(type_names) - 1), hex=(-1, n_hexes - 1),
                  arrive_hex=(-1, n_hexes - 1), arrive_turn=(-1, n_turns), withdraw_turn=(-1, n_turns))
    for name, values in units.arrays.items():
        if len(values) != n:
            raise ValueError(f"units.arrays.{name}: {len(values)} entries for {n} units")
        a = np.asarray(values, dtype=float)
        lo, hi = bounds[name]
        if a.size and not (np.isfinite(a).all() and a.min() >= lo and a.max() <= hi):
            raise ValueError(f"units.arrays.{name}: values must lie between {lo} and {hi}")
    if doc.start_hexes is not None:
        if len(doc.start_hexes) != n or any(not -1 <= h < n_hexes for h in doc.start_hexes):
            raise ValueError("start_hexes: one hex (or -1) per unit, on the map")
