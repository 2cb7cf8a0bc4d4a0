"""Georeferenced hex grid on numpy.

Conventions (Red Blob Games, "Hexagonal Grids"), fixed here once for the whole game:

* Hexes are **pointy-top**. Storage is an **odd-r offset** layout: ``row`` 0 is the north
  edge, ``col`` 0 the west edge, and odd rows are shoved half a hex east.
* A hex's flat index is ``h = row * ncols + col``; every per-hex array has length ``n``.
* Math uses **axial** ``(q, r)`` with ``r = row`` and ``q = col - (row - (row & 1)) // 2``;
  cube ``s = -q - r``. Screen/map ``y`` grows southward, like ``row``.
* The six directions, in this order everywhere (edge arrays are ``(n, 6)`` in it):
  0 E, 1 NE, 2 NW, 3 W, 4 SW, 5 SE. The opposite of ``d`` is ``(d + 3) % 6``.
* ``hex_km`` is the distance across the flats (centre to centre of neighbours); the
  corner radius is ``hex_km / sqrt(3)``.
* Geography: an equirectangular projection about ``ref_lat`` (the middle latitude of the
  box): ``x_km = (lon - lon_west) * 111.32 * cos(ref_lat)``,
  ``y_km = (lat_north - lat) * 110.574``. East-west scale errs by under 8 % at 33 and 43 N,
  which is well inside one hex.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import ndimage

SQRT3 = math.sqrt(3.0)
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.32

# Axial offsets of the six directions: E, NE, NW, W, SW, SE.
AXIAL_DIRECTIONS = np.array([(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)], dtype=np.int64)
DIRECTION_NAMES = ("E", "NE", "NW", "W", "SW", "SE")
# The same six offsets and the hex itself in a (row r, column q) array: [1 + dr, 1 + dq].
AXIAL_NEIGHBOURHOOD = np.array([[0, 1, 1], [1, 1, 1], [1, 1, 0]], dtype=bool)
# Above this many distinct sources distances_from takes the distance transform (a fixed cost of
# about 18 sources by the formula, in instructions on the Korea map) instead of the formula.
DISTANCE_BY_FORMULA_MAX = 16

# Drawing geometry (screen y down): corner k of a pointy-top hex sits at angle 60k - 30 degrees
# from the centre, so 0 is upper right, 1 lower right, 2 bottom, 3 lower left, 4 upper left,
# 5 top. The edge towards direction d joins the two corners EDGE_CORNERS[d].
CORNER_ANGLES = np.radians(60.0 * np.arange(6) - 30.0)
CORNER_COS, CORNER_SIN = np.cos(CORNER_ANGLES), np.sin(CORNER_ANGLES)
EDGE_CORNERS = ((0, 1), (5, 0), (4, 5), (3, 4), (2, 3), (1, 2))


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.floating]


def opposite(direction: npt.ArrayLike) -> IntArray:
    """The direction pointing back across the same edge."""
    return (np.asarray(direction) + 3) % 6


def axial_round(qf: npt.ArrayLike, rf: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """Round fractional axial coordinates to the containing hex (cube rounding)."""
    qf = np.asarray(qf, dtype=np.float64)
    rf = np.asarray(rf, dtype=np.float64)
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def axial_distance(q1: npt.ArrayLike, r1: npt.ArrayLike, q2: npt.ArrayLike, r2: npt.ArrayLike) -> IntArray:
    """Hex steps between axial coordinates (broadcasts)."""
    dq = np.asarray(q1) - np.asarray(q2)
    dr = np.asarray(r1) - np.asarray(r2)
    # The largest of the three cube differences (they sum to zero): half the sum of all three
    # magnitudes, without the division.
    steps: IntArray = np.maximum(np.maximum(np.abs(dq), np.abs(dr)), np.abs(dq + dr))
    return steps


@dataclass(frozen=True)
class GridSpec:
    """The parameters that define a grid; saved with every map."""

    rows: int
    cols: int
    hex_km: float = 10.0
    lat_north: float = 43.0
    lon_west: float = 124.0
    ref_lat: float = 38.0

    @classmethod
    def covering(cls, lat_south: float, lat_north: float, lon_west: float, lon_east: float,
                 hex_km: float = 10.0) -> GridSpec:
        """The smallest grid whose hex centres cover a lat/lon box."""
        ref_lat = (lat_south + lat_north) / 2.0
        width = (lon_east - lon_west) * KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(ref_lat))
        height = (lat_north - lat_south) * KM_PER_DEG_LAT
        cols = int(math.ceil(width / hex_km)) + 1
        rows = int(math.ceil(height / (hex_km * 1.5 / SQRT3))) + 1
        return cls(rows, cols, float(hex_km), float(lat_north), float(lon_west), float(ref_lat))

    def to_dict(self) -> dict[str, float]:
        return {"rows": self.rows, "cols": self.cols, "hex_km": self.hex_km,
                "lat_north": self.lat_north, "lon_west": self.lon_west, "ref_lat": self.ref_lat}


@dataclass
class HexGrid:
    """All geometry of one grid, precomputed as arrays over hexes."""

    spec: GridSpec
    row: IntArray = field(init=False, repr=False)
    col: IntArray = field(init=False, repr=False)
    q: IntArray = field(init=False, repr=False)
    r: IntArray = field(init=False, repr=False)
    x_km: FloatArray = field(init=False, repr=False)
    y_km: FloatArray = field(init=False, repr=False)
    lat: FloatArray = field(init=False, repr=False)
    lon: FloatArray = field(init=False, repr=False)
    neighbors: IntArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.spec
        idx = np.arange(s.rows * s.cols, dtype=np.int64)
        self.row = idx // s.cols
        self.col = idx % s.cols
        self.r = self.row.copy()
        self.q = self.col - (self.row - (self.row & 1)) // 2
        self.x_km = s.hex_km * (self.col + 0.5 * (self.row & 1))
        self.y_km = s.hex_km * 1.5 / SQRT3 * self.row
        self.lon = s.lon_west + self.x_km / self.km_per_deg_lon
        self.lat = s.lat_north - self.y_km / KM_PER_DEG_LAT
        # Neighbour table (n, 6), -1 off the map.
        nq = self.q[:, None] + AXIAL_DIRECTIONS[None, :, 0]
        nr = self.r[:, None] + AXIAL_DIRECTIONS[None, :, 1]
        self.neighbors = self.axial_to_index(nq, nr)

    # --- sizes and conversions -------------------------------------------------------
    @property
    def n(self) -> int:
        return self.spec.rows * self.spec.cols

    @property
    def shape(self) -> tuple[int, int]:
        return (self.spec.rows, self.spec.cols)

    @property
    def km_per_deg_lon(self) -> float:
        return KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.spec.ref_lat))

    @property
    def corner_km(self) -> float:
        return self.spec.hex_km / SQRT3

    def index(self, row: npt.ArrayLike, col: npt.ArrayLike) -> IntArray:
        """Flat index of offset (row, col); -1 where off the map."""
        row = np.asarray(row, dtype=np.int64)
        col = np.asarray(col, dtype=np.int64)
        ok = (row >= 0) & (row < self.spec.rows) & (col >= 0) & (col < self.spec.cols)
        return np.where(ok, row * self.spec.cols + col, -1)

    def axial_to_index(self, q: npt.ArrayLike, r: npt.ArrayLike) -> IntArray:
        q = np.asarray(q, dtype=np.int64)
        r = np.asarray(r, dtype=np.int64)
        return self.index(r, q + (r - (r & 1)) // 2)

    def xy_to_index(self, x_km: npt.ArrayLike, y_km: npt.ArrayLike) -> IntArray:
        """Hex containing a point given in map kilometres; -1 off the map."""
        size = self.corner_km
        x = np.asarray(x_km, dtype=np.float64) / size
        y = np.asarray(y_km, dtype=np.float64) / size
        qf = SQRT3 / 3.0 * x - y / 3.0
        rf = 2.0 / 3.0 * y
        q, r = axial_round(qf, rf)
        return self.axial_to_index(q, r)

    def latlon_to_xy(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        x = (np.asarray(lon, dtype=np.float64) - self.spec.lon_west) * self.km_per_deg_lon
        y = (self.spec.lat_north - np.asarray(lat, dtype=np.float64)) * KM_PER_DEG_LAT
        return x, y

    def latlon_to_index(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> IntArray:
        """Hex containing each (lat, lon) point; -1 outside the grid."""
        return self.xy_to_index(*self.latlon_to_xy(lat, lon))

    # --- hex math ----------------------------------------------------------------------
    def distance(self, a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
        """Hex steps between flat indices (broadcasts)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        return axial_distance(self.q[a], self.r[a], self.q[b], self.r[b])

    def distances_from(self, h: npt.ArrayLike, limit: int | None = None) -> IntArray:
        """Hex steps from one hex (or the nearest of several) to every hex, shape (n,); with
        ``limit``, a hex further than that reads ``limit + 1``.

        A few sources: the axial formula, a handful at a time (one (k, n) block for many
        sources is slow). Many: one chamfer distance transform of the hexes laid out in axial
        coordinates (``_axial``): with the six neighbours' offsets as its mask, its two passes
        give the formula's steps exactly, a shortest way between two hexes running inside the
        layout's rectangle (tests/test_engine_hexgrid.py checks the two agree)."""
        h = np.unique(np.atleast_1d(np.asarray(h, dtype=np.int64)))
        if h.size > DISTANCE_BY_FORMULA_MAX:
            shape, at = self._axial()
            laid = np.ones(shape[0] * shape[1], dtype=bool)
            laid[at[h]] = False
            steps = ndimage.distance_transform_cdt(laid.reshape(shape), metric=AXIAL_NEIGHBOURHOOD)
            nearest: IntArray = steps.ravel()[at].astype(np.int64)
        else:
            nearest = np.full(self.n, np.iinfo(np.int64).max, dtype=np.int64)
            for i in range(0, h.size, 4):
                k = h[i:i + 4]
                d = axial_distance(self.q[None, :], self.r[None, :], self.q[k][:, None], self.r[k][:, None])
                np.minimum(nearest, d.min(axis=0), out=nearest)
        if limit is not None:
            np.minimum(nearest, limit + 1, out=nearest)
        return nearest

    def within(self, h: int, radius: int) -> IntArray:
        """Flat indices of all on-map hexes within ``radius`` steps of ``h`` (``h`` included)."""
        dq, dr = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1))
        keep = np.abs(dq + dr) <= radius
        idx = self.axial_to_index(self.q[h] + dq[keep], self.r[h] + dr[keep])
        return np.sort(idx[idx >= 0])

    def disks(self, radius: int) -> IntArray:
        """(n, k): the hexes within ``radius`` steps of every hex, in the same axial-offset order
        for each (-1 where an offset falls off the map); computed once per radius."""
        cache: dict[int, IntArray] = self.__dict__.setdefault("_disks", {})
        if radius not in cache:
            dq, dr = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1))
            keep = np.abs(dq + dr) <= radius
            cache[radius] = self.axial_to_index(self.q[:, None] + dq[keep][None, :],
                                                self.r[:, None] + dr[keep][None, :])
        return cache[radius]

    def neighbours_or_off(self) -> IntArray:
        """The (n, 6) neighbour table with ``n`` (one past the last hex) for a neighbour off the
        map: the index of an extra entry, always 0, of an array read through it. Computed once
        (read only)."""
        cached: IntArray | None = self.__dict__.get("_neighbours_or_off")
        if cached is None:
            cached = np.where(self.neighbors >= 0, self.neighbors, self.n)
            cached.flags.writeable = False
            self.__dict__["_neighbours_or_off"] = cached
        return cached

    def entering(self) -> IntArray:
        """(n, 6): for each hex and direction, the row-major position in an (n, 6) per-edge table
        of the edge from that neighbour into the hex (the neighbour's opposite direction); -1
        where there is no neighbour. Computed once."""
        cached: IntArray | None = self.__dict__.get("_entering")
        if cached is None:
            nb = self.neighbors
            cached = np.where(nb >= 0, 6 * nb + opposite(np.arange(6)), -1)
            cached.flags.writeable = False
            self.__dict__["_entering"] = cached
        return cached

    def _axial(self) -> tuple[tuple[int, int], IntArray]:
        """(shape, position of each hex): the hexes laid out in a (row r, column q) array,
        shifted to start at 0, where every hex's six neighbours sit at the same offsets
        (AXIAL_NEIGHBOURHOOD); computed once."""
        cached: tuple[tuple[int, int], IntArray] | None = self.__dict__.get("_axial_layout")
        if cached is None:
            q = self.q - self.q.min()
            shape = (int(self.r.max()) + 1, int(q.max()) + 1)
            cached = (shape, self.r * shape[1] + q)
            self.__dict__["_axial_layout"] = cached
        return cached

    def parts(self, keep: npt.NDArray[np.bool_]) -> tuple[int, IntArray]:
        """Connected pieces of the ``keep`` hexes (neighbours joined): (count, label of each hex,
        0 to count - 1, -1 outside ``keep``): one pass of ``ndimage.label`` over the hexes laid
        out in axial coordinates (``_axial``), with the six neighbours' offsets, faster than a
        graph search."""
        shape, at = self._axial()
        laid = np.zeros(shape[0] * shape[1], dtype=bool)
        laid[at] = keep
        labels, count = ndimage.label(laid.reshape(shape), structure=AXIAL_NEIGHBOURHOOD)
        return int(count), labels.ravel()[at].astype(np.int64) - 1

    def line(self, a: int, b: int) -> IntArray:
        """Hexes on the straight line from ``a`` to ``b``, both included (cube lerp)."""
        n = int(self.distance(a, b))
        if n == 0:
            return np.array([a], dtype=np.int64)
        t = np.arange(n + 1) / n
        # Nudge off exact edges so ties break the same way every time.
        qf = self.q[a] + (self.q[b] - self.q[a]) * t + 1e-6
        rf = self.r[a] + (self.r[b] - self.r[a]) * t + 1e-6
        q, r = axial_round(qf, rf)
        return self.axial_to_index(q, r)

    def direction_to(self, a: int, b: int) -> int:
        """Direction index from hex ``a`` to an adjacent hex ``b``; -1 if not adjacent."""
        hits = np.nonzero(self.neighbors[a] == b)[0]
        return int(hits[0]) if hits.size else -1

    def edge_between(self, a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
        """Direction from ``a`` to ``b`` for many adjacent pairs at once (-1 if not adjacent)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        hit = self.neighbors[a] == b[..., None]
        return np.where(hit.any(axis=-1), hit.argmax(axis=-1), -1)
