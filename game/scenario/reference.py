"""The war as it was, to measure games against: front lines on key dates, who held key cities
when and the forces on some dates, from sources. The schema of ``scenarios/reference/*.yaml``
and the typed result; the file is read by :func:`game.scenario.loader.load_reference` and
measured by game/sim/front_metric.py.

A front line is a list of ``[lat, lon]`` points, west to east: the UN holds the Korean land
south of it along each meridian (as a scenario's ``victory.benchmark.front_line``). A meridian
the line crosses south of the mainland's coast is all Communist; one it crosses north of the
border is all UN (the metric clamps the line to the land of each meridian). ``from``/``to`` say
over which days the line stood, within the accuracy its source allows; ``benchmark_of: NAME``
takes the points and the source of that shipped scenario's ``victory.benchmark`` instead.

A city lists the periods ``held`` by one side; on each of the file's ``city_check_dates`` that
falls inside a period the city's hex should belong to that side. Days outside every period
(a city changing hands, an unclear record) are not checked.

A strength gives a side's men on a date (or those of some of its nations), in thousands, all
arms and, where the source says, those in combat units: what ``python -m game.tools.forces``
sets beside the games' strength points (about 1,000 men each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .schema import validate_part
from .types import Date, Id, Issue, LatLon, SideName, Strict, Text, to_date, west_to_east


class FrontLineEntry(Strict):
    date: Date                                   # the day the line describes
    name: Text
    from_: Date = Field(alias="from")            # the line stood from this day ...
    to: Date                                     # ... to this one
    points: list[LatLon] | None = Field(None, min_length=2)   # [lat, lon] west to east
    benchmark_of: Id | None = None               # or: that shipped scenario's benchmark line
    source: Text | None = None

    @field_validator("points")
    @classmethod
    def _west_to_east(cls, points):
        return None if points is None else west_to_east(points)

    @model_validator(mode="after")
    def _one_line_with_its_source(self):
        if (self.points is None) == (self.benchmark_of is None):
            raise PydanticCustomError("line", "give either points (with a source) or benchmark_of")
        if self.points is not None and self.source is None:
            raise PydanticCustomError("source", "points need a source: where the line was read")
        if not self.from_ <= self.date <= self.to:
            raise PydanticCustomError("span", "the date must lie between from and to")
        return self


class Held(Strict):
    side: SideName
    from_: Date = Field(alias="from")
    to: Date

    @model_validator(mode="after")
    def _from_before_to(self):
        if self.to < self.from_:
            raise PydanticCustomError("span", "'to' is before 'from'")
        return self


class CityEntry(Strict):
    name: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    held: list[Held] = Field(min_length=1)
    source: Text

    @field_validator("held")
    @classmethod
    def _in_order(cls, periods):
        for a, b in zip(periods, periods[1:], strict=False):
            if b.from_ <= a.to:
                raise PydanticCustomError("order", "periods must be in date order without overlap: "
                                                   "{b} starts before {a} ends", {"a": a.to, "b": b.from_})
        return periods


class StrengthEntry(Strict):
    date: Date
    side: SideName
    nations: list[Text] = []                     # the nations counted; none: the whole side
    men: float = Field(gt=0)                     # thousands, all arms
    combat: float | None = Field(None, gt=0)     # thousands of them in combat units
    source: Text

    @model_validator(mode="after")
    def _combat_within_men(self):
        if self.combat is not None and self.combat > self.men:
            raise PydanticCustomError("men", "combat ({combat}) is more than men ({men}): the combat "
                                             "troops are part of the whole", {"combat": self.combat, "men": self.men})
        return self


class ReferenceFile(Strict):
    front_lines: list[FrontLineEntry] = Field(min_length=1)
    cities: list[CityEntry] = []
    city_check_dates: list[Date] = []
    strengths: list[StrengthEntry] = []

    @field_validator("front_lines")
    @classmethod
    def _lines_in_order(cls, lines):
        for a, b in zip(lines, lines[1:], strict=False):
            if b.date <= a.date:
                raise PydanticCustomError("order", "lines must be in date order: {b} is listed after {a}",
                                          {"a": a.date, "b": b.date})
        return lines

    @field_validator("city_check_dates")
    @classmethod
    def _dates_in_order(cls, dates):
        if any(b <= a for a, b in zip(dates, dates[1:], strict=False)):
            raise PydanticCustomError("order", "check dates must be in date order, each once")
        return dates


def validate_reference(data) -> list[Issue]:
    """Schema issues of a reference file's data (empty if it conforms)."""
    return validate_part(ReferenceFile, data, ())


def is_reference_file(raw) -> bool:
    return isinstance(raw, dict) and "front_lines" in raw


# ------------------------------------------------------------------------------ typed result

@dataclass(frozen=True)
class FrontLine:
    date: dt.date
    name: str
    start: dt.date                               # the days the line stood
    end: dt.date
    points: tuple[tuple[float, float], ...]      # (lat, lon), west to east
    source: str

    def stood_on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CityControl:
    name: str
    lat: float
    lon: float
    held: tuple[tuple[str, dt.date, dt.date], ...]   # (side name, from, to)
    source: str

    def holder_on(self, day: dt.date) -> str | None:
        """The side that held the city on ``day`` by the record, None if not recorded."""
        return next((side for side, start, end in self.held if start <= day <= end), None)


@dataclass(frozen=True)
class CityCheck:
    city: int                                    # index in Reference.cities
    date: dt.date
    side: str                                    # who held it: "un" or "communist"


@dataclass(frozen=True)
class Strength:
    """A side's (or some of its nations') men on a date, by a source, in thousands."""
    date: dt.date
    side: str
    nations: tuple[str, ...]                     # empty: the whole side
    men: float
    combat: float | None
    source: str


@dataclass(frozen=True)
class Reference:
    front_lines: tuple[FrontLine, ...]
    cities: tuple[CityControl, ...]
    check_dates: tuple[dt.date, ...]
    strengths: tuple[Strength, ...] = ()

    def line_on(self, day: dt.date) -> FrontLine | None:
        """The line that stood on ``day`` (the latest listed if several), or None."""
        return next((line for line in reversed(self.front_lines) if line.stood_on(day)), None)

    def city_checks(self) -> tuple[CityCheck, ...]:
        """Every (city, check date) with a recorded holder, by date then city, in file order."""
        return tuple(CityCheck(i, day, side) for day in self.check_dates for i, city in enumerate(self.cities)
                     if (side := city.holder_on(day)) is not None)


def build_reference(data: dict, benchmarks: dict) -> Reference:
    """The typed reference from validated data; ``benchmarks[name]`` is that scenario's
    ``victory.benchmark`` (for lines given by ``benchmark_of``)."""
    lines = []
    for e in data["front_lines"]:
        bench = benchmarks.get(e.get("benchmark_of"), {})
        points = e.get("points") or bench["front_line"]
        lines.append(FrontLine(to_date(e["date"]), e["name"], to_date(e["from"]), to_date(e["to"]),
                               tuple((float(lat), float(lon)) for lat, lon in points),
                               e.get("source") or bench["source"]))
    cities = tuple(CityControl(c["name"], float(c["lat"]), float(c["lon"]),
                               tuple((h["side"], to_date(h["from"]), to_date(h["to"])) for h in c["held"]),
                               c["source"]) for c in data.get("cities") or [])
    strengths = tuple(Strength(to_date(e["date"]), e["side"], tuple(e.get("nations") or ()), float(e["men"]),
                               None if e.get("combat") is None else float(e["combat"]), e["source"])
                      for e in data.get("strengths") or [])
    return Reference(tuple(lines), cities, tuple(to_date(d) for d in data.get("city_check_dates") or []), strengths)
