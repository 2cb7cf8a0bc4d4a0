"""Checks of the committed map asset assets/maps/korea_10km.npz (no raw data needed)."""

from pathlib import Path

import numpy as np
import pytest

from game.engine.hexgrid import GridSpec
from game.engine.mapdata import REGION, RIVER_MAJOR, ROAD_MAIN, TERRAIN, TERRAIN_NAMES, MapData
from game.tools.hexedges import EdgeGraph

ASSET = Path(__file__).resolve().parents[1] / "assets" / "maps" / "korea_10km.npz"

# Every place the map issue names, as spelt there (1950s spellings), with its 1950 side.
ISSUE_PLACES = """Seoul Inchon Suwon Osan Pyongtaek Chonan Taejon Kumchon Taegu Waegwan Masan Pusan
Pohang Yongdok Andong Yongju Chungju Wonju Hoengsong Chechon Chunchon Hongchon Kapyong
Chipyong-ni Yangpyong Uijongbu Munsan Kaesong Ongjin Haeju Sariwon Pyongyang Chinnampo Anju
Sinanju Kunu-ri Tokchon Huichon Kanggye Manpojin Sinuiju Chongju Unsan Kusong Hyesanjin Hamhung
Hungnam Wonsan Kojo Yonghung Koto-ri Hagaru-ri Yudam-ni Pukchong Songjin Chongjin Chorwon Kumhwa
Pyonggang Inje Yanggu Hwachon Kangnung Samchok Chumunjin Kunsan Chonju Kwangju Mokpo Yosu Chinju
Kimpo Panmunjom Koje-do Cheju Antung Ji'an""".split()
CHINA_PLACES = {"Antung", "Ji'an"}
ISSUE_PORTS = """Pusan Inchon Wonsan Hungnam Chinnampo Kunsan Mokpo Yosu Masan Pohang Chongjin Songjin
Samchok Kangnung""".split()
MAJOR_RIVERS = ["Naktong", "Han", "Namhan", "Imjin", "Kum", "Chongchon", "Taedong", "Yalu",
                "Tumen", "Soyang", "Pukhan"]


@pytest.fixture(scope="module")
def m():
    if not ASSET.is_file():
        pytest.fail(f"{ASSET} missing: run python -m game.tools.build_map")
    return MapData.load(ASSET)


@pytest.fixture(scope="module")
def edges(m):
    return EdgeGraph(m.grid)


def test_asset_loads_with_the_default_grid(m):
    spec = GridSpec.covering(33.0, 43.0, 124.0, 131.0, 10.0)
    assert (m.grid.spec.rows, m.grid.spec.cols) == (spec.rows, spec.cols)
    n = spec.rows * spec.cols
    assert m.terrain.shape == m.elevation.shape == m.relief.shape == m.region.shape == (n,)
    assert m.river.shape == m.road.shape == m.rail.shape == m.river_id.shape == (n, 6)
    assert m.meta["hex_km"] == 10.0
    assert "GeoNames (www.geonames.org)" in m.meta["attribution"]


def test_every_terrain_class_is_present(m):
    counts = {t: int((m.terrain == TERRAIN[t]).sum()) for t in TERRAIN_NAMES}
    assert all(v > 0 for v in counts.values()), counts
    land = m.land.sum()
    # Korea is a mountainous country: rough and mountain together are most of the land.
    assert (counts["rough"] + counts["mountain"]) > 0.5 * land
    assert counts["clear"] > 0.15 * land


def test_edge_arrays_are_symmetric(m):
    nb = m.grid.neighbors
    for arr in (m.river, m.road, m.rail, m.river_id):
        for d in range(6):
            ok = nb[:, d] >= 0
            assert np.array_equal(arr[ok, d], arr[nb[ok, d], (d + 3) % 6])


@pytest.mark.parametrize("name", ISSUE_PLACES)
def test_issue_places_on_land_of_their_1950_side(m, name):
    p = m.find_place(name)
    assert p is not None, f"{name} missing from the map"
    assert m.terrain[p.hex] not in (TERRAIN["sea"], TERRAIN["lake"])
    if name in CHINA_PLACES:
        want = REGION["china"]
    else:
        want = REGION["south"] if p.lat < 38.0 else REGION["north"]
    assert m.region[p.hex] == want, (name, p.lat, m.region[p.hex])
    # The hex is the place's own or a neighbour's (moved off the sea, a lake or the wrong side).
    own = int(m.grid.latlon_to_index(p.lat, p.lon))
    assert m.grid.distance(p.hex, own) <= 1


def test_places_have_sources_and_ports_touch_the_sea(m):
    assert len(m.places) >= 60
    for p in m.places:
        assert p.source, p.name
        if p.port:
            nb = m.grid.neighbors[p.hex]
            assert (m.terrain[nb[nb >= 0]] == TERRAIN["sea"]).any(), p.name
    for name in ISSUE_PORTS:
        assert m.find_place(name).port, name


def test_aliases_find_modern_names(m):
    assert m.find_place("Busan").name == "Pusan"
    assert m.find_place("Dandong").name == "Antung"
    assert m.find_place("Gangneung").name == "Kangnung"


@pytest.mark.parametrize("lat,lon", [(36.5, 124.5), (38.5, 130.0), (34.5, 129.0)])
def test_known_sea_points_are_sea(m, lat, lon):
    h = int(m.grid.latlon_to_index(lat, lon))
    assert m.terrain[h] == TERRAIN["sea"]
    assert m.region[h] == REGION["none"]


@pytest.mark.parametrize("name,lat,lon", [("Seoul", 37.5665, 126.9780),
                                          ("Pyongyang", 39.0194, 125.7381),
                                          ("Pusan", 35.1796, 129.0756)])
def test_capitals_and_pusan_within_one_hex_of_real_position(m, name, lat, lon):
    p = m.find_place(name)
    assert m.grid.distance(p.hex, int(m.grid.latlon_to_index(lat, lon))) <= 1


def test_urban_hexes_at_the_big_cities(m):
    for name in ("Seoul", "Pyongyang", "Pusan", "Taegu", "Inchon", "Wonsan"):
        assert m.terrain[m.find_place(name).hex] == TERRAIN["urban"], name


def test_regions_follow_the_parallel_and_the_rivers(m):
    g = m.grid
    korea = np.isin(m.region, [REGION["south"], REGION["north"]])
    place_hexes = {p.hex for p in m.places}
    off = korea & ((m.region == REGION["north"]) != (g.lat >= 38.0))
    # Only hexes straddling the parallel that hold a place of the other side differ.
    assert set(np.nonzero(off)[0]) <= place_hexes
    assert all(abs(g.lat[h] - 38.0) < 0.1 for h in np.nonzero(off)[0])
    assert (m.region == REGION["china"]).sum() > 500
    assert 0 < (m.region == REGION["ussr"]).sum() < 60
    # Manchuria north of the Yalu, Korea south of it.
    assert m.region[g.latlon_to_index(41.72, 125.93)] == REGION["china"]      # Tonghua
    assert m.region[g.latlon_to_index(40.97, 126.59)] == REGION["north"]      # Kanggye
    assert m.region[g.latlon_to_index(42.87, 130.36)] == REGION["china"]      # Hunchun
    fukuoka = g.latlon_to_index(33.59, 130.40)                                # Japan: land,
    assert m.land[fukuoka] and m.region[fukuoka] == REGION["none"]            # of no side
    assert m.region[g.latlon_to_index(37.94, 125.36)] == REGION["south"]      # Ongjin (ROK 1950)


@pytest.mark.parametrize("name", MAJOR_RIVERS)
def test_major_rivers_are_connected_chains(m, edges, name):
    assert name in m.river_names
    rid = m.river_names.index(name)
    e = edges.edges_of_array(m.river_id == rid)
    assert e.size >= 5
    assert (m.river[m.river_id == rid] == RIVER_MAJOR).all()
    pieces = edges.components(e)
    assert len(pieces) <= (2 if name in ("Yalu", "Tumen") else 1), [len(p) for p in pieces]


def test_minor_rivers_exist(m):
    assert (m.river == 1).sum() > 100


@pytest.mark.parametrize("lat,lon,name", [(40.45, 127.22, "Chosin"), (38.12, 127.80, "Hwachon"),
                                          (40.55, 125.10, "Supung")])
def test_reservoirs_are_lake_hexes(m, lat, lon, name):
    near = m.grid.within(int(m.grid.latlon_to_index(lat, lon)), 1)
    assert (m.terrain[near] == TERRAIN["lake"]).any(), name


def _reach(m, flags, start):
    """Hexes reachable from ``start`` along edges where ``flags`` (n, 6) is set."""
    seen = {start}
    todo = [start]
    nb = m.grid.neighbors
    while todo:
        h = todo.pop()
        for d in np.nonzero(flags[h])[0]:
            j = int(nb[h, d])
            if j >= 0 and j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


@pytest.mark.parametrize("a,b", [("Seoul", "Pusan"), ("Seoul", "Sinuiju"), ("Seoul", "Wonsan"),
                                 ("Pyongyang", "Kowon"), ("Wonsan", "Chongjin"),
                                 ("Seoul", "Yongchon"), ("Taejon", "Mokpo"), ("Samnangjin", "Chinju"),
                                 ("Sinanju", "Manpojin"), ("Taegu", "Pohang")])
def test_rail_lines_connect(m, a, b):
    assert m.find_place(b).hex in _reach(m, m.rail, m.find_place(a).hex)


@pytest.mark.parametrize("a,b,level", [("Seoul", "Pusan", ROAD_MAIN), ("Pyongyang", "Wonsan", ROAD_MAIN),
                                       ("Hungnam", "Yudam-ni", 1), ("Hongchon", "Inje", 1),
                                       ("Wonju", "Kangnung", ROAD_MAIN), ("Pohang", "Wonsan", ROAD_MAIN)])
def test_roads_connect(m, a, b, level):
    assert m.find_place(b).hex in _reach(m, m.road >= level, m.find_place(a).hex)


def test_route_paths_are_continuous(m):
    g = m.grid
    assert len(m.meta["routes"]) >= 40
    for r in m.meta["routes"]:
        h = np.asarray(r["hexes"])
        assert (g.distance(h[:-1], h[1:]) == 1).all(), r["name"]
        assert m.land[h].all(), r["name"]
        d = g.edge_between(h[:-1], h[1:])
        if r["rail"]:
            assert m.rail[h[:-1], d].all(), r["name"]
        if r["road"] != "none":
            assert (m.road[h[:-1], d] > 0).all(), r["name"]
