"""The war's arc: how much of each half of Korea the other side held, and the real war to
measure a game against (for tuning the balance and for the batch report).

Two measures. The coarse one (:data:`REFERENCE`): rounded readings of the share of each half
held by the other side on key dates. The sharp one: the front lines and city control of the
shipped reference file (scenarios/reference/korea_front_lines.yaml, :func:`war_reference`),
measured by game/sim/front_metric.py; :func:`front_reference` is those lines measured as the
batch report's fan chart measures a game's front.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..engine.mapdata import REGION, MapData
from ..engine.paths import MAPS_DIR
from ..engine.units import COMMUNIST, UN
from ..scenario.loader import load_reference
from ..scenario.reference import Reference
from .front import mainland_korea
from .front_metric import MeridianGrid, line_mean_latitude
from .turns import turn_showing

CAMPAIGN_MAP = MAPS_DIR / "korea_10km.npz"
KOREAN_REGIONS = (REGION["south"], REGION["north"])

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


@lru_cache(maxsize=1)
def war_reference() -> Reference:
    """The shipped reference lines and city records (read once per process)."""
    return load_reference()


def meridian_grid(m: MapData) -> MeridianGrid:
    """A map's Korean mainland cut into the front's meridian bins."""
    return MeridianGrid.of(m.grid.lat, m.grid.lon, mainland_korea(m.land, m.region, m.grid.neighbors, KOREAN_REGIONS))


@lru_cache(maxsize=1)
def campaign_grid() -> MeridianGrid:
    return meridian_grid(MapData.load(CAMPAIGN_MAP))


def front_reference() -> list:
    """[(ISO date, mean latitude)]: each reference line as the fan chart measures a game's
    front (game.sim.front.mean_front_latitude on the campaign map)."""
    return [(line.date.isoformat(), line_mean_latitude(line.points, campaign_grid()))
            for line in war_reference().front_lines]


def korea_halves(land, region) -> tuple:
    """Boolean masks of the land of the 1950 South and of the North."""
    return land & (region == REGION["south"]), land & (region == REGION["north"])


def held_shares(owner, south, north) -> tuple:
    """(Communist share of the South, UN share of the North) for one owner array."""
    return float((owner[south] == COMMUNIST).mean()), float((owner[north] == UN).mean())


def arc_points(dates, owner_history, south, north, last_day: str) -> list:
    """Held shares on each reference date; None where no turn shows the date (see
    :func:`game.sim.turns.turn_showing`)."""
    turns = [turn_showing(dates, when, last_day) for when, _, _ in REFERENCE]
    return [None if i is None else held_shares(owner_history[i], south, north) for i in turns]


def point_errors(points) -> list:
    """Distance from each reference point (mean of the two shares); None where not measured."""
    return [None if got is None else (abs(got[0] - south) + abs(got[1] - north)) / 2
            for (_, south, north), got in zip(REFERENCE, points, strict=True)]


def arc_error(points):
    """Mean distance from the reference points measured (0 = the real arc); None if none was."""
    errs = [e for e in point_errors(points) if e is not None]
    return float(np.mean(errs)) if errs else None
