"""Orders: everything a side does. The UI, the AI, replays and tests all send these."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Order:
    side: str                    # "un" | "communist"

    kind = "order"

    def to_dict(self) -> dict[str, Any]:
        names = _FIELD_NAMES.get(type(self))
        if names is None:          # the fields of each kind of order, in order, read once
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in fields(self))
        d = {name: getattr(self, name) for name in names}
        if "units" in d:
            d["units"] = list(d["units"])
        d["type"] = self.kind
        return d


@dataclass(frozen=True)
class Move(Order):
    unit: str = ""
    to: int = -1                 # destination hex; the rules choose the cheapest legal path

    kind = "move"


@dataclass(frozen=True)
class Attack(Order):
    units: tuple[str, ...] = ()  # attacking unit ids, all adjacent to the target
    target: int = -1             # the defending hex
    advance: bool = True         # move the strongest attacker in if the hex is emptied

    kind = "attack"


@dataclass(frozen=True)
class EndPhase(Order):
    kind = "end_phase"


@dataclass(frozen=True)
class Choose(Order):
    card: str = ""               # a choice card waiting for this side
    option: str = ""

    kind = "choose"


@dataclass(frozen=True)
class AirMission(Order):
    mission: str = ""            # "cas" (close air support) or "interdiction"
    target: int = -1             # the hex the mission is flown over

    kind = "air_mission"


@dataclass(frozen=True)
class Land(Order):
    unit: str = ""               # a unit in a port, landed from the sea
    to: int = -1                 # the coastal hex it comes ashore on

    kind = "land"


@dataclass(frozen=True)
class Ship(Order):
    unit: str = ""               # a unit in a port (also one evacuating under pressure)
    to: int = -1                 # the friendly port it sails to

    kind = "ship"


ORDER_TYPES = {cls.kind: cls for cls in (Move, Attack, EndPhase, Choose, AirMission, Land, Ship)}


def order_from_dict(d: object) -> Order:
    """Rebuild an order from its logged form; ValueError with the reason if it is not one."""
    if not isinstance(d, dict) or d.get("type") not in ORDER_TYPES:
        raise ValueError(f"not an order: {d!r}")
    cls = ORDER_TYPES[d["type"]]
    fields = {k: v for k, v in d.items() if k != "type"}
    if "units" in fields:
        fields["units"] = tuple(fields["units"])
    try:
        return cls(**fields)
    except TypeError as exc:
        raise ValueError(f"bad {d['type']} order: {exc}") from None


@dataclass
class OrderResult:
    ok: bool
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.ok
