"""What a scenario's cards and objectives point at: areas of the map and sets of units.

An **area** (docs/cards.md, docs/scenarios.md) is one of

* ``{place: PLACE, radius: N}``: the hexes within ``N`` steps of a place (0: the place itself);
* ``{lat_south: .., lat_north: .., lon_west: .., lon_east: ..}``: the hexes whose centres lie in
  that box;
* ``{edge: north|south|east|west}``: the land hexes on that edge of the map (of its crop).

A **unit filter** narrows units by ``units`` (ids), ``nation`` and ``type``; every key given must
match. The schema checks both shapes (game/scenario/schema.py ``Area``, ``UnitFilter``); these
functions trust them.
"""

from __future__ import annotations

import numpy as np

from ..engine.mapdata import MapData
from ..engine.units import ON_MAP

EDGES = ("north", "south", "east", "west")
# Neighbour directions (game/engine/hexgrid.py: 0 E, 1 NE, 2 NW, 3 W, 4 SW, 5 SE) that leave the
# map across each edge.
EDGE_DIRECTIONS = {"north": (1, 2), "south": (4, 5), "east": (0,), "west": (3,)}
BOX_KEYS = ("lat_south", "lat_north", "lon_west", "lon_east")


def area_kind(area: dict) -> str:
    """``place``, ``box`` or ``edge``: which of the three forms an (already checked) area is."""
    if "place" in area:
        return "place"
    return "edge" if "edge" in area else "box"


def area_mask(m: MapData, area: dict) -> np.ndarray:
    """Boolean mask over the map's hexes of an area; all False for a place the map lacks."""
    kind = area_kind(area)
    if kind == "place":
        p = m.find_place(str(area["place"]))
        mask = np.zeros(m.n, dtype=bool)
        if p is not None:
            mask[m.grid.within(p.hex, int(area.get("radius", 0)))] = True
        return mask
    if kind == "edge":
        nb = m.grid.neighbors[:, list(EDGE_DIRECTIONS[str(area["edge"])])]
        return m.land & (nb < 0).any(axis=1)
    lat, lon = m.grid.lat, m.grid.lon
    return ((lat >= float(area["lat_south"])) & (lat <= float(area["lat_north"]))
            & (lon >= float(area["lon_west"])) & (lon <= float(area["lon_east"])))


def describe_area(area: dict) -> str:
    """An area in words, for logs and reports."""
    kind = area_kind(area)
    if kind == "place":
        r = int(area.get("radius", 0))
        return str(area["place"]) if r == 0 else f"within {r} hex{'es' if r > 1 else ''} of {area['place']}"
    if kind == "edge":
        return f"the {area['edge']} edge of the map"
    return (f"{area['lat_south']:g}-{area['lat_north']:g} N, {area['lon_west']:g}-{area['lon_east']:g} E")


def unit_mask(units, type_names, flt: dict, side: int | None = None) -> np.ndarray:
    """Boolean mask over unit rows that match a unit filter (and ``side`` when given)."""
    n = len(units.ids)
    mask = np.ones(n, dtype=bool)
    if side is not None:
        mask &= units.side == side
    if flt.get("units"):
        wanted = set(flt["units"])
        mask &= np.fromiter((uid in wanted for uid in units.ids), dtype=bool, count=n)
    if flt.get("nation"):
        mask &= np.fromiter((nat == flt["nation"] for nat in units.nations), dtype=bool, count=n)
    if flt.get("type"):
        code = type_names.index(flt["type"]) if flt["type"] in type_names else -1
        mask &= units.type == code
    return mask


def units_in_area(state, flt: dict, area: dict, side: int | None = None) -> np.ndarray:
    """Rows of the units on the map that match ``flt`` (and ``side``) and stand in ``area``."""
    u = state.units
    rows = np.nonzero(unit_mask(u, list(state.rules.unit_types.names), flt, side) & (u.status == ON_MAP))[0]
    if rows.size == 0:
        return rows
    return rows[area_mask(state.map, area)[u.hex[rows]]]
