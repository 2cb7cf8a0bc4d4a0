"""The game state: the scenario's fixed parts, the arrays that change, and a stable hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .calendar import Calendar
from .mapdata import MapData
from .units import COMMUNIST, SIDE_NAMES, UN, UnitTable


@dataclass
class Scenario:
    """What a scenario fixes for the whole game. Built once by the scenario builder."""

    id: str
    title: str
    map: MapData
    rules: Any                      # game.scenario.config.RulesData
    calendar: Calendar
    side_order: tuple[int, ...] = (COMMUNIST, UN)
    # side -> hexes, side -> [(from, until) ISO dates] per source, and side -> (share of the
    # side's supply range each source reaches: 1 for a port or railhead, less for a forward depot)
    supply_sources: dict[int, npt.NDArray[np.int64]] = field(default_factory=dict)
    supply_windows: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    supply_reach: dict[int, npt.NDArray[np.float64]] = field(default_factory=dict)
    sudden_death: list[dict[str, Any]] = field(default_factory=list)  # [{side, holds, reason, hexes}]
    config: Any = None                                   # game.scenario.config.ScenarioConfig: every section, typed
    data: dict[str, Any] = field(default_factory=dict)   # the merged scenario dict
    path: str = ""
    digest: str = ""                                     # hash of `data`, ties saves to it
    decks: list[dict[str, Any]] = field(default_factory=list)  # loaded card decks


def new_side_data() -> dict[str, Any]:
    """Per-side numbers that rules and events change during the game."""
    return {"vp": 0, "will": 100, "losses": 0, "replacements": 0, "replacement_pool": 0,
            "air_missions": 0, "supply_capacity": 100, "naval_gunfire": 0, "naval_lift": 0,
            "allowed": [], "forbidden": [], "changed": {},   # changed: action -> date last allowed/forbidden
            "lasts": {}}                                     # lasts: action -> days the allowing card gave


@dataclass
class GameState:
    scenario: Scenario
    units: UnitTable
    owner: npt.NDArray[np.int8]           # (n,): 0 nobody/sea, 1 UN, 2 Communist
    rng: np.random.Generator
    seed: int = 0
    turn: int = 0
    side_index: int = 0                   # index into scenario.side_order of the side to act
    phase: str = "setup"
    flags: set[str] = field(default_factory=set)
    sides: dict[int, dict[str, Any]] = field(default_factory=lambda: {UN: new_side_data(), COMMUNIST: new_side_data()})
    weather: str = "clear"
    weather_override: dict[str, Any] = field(default_factory=dict)   # {"condition": str, "turns": int}
    talks: str = "none"
    fired: list[dict[str, Any]] = field(default_factory=list)      # [{id, title, date, choice?}]
    card_state: dict[str, Any] = field(default_factory=dict)       # per-card bookkeeping for the event engine
    rules_state: dict[str, Any] = field(default_factory=dict)      # the rule modules' own data (plain JSON)
    log: list[str] = field(default_factory=list)                   # human-readable lines
    orders: list[dict[str, Any]] = field(default_factory=list)     # every applied order, as dicts
    history: list[dict[str, Any]] = field(default_factory=list)    # per-turn summaries
    result: dict[str, Any] | None = None                           # set when the game ends

    @property
    def map(self) -> MapData:
        return self.scenario.map

    @property
    def rules(self) -> Any:
        return self.scenario.rules

    @property
    def active_side(self) -> int:
        return self.scenario.side_order[self.side_index]

    @property
    def date(self) -> dt.date:
        return self.scenario.calendar.turn_start(min(self.turn, len(self.scenario.calendar) - 1))

    @property
    def over(self) -> bool:
        return self.result is not None

    def say(self, text: str) -> None:
        self.log.append(f"{self.date.isoformat()} {text}")

    # --- hashing --------------------------------------------------------------------
    def dynamic_dict(self) -> dict[str, Any]:
        """Everything that changes during play, as plain JSON-able data."""
        return {
            "seed": self.seed, "turn": self.turn, "side_index": self.side_index,
            "phase": self.phase, "flags": sorted(self.flags),
            "sides": {SIDE_NAMES[s]: self.sides[s] for s in (UN, COMMUNIST)},
            "weather": self.weather, "weather_override": self.weather_override,
            "talks": self.talks, "fired": self.fired, "card_state": self.card_state,
            "rules_state": self.rules_state,
            "result": self.result, "rng": _rng_state(self.rng),
        }

    def hash(self) -> str:
        """Stable hex digest over everything that matters for the rest of the game."""
        h = hashlib.sha256()
        h.update(self.scenario.digest.encode())
        h.update(np.ascontiguousarray(self.owner, dtype=np.int8).tobytes())
        for name in sorted(self.units.arrays):
            h.update(name.encode())
            h.update(np.ascontiguousarray(self.units.arrays[name]).tobytes())
        h.update("\x00".join(self.units.ids).encode())
        h.update(json.dumps(self.dynamic_dict(), sort_keys=True, default=str).encode())
        return h.hexdigest()


def _rng_state(rng: np.random.Generator) -> Mapping[str, Any]:
    return rng.bit_generator.state


def rng_from_state(state: Mapping[str, Any]) -> np.random.Generator:
    bg: np.random.BitGenerator = np.random.PCG64()
    bg.state = state
    return np.random.Generator(bg)
