"""Schema of the scenario's `replacements:` section, read by game/rules/replacements.py
(docs/rules/replacements.md). Everything is optional: an empty section keeps the old rule (the
sides' own `replacements` points each turn, no caps)."""

from __future__ import annotations

from pydantic import Field, field_validator

from ..types import Date, NonNeg, Number, Strict, in_date_order


class Period(Strict):
    """From this date on, each side gets these points (a side left out keeps its last value)."""

    from_: Date = Field(alias="from")
    un: Number | None = None
    communist: Number | None = None
    source: str | None = None
    note: str | None = None


class PerUnitCap(Strict):
    resting: NonNeg | None = None      # strength points a turn for a unit not next to the enemy
    in_contact: NonNeg | None = None   # ... and for a unit in an enemy zone of control


class Reconstitute(Strict):
    """Destroyed formations are re-formed from the replacement pool, as the ROK divisions and
    the KPA (in Manchuria) were."""

    after_turns: int = Field(4, ge=0)      # turns a destroyed unit waits before it can re-form
    strength: float = Field(0.5, gt=0, le=1)   # share of its full strength it comes back with
    per_turn: int = Field(1, ge=0)         # units a side may re-form in one turn
    source: str | None = None


class Stragglers(Strict):
    """Men a rout scatters come back: a share of the strength a unit of these nations loses when
    an attack drives it back is missing, not dead, and returns to its unit (or re-forms it)
    after some turns, no longer counted among the side's losses."""

    nations: list[str] = Field(min_length=1)
    share: float = Field(gt=0, le=1)       # of the points lost in an attack that drove the unit back
    after_turns: int = Field(2, ge=1)      # turns before they are back
    from_: Date | None = Field(None, alias="from")   # routs from this day on ...
    until: Date | None = None              # ... to this one count
    source: str | None = None


class Levy(Strict):
    """Men raised for some nations only: from ``from`` to ``until`` these points a week (a turn
    without ``weekly``) go to a pool of their own that fills and re-forms only units of these
    nations, before the side's pool; points left when the levy ends stay in its pool."""

    nations: list[str] = Field(min_length=1)
    points: NonNeg
    from_: Date = Field(alias="from")
    until: Date | None = None
    source: str | None = None
    note: str | None = None


class Section(Strict):
    weekly: bool = False                  # points are per week (scaled by each turn's length)
    schedule: list[Period] = []
    max_per_unit: PerUnitCap = PerUnitCap()   # no cap where a value is left out
    recruit_quality: float = Field(1.0, gt=0, le=1)   # new men's efficiency, share of the nation's quality
    efficiency_recovery: int = Field(0, ge=0, le=100)  # points a turn for units resting in supply
    reconstitute: Reconstitute | None = None
    stragglers: list[Stragglers] = []
    levies: list[Levy] = []

    @field_validator("schedule")
    @classmethod
    def _in_order(cls, entries):
        return in_date_order(entries)
