"""Schema of the scenario's `weather:` section, read by game/rules/weather.py (docs/rules/weather.md).

Everything is optional: an empty section (or none) means no weather rules. Each zone carries
its own monthly table and its own special periods, so no key refers to another by name except
``main_zone``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ...engine.vocabulary import REGION_NAMES, WEATHER_CONDITIONS
from ..errors import did_you_mean
from ..types import Date, Id, Positive, Strict, Text

CONDITIONS = WEATHER_CONDITIONS
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
TerrainName = Literal["clear", "rough", "mountain", "marsh", "urban"]
RegionName = Literal[REGION_NAMES]
Share = Annotated[float, Field(ge=0, le=1)]
Latitude = Annotated[float, Field(ge=-90, le=90)]


class Chances(Strict):
    """Chance of each condition in one zone for one turn; the chances must add up to 1."""

    clear: Share = 0.0
    rain: Share = 0.0
    monsoon: Share = 0.0
    snow: Share = 0.0
    severe_cold: Share = 0.0
    mud: Share = 0.0

    @model_validator(mode="after")
    def _adds_up(self):
        total = sum(getattr(self, c) for c in CONDITIONS)
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError("chances_sum", "the chances must add up to 1, not {total}",
                                      {"total": f"{total:g}"})
        return self


class Climate(Strict):
    """The usual chances month by month (the month a turn starts in)."""

    jan: Chances
    feb: Chances
    mar: Chances
    apr: Chances
    may: Chances
    jun: Chances
    jul: Chances
    aug: Chances
    sep: Chances
    oct: Chances
    nov: Chances
    dec: Chances
    source: Text | None = None


class Period(Strict):
    """A stretch of dates that differed from the usual climate (e.g. the winter of 1950-51)."""

    name: Text
    from_: Date = Field(alias="from")
    to: Date
    chances: Chances
    source: Text | None = None
    note: str | None = None

    @field_validator("to")
    @classmethod
    def _after_start(cls, v, info: ValidationInfo):
        start = info.data.get("from_")
        if start is not None and v < start:
            raise PydanticCustomError("period_order", "the period ends ({to}) before it begins ({start})",
                                      {"to": v, "start": start})
        return v


class Zone(Strict):
    """A weather zone: the hexes meeting every criterion given (none given: every hex left)."""

    lat_min: Latitude | None = None        # hexes whose centre is at or north of this latitude
    lat_max: Latitude | None = None        # ... and south of this one
    regions: list[RegionName] = []            # ... and in one of these 1950 regions
    climate: Climate
    periods: list[Period] = []
    note: str | None = None

    @field_validator("lat_max")
    @classmethod
    def _band(cls, v, info: ValidationInfo):
        low = info.data.get("lat_min")
        if v is not None and low is not None and v <= low:
            raise PydanticCustomError("lat_band", "lat_max ({hi:g}) must be north of lat_min ({lo:g})",
                                      {"hi": v, "lo": low})
        return v


class ConditionEffect(Strict):
    """What a condition does to the hexes of a zone that has it."""

    move: Positive = 1.0                  # multiplier on the cost of entering a hex
    rail: Positive | None = None          # the same for supply along a railway (default: move)
    attack_shift: int = 0                 # odds columns for an attack on a hex there
    air: Share = 1.0                      # share of air missions that can fly there
    frostbite: Share = 0.0                # chance per turn a unit on frostbite terrain loses a point
    note: str | None = None


class Conditions(Strict):
    clear: ConditionEffect = ConditionEffect()
    rain: ConditionEffect = ConditionEffect()
    monsoon: ConditionEffect = ConditionEffect()
    snow: ConditionEffect = ConditionEffect()
    severe_cold: ConditionEffect = ConditionEffect()
    mud: ConditionEffect = ConditionEffect()


class Section(Strict):
    zones: dict[Id, Zone] = {}
    conditions: Conditions = Conditions()
    main_zone: Id | None = None         # shown on the top bar when no zone has fighting
    frostbite_terrain: list[TerrainName] = ["mountain", "rough"]
    frostbite_out_of_supply: Positive = 2.0   # multiplies the frostbite chance of unsupplied units
    frostbite_loss: int = Field(1, ge=1)      # strength points a frostbitten unit loses
    note: str | None = None

    @field_validator("main_zone")
    @classmethod
    def _known_zone(cls, v, info: ValidationInfo):
        zones = info.data.get("zones") or {}
        if v is not None and v not in zones:
            raise PydanticCustomError("zone", "unknown zone {v}{hint} (zones: {known})",
                                      {"v": repr(v), "hint": did_you_mean(v, list(zones)),
                                       "known": ", ".join(zones) or "none"})
        return v


__all__ = ["CONDITIONS", "MONTHS", "Section"]
