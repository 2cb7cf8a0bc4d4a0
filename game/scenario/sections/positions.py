"""Schema of the scenario's `positions:` section, read by game/rules/positions.py
(docs/rules/positions.md). Everything is optional: an empty section keeps the old rule
(fortification up to `combat.entrench_max`, no war of positions)."""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import Field, field_validator

from ..types import Date, in_date_order, Strict

Level = Annotated[int, Field(ge=0, le=20)]


class MaxLevel(Strict):
    """From this date on, units may dig in up to this level."""

    from_: Date = Field(alias="from")
    level: Level
    source: Optional[str] = None
    note: Optional[str] = None


class WarOfPositions(Strict):
    from_: Optional[Date] = Field(None, alias="from")   # begins on this date...
    when_talks_open: bool = False                       # ...or while the armistice talks are open
    source: Optional[str] = None
    shift_by_level: list[Annotated[int, Field(le=0)]] = []          # odds columns by the defenders' level
    attacker_loss_by_level: list[Annotated[int, Field(ge=0)]] = []  # extra steps the attackers lose


class Section(Strict):
    max_level: list[MaxLevel] = []
    war_of_positions: Optional[WarOfPositions] = None

    @field_validator("max_level")
    @classmethod
    def _in_order(cls, entries):
        return in_date_order(entries)
