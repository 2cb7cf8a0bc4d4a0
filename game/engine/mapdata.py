"""The map as arrays over hexes, and its on-disk form (one ``.npz``, no pickle).

Edge arrays are ``(n, 6)`` in the direction order of :mod:`game.engine.hexgrid`; every edge is
stored on both sides (``a[h, d] == a[nb, (d + 3) % 6]``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .errors import GameError
from .hexgrid import GridSpec, HexGrid, opposite

# Terrain classes. The numbers are stable codes stored in map files; what each class *does*
# (movement cost, defence) is rules data in YAML, keyed by these names.
TERRAIN_NAMES = ("sea", "clear", "rough", "mountain", "marsh", "lake", "urban")
TERRAIN = {name: code for code, name in enumerate(TERRAIN_NAMES)}

# Regions: who a hex belonged to on 25 June 1950.
REGION_NAMES = ("none", "south", "north", "china", "ussr")
REGION = {name: code for code, name in enumerate(REGION_NAMES)}

RIVER_NONE, RIVER_MINOR, RIVER_MAJOR = 0, 1, 2
ROAD_NONE, ROAD_MINOR, ROAD_MAIN = 0, 1, 2

MAP_FORMAT = "korea-war-map/1"


class MapFileError(GameError, ValueError):
    """A map file that cannot be read, with the reason in words."""


@dataclass
class Place:
    name: str
    lat: float
    lon: float
    hex: int
    kind: str = "town"          # capital, city, town, village, port
    port: bool = False
    vp: int = 0
    aliases: tuple[str, ...] = ()
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "lat": self.lat, "lon": self.lon, "hex": self.hex,
                             "kind": self.kind, "port": self.port, "vp": self.vp}
        if self.aliases:
            d["aliases"] = list(self.aliases)
        if self.source:
            d["source"] = self.source
        return d


@dataclass
class MapData:
    grid: HexGrid
    terrain: npt.NDArray[np.int8]                   # (n,) codes of TERRAIN_NAMES
    elevation: npt.NDArray[np.int16]                # (n,) mean metres
    relief: npt.NDArray[np.int16]                   # (n,) max-min metres inside the hex
    region: npt.NDArray[np.int8]                    # (n,) codes of REGION_NAMES
    river: npt.NDArray[np.int8]                     # (n, 6) RIVER_*
    road: npt.NDArray[np.int8]                      # (n, 6) ROAD_*
    rail: npt.NDArray[np.bool_]                     # (n, 6)
    river_id: npt.NDArray[np.int8] | None = None    # (n, 6) index into river_names, -1 none
    river_names: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)   # sources, licences, build parameters
    # Derived (not stored):
    land: npt.NDArray[np.bool_] = field(init=False, repr=False)
    place_at: npt.NDArray[np.int32] = field(init=False, repr=False)
    port: npt.NDArray[np.bool_] = field(init=False, repr=False)
    vp: npt.NDArray[np.int16] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.grid.n
        if self.river_id is None:
            self.river_id = np.full((n, 6), -1, dtype=np.int8)
        self.land = (self.terrain != TERRAIN["sea"])
        self.refresh_places()

    def refresh_places(self) -> None:
        n = self.grid.n
        self.place_at = np.full(n, -1, dtype=np.int32)
        self.port = np.zeros(n, dtype=bool)
        self.vp = np.zeros(n, dtype=np.int16)
        for i, p in enumerate(self.places):
            if self.place_at[p.hex] < 0 or p.vp > self.places[self.place_at[p.hex]].vp:
                self.place_at[p.hex] = i
            self.port[p.hex] |= p.port
            self.vp[p.hex] = max(self.vp[p.hex], p.vp)
        self._place_index: dict[str, Place] = {}
        for p in self.places:
            for name in (p.name, *p.aliases):
                self._place_index.setdefault(name.casefold(), p)

    # --- lookups -----------------------------------------------------------------------
    @property
    def n(self) -> int:
        return self.grid.n

    def find_place(self, name: str) -> Place | None:
        return self._place_index.get(name.casefold())

    @property
    def has_regions(self) -> bool:
        """Whether the map says whose each hex was in 1950 (a hand-drawn map may not: then all of
        it is region "none", and no rule closes "none" to anyone)."""
        return bool((self.region[self.land] != REGION["none"]).any())

    def land_graph(self) -> csr_matrix:
        """Sparse (n, n) graph joining each land hex to its land neighbours (cached)."""
        key = (id(self.land), int(self.land.sum()))
        cached: tuple[tuple[int, int], csr_matrix] | None = self.__dict__.get("_land_graph")
        if cached is None or cached[0] != key:
            nb = self.grid.neighbors
            ok = (nb >= 0) & self.land[:, None] & self.land[np.where(nb >= 0, nb, 0)]
            src = np.repeat(np.arange(self.n), 6)[ok.ravel()]
            cached = (key, csr_matrix((np.ones(int(ok.sum())), (src, nb[ok])), shape=(self.n, self.n)))
            self.__dict__["_land_graph"] = cached
        return cached[1]

    def land_steps(self, sources: npt.ArrayLike, limit: float = np.inf) -> npt.NDArray[np.float64]:
        """Hex steps over land from the nearest of ``sources`` to every hex (inf beyond
        ``limit``, off land or with no source)."""
        mark = np.zeros(self.n, dtype=bool)      # each source once, in order (no sort)
        mark[np.asarray(sources, dtype=np.int64)] = True
        sources = np.flatnonzero(mark)
        if sources.size == 0:
            return np.full(self.n, np.inf)
        steps: npt.NDArray[np.float64] = dijkstra(self.land_graph(), indices=sources, min_only=True,
                                                  unweighted=True, limit=limit)
        return steps

    def place_names(self) -> list[str]:
        return [p.name for p in self.places]

    def north_of_38th(self) -> npt.NDArray[np.bool_]:
        return self.grid.lat >= 38.0

    def set_edge(self, array: npt.NDArray[Any], a: int, b: int, value: int) -> None:
        """Write a value on the edge between adjacent hexes ``a`` and ``b`` (both sides)."""
        d = self.grid.direction_to(a, b)
        if d < 0:
            raise ValueError(f"hexes {a} and {b} are not adjacent")
        array[a, d] = value
        array[b, int(opposite(d))] = value

    # --- files -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the map atomically as one ``.npz`` (arrays + JSON metadata string)."""
        meta = {
            "format": MAP_FORMAT,
            "grid": self.grid.spec.to_dict(),
            "terrain_names": list(TERRAIN_NAMES),
            "region_names": list(REGION_NAMES),
            "river_names": list(self.river_names),
            "places": [p.to_dict() for p in self.places],
            "meta": self.meta,
        }
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        assert self.river_id is not None        # filled in by __post_init__
        with open(tmp, "wb") as fh:
            np.savez_compressed(
                fh, terrain=self.terrain.astype(np.int8), elevation=self.elevation.astype(np.int16),
                relief=self.relief.astype(np.int16), region=self.region.astype(np.int8),
                river=self.river.astype(np.int8), road=self.road.astype(np.int8),
                rail=self.rail.astype(bool), river_id=self.river_id.astype(np.int8),
                meta_json=np.array(json.dumps(meta)))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> MapData:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
            meta = json.loads(str(arrays.pop("meta_json")))
        except FileNotFoundError:
            raise MapFileError(f"{path}: no such map file") from None
        except (OSError, ValueError, KeyError) as exc:
            raise MapFileError(f"{path}: not a readable map file ({exc})") from None
        if meta.get("format") != MAP_FORMAT:
            raise MapFileError(f"{path}: not a map of format {MAP_FORMAT!r}")
        spec = GridSpec(**meta["grid"])
        grid = HexGrid(spec)
        n = grid.n
        for key, shape in (("terrain", (n,)), ("elevation", (n,)), ("relief", (n,)),
                           ("region", (n,)), ("river", (n, 6)), ("road", (n, 6)),
                           ("rail", (n, 6)), ("river_id", (n, 6))):
            if key not in arrays or arrays[key].shape != shape:
                raise MapFileError(f"{path}: array {key!r} missing or not of shape {shape}")
        places = [Place(name=p["name"], lat=p["lat"], lon=p["lon"], hex=int(p["hex"]),
                        kind=p.get("kind", "town"), port=bool(p.get("port", False)),
                        vp=int(p.get("vp", 0)), aliases=tuple(p.get("aliases", ())),
                        source=p.get("source", ""))
                  for p in meta.get("places", [])]
        return cls(grid=grid, terrain=arrays["terrain"], elevation=arrays["elevation"],
                   relief=arrays["relief"], region=arrays["region"], river=arrays["river"],
                   road=arrays["road"], rail=arrays["rail"], river_id=arrays["river_id"],
                   river_names=list(meta.get("river_names", [])), places=places,
                   meta=meta.get("meta", {}))

    @classmethod
    def blank(cls, spec: GridSpec, terrain: str = "clear") -> MapData:
        """An empty map of one terrain: the start for hand-made and test maps."""
        grid = HexGrid(spec)
        n = grid.n
        return cls(grid=grid, terrain=np.full(n, TERRAIN[terrain], dtype=np.int8),
                   elevation=np.zeros(n, dtype=np.int16), relief=np.zeros(n, dtype=np.int16),
                   region=np.zeros(n, dtype=np.int8), river=np.zeros((n, 6), dtype=np.int8),
                   road=np.zeros((n, 6), dtype=np.int8), rail=np.zeros((n, 6), dtype=bool))
