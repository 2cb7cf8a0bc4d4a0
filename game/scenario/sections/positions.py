"""Schema of the scenario's `positions:` section, read by game/rules/positions.py
(docs/rules/positions.md). Everything is optional: an empty section keeps the old rule
(fortification up to `combat.entrench_max`, no war of positions)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from ..types import Date, Strict, in_date_order

Level = Annotated[int, Field(ge=0, le=20)]


class MaxLevel(Strict):
    """From this date on, units may dig in up to this level."""

    from_: Date = Field(alias="from")
    level: Level
    source: str | None = None
    note: str | None = None


class WarOfPositions(Strict):
    from_: Date | None = Field(None, alias="from")   # begins on this date...
    when_talks_open: bool = False                       # ...or while the armistice talks are open
    source: str | None = None
    shift_by_level: list[Annotated[int, Field(le=0)]] = []          # odds columns by the defenders' level
    attacker_loss_by_level: list[Annotated[int, Field(ge=0)]] = []  # extra steps the attackers lose


class Section(Strict):
    max_level: list[MaxLevel] = []
    war_of_positions: WarOfPositions | None = None

    @field_validator("max_level")
    @classmethod
    def _in_order(cls, entries):
        return in_date_order(entries)
