"""How far a game is from the war as it was: the distance between its front and a reference
line along each meridian, and who holds key cities on key dates. Pure numpy; the reference
lines and cities come from game/scenario/reference.py.

The distance along one meridian bin
-----------------------------------
Every bin of ``front.MERIDIAN_EDGES`` whose centre lies within the reference line's longitudes
and that holds Korean mainland is measured:

* the reference latitude is the line interpolated along longitude at the bin's centre, clamped
  to the bin's land (its southernmost and northernmost mainland rows): a line south of the
  coast says the whole meridian was Communist, one beyond the land's northern end all UN;
* a bin where the line climbs more than :data:`ALONG_MERIDIAN_DEG` across the bin's width
  (clamped to its land) is not measured: the line runs along the meridian there, as the Naktong
  line of August 1950 does, and no distance along the meridian means anything (a UN line on
  the river's east bank, whose units hold two hexes across it, would score 100 km or more off;
  the lines' other bins climb 0.26 degree at most);
* the game's front is the span of :func:`game.sim.front.front_spans`: one latitude where the
  game has a front on land; where it has none, the far coast of a bin held by one side (all
  Communist: its southernmost row; all UN: its northernmost), or the water between sides that
  face each other across a bay;
* the distance is from the reference latitude to the nearest point of that span (0 inside it),
  in km along the meridian.

A bin without ground of either side (all of it held by nobody) is not measured (NaN). The
measure of a date (:func:`front_km`) is the median over the bins measured, so that the odd bin
where a pocket or a cape flips the count does not swamp it, leaving out the bins where game and
line agree that the whole meridian is one side's; a run's measure is the mean of its dates'.

City checks: a city's hex is the mainland hex nearest its coordinates; a check is right when
the owner of that hex at the end of the turn showing the check date is the side the record says
held it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from .front import COMMUNIST, MERIDIAN_EDGES, UN, front_latitudes, front_spans, mean_front_latitude, meridian_centres
from .turns import turn_showing

KM_PER_DEGREE = 111.2              # along a meridian
ALONG_MERIDIAN_DEG = 0.5           # a line climbing more than this across a bin runs along it
SIDE_CODES = {"un": UN, "communist": COMMUNIST}


@dataclass(frozen=True)
class MeridianGrid:
    """A map's mainland hexes cut into meridian bins, with each bin's land from south to north."""
    lat: np.ndarray
    lon: np.ndarray
    korea: np.ndarray              # bool per hex: the Korean mainland (front.mainland_korea)
    edges: np.ndarray
    south: np.ndarray              # per bin: latitude of its southernmost mainland row (NaN: none)
    north: np.ndarray              # ... and of its northernmost

    @classmethod
    def of(cls, lat, lon, korea, edges=MERIDIAN_EDGES) -> MeridianGrid:
        lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
        korea, edges = np.asarray(korea, dtype=bool), np.asarray(edges, dtype=np.float64)
        bins = np.searchsorted(edges, lon, side="right") - 1
        south, north = np.full(len(edges) - 1, np.nan), np.full(len(edges) - 1, np.nan)
        for b in range(len(edges) - 1):
            here = lat[korea & (bins == b)]
            if here.size:
                south[b], north[b] = here.min(), here.max()
        return cls(lat, lon, korea, edges, south, north)

    @property
    def centres(self) -> np.ndarray:
        return meridian_centres(self.edges)


def line_latitudes(points, lons) -> np.ndarray:
    """The latitude of a line of (lat, lon) points, west to east, at each of ``lons``
    (interpolated along longitude); NaN outside the line's longitudes."""
    pts = np.asarray(points, dtype=np.float64)
    lons = np.asarray(lons, dtype=np.float64)
    out = np.interp(lons, pts[:, 1], pts[:, 0])
    out[(lons < pts[0, 1]) | (lons > pts[-1, 1])] = np.nan
    return out


def reference_latitudes(grid: MeridianGrid, points) -> np.ndarray:
    """The line at each bin's centre, clamped to the bin's land (NaN outside the line or the land,
    and where :func:`line_climbs` more than :data:`ALONG_MERIDIAN_DEG`)."""
    at = np.clip(line_latitudes(points, grid.centres), grid.south, grid.north)
    at[line_climbs(grid, points) > ALONG_MERIDIAN_DEG] = np.nan
    return at


def line_climbs(grid: MeridianGrid, points) -> np.ndarray:
    """Per bin, how far in latitude the line runs across the bin's width (its edges and the
    line's points inside it, clamped to the bin's land); 0 where it does not cross the bin."""
    lons = np.asarray(points, dtype=np.float64)[:, 1]
    out = np.zeros(len(grid.edges) - 1)
    for b in range(len(out)):
        x = np.concatenate([grid.edges[b:b + 2], lons[(lons > grid.edges[b]) & (lons < grid.edges[b + 1])]])
        lat = np.clip(line_latitudes(points, x), grid.south[b], grid.north[b])
        if not np.isnan(lat).all():
            out[b] = np.nanmax(lat) - np.nanmin(lat)
    return out


def front_distances_km(owner, grid: MeridianGrid, points) -> np.ndarray:
    """Per meridian bin, the distance in km between the game's front and the line (NaN where
    not measured: see the module's doc)."""
    return _distances_km(owner, grid, reference_latitudes(grid, points))


def _distances_km(owner, grid: MeridianGrid, reference) -> np.ndarray:
    spans = front_spans(owner, grid.lat, grid.lon, grid.korea, grid.edges)
    gap = np.maximum(spans[:, 0] - reference, reference - spans[:, 1])
    return np.maximum(gap, 0.0) * KM_PER_DEGREE


def front_km(owner, grid: MeridianGrid, points) -> float:
    """The distance of a date: the median of :func:`front_distances_km` over the bins where the
    line crosses land or the game's front is off it. Bins where both put the whole meridian on
    the same side agree trivially and are left out, else they would swamp the median (at the
    Pusan Perimeter the line leaves 14 of the 22 meridians wholly to the Communists, and a
    perimeter half its size would still score 0). 0 if every bin measured agrees so; NaN if
    none is measured."""
    reference = reference_latitudes(grid, points)
    d = _distances_km(owner, grid, reference)
    measured = ~np.isnan(d)
    counted = measured & ((reference > grid.south) & (reference < grid.north) | (d > 0))
    if counted.any():
        return float(np.median(d[counted]))
    return 0.0 if measured.any() else math.nan


def line_owner(points, grid: MeridianGrid) -> np.ndarray:
    """The owner array of a map split by the line: mainland south of it UN, north of it
    Communist, everything else nobody's."""
    at = np.interp(grid.lon, [p[1] for p in points], [p[0] for p in points])
    owner = np.where(grid.lat < at, UN, COMMUNIST).astype(np.int8)
    return np.where(grid.korea, owner, 0).astype(np.int8)


def line_mean_latitude(points, grid: MeridianGrid) -> float:
    """The line measured as a game's front is on the fan chart: the mean latitude of the front
    of :func:`line_owner` over the bins where it crosses land (front.mean_front_latitude)."""
    return mean_front_latitude(front_latitudes(line_owner(points, grid), grid.lat, grid.lon, grid.korea,
                                               grid.edges))


# ------------------------------------------------------------------------------ one game

def front_km_on_dates(lines, dates, owner_history, grid: MeridianGrid, last_day: str) -> list:
    """The median distance (km) from each reference line on its date; None where no turn shows
    the date (outside the game's span)."""
    out = []
    for line in lines:
        i = turn_showing(dates, line.date.isoformat(), last_day)
        out.append(None if i is None else front_km(owner_history[i], grid, line.points))
    return out


def front_km_in_force(reference, dates, owner_history, grid: MeridianGrid, turns) -> list:
    """For each of ``turns`` (indices into the history): (the line that stood on its start date,
    median distance in km), or (None, None) where no reference line stood then."""
    out = []
    for i in turns:
        line = reference.line_on(_day(dates[i]))
        out.append((None, None) if line is None else
                   (line, front_km(owner_history[i], grid, line.points)))
    return out


def mean_of_measured(values) -> float | None:
    """The mean of the values that are not None or NaN; None if there are none."""
    got = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(got)) if got else None


def city_hexes(cities, grid: MeridianGrid) -> np.ndarray:
    """The index of the mainland hex nearest each city."""
    mainland = np.flatnonzero(grid.korea)
    out = []
    for c in cities:
        dx = (grid.lon[mainland] - c.lon) * math.cos(math.radians(c.lat))
        out.append(mainland[np.argmin(dx * dx + (grid.lat[mainland] - c.lat) ** 2)])
    return np.asarray(out, dtype=np.int64)


def city_results(checks, hexes, dates, owner_history, last_day: str) -> list:
    """For each check (game.scenario.reference.CityCheck): True if the city's hex belonged to
    the side on record at the end of the turn showing the date, False if not, None if no turn
    shows it."""
    out: list = []
    for check in checks:
        i = turn_showing(dates, check.date.isoformat(), last_day)
        out.append(None if i is None else bool(owner_history[i][hexes[check.city]] == SIDE_CODES[check.side]))
    return out


def share_right(results) -> float | None:
    """The share of the checks made that were right; None if none was made."""
    made = [r for r in results if r is not None]
    return sum(made) / len(made) if made else None


def _day(iso) -> dt.date:
    return dt.date.fromisoformat(str(iso)[:10])
