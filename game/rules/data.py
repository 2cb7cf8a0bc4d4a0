"""Rules data from the scenario YAML, turned into arrays the rules index directly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..engine.mapdata import TERRAIN_NAMES

_CODE_TOKEN = re.compile(r"^([ADR])([1-9])$")


@dataclass(frozen=True)
class CombatResult:
    attacker_loss: int = 0
    defender_loss: int = 0
    retreat: int = 0
    code: str = "-"

    @classmethod
    def parse(cls, code: str) -> "CombatResult":
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
    def from_dict(cls, types: dict) -> "UnitTypeTable":
        names = list(types)
        col = lambda key, default=0.0: np.array([float(types[n].get(key, default)) for n in names])
        return cls(names=names, attack=col("attack"), defense=col("defense"),
                   movement=col("movement", 6), stack=col("stack", 1),
                   size=[types[n].get("size", "division") for n in names],
                   symbol=[types[n].get("symbol", "infantry") for n in names])

    def code(self, name: str) -> int:
        return self.names.index(name)


@dataclass
class RulesData:
    unit_types: UnitTypeTable
    nations: dict                       # code -> {side, name, firepower, quality}
    terrain_move: np.ndarray            # (n_terrain,) float, inf = impassable
    terrain_defense: np.ndarray         # (n_terrain,) float
    terrain_shift: np.ndarray           # (n_terrain,) int
    movement: dict
    odds: np.ndarray
    odds_labels: list
    crt: list                           # crt[die-1][column] -> CombatResult
    combat: dict
    supply: dict
    control: dict
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_scenario(cls, data: dict) -> "RulesData":
        terrain = data.get("terrain", {})
        move = np.full(len(TERRAIN_NAMES), np.inf)
        defense = np.ones(len(TERRAIN_NAMES))
        shift = np.zeros(len(TERRAIN_NAMES), dtype=np.int64)
        for code, name in enumerate(TERRAIN_NAMES):
            t = terrain.get(name, {})
            if t.get("move") is not None:
                move[code] = float(t["move"])
            defense[code] = float(t.get("defense", 1.0))
            shift[code] = int(t.get("attack_shift", 0))
        combat = data["combat"]
        table = combat["table"]
        crt = [[CombatResult.parse(c) for c in table[k]] for k in sorted(table, key=int)]
        return cls(unit_types=UnitTypeTable.from_dict(data["unit_types"]),
                   nations=dict(data.get("nations", {})), terrain_move=move,
                   terrain_defense=defense, terrain_shift=shift,
                   movement=dict(data["movement"]), odds=np.asarray(combat["odds"], dtype=float),
                   odds_labels=list(combat.get("labels") or [f"{o:g}:1" for o in combat["odds"]]),
                   crt=crt, combat=dict(combat), supply=dict(data.get("supply", {})),
                   control=dict(data.get("control", {"radius": 2})), raw=data)

    def unit_firepower(self, units) -> np.ndarray:
        """Firepower of every unit row (cached; units are only ever appended)."""
        cache = self.__dict__.setdefault("_fp_cache", {})
        key = (id(units), len(units))
        if key not in cache:
            cache.clear()
            cache[key] = np.array([self.firepower(n) for n in units.nations])
        return cache[key]

    def firepower(self, nation: str) -> float:
        return float(self.nations.get(nation, {}).get("firepower", 1.0))

    def quality(self, nation: str) -> int:
        return int(self.nations.get(nation, {}).get("quality", 100))

    def supply_effect(self, key: str, turns_out: np.ndarray) -> np.ndarray:
        """Multiplier (or attrition) by turns out of supply, vectorised over units."""
        table = np.asarray(self.supply.get("out_of_supply", {}).get(key, [1.0]), dtype=float)
        return table[np.minimum(turns_out, len(table) - 1)]
