"""The typed configuration of a scenario, built once when it is built.

:class:`ScenarioConfig` is the schema's model of the whole (merged) scenario: every section the
rules read, with the defaults the schema gives (defaults live only there). :class:`RulesData`
adds the arrays the rules index directly: unit types, terrain effects by terrain code, the
combat results table, the odds columns.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..engine.mapdata import TERRAIN_NAMES
from .schema import Combat, Control, Movement, Nation, Supply
from .schema import Scenario as ScenarioConfig

_CODE_TOKEN = re.compile(r"^([ADR])([1-9])$")

__all__ = ["CombatResult", "RulesData", "ScenarioConfig", "UnitTypeTable"]


@dataclass(frozen=True)
class CombatResult:
    attacker_loss: int = 0
    defender_loss: int = 0
    retreat: int = 0
    code: str = "-"

    @classmethod
    def parse(cls, code: str) -> CombatResult:
        a = d = r = 0
        for token in code.split():
            if token == "-":
                continue
            m = _CODE_TOKEN.match(token)
            if not m:
                raise ValueError(f"bad combat result code {code!r}")
            n = int(m.group(2))
            if m.group(1) == "A":
                a += n
            elif m.group(1) == "D":
                d += n
            else:
                r += n
        return cls(a, d, r, code)


@dataclass
class UnitTypeTable:
    names: list
    attack: np.ndarray
    defense: np.ndarray
    movement: np.ndarray
    stack: np.ndarray
    size: list
    symbol: list

    @classmethod
    def from_config(cls, config: ScenarioConfig) -> UnitTypeTable:
        types = config.unit_types
        names = list(types)

        def col(key: str) -> np.ndarray:
            return np.array([float(getattr(types[n], key)) for n in names])

        return cls(names=names, attack=col("attack"), defense=col("defense"), movement=col("movement"),
                   stack=col("stack"), size=[types[n].size for n in names], symbol=[types[n].symbol for n in names])

    def code(self, name: str) -> int:
        return self.names.index(name)


@dataclass
class RulesData:
    unit_types: UnitTypeTable
    nations: dict[str, Nation]          # code -> side, name, firepower, quality
    terrain_move: np.ndarray            # (n_terrain,) float, inf = impassable
    terrain_defense: np.ndarray         # (n_terrain,) float
    terrain_shift: np.ndarray           # (n_terrain,) int
    movement: Movement
    odds: np.ndarray
    odds_labels: list
    crt: list                           # crt[die-1][column] -> CombatResult
    combat: Combat
    supply: Supply
    control: Control
    _firepower: dict = field(default_factory=dict, repr=False)
    _firepower_dates: tuple | None = field(default=None, repr=False)   # (nations, their dates sorted)

    @classmethod
    def from_config(cls, config: ScenarioConfig) -> RulesData:
        move = np.full(len(TERRAIN_NAMES), np.inf)
        defense = np.ones(len(TERRAIN_NAMES))
        shift = np.zeros(len(TERRAIN_NAMES), dtype=np.int64)
        for code, name in enumerate(TERRAIN_NAMES):
            t = getattr(config.terrain, name)
            if t is None:
                continue
            if t.move is not None:
                move[code] = float(t.move)
            defense[code] = float(t.defense)
            shift[code] = int(t.attack_shift)
        combat = config.combat
        crt = [[CombatResult.parse(c) for c in combat.table[k]] for k in sorted(combat.table)]
        labels = list(combat.labels) if combat.labels else [f"{o:g}:1" for o in combat.odds]
        return cls(unit_types=UnitTypeTable.from_config(config), nations=dict(config.nations),
                   terrain_move=move, terrain_defense=defense, terrain_shift=shift,
                   movement=config.movement, odds=np.asarray(combat.odds, dtype=float), odds_labels=labels,
                   crt=crt, combat=combat, supply=config.supply, control=config.control)

    def unit_firepower(self, units, day: date | None = None) -> np.ndarray:
        """Firepower of every unit row on ``day`` (default: the nations' starting firepower);
        cached: units are only ever appended."""
        key = (id(units), len(units), self._firepower_period(day))
        if key not in self._firepower:
            self._firepower.clear()
            self._firepower[key] = np.array([self.firepower(n, day) for n in units.nations])
        return self._firepower[key]

    def firepower(self, nation: str, day: date | None = None) -> float:
        """A nation's firepower on ``day``: the last of its ``firepower_from`` entries begun by
        then, else its ``firepower``."""
        found = self.nations.get(nation)
        if found is None:
            return 1.0
        return float(_last_begun(found.firepower_from if day is not None else (), day, "firepower",
                                 found.firepower))

    def _firepower_period(self, day: date | None) -> int:
        """How many of all the nations' firepower dates have come by ``day`` (a cache key)."""
        if day is None:
            return -1
        if self._firepower_dates is None or self._firepower_dates[0] is not self.nations:
            self._firepower_dates = (self.nations, sorted(date.fromisoformat(p.from_) for n in self.nations.values()
                                                          for p in n.firepower_from))
        return bisect_right(self._firepower_dates[1], day)

    def attack_columns(self, nation: str, day: date) -> int:
        """Odds columns a nation's attacks gain on ``day``: the last of its
        ``attack_columns_from`` entries begun by then, else 0."""
        found = self.nations.get(nation)
        return int(_last_begun(found.attack_columns_from if found is not None else (), day, "columns", 0))

    def defense_columns(self, nation: str, day: date) -> int:
        """Odds columns attacks on a nation's units lose on ``day`` (``defense_columns_from``)."""
        found = self.nations.get(nation)
        return int(_last_begun(found.defense_columns_from if found is not None else (), day, "columns", 0))

    def unit_allowance(self, units, rows) -> np.ndarray:
        """Each row's full movement allowance: its type's, times its nation's ``movement``
        (trucks against men on foot; 1 when the nation gives none)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        mobility = np.array([self._mobility(units.nations[int(r)]) for r in rows], dtype=float)
        return self.unit_types.movement[units.type[rows]] * mobility

    def _mobility(self, nation: str) -> float:
        found = self.nations.get(nation)
        return float(found.movement) if found is not None else 1.0

    def quality(self, nation: str) -> int:
        found = self.nations.get(nation)
        return int(found.quality) if found is not None else 100

    def nation_name(self, nation: str) -> str:
        found = self.nations.get(nation)
        return found.name if found is not None else nation

    def supply_effect(self, key: str, turns_out: np.ndarray) -> np.ndarray:
        """Multiplier (or attrition) by turns out of supply, vectorised over units."""
        table = np.asarray(getattr(self.supply.out_of_supply, key), dtype=float)
        return table[np.minimum(turns_out, len(table) - 1)]


def _last_begun(periods, day, key: str, before):
    """``key`` of the last of the dated ``periods`` (in date order) begun by ``day``; ``before``
    if none has."""
    value = before
    for period in periods:
        if date.fromisoformat(period.from_) <= day:
            value = getattr(period, key)
    return value
