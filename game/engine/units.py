"""Units as a struct of numpy arrays, with stable string ids for people and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

NOBODY, UN, COMMUNIST = 0, 1, 2
SIDE_NAMES = {UN: "un", COMMUNIST: "communist"}
SIDE_CODES = {"un": UN, "communist": COMMUNIST}
SIDES = (UN, COMMUNIST)


def enemy_of(side: int) -> int:
    return COMMUNIST if side == UN else UN


# Unit status codes.
ON_MAP, RESERVE, ARRIVING, ELIMINATED, WITHDRAWN = 0, 1, 2, 3, 4
STATUS_NAMES = ("on_map", "reserve", "arriving", "eliminated", "withdrawn")

# Numeric columns: name -> dtype. Every column has one entry per unit.
NUMERIC_COLUMNS: dict[str, type[np.generic]] = {
    "side": np.int8,
    "type": np.int16,          # index into UnitTable.type_names
    "hex": np.int32,           # -1 when not on the map
    "strength": np.int16,      # strength points (about 1,000 men each)
    "max_strength": np.int16,
    "mp": np.float32,          # movement points left this turn
    "supply": np.int8,         # turns out of supply (0 = supplied)
    "efficiency": np.int16,    # percent
    "status": np.int8,
    "attacked": np.bool_,      # has attacked this turn
    "stopped": np.bool_,       # entered an enemy zone of control: no more movement this turn
    "entrench": np.int8,       # fortification level built by staying put
    "arrive_turn": np.int32,   # turn index of arrival (-1 none)
    "arrive_hex": np.int32,    # entry hex for arrivals
    "withdraw_turn": np.int32, # turn index of withdrawal (-1 none)
}
TEXT_COLUMNS = ("ids", "names", "nations", "parents", "sources")

if TYPE_CHECKING:
    class _Columns:
        """The column properties set on UnitTable at the end of this module, as mypy sees them."""

        side: npt.NDArray[np.int8]
        type: npt.NDArray[np.int16]
        hex: npt.NDArray[np.int32]
        strength: npt.NDArray[np.int16]
        max_strength: npt.NDArray[np.int16]
        mp: npt.NDArray[np.float32]
        supply: npt.NDArray[np.int8]
        efficiency: npt.NDArray[np.int16]
        status: npt.NDArray[np.int8]
        attacked: npt.NDArray[np.bool_]
        stopped: npt.NDArray[np.bool_]
        entrench: npt.NDArray[np.int8]
        arrive_turn: npt.NDArray[np.int32]
        arrive_hex: npt.NDArray[np.int32]
        withdraw_turn: npt.NDArray[np.int32]
else:
    _Columns = object


@dataclass
class UnitTable(_Columns):
    type_names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    nations: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    arrays: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, dtype in NUMERIC_COLUMNS.items():
            self.arrays.setdefault(name, np.zeros(0, dtype=dtype))
        self._index = {uid: i for i, uid in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


    def index_of(self, uid: str) -> int:
        """Row of a unit id; KeyError if unknown."""
        return self._index[uid]

    def get(self, uid: str) -> int | None:
        return self._index.get(uid)

    def add(self, *, uid: str, name: str, nation: str, type_code: int, side: int, strength: int,
            max_strength: int | None = None, hex: int = -1, status: int = ON_MAP, efficiency: int = 100,
            parent: str = "", source: str = "", arrive_turn: int = -1, arrive_hex: int = -1,
            withdraw_turn: int = -1) -> int:
        """Append one unit; returns its row."""
        if uid in self._index:
            raise ValueError(f"duplicate unit id {uid!r}")
        values = {
            "side": side, "type": type_code, "hex": hex, "strength": strength,
            "max_strength": max_strength if max_strength is not None else strength,
            "mp": 0.0, "supply": 0, "efficiency": efficiency, "status": status,
            "attacked": False, "stopped": False, "entrench": 0, "arrive_turn": arrive_turn,
            "arrive_hex": arrive_hex, "withdraw_turn": withdraw_turn,
        }
        for col, dtype in NUMERIC_COLUMNS.items():
            self.arrays[col] = np.append(self.arrays[col], np.array([values[col]], dtype=dtype))
        self.ids.append(uid)
        self.names.append(name)
        self.nations.append(nation)
        self.parents.append(parent)
        self.sources.append(source)
        self._index[uid] = len(self.ids) - 1
        return len(self.ids) - 1

    # --- common selections (boolean masks over units) -----------------------------------
    def on_map(self, side: int | None = None) -> npt.NDArray[np.bool_]:
        mask: npt.NDArray[np.bool_] = self.status == ON_MAP
        if side is not None:
            mask &= self.side == side
        return mask

    def rows_on_map(self, side: int | None = None) -> npt.NDArray[np.intp]:
        return np.nonzero(self.on_map(side))[0]

    def at_hex(self, h: int, side: int | None = None) -> npt.NDArray[np.intp]:
        mask = self.on_map(side) & (self.hex == h)
        return np.nonzero(mask)[0]

    # --- plain data for saves -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {name: getattr(self, name) for name in ("type_names",) + TEXT_COLUMNS}
        d = {k: list(v) for k, v in d.items()}
        d["arrays"] = {k: v.tolist() for k, v in self.arrays.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> UnitTable:
        arrays = {k: np.asarray(d["arrays"][k], dtype=dtype) for k, dtype in NUMERIC_COLUMNS.items()}
        n = len(d["ids"])
        if any(a.shape != (n,) for a in arrays.values()):
            raise ValueError("unit columns differ in length")
        return cls(type_names=list(d["type_names"]), ids=list(d["ids"]), names=list(d["names"]),
                   nations=list(d["nations"]), parents=list(d["parents"]),
                   sources=list(d["sources"]), arrays=arrays)


def _column(name: str) -> property:
    return property(lambda self: self.arrays[name], doc=f"the {name!r} column (one entry per unit)")


# Columns read as attributes: units.hex, units.strength, ... (class properties: a plain
# attribute lookup, which the rules make tens of thousands of times a turn).
for _name in NUMERIC_COLUMNS:
    setattr(UnitTable, _name, _column(_name))
