"""Schema of the scenario's `air:` section, read by game/rules/air.py (docs/rules/air.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ...engine.vocabulary import REGION_NAMES
from ..types import Date, Strict, in_date_order

Count = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
Region = Literal[REGION_NAMES]


class BaselineEntry(Strict):
    """The missions a side had from a date on: a scenario that starts later and gives no
    ``air_missions`` of its own starts with these."""
    from_: Date = Field(alias="from")
    un: Count = 0
    communist: Count = 0
    source: str | None = None
    note: str | None = None


class CloseSupport(Strict):
    attack_columns: int = Field(1, ge=0, le=5)    # odds columns a mission adds to our attacks
    defense_columns: int = Field(1, ge=0, le=5)   # columns it takes off the enemy's attacks
    max_per_hex: int = Field(2, ge=1, le=10)      # missions that count on one hex


Exposure = dict[str, Annotated[float, Field(ge=0, le=1)]]     # nation -> share of the toll's chance


class ExposureFrom(Strict):
    """Nations' exposure from a date on (a way of marching learnt, an army rebuilt): it replaces
    their ``exposure`` from that day."""
    from_: Date = Field(alias="from")
    exposure: Exposure
    source: str | None = None
    note: str | None = None


class Interdiction(Strict):
    radius: int = Field(2, ge=0, le=10)           # hexes around the target hex
    movement_multiplier: float = Field(1.5, ge=1, le=10)   # enemy cost to enter a hex there
    supply_cut: Count = 0                          # enemy supply capacity points per mission
    max_supply_cut: Count = 0                      # cap on the cut from all of a side's missions
    attrition: dict[Literal["un", "communist"], Share] = {}   # side -> chance its mission costs an
                                                   # enemy unit in the open there a point
    exposure: Exposure = {}                        # nation -> share of that chance (1 if not named)
    exposure_from: list[ExposureFrom] = []         # later exposure, by date (in date order)
    source: str | None = None
    note: str | None = None

    @field_validator("exposure_from")
    @classmethod
    def _in_date_order(cls, entries):
        return in_date_order(entries)

    def exposure_on(self, day: str) -> dict:
        """Each nation's exposure on ``day`` (ISO date): ``exposure`` with the entries of
        ``exposure_from`` begun by then laid over it in order."""
        out = dict(self.exposure)
        for entry in self.exposure_from:
            if entry.from_ <= day:
                out.update(entry.exposure)
        return out


class Restricted(Strict):
    action: str = "strike_north_of_yalu"          # while a side has this in `forbidden`...
    regions: list[Region] = ["china", "ussr"]     # ...it may fly no mission over these


class LatLonBox(Strict):
    lat_south: Annotated[float, Field(ge=-90, le=90)]
    lat_north: Annotated[float, Field(ge=-90, le=90)]
    lon_west: Annotated[float, Field(ge=-180, le=180)]
    lon_east: Annotated[float, Field(ge=-180, le=180)]


class MigAlley(Strict):
    from_: Date = Field(alias="from")              # first day the cap applies
    box: LatLonBox
    max_un_missions: Count = 2                     # UN missions a turn inside the box
    needs_communist_air: bool = True               # only while the Communists have missions
    source: str | None = None
    note: str | None = None


class AirWarOnly(Strict):
    """Sides whose aircraft fight only for the air (the MiG Alley cap is their whole effect) and
    fly no close support or interdiction over the ground war."""
    sides: list[Literal["un", "communist"]] = Field(min_length=1)
    source: str | None = None
    note: str | None = None


class AIPlan(Strict):
    attack_share: Share = 0.5     # of the turn's missions: close support for our attacks
    defense_share: Share = 0.2    # close support for our most threatened hexes
    rear_depth: int = Field(8, ge=1, le=30)   # interdiction up to this many hexes behind the front


class Section(Strict):
    """Air power: missions per turn, close air support, interdiction, and their limits."""
    baseline: list[BaselineEntry] = []
    cas: CloseSupport = CloseSupport()
    interdiction: Interdiction = Interdiction()
    restricted: Restricted = Restricted()
    mig_alley: MigAlley | None = None
    air_war_only: AirWarOnly | None = None
    ai: AIPlan = AIPlan()
    note: str | None = None

    @field_validator("baseline")
    @classmethod
    def _in_date_order(cls, entries):
        return in_date_order(entries)
