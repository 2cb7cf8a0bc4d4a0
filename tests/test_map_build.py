"""The map build script on a small crop of the raw data, its inputs and its geometry helpers."""

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from game.engine.hexgrid import GridSpec, HexGrid
from game.engine.mapdata import REGION, TERRAIN, MapData
from game.tools import build_map
from game.tools.hexedges import EdgeGraph, point_in_polygon, remove_loops

REPO = Path(__file__).resolve().parents[1]
DATA = build_map.default_data_dir()
CROP = (37.0, 38.5, 126.5, 128.0)          # south, north, west, east: Seoul to the parallel

needs_data = pytest.mark.skipif(not (DATA / "elevation.npz").is_file(),
                                reason=f"raw map data not found at {DATA}")


def _crop_data(src: Path, dst: Path, box, margin=0.1):
    """Write a crop of the raw data folder: rasters sliced, GeoJSON features that touch it."""
    s, n, w, e = box[0] - margin, box[1] + margin, box[2] - margin, box[3] + margin
    dst.mkdir(parents=True, exist_ok=True)
    for name, key in (("elevation.npz", "elevation"), ("landmask.npz", "land"),
                      ("drainage.npz", "drainage_km2")):
        with np.load(src / name) as z:
            lat, lon = z["lat"], z["lon"]
            r = (lat >= s) & (lat <= n)
            c = (lon >= w) & (lon <= e)
            np.savez_compressed(dst / name, **{key: z[key][np.ix_(r, c)], "lat": lat[r], "lon": lon[c]})
    for name in ("hydro.geojson", "streams_dem.geojson", "cities_geonames.geojson",
                 "cities_ne.geojson"):
        fc = json.loads((src / name).read_text(encoding="utf-8"))

        def touches(coords):
            a = np.asarray(coords, dtype=float).reshape(-1, np.asarray(coords).shape[-1])
            return bool(((a[:, 1] >= s) & (a[:, 1] <= n) & (a[:, 0] >= w) & (a[:, 0] <= e)).any())

        def flat(geom):
            t, c = geom["type"], geom["coordinates"]
            if t == "Point":
                return [c]
            if t in ("LineString",):
                return c
            if t in ("MultiLineString", "Polygon"):
                return [p for part in c for p in part]
            return [p for poly in c for ring in poly for p in ring]

        fc["features"] = [f for f in fc["features"] if touches(flat(f["geometry"]))]
        (dst / name).write_text(json.dumps(fc), encoding="utf-8")


@pytest.fixture(scope="module")
def crop_build(tmp_path_factory):
    if not (DATA / "elevation.npz").is_file():
        pytest.skip(f"raw map data not found at {DATA}")
    tmp = tmp_path_factory.mktemp("mapcrop")
    _crop_data(DATA, tmp / "data", CROP)
    out = tmp / "crop.npz"
    t0 = time.perf_counter()
    rc = build_map.main(["--data", str(tmp / "data"), "--bbox", *map(str, CROP), "--hex-km", "10",
                         "--out", str(out), "--quiet"])
    return rc, out, time.perf_counter() - t0, tmp


def test_crop_build_runs(crop_build):
    rc, out, seconds, _ = crop_build
    assert rc == 0
    assert seconds < 30
    m = MapData.load(out)
    spec = GridSpec.covering(*CROP, 10.0)
    assert (m.grid.spec.rows, m.grid.spec.cols) == (spec.rows, spec.cols)
    assert m.terrain.shape == (spec.rows * spec.cols,)


def test_crop_has_the_places_and_rivers_of_the_box(crop_build):
    m = MapData.load(crop_build[1])
    names = set(m.place_names())
    assert {"Seoul", "Inchon", "Kaesong", "Chunchon", "Uijongbu", "Munsan"} <= names
    assert not {"Pusan", "Pyongyang", "Antung"} & names
    assert m.terrain[m.find_place("Seoul").hex] == TERRAIN["urban"]
    eg = EdgeGraph(m.grid)
    for river in ("Han", "Imjin", "Pukhan"):
        rid = m.river_names.index(river)
        pieces = eg.components(eg.edges_of_array(m.river_id == rid))
        assert len(pieces) == 1, river
    # Kaesong (37.97 N) was South Korean in 1950.
    assert m.region[m.find_place("Kaesong").hex] == REGION["south"]
    assert set(np.unique(m.region)) <= {REGION["none"], REGION["south"], REGION["north"]}
    assert any("off the map" in line for line in m.meta["build_log"])


def test_crop_routes_are_cut_at_the_map_edge(crop_build):
    m = MapData.load(crop_build[1])
    assert m.meta["routes"]
    seoul = m.find_place("Seoul").hex
    assert m.rail[seoul].any() and (m.road[seoul] == 2).any()


def test_crop_png(crop_build):
    pytest.importorskip("pygame")
    from game.render.map_png import render_map_png
    m = MapData.load(crop_build[1])
    png = crop_build[3] / "crop.png"
    render_map_png(m, png, px_per_km=1.0)
    assert png.stat().st_size > 1000


def test_build_script_does_not_import_pygame():
    code = ("import sys; import game.tools.build_map; "
            "sys.exit(1 if 'pygame' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


@needs_data
def test_committed_asset_matches_a_fresh_build():
    """The asset is what the script builds from the data and the YAML files (run the build
    again after changing any of them)."""
    asset = MapData.load(REPO / "assets" / "maps" / "korea_10km.npz")
    t0 = time.perf_counter()
    fresh, _ = build_map.build()
    assert time.perf_counter() - t0 < 30
    for key in ("terrain", "elevation", "relief", "region", "river", "road", "rail", "river_id"):
        assert np.array_equal(getattr(asset, key), getattr(fresh, key)), key
    assert [p.to_dict() for p in asset.places] == [p.to_dict() for p in fresh.places]


# --- inputs ------------------------------------------------------------------------------
def test_yaml_duplicate_keys_are_refused(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("a: 1\nb: 2\na: 3\n")
    with pytest.raises(build_map.MapBuildError, match=r"dup.yaml:3:1: duplicate key 'a'"):
        build_map.load_yaml(p)


def test_shipped_yaml_files_load():
    for name in ("map_thresholds.yaml", "places.yaml", "routes.yaml", "borders.yaml"):
        assert build_map.load_yaml(build_map.TOOLS_DIR / name)
    places = build_map.load_yaml(build_map.TOOLS_DIR / "places.yaml")["places"]
    for p in places:
        assert {"name", "lat", "lon", "kind", "port", "vp", "source"} <= set(p), p["name"]
        assert 33.0 <= p["lat"] <= 43.0 and 124.0 <= p["lon"] <= 131.0, p["name"]
    routes = build_map.load_yaml(build_map.TOOLS_DIR / "routes.yaml")["routes"]
    known = {n.casefold() for p in places for n in (p["name"], *(p.get("aliases") or ()))}
    for r in routes:
        assert r["source"]
        for wp in r["via"]:
            assert isinstance(wp, list) or wp.casefold() in known, (r["name"], wp)


def test_unknown_route_waypoint_is_an_error(crop_build):
    raw = build_map.load_raw(crop_build[3] / "data")
    routes = {"routes": [{"name": "bad", "road": "main", "via": ["Seoul", "Atlantis"],
                          "source": "test"}]}
    b = build_map.MapBuilder(raw, box=CROP, routes=routes)
    with pytest.raises(build_map.MapBuildError, match="unknown place 'Atlantis'"):
        b.build()


def test_unknown_terrain_feature_is_an_error():
    feats = {"slope": np.zeros(3)}
    with pytest.raises(build_map.MapBuildError, match="unknown feature 'height'"):
        build_map.eval_conditions({"min_height": 3}, feats, "here")
    assert build_map.eval_conditions({"max_slope": 0}, feats, "here").all()


# --- geometry helpers --------------------------------------------------------------------
def test_polyline_to_edges_is_one_simple_chain():
    g = HexGrid(GridSpec.covering(37.0, 38.0, 126.0, 127.0, 10.0))
    eg = EdgeGraph(g)
    xy = np.array([[5.0, 5.0], [40.0, 30.0], [60.0, 90.0], [20.0, 100.0]])
    e = eg.polyline_to_edges(xy)
    assert len(eg.components(e)) == 1
    deg = np.bincount(eg.edge_v[e].ravel(), minlength=eg.n_vertices)
    assert deg.max() <= 2 and (deg == 1).sum() == 2       # a simple path
    # Every edge stays near the line.
    from scipy.spatial import cKDTree

    from game.tools.hexedges import densify
    d, _ = cKDTree(densify(xy, 0.5)).query(eg.edge_mid[e])
    assert d.max() < g.corner_km * 1.1


def test_edge_graph_matches_neighbours():
    g = HexGrid(GridSpec.covering(37.0, 38.0, 126.0, 127.0, 10.0))
    eg = EdgeGraph(g)
    nb = g.neighbors
    for d in range(6):
        ok = nb[:, d] >= 0
        assert (eg.edge_of[ok, d] == eg.edge_of[nb[ok, d], (d + 3) % 6]).all()


def test_remove_loops_and_point_in_polygon():
    assert remove_loops([1, 2, 3, 4, 2, 5]) == [1, 2, 5]
    square = [np.array([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]])]
    inside = point_in_polygon(np.array([1.0, 3.0]), np.array([1.0, 1.0]), square)
    assert inside.tolist() == [True, False]
