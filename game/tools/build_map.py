"""Build the hex map of Korea from the real geodata in ``shared/data/korea``.

Usage::

    python -m game.tools.build_map                       # assets/maps/korea_10km.npz
    python -m game.tools.build_map --hex-km 5 --out assets/maps/korea_5km.npz
    python -m game.tools.build_map --png out.png         # also draw a picture
    python -m game.tools.build_map --bbox 37 38.5 126.5 128 --out /tmp/crop.npz

Inputs (see ``game/tools/README_map.md``): the raw data folder (``--data``, by default
``<repo>/../shared/data/korea``) and four YAML files next to this script, which hold every
number and name the build uses: ``map_thresholds.yaml`` (terrain classes, lakes, rivers,
routing costs), ``places.yaml`` (the wartime places), ``routes.yaml`` (the 1950 road and rail
network) and ``borders.yaml`` (the pieces of international border that are not rivers).

Everything is vectorised over the 1' samples and the hexes; the only Python loops run over
features (rivers, places, routes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from game.engine.errors import GameError
from game.engine.hexgrid import GridSpec, HexGrid
from game.engine.mapdata import (
    REGION,
    REGION_NAMES,
    RIVER_MAJOR,
    RIVER_MINOR,
    ROAD_MAIN,
    ROAD_MINOR,
    TERRAIN,
    TERRAIN_NAMES,
    MapData,
    Place,
)
from game.engine.paths import MAPS_DIR, REPO_ROOT
from game.tools.hexedges import EdgeGraph, point_in_polygon, remove_loops

TOOLS_DIR = Path(__file__).resolve().parent
DEFAULT_BOX = (33.0, 43.0, 124.0, 131.0)      # south, north, west, east
DEFAULT_HEX_KM = 10.0
BUILDER_VERSION = "build_map/1"

DATA_FILES = ("elevation.npz", "landmask.npz", "drainage.npz", "hydro.geojson",
              "streams_dem.geojson")


class MapBuildError(GameError):
    """The inputs are inconsistent (a bad YAML entry, a leaking border, ...)."""


def default_data_dir() -> Path:
    return REPO_ROOT.parent / "shared" / "data" / "korea"


def default_out(hex_km: float) -> Path:
    km = f"{hex_km:g}".replace(".", "p")
    return MAPS_DIR / f"korea_{km}km.npz"


# --- YAML -------------------------------------------------------------------------------
class _StrictLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise MapBuildError(f"{mark.name}:{mark.line + 1}:{mark.column + 1}: "
                                f"duplicate key {key!r}")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path) -> dict:
    path = Path(path)
    with open(path, encoding="utf-8") as fh:
        loader = _StrictLoader(fh)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


# --- raw data ---------------------------------------------------------------------------
@dataclass
class RawData:
    elevation: np.ndarray      # int16 (rows, cols)
    land: np.ndarray           # bool
    drainage: np.ndarray       # float32
    lat: np.ndarray            # (rows,)
    lon: np.ndarray            # (cols,)
    hydro: list                # GeoJSON features
    streams: list
    hashes: dict
    cities: dict = None        # {"geonames": {id: (lat, lon)}, "ne": {name: (lat, lon)}}


def load_raw(data_dir) -> RawData:
    data_dir = Path(data_dir)
    missing = [f for f in DATA_FILES if not (data_dir / f).is_file()]
    if missing:
        raise MapBuildError(f"{data_dir}: missing raw data files {missing} "
                            f"(pass --data DIR; see game/tools/README_map.md)")
    hashes = {f: hashlib.sha256((data_dir / f).read_bytes()).hexdigest()[:16] for f in DATA_FILES}
    with np.load(data_dir / "elevation.npz") as z:
        elevation, lat, lon = z["elevation"], z["lat"], z["lon"]
    with np.load(data_dir / "landmask.npz") as z:
        land = z["land"].astype(bool)
    with np.load(data_dir / "drainage.npz") as z:
        drainage = z["drainage_km2"]
    if not (elevation.shape == land.shape == drainage.shape == (lat.size, lon.size)):
        raise MapBuildError(f"{data_dir}: raster shapes do not agree")
    hydro = json.loads((data_dir / "hydro.geojson").read_text(encoding="utf-8"))["features"]
    streams = json.loads((data_dir / "streams_dem.geojson").read_text(encoding="utf-8"))["features"]
    cities = {"geonames": {}, "ne": {}}
    for fname, key in (("cities_geonames.geojson", "geonames"), ("cities_ne.geojson", "ne")):
        path = data_dir / fname
        if not path.is_file():
            continue
        hashes[fname] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            lon_, lat_ = f["geometry"]["coordinates"][:2]
            ident = f["properties"].get("geonameid") if key == "geonames" else f["properties"]["name"]
            cities[key][str(ident)] = (lat_, lon_)
    return RawData(elevation, land, drainage, lat, lon, hydro, streams, hashes, cities)


def _lines(geometry):
    """The coordinate lists (lon, lat) of a LineString / MultiLineString."""
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return list(geometry["coordinates"])
    return []


def _rings(geometry):
    """All rings (outer and holes) of a Polygon / MultiPolygon, for an even-odd test."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


# --- rule evaluation --------------------------------------------------------------------
def eval_conditions(cond: dict, feats: dict, where: str) -> np.ndarray:
    """``{min_slope: 60, max_lon: 127, coastal: true}`` -> boolean mask over hexes."""
    n = len(next(iter(feats.values())))
    mask = np.ones(n, dtype=bool)
    for key, value in (cond or {}).items():
        if key.startswith(("min_", "max_")):
            name = key[4:]
            if name not in feats:
                raise MapBuildError(f"{where}: unknown feature {name!r} in {key!r}; "
                                    f"known: {sorted(feats)}")
            arr = feats[name]
            mask &= (arr >= value) if key.startswith("min_") else (arr <= value)
        elif key in feats and feats[key].dtype == bool:
            mask &= feats[key] == bool(value)
        else:
            raise MapBuildError(f"{where}: unknown condition {key!r}; use min_<feature>, "
                                f"max_<feature> or a boolean feature of {sorted(feats)}")
    return mask


# --- the builder ------------------------------------------------------------------------
class MapBuilder:
    def __init__(self, raw: RawData, hex_km=DEFAULT_HEX_KM, box=DEFAULT_BOX,
                 thresholds=None, places=None, routes=None, borders=None, verbose=False):
        self.raw = raw
        self.box = tuple(float(v) for v in box)
        self.hex_km = float(hex_km)
        self.cfg = thresholds if thresholds is not None else load_yaml(TOOLS_DIR / "map_thresholds.yaml")
        self.places_cfg = places if places is not None else load_yaml(TOOLS_DIR / "places.yaml")
        self.routes_cfg = routes if routes is not None else load_yaml(TOOLS_DIR / "routes.yaml")
        self.borders_cfg = borders if borders is not None else load_yaml(TOOLS_DIR / "borders.yaml")
        self.verbose = verbose
        self.log_lines: list[str] = []
        south, north, west, east = self.box
        self.spec = GridSpec.covering(south, north, west, east, self.hex_km)
        self.grid = HexGrid(self.spec)
        self.edges = EdgeGraph(self.grid)

    def log(self, msg: str):
        self.log_lines.append(msg)
        if self.verbose:
            print(msg, file=sys.stderr)

    # -- samples ------------------------------------------------------------------------
    def _samples(self):
        """Assign every 1' sample to its hex; empty hexes borrow their nearest sample."""
        raw, g = self.raw, self.grid
        lat2, lon2 = np.meshgrid(raw.lat, raw.lon, indexing="ij")
        hex_of = g.latlon_to_index(lat2, lon2).ravel()
        # Slope (m per km) of every sample, on heights clamped to >= 0 (sea = 0).
        elev = raw.elevation.astype(np.float64)
        e0 = np.where(raw.land, np.maximum(elev, 0.0), 0.0)
        dlat = abs(raw.lat[1] - raw.lat[0]) if raw.lat.size > 1 else 1 / 60
        dlon = abs(raw.lon[1] - raw.lon[0]) if raw.lon.size > 1 else 1 / 60
        dy = dlat * 110.574
        dx = dlon * 111.32 * np.cos(np.radians(raw.lat))[:, None]
        gy, gx = np.gradient(e0)
        slope = np.hypot(gy / dy, gx / dx).ravel()
        sample = np.arange(hex_of.size)
        ok = hex_of >= 0
        counts = np.bincount(hex_of[ok], minlength=g.n)
        empty = np.nonzero(counts == 0)[0]
        if empty.size:
            ri = np.clip(np.rint((raw.lat[0] - g.lat[empty]) / (raw.lat[0] - raw.lat[1])), 0,
                         raw.lat.size - 1).astype(np.int64)
            ci = np.clip(np.rint((g.lon[empty] - raw.lon[0]) / (raw.lon[1] - raw.lon[0])), 0,
                         raw.lon.size - 1).astype(np.int64)
            extra = ri * raw.lon.size + ci
            hexes = np.concatenate([hex_of[ok], empty])
            sample = np.concatenate([sample[ok], extra])
        else:
            hexes, sample = hex_of[ok], sample[ok]
        self.s_hex, self.s_idx = hexes, sample
        self.s_lat, self.s_lon = lat2.ravel()[sample], lon2.ravel()[sample]
        self.s_land = raw.land.ravel()[sample]
        self.s_elev = elev.ravel()[sample]
        self.s_slope = slope[sample]
        self.s_drain = raw.drainage.ravel()[sample]

    def _hex_stats(self):
        n = self.grid.n
        h, land = self.s_hex, self.s_land
        cnt = np.bincount(h, minlength=n).astype(np.float64)
        nland = np.bincount(h, weights=land, minlength=n)
        self.land_fraction = nland / np.maximum(cnt, 1)
        e_land = np.maximum(self.s_elev, 0.0)
        mean_land = np.bincount(h, weights=np.where(land, e_land, 0), minlength=n) / np.maximum(nland, 1)
        mean_all = np.bincount(h, weights=self.s_elev, minlength=n) / np.maximum(cnt, 1)
        self.mean_elev = np.where(nland > 0, mean_land, mean_all)
        hi = np.full(n, -np.inf)
        lo = np.full(n, np.inf)
        np.maximum.at(hi, h[land], e_land[land])
        np.minimum.at(lo, h[land], e_land[land])
        self.relief = np.where(nland > 0, hi - lo, 0.0)
        self.max_elev = np.where(nland > 0, hi, self.mean_elev)
        self.mean_slope = np.bincount(h, weights=np.where(land, self.s_slope, 0),
                                      minlength=n) / np.maximum(nland, 1)
        tidal = (~land) & (self.s_elev >= 0)
        self.tidal_fraction = np.bincount(h, weights=tidal, minlength=n) / np.maximum(cnt, 1)
        self.n_samples = cnt

    # -- terrain ------------------------------------------------------------------------
    def _lakes(self):
        cfg = self.cfg["lakes"]
        n = self.grid.n
        frac_all = np.zeros(n)
        self.lake_hexes = {}
        pl = self.places_cfg.get("places", [])
        place_hexes = self.grid.latlon_to_index([float(p["lat"]) for p in pl],
                                                [float(p["lon"]) for p in pl]) if pl else []
        place_hexes = np.asarray(place_hexes, dtype=np.int64)
        place_hexes = place_hexes[place_hexes >= 0]
        for f in self.raw.hydro:
            p = f["properties"]
            if p.get("kind") not in ("lake", "reservoir"):
                continue
            rings = _rings(f["geometry"])
            allpts = np.concatenate([np.asarray(r) for r in rings])
            bb = ((self.s_lon >= allpts[:, 0].min() - 0.02) & (self.s_lon <= allpts[:, 0].max() + 0.02)
                  & (self.s_lat >= allpts[:, 1].min() - 0.02) & (self.s_lat <= allpts[:, 1].max() + 0.02))
            sel = np.nonzero(bb)[0]
            if sel.size == 0:
                continue
            inside = point_in_polygon(self.s_lon[sel], self.s_lat[sel], rings)
            if not inside.any():
                continue
            frac = np.bincount(self.s_hex[sel][inside], minlength=n) / np.maximum(self.n_samples, 1)
            hexes = set(np.nonzero(frac >= cfg["min_fraction"])[0].tolist())
            # A small lake still gets its best-covered hex, but not one that holds a listed
            # place (Hagaru-ri at the south tip of the Chosin reservoir stays on land).
            cover = frac.copy()
            if cfg.get("keep_place_hexes_dry", True):
                cover[place_hexes] = 0.0
            best = int(np.argmax(cover))
            if cover[best] >= cfg["min_fraction_best_hex"]:
                hexes.add(best)
            else:
                best = int(np.argmax(frac))
            self.lake_hexes[p["name"]] = sorted(hexes)
            frac_all += frac
            self.log(f"lake {p['name']}: {len(hexes)} hex(es), best cover {frac[best]:.2f}")
        self.lake_fraction = frac_all

    def _terrain(self):
        g = self.grid
        cfg = self.cfg
        land = self.land_fraction >= cfg["land"]["min_land_fraction"]
        # Coastal: a land hex with a sea neighbour (off-map counts as neither).
        nb = g.neighbors
        nb_sea = np.where(nb >= 0, ~land[np.maximum(nb, 0)], False)
        feats = {
            "elevation": self.mean_elev, "max_elevation": self.max_elev, "relief": self.relief,
            "slope": self.mean_slope, "land_fraction": self.land_fraction,
            "tidal_fraction": self.tidal_fraction, "lat": g.lat, "lon": g.lon,
            "coastal": land & nb_sea.any(axis=1),
        }
        self.features = feats
        terrain = np.full(g.n, TERRAIN["clear"], dtype=np.int8)
        done = ~land
        for i, rule in enumerate(cfg["terrain_rules"]):
            name = rule["terrain"]
            if name not in TERRAIN:
                raise MapBuildError(f"map_thresholds.yaml: terrain_rules[{i}]: unknown terrain "
                                    f"{name!r}; known: {list(TERRAIN_NAMES)}")
            m = eval_conditions(rule.get("when", {}), feats, f"terrain_rules[{i}]") & ~done
            terrain[m] = TERRAIN[name]
            done |= m
        terrain[~land] = TERRAIN["sea"]
        for hexes in self.lake_hexes.values():
            terrain[hexes] = TERRAIN["lake"]
        self.terrain = terrain

    # -- rivers -------------------------------------------------------------------------
    def _line_runs(self, coords):
        """Split a (lon, lat) line into runs of points on the map; return km polylines."""
        c = np.asarray(coords, dtype=np.float64)
        inside = self.grid.latlon_to_index(c[:, 1], c[:, 0]) >= 0
        runs, start = [], None
        for i, ok in enumerate(np.append(inside, False)):
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                if i - start >= 2:
                    x, y = self.grid.latlon_to_xy(c[start:i, 1], c[start:i, 0])
                    runs.append(np.stack([x, y], axis=1))
                start = None
        return runs

    def _route_line(self, coords):
        rcfg = self.cfg["rivers"]
        parts = [self.edges.polyline_to_edges(xy, rcfg["waypoint_step_hexes"],
                                              rcfg["offset_penalty"])
                 for xy in self._line_runs(coords)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _stitch(self, edges, max_gap_km):
        """Join the pieces of one river whose ends lie within ``max_gap_km`` of each other."""
        eg = self.edges
        for _ in range(20):
            comps = eg.components(edges)
            if len(comps) <= 1:
                break
            comps.sort(key=len, reverse=True)
            main_v = np.unique(eg.edge_v[comps[0]])
            best = None
            for c in comps[1:]:
                cv = np.unique(eg.edge_v[c])
                d = np.hypot(*(eg.vxy[main_v][:, None, :] - eg.vxy[cv][None, :, :]).transpose(2, 0, 1))
                k = np.unravel_index(np.argmin(d), d.shape)
                if best is None or d[k] < best[0]:
                    best = (d[k], main_v[k[0]], cv[k[1]])
            if best is None or best[0] > max_gap_km:
                break
            graph = eg.weighted_graph(np.full(eg.n_edges, 1.0))
            p = eg.vertex_path(graph, int(best[1]), int(best[2]))
            edges = np.union1d(edges, eg.path_edges(p))
        return edges

    def _is_water(self, h):
        """Sea (or off the map) for a hex index array."""
        h = np.asarray(h)
        return (h < 0) | (self.terrain[np.maximum(h, 0)] == TERRAIN["sea"])

    def _trim_sea_ends(self, edges):
        """Drop edges with sea on both sides from the loose ends of a chain."""
        eg = self.edges
        edges = np.asarray(edges, dtype=np.int64)
        for _ in range(500):
            if edges.size == 0:
                break
            h1, _, h2, _ = eg.edge_sides(edges)
            wet = self._is_water(h1) & self._is_water(h2)
            if not wet.any():
                break
            deg = np.bincount(eg.edge_v[edges].ravel(), minlength=eg.n_vertices)
            loose = (deg[eg.edge_v[edges, 0]] == 1) | (deg[eg.edge_v[edges, 1]] == 1)
            drop = wet & loose
            if not drop.any():
                break
            edges = edges[~drop]
        return edges

    def _rivers(self):
        rcfg = self.cfg["rivers"]
        eg = self.edges
        n = self.grid.n
        major = list(rcfg["major"])
        named_lines: dict[str, list] = {}
        for f in self.raw.hydro:
            p = f["properties"]
            if p.get("kind") not in ("river", "lake_centerline") or not p.get("name"):
                continue
            name = rcfg.get("aliases", {}).get(p["name"], p["name"])
            for line in _lines(f["geometry"]):
                named_lines.setdefault(name, []).append(line)
        names = [m for m in major if m in named_lines]
        names += sorted(k for k in named_lines if k not in major)
        self.river_edges = {}
        for name in names:
            e = np.unique(np.concatenate([self._route_line(line_) for line_ in named_lines[name]]))
            e = self._stitch(e, rcfg["stitch_max_gap_hexes"] * self.hex_km)
            self.river_edges[name] = e
        # Untrimmed copies for the border rivers (the barrier must reach the sea).
        self.border_river_edges = {k: v.copy() for k, v in self.river_edges.items()}
        for name in names:
            self.river_edges[name] = self._trim_sea_ends(self.river_edges[name])
        # Minor: DEM streams with big drainage that do not repeat a named river.
        scfg = rcfg["streams"]
        named_xy = [np.stack(self.grid.latlon_to_xy(np.asarray(line_)[:, 1], np.asarray(line_)[:, 0]), 1)
                    for ls in named_lines.values() for line_ in ls]
        from scipy.spatial import cKDTree
        tree = cKDTree(np.concatenate(named_xy)) if named_xy else None
        stream_edges = []
        kept = 0
        for f in self.raw.streams:
            if f["properties"].get("drainage_km2", 0) < scfg["min_drainage_km2"]:
                continue
            for line in _lines(f["geometry"]):
                c = np.asarray(line, dtype=np.float64)
                if tree is not None:
                    x, y = self.grid.latlon_to_xy(c[:, 1], c[:, 0])
                    d, _ = tree.query(np.stack([x, y], 1))
                    if np.mean(d <= scfg["same_as_named_within_km"]) >= scfg["same_as_named_fraction"]:
                        continue
                e = self._route_line(line)
                if e.size:
                    stream_edges.append(e)
                    kept += 1
        all_named = (np.concatenate(list(self.river_edges.values()))
                     if self.river_edges else np.zeros(0, np.int64))
        streams = (np.setdiff1d(np.unique(np.concatenate(stream_edges)), all_named)
                   if stream_edges else np.zeros(0, np.int64))
        streams = self._trim_sea_ends(streams)
        self.log(f"rivers: {len(names)} named, {kept} DEM stream segments kept as minor rivers")
        river = np.zeros((n, 6), dtype=np.int8)
        river_id = np.full((n, 6), -1, dtype=np.int8)
        river_names = names + ["stream"]
        eg.set(river, streams, RIVER_MINOR)
        eg.set(river_id, streams, len(names))
        # Minor named rivers first, then the majors in reverse order of the list, so that a
        # major wins an edge it shares with a minor one and a main stem (earlier in the list)
        # wins the edges a tributary shares with it where they meet.
        order = sorted((k for k in names if k not in major), reverse=True) + \
            [k for k in reversed(major) if k in names]
        for name in order:
            val = RIVER_MAJOR if name in major else RIVER_MINOR
            e = self.river_edges[name]
            eg.set(river, e, val)
            eg.set(river_id, e, river_names.index(name))
        self.river, self.river_id, self.river_names = river, river_id, river_names
        self.major_rivers = [m for m in major if m in names]

    # -- regions ------------------------------------------------------------------------
    def _vertex_hexes(self):
        eg = self.edges
        vh = np.full((eg.n_vertices, 3), -1, dtype=np.int64)
        flat_v = eg.vid.ravel()
        flat_h = np.repeat(np.arange(self.grid.n), 6)
        order = np.argsort(flat_v, kind="stable")
        fv, fh = flat_v[order], flat_h[order]
        start = np.searchsorted(fv, np.arange(eg.n_vertices))
        slot = np.arange(fv.size) - start[fv]
        vh[fv, slot] = fh
        return vh

    def _border_edges(self):
        """Hex edges of the Korea / China-USSR border: Yalu + Paektu gap + Tumen."""
        bcfg = self.borders_cfg
        # Each border river as one chain: pieces that leave the map and come back (the Tumen
        # north of 43 N) are joined along the shortest run of edges between their ends.
        barrier = [self._stitch(self.border_river_edges.get(r, np.zeros(0, np.int64)),
                                bcfg.get("join_gap_km", 60.0)) for r in bcfg["rivers"]]
        for gap in bcfg.get("gaps", []):
            c = np.asarray([[lon, lat] for lat, lon in gap["line"]], dtype=np.float64)
            barrier.append(self._route_line(c))
        barrier = np.unique(np.concatenate(barrier)) if barrier else np.zeros(0, np.int64)
        barrier = self._extend_to_sea(barrier)
        return barrier

    def _extend_to_sea(self, edges):
        """Make each loose end of the border chain end at a vertex that touches the sea."""
        eg = self.edges
        if edges.size == 0:
            return edges
        vh = self._vertex_hexes()
        wet_v = (self._is_water(vh) & (vh >= 0)).any(axis=1) | (vh < 0).any(axis=1)
        deg = np.bincount(eg.edge_v[edges].ravel(), minlength=eg.n_vertices)
        ends = np.nonzero(deg == 1)[0]
        graph = eg.weighted_graph(np.full(eg.n_edges, 1.0))
        targets = np.nonzero(wet_v)[0]
        for v in ends:
            if wet_v[v]:
                continue
            dist, pred = dijkstra(graph, directed=False, indices=int(v), return_predecessors=True,
                                  limit=3 * 2)
            reach = targets[np.isfinite(dist[targets])]
            if reach.size == 0:
                continue
            t = int(reach[np.argmin(dist[reach])])
            path = [t]
            while path[-1] != v:
                path.append(int(pred[path[-1]]))
            edges = np.union1d(edges, eg.path_edges(path[::-1]))
        return edges

    def _regions(self):
        g = self.grid
        bcfg = self.borders_cfg
        n = g.n
        land = self.terrain != TERRAIN["sea"]
        barrier = self._border_edges()
        blocked = np.zeros(self.edges.n_edges, dtype=bool)
        blocked[barrier] = True
        self.barrier_edges = barrier
        nb = g.neighbors
        a = np.repeat(np.arange(n), 6)
        b = nb.ravel()
        e = self.edges.edge_of.ravel()
        ok = (b >= 0) & land[a] & land[np.maximum(b, 0)] & ~blocked[e]
        adj = csr_matrix((np.ones(ok.sum()), (a[ok], b[ok])), shape=(n, n))
        _, comp = connected_components(adj, directed=False)
        side = np.zeros(n, dtype=np.int8)          # 1 Korea, 2 China/USSR, 3 neutral (Japan)
        for key, val in (("korea_seeds", 1), ("outside_seeds", 2), ("neutral_seeds", 3)):
            for lat, lon in bcfg.get(key, []):
                h = int(g.latlon_to_index(lat, lon))
                if h < 0 or not land[h]:
                    continue
                c = comp[h]
                if np.any((side[comp == c] != 0) & (side[comp == c] != val)):
                    raise MapBuildError(f"border leak: seed ({lat}, {lon}) of {key} is in one "
                                        f"land area with a seed of another side; check borders.yaml")
                side[(comp == c) & land] = val
        # Land not reached from a seed (islands): the side of the nearest reached land hex.
        unset = land & (side == 0)
        if unset.any() and (side > 0).any():
            a2 = a[b >= 0]
            b2 = b[b >= 0]
            allg = csr_matrix((np.ones(a2.size), (a2, b2)), shape=(n, n))
            src = np.nonzero(side > 0)[0]
            dist, pred, sources = dijkstra(allg, directed=False, indices=src, min_only=True,
                                           return_predecessors=True)
            uh = np.nonzero(unset)[0]
            got = sources[uh] >= 0
            side[uh[got]] = side[sources[uh[got]]]
        side[land & (side == 0)] = 1
        region = np.zeros(n, dtype=np.int8)
        korea = land & (side == 1)
        region[korea & (g.lat < 38.0)] = REGION["south"]
        region[korea & (g.lat >= 38.0)] = REGION["north"]
        outside = land & (side == 2)
        line = np.asarray(bcfg["china_ussr"]["line"], dtype=np.float64)   # (lat, lon) S->N
        lon_at = np.interp(g.lat, line[:, 0], line[:, 1], left=np.inf, right=np.inf)
        ussr = outside & (g.lon > lon_at) & (g.lat >= line[0, 0]) & (g.lat <= line[-1, 0])
        region[outside] = REGION["china"]
        region[ussr] = REGION["ussr"]
        # Neutral land (Japan: Tsushima, Kyushu, Honshu in the south-east corner) stays "none".
        self.region = region

    # -- places -------------------------------------------------------------------------
    def _nearest_hex(self, lat, lon, ok, radius):
        """The hex within ``radius`` steps of (lat, lon) where ``ok`` holds, nearest in km."""
        g = self.grid
        h0 = int(g.latlon_to_index(lat, lon))
        cand = g.within(h0, radius)
        cand = cand[ok[cand]]
        if cand.size == 0:
            return -1, 0.0
        x, y = g.latlon_to_xy(lat, lon)
        d = np.hypot(g.x_km[cand] - x, g.y_km[cand] - y)
        k = int(np.argmin(d))
        return int(cand[k]), float(d[k])

    def _check_source(self, name, lat, lon, source):
        """A place that cites a GeoNames / Natural Earth record must have its coordinates."""
        cities = self.raw.cities or {}
        ref = None
        m = re.search(r"GeoNames (\d+)", source)
        if m and cities.get("geonames"):
            ref = cities["geonames"].get(m.group(1))
            if ref is None:
                self.log(f"place {name}: GeoNames record {m.group(1)} is not in the data folder")
        m = re.search(r"Natural Earth .*?'([^']+)'", source)
        if m and cities.get("ne"):
            ref = cities["ne"].get(m.group(1))
            if ref is None:
                self.log(f"place {name}: Natural Earth place {m.group(1)!r} is not in the data folder")
        if ref is not None and max(abs(ref[0] - lat), abs(ref[1] - lon)) > 0.001:
            raise MapBuildError(f"places.yaml: {name}: coordinates {lat}, {lon} differ from the "
                                f"cited record ({ref[0]:.4f}, {ref[1]:.4f})")

    def _places(self):
        """Put each place on a land hex of its 1950 side (ports on the coast); log each move."""
        g = self.grid
        pcfg = self.cfg["places"]
        passable = (self.terrain != TERRAIN["sea"]) & (self.terrain != TERRAIN["lake"])
        nb = g.neighbors
        sea_nb = ((nb >= 0) & (self.terrain[np.maximum(nb, 0)] == TERRAIN["sea"])).any(axis=1)
        korean = (REGION["south"], REGION["north"])
        in_korea = np.isin(self.region, korean)
        places = []
        seen = set()
        ucfg = self.cfg["urban"]
        for i, p in enumerate(self.places_cfg["places"]):
            where = f"places.yaml: places[{i}]"
            for key in ("name", "lat", "lon", "kind", "source"):
                if key not in p:
                    raise MapBuildError(f"{where}: missing {key!r}")
            name = p["name"]
            if p["kind"] not in ("capital", "city", "town", "village"):
                raise MapBuildError(f"{where} ({name}): kind must be capital, city, town "
                                    f"or village, not {p['kind']!r}")
            if name.casefold() in seen:
                raise MapBuildError(f"{where}: duplicate place {name!r}")
            seen.add(name.casefold())
            lat, lon = float(p["lat"]), float(p["lon"])
            self._check_source(name, lat, lon, str(p["source"]))
            side = p.get("side") or ("south" if lat < 38.0 else "north")
            if side not in ("south", "north", "china", "ussr"):
                raise MapBuildError(f"{where} ({name}): side must be south, north, china or ussr")
            want = REGION[side]
            port = bool(p.get("port", False))
            h = int(g.latlon_to_index(lat, lon))
            if h < 0:
                self.log(f"place {name}: outside the map, skipped")
                continue
            # Korea's two halves count as one country here; the parallel is settled below.
            country = in_korea if want in korean else (self.region == want)
            ok = passable & country
            why = []
            if not passable[h]:
                why.append(f"its hex {h} is {TERRAIN_NAMES[self.terrain[h]]}")
            elif not country[h]:
                why.append(f"its hex {h} is {REGION_NAMES[self.region[h]]}, not {side}")
            elif port and not sea_nb[h]:
                why.append(f"its hex {h} has no sea neighbour for a port")
            if why:
                new = -1
                if port:
                    new, d = self._nearest_hex(lat, lon, ok & sea_nb, pcfg["max_move_hexes"])
                if new < 0:
                    new, d = self._nearest_hex(lat, lon, ok, pcfg["max_move_hexes"])
                if new < 0:
                    self.log(f"place {name}: {why[0]} and no fitting hex within "
                             f"{pcfg['max_move_hexes']} hexes; skipped")
                    continue
                self.log(f"place {name}: {why[0]}; moved to hex {new}, {d:.1f} km from its "
                         f"coordinates")
                h = new
            places.append(Place(name=name, lat=lat, lon=lon, hex=h, kind=p["kind"], port=port,
                                vp=int(p.get("vp", 0)), aliases=tuple(p.get("aliases", ()) or ()),
                                source=p["source"]))
            # The side of the parallel a place was on in 1950 wins over its hex centre.
            if want in korean and self.region[h] != want:
                self.region[h] = want
                self.log(f"place {name} ({lat:.3f} N): hex {h} straddles the 38th parallel; "
                         f"set to {side}, the side the place was on in 1950")
            if p["kind"] in ucfg["kinds"] and int(p.get("vp", 0)) >= ucfg.get("min_vp", 0):
                self.terrain[h] = TERRAIN["urban"]
        self.places = places

    # -- routes -------------------------------------------------------------------------
    def _step_costs(self):
        rc = self.cfg["routing"]
        cost = np.array([rc["step_cost"].get(t, np.inf) for t in TERRAIN_NAMES])
        return cost[self.terrain]

    def _resolve_waypoint(self, wp, where):
        g = self.grid
        if isinstance(wp, str):
            pl = self._place_by_name.get(wp.casefold())
            if pl is None:
                if wp.casefold() in self._known_names:
                    return None          # a place that is off this (cropped) map
                raise MapBuildError(f"{where}: unknown place {wp!r} (add it to places.yaml "
                                    f"or give [lat, lon])")
            return pl.hex
        if isinstance(wp, (list, tuple)) and len(wp) == 2:
            h = int(g.latlon_to_index(float(wp[0]), float(wp[1])))
            if h < 0:
                return None
            if not self._passable[h]:
                cand = g.within(h, 3)
                cand = cand[self._passable[cand]]
                if cand.size == 0:
                    return None
                h = int(cand[np.argmin(g.distance(h, cand))])
            return h
        raise MapBuildError(f"{where}: a waypoint is a place name or [lat, lon], not {wp!r}")

    def _routes(self):
        g = self.grid
        rc = self.cfg["routing"]
        n = g.n
        self._passable = (self.terrain != TERRAIN["sea"]) & (self.terrain != TERRAIN["lake"])
        self._place_by_name = {}
        for pl in self.places:
            for nm in (pl.name, *pl.aliases):
                self._place_by_name.setdefault(nm.casefold(), pl)
        self._known_names = {nm.casefold() for p in self.places_cfg["places"]
                             for nm in (p["name"], *(p.get("aliases") or ()))}
        step = self._step_costs()
        a = np.repeat(np.arange(n), 6)
        d = np.tile(np.arange(6), n)
        b = self.grid.neighbors.ravel()
        ok = (b >= 0) & self._passable[a] & self._passable[np.maximum(b, 0)]
        a, b, d = a[ok], b[ok], d[ok]
        base = 0.5 * (step[a] + step[b])
        base = base + rc["major_river_crossing"] * (self.river[a, d] == RIVER_MAJOR)
        road = np.zeros((n, 6), dtype=np.int8)
        rail = np.zeros((n, 6), dtype=bool)
        self.route_paths = []
        for i, r in enumerate(self.routes_cfg["routes"]):
            where = f"routes.yaml: routes[{i}] ({r.get('name', '?')})"
            for key in ("name", "via", "source"):
                if key not in r:
                    raise MapBuildError(f"{where}: missing {key!r}")
            road_val = {"main": ROAD_MAIN, "minor": ROAD_MINOR, None: 0, "none": 0}.get(r.get("road"))
            if road_val is None:
                raise MapBuildError(f"{where}: road must be main, minor or none")
            is_rail = bool(r.get("rail", False))
            if not road_val and not is_rail:
                raise MapBuildError(f"{where}: neither road nor rail")
            reuse = np.zeros(a.size, dtype=bool)
            if is_rail:
                reuse |= rail[a, d]
            if road_val:
                reuse |= road[a, d] >= road_val
            w = base * np.where(reuse, rc["reuse_discount"], 1.0)
            graph = csr_matrix((w, (a, b)), shape=(n, n))
            hexes = [self._resolve_waypoint(wp, where) for wp in r["via"]]
            pieces, cur = [], []
            for h in hexes:
                if h is None:
                    if len(cur) >= 2:
                        pieces.append(cur)
                    cur = []
                else:
                    cur.append(h)
            if len(cur) >= 2:
                pieces.append(cur)
            if len(pieces) > 1 or any(h is None for h in hexes):
                self.log(f"route {r['name']}: waypoints off the map, drawn in {len(pieces)} piece(s)")
            for piece in pieces:
                path = [piece[0]]
                srcs = sorted(set(piece[:-1]))
                dist, pred = dijkstra(graph, directed=True, indices=srcs, return_predecessors=True)
                row_of = {s: k for k, s in enumerate(srcs)}
                for s, t in zip(piece[:-1], piece[1:], strict=False):
                    if s == t:
                        continue
                    k = row_of[s]
                    if not np.isfinite(dist[k, t]):
                        raise MapBuildError(f"{where}: no land path from hex {s} to hex {t}")
                    seg = [t]
                    while seg[-1] != s:
                        seg.append(int(pred[k, seg[-1]]))
                    path.extend(seg[::-1][1:])
                path = remove_loops(path)
                pa = np.array(path[:-1], dtype=np.int64)
                pb = np.array(path[1:], dtype=np.int64)
                dd = g.edge_between(pa, pb)
                if road_val:
                    np.maximum.at(road, (pa, dd), road_val)
                    np.maximum.at(road, (pb, (dd + 3) % 6), road_val)
                if is_rail:
                    rail[pa, dd] = True
                    rail[pb, (dd + 3) % 6] = True
                self.route_paths.append({"name": r["name"], "rail": is_rail,
                                         "road": r.get("road") or "none",
                                         "hexes": [int(x) for x in path]})
        self.road, self.rail = road, rail

    # -- all ----------------------------------------------------------------------------
    def build(self) -> MapData:
        t0 = time.perf_counter()
        self._samples()
        self._hex_stats()
        self._lakes()
        self._terrain()
        self._rivers()
        self._regions()
        self._places()
        self._routes()
        elev = np.clip(np.rint(self.mean_elev), -32768, 32767).astype(np.int16)
        relief = np.clip(np.rint(self.relief), 0, 32767).astype(np.int16)
        counts = {t: int((self.terrain == TERRAIN[t]).sum()) for t in TERRAIN_NAMES}
        self.log(f"terrain: {counts}")
        meta = self._meta(counts)
        m = MapData(grid=self.grid, terrain=self.terrain, elevation=elev, relief=relief,
                    region=self.region, river=self.river, road=self.road, rail=self.rail,
                    river_id=self.river_id, river_names=self.river_names, places=self.places,
                    meta=meta)
        self.build_seconds = time.perf_counter() - t0
        return m

    def _meta(self, counts):
        return {
            "title": "Korea 1950, built from ETOPO1, Natural Earth and GeoNames",
            "builder": BUILDER_VERSION,
            "hex_km": self.hex_km,
            "box": {"south": self.box[0], "north": self.box[1], "west": self.box[2],
                    "east": self.box[3]},
            "parallel_38": 38.0,
            "major_rivers": self.major_rivers,
            "terrain_counts": counts,
            "sources": {
                "elevation": "NOAA ETOPO1 1 arc-minute global relief (Amante & Eakins 2009, "
                             "doi:10.7289/V5C8276M), public domain",
                "land, rivers, lakes": "Natural Earth 10m v4.0.0, public domain; DEM-traced "
                                       "rivers and reservoirs derived from ETOPO1",
                "places": "game/tools/places.yaml: GeoNames (www.geonames.org), CC BY 4.0; "
                          "Natural Earth; GNS/Wikipedia coordinates (see each place's source)",
                "routes": "game/tools/routes.yaml (see each route's source)",
            },
            "licences": {"ETOPO1": "public domain", "Natural Earth": "public domain",
                         "GeoNames": "CC BY 4.0 - attribution: GeoNames (www.geonames.org)"},
            "attribution": "GeoNames (www.geonames.org), CC BY 4.0; NOAA ETOPO1 and Natural "
                           "Earth, public domain",
            "input_sha256_16": self.raw.hashes,
            "config_sha256_16": {f: hashlib.sha256((TOOLS_DIR / f).read_bytes()).hexdigest()[:16]
                                 for f in ("map_thresholds.yaml", "places.yaml", "routes.yaml",
                                           "borders.yaml") if (TOOLS_DIR / f).is_file()},
            "thresholds": self.cfg,
            "routes": self.route_paths,
            "build_log": self.log_lines,
        }


def build(data_dir=None, hex_km=DEFAULT_HEX_KM, box=DEFAULT_BOX, verbose=False, **kw):
    """Build and return ``(MapData, MapBuilder)``."""
    raw = load_raw(data_dir or default_data_dir())
    b = MapBuilder(raw, hex_km=hex_km, box=box, verbose=verbose, **kw)
    return b.build(), b


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.build_map",
                                 description="Build the Korea hex map from the raw geodata.")
    ap.add_argument("--data", type=Path, default=None,
                    help="raw data folder (default: <repo>/../shared/data/korea)")
    ap.add_argument("--hex-km", type=float, default=DEFAULT_HEX_KM,
                    help="hex size across the flats in km (default 10)")
    ap.add_argument("--bbox", type=float, nargs=4, metavar=("SOUTH", "NORTH", "WEST", "EAST"),
                    default=DEFAULT_BOX, help="lat/lon box (default 33 43 124 131)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output .npz (default assets/maps/korea_<hex-km>km.npz)")
    ap.add_argument("--png", type=Path, default=None, help="also write a picture of the map")
    ap.add_argument("--png-scale", type=float, default=None, help="picture pixels per km")
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    args = ap.parse_args(argv)
    out = args.out or default_out(args.hex_km)
    t0 = time.perf_counter()
    try:
        m, b = build(args.data, hex_km=args.hex_km, box=tuple(args.bbox), verbose=not args.quiet)
    except MapBuildError as exc:
        print(f"build_map: error: {exc}", file=sys.stderr)
        return 1
    m.save(out)
    dt = time.perf_counter() - t0
    counts = m.meta["terrain_counts"]
    print(f"build_map: {out}: {m.grid.spec.rows}x{m.grid.spec.cols} = {m.n} hexes of "
          f"{args.hex_km:g} km, {int(m.land.sum())} land; {len(m.places)} places; "
          f"{len(m.meta['routes'])} route pieces; built in {dt:.1f} s")
    print("build_map: terrain " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if args.png:
        from game.render.map_png import render_map_png  # pygame only here, lazily
        kw = {"px_per_km": args.png_scale} if args.png_scale else {}
        render_map_png(m, args.png, **kw)
        print(f"build_map: picture {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
