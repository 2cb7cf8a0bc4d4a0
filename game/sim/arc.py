"""The war's arc: how much of each half of Korea the other side held, and reference readings
of the real war to measure a game against (for tuning the balance and for the batch report).

The reference points are rounded readings of the real front (DESIGN.md: the Pusan Perimeter
by August 1950, the UN near the Yalu in late November, the Communists below Seoul in January
1951, the front near the 38th parallel from mid-1951 to the armistice). They are for tuning
and orientation, not historical data to show players as such.
"""

from __future__ import annotations

import numpy as np

from ..engine.mapdata import REGION
from ..engine.units import COMMUNIST, UN

# (date, Communist share of the South, UN share of the North): approximate, for tuning only.
REFERENCE = (
    ("1950-08-05", 0.85, 0.0),    # behind the Pusan Perimeter
    ("1950-09-10", 0.90, 0.0),    # the perimeter at its smallest, before Inchon
    ("1950-11-20", 0.0, 0.70),    # the UN across most of the North, near the Yalu in places
    ("1951-01-15", 0.25, 0.0),    # the Communists below Seoul, on about the 37th parallel
    ("1951-04-20", 0.02, 0.08),   # the UN back around the parallel (Line Kansas)
    ("1951-11-27", 0.02, 0.08),   # the line of contact agreed at Panmunjom
    ("1952-11-01", 0.02, 0.08),
    ("1953-07-10", 0.02, 0.08),   # the armistice line
)

# (date, mean latitude of the front): the measure of game.sim.front.mean_front_latitude read
# off the common maps of the war's lines, rounded to a tenth of a degree: the 38th parallel,
# the Han, the Kum, the Pusan Perimeter (only its meridians have a front), the line after the
# breakout, the Chongchon-Chosin-Yalu line of late November, the line below Seoul, Line
# Kansas, the line of contact and the armistice line. Approximate, for orientation.
FRONT_REFERENCE = (
    ("1950-06-25", 38.0),
    ("1950-07-01", 37.5),
    ("1950-07-15", 36.6),
    ("1950-08-05", 35.8),
    ("1950-09-10", 35.7),
    ("1950-10-01", 38.0),
    ("1950-10-25", 39.9),
    ("1950-11-24", 40.6),
    ("1950-12-20", 38.1),
    ("1951-01-15", 37.1),
    ("1951-02-15", 37.3),
    ("1951-03-31", 37.9),
    ("1951-05-20", 37.8),
    ("1951-06-15", 38.2),
    ("1953-07-27", 38.2),
)


def korea_halves(land, region) -> tuple:
    """Boolean masks of the land of the 1950 South and of the North."""
    return land & (region == REGION["south"]), land & (region == REGION["north"])


def held_shares(owner, south, north) -> tuple:
    """(Communist share of the South, UN share of the North) for one owner array."""
    return float((owner[south] == COMMUNIST).mean()), float((owner[north] == UN).mean())


def monthly_indices(dates) -> list:
    """The index of the first turn of each month, from the turns' ISO start dates."""
    out, seen = [], set()
    for i, d in enumerate(dates):
        if str(d)[:7] not in seen:
            seen.add(str(d)[:7])
            out.append(i)
    return out


def turn_on(dates, when: str) -> int:
    """The index of the last turn starting by ``when`` (-1 if none did)."""
    return int(np.searchsorted(np.asarray(dates, dtype="U10"), when, side="right")) - 1


def arc_points(dates, owner_history, south, north, last_day: str) -> list:
    """Held shares on each reference date; None for dates before the first turn or after
    ``last_day`` (a scenario's last day). A game that ended early keeps its last front for the
    dates after it, up to ``last_day``."""
    out = []
    for when, _, _ in REFERENCE:
        i = turn_on(dates, when)
        out.append(None if i < 0 or when > last_day else held_shares(owner_history[i], south, north))
    return out


def point_errors(points) -> list:
    """Distance from each reference point (mean of the two shares); None where not measured."""
    return [None if got is None else (abs(got[0] - south) + abs(got[1] - north)) / 2
            for (_, south, north), got in zip(REFERENCE, points, strict=True)]


def arc_error(points):
    """Mean distance from the reference points measured (0 = the real arc); None if none was."""
    errs = [e for e in point_errors(points) if e is not None]
    return float(np.mean(errs)) if errs else None
