"""The value types of the scenario schema: dates, ids, locations, the strict model base, and the
:class:`Issue` every check returns. The models that use them are in :mod:`schema` (the whole
scenario) and :mod:`sections` (one file per rule section), which both import from here.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from .errors import did_you_mean


@dataclass(frozen=True)
class Issue:
    """A problem at key path ``path`` of the data; ``key`` points at the key, not its value."""

    path: tuple
    message: str
    key: bool = False


def dotted(path) -> str:
    return ".".join(str(p) for p in path)


def describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return repr(value)


# ------------------------------------------------------------------------------ value types

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_problem(value) -> str | None:
    """None if ``value`` is a real date written YYYY-MM-DD, else why not."""
    if not isinstance(value, str):
        return f"must be a date written YYYY-MM-DD, not {describe(value)}"
    m = _DATE_RE.match(value)
    if not m:
        return f"{value!r} is not a date: write it YYYY-MM-DD (e.g. 1950-06-25)"
    y, mo, d = (int(g) for g in m.groups())
    if not 1 <= mo <= 12:
        return f"{value!r} is not a real date (there is no month {mo})"
    last = _calendar.monthrange(y, mo)[1]
    if not 1 <= d <= last:
        month = _calendar.month_name[mo]
        if mo == 2:
            return f"{value!r} is not a real date (February {y} has {last} days)"
        return f"{value!r} is not a real date ({month} has {last} days)"
    return None


def to_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _date(value):
    why = date_problem(value)
    if why:
        raise PydanticCustomError("date", why)
    return value


_ID_RE = re.compile(r"^[a-z0-9_]+$")


def _id(value):
    if not isinstance(value, str):
        raise PydanticCustomError("id", "must be an id (lowercase letters, digits and '_'), not {what}",
                                  {"what": describe(value)})
    if not _ID_RE.match(value):
        raise PydanticCustomError("id", "{v} is not a valid id: use only lowercase letters, digits and '_'",
                                  {"v": repr(value)})
    return value


_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _color(value):
    if not isinstance(value, str) or not _COLOR_RE.match(value):
        raise PydanticCustomError("color", "must be a colour written \"#rrggbb\" (in quotes), not {what}",
                                  {"what": describe(value)})
    return value


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), float("-inf"))


def _hex(value):
    if (isinstance(value, list) and len(value) == 2 and all(_is_int(v) and v >= 0 for v in value)):
        return value
    raise PydanticCustomError("hex", "must be a hex [row, col] (two whole numbers >= 0), not {what}",
                              {"what": describe(value)})


def _edge(value):
    if isinstance(value, list) and len(value) == 2:
        for v in value:
            _hex(v)
        return value
    raise PydanticCustomError("edge", "must be an edge [[row, col], [row, col]] between two hexes, not {what}",
                              {"what": describe(value)})


_LOCATION_HELP = "a place name, {lat: .., lon: ..}, {row: .., col: ..} or [row, col]"


def location_problem(value) -> str | None:
    if isinstance(value, str):
        return None if value.strip() else "must be a place name, not empty text"
    if isinstance(value, list):
        if len(value) == 2 and all(_is_int(v) and v >= 0 for v in value):
            return None
        return f"must be {_LOCATION_HELP}; a list must be [row, col] with two whole numbers >= 0"
    if isinstance(value, dict):
        keys = set(value)
        if keys == {"lat", "lon"}:
            lat, lon = value["lat"], value["lon"]
            if not (is_number(lat) and -90 <= lat <= 90):
                return f"lat must be a number of degrees between -90 and 90, not {describe(lat)}"
            if not (is_number(lon) and -180 <= lon <= 180):
                return f"lon must be a number of degrees between -180 and 180, not {describe(lon)}"
            return None
        if keys == {"row", "col"}:
            for k in ("row", "col"):
                if not (_is_int(value[k]) and value[k] >= 0):
                    return f"{k} must be a whole number >= 0, not {describe(value[k])}"
            return None
        for k in sorted(keys - {"lat", "lon", "row", "col"}, key=str):
            return f"unknown key {k!r} in a location{did_you_mean(k, ['lat', 'lon', 'row', 'col'])}"
        if keys & {"lat", "lon"} and keys & {"row", "col"}:
            return "give either {lat, lon} or {row, col}, not both"
        missing = ({"lat", "lon"} - keys) if keys & {"lat", "lon"} else ({"row", "col"} - keys)
        return f"missing {' and '.join(sorted(missing))}: a location is {_LOCATION_HELP}"
    return f"must be {_LOCATION_HELP}, not {describe(value)}"


def _location(value):
    why = location_problem(value)
    if why:
        raise PydanticCustomError("location", why)
    return value


Date = Annotated[str, PlainValidator(_date)]
Id = Annotated[str, PlainValidator(_id)]
Color = Annotated[str, PlainValidator(_color)]
Hex = Annotated[list, PlainValidator(_hex)]
Edge = Annotated[list, PlainValidator(_edge)]
Location = Annotated[Any, PlainValidator(_location)]
Text = Annotated[str, Field(min_length=1)]
Number = float
NonNeg = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
SideName = Literal["un", "communist"]


LatLon = Annotated[list[float], Field(min_length=2, max_length=2)]


def west_to_east(points: list) -> list:
    """A validator body for a line of ``[lat, lon]`` points: degrees in range, each point east
    of the one before."""
    for i, (lat, lon) in enumerate(points):
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PydanticCustomError("latlon", "point {n}: must be [lat, lon] in degrees", {"n": i + 1})
        if i and lon <= points[i - 1][1]:
            raise PydanticCustomError(
                "west_to_east", "point {n}: the line runs west to east: each point's lon must be "
                "greater than the last", {"n": i + 1})
    return points


def in_date_order(entries: list) -> list:
    """A validator body for lists of dated entries (``from:``): each must begin after the last."""
    for a, b in zip(entries, entries[1:], strict=False):
        if b.from_ <= a.from_:
            raise PydanticCustomError("order", "entries must be in date order: {b} is listed after {a}",
                                      {"a": a.from_, "b": b.from_})
    return entries


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, populate_by_name=False)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False, populate_by_name=False)
