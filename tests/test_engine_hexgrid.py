import numpy as np
import pytest

from game.engine.hexgrid import GridSpec, HexGrid, axial_distance, opposite


@pytest.fixture(scope="module")
def korea():
    return HexGrid(GridSpec.covering(33.0, 43.0, 124.0, 131.0, 10.0))


def test_covering_grid_size(korea):
    assert korea.spec.hex_km == 10.0
    assert 7000 < korea.n < 10000
    assert korea.lat.max() == pytest.approx(43.0)
    assert korea.lat.min() <= 33.05 and korea.lon.max() >= 130.95


def test_neighbours_are_symmetric_and_at_distance_one(korea):
    nb = korea.neighbors
    h, d = np.nonzero(nb >= 0)
    assert (nb[nb[h, d], opposite(d)] == h).all()
    assert (korea.distance(h, nb[h, d]) == 1).all()
    # Interior hexes have six neighbours; corners fewer.
    assert (nb[korea.index(60, 30)] >= 0).all()
    assert (nb[0] >= 0).sum() == 2


def test_neighbour_spacing_is_hex_km(korea):
    h = int(korea.index(50, 30))
    for b in korea.neighbors[h]:
        dx, dy = korea.x_km[b] - korea.x_km[h], korea.y_km[b] - korea.y_km[h]
        assert np.hypot(dx, dy) == pytest.approx(10.0)


def test_latlon_round_trip_and_real_places(korea):
    assert (korea.latlon_to_index(korea.lat, korea.lon) == np.arange(korea.n)).all()
    seoul = int(korea.latlon_to_index(37.566, 126.978))
    assert abs(korea.lat[seoul] - 37.566) < 0.06 and abs(korea.lon[seoul] - 126.978) < 0.07
    assert korea.latlon_to_index(50.0, 126.0) == -1


def test_distance_range_and_line(korea):
    a = int(korea.index(40, 20))
    ring2 = korea.within(a, 2)
    assert ring2.size == 19
    assert (korea.distance(a, ring2) <= 2).all()
    b = int(korea.index(47, 25))
    line = korea.line(a, b)
    n = int(korea.distance(a, b))
    assert line[0] == a and line[-1] == b and line.size == n + 1
    assert (korea.distance(line[:-1], line[1:]) == 1).all()
    d = korea.distances_from(a)
    assert d[a] == 0 and d[b] == n


@pytest.mark.parametrize("k", [1, 5, 33, 200])
def test_distances_from_many_sources_is_the_nearest_by_the_formula(korea, k):
    """Few sources use the formula, many the distance transform: both are the plain minimum."""
    rng = np.random.default_rng(k)
    src = rng.integers(0, korea.n, k)
    src[0] = 0                                       # a corner, where rows zigzag at the edge
    brute = korea.distance(src[:, None], np.arange(korea.n)[None, :]).min(axis=0)
    got = korea.distances_from(src)
    assert got.dtype == np.int64 and np.array_equal(got, brute)
    # With a limit the search stops there: nearer hexes exact, the rest one beyond the limit.
    near = korea.distances_from(src, limit=7)
    assert near.dtype == np.int64 and np.array_equal(near, np.minimum(brute, 8))


def test_axial_distance_broadcasts():
    assert axial_distance(0, 0, np.array([1, 2, -3]), np.array([0, -1, 3])).tolist() == [1, 2, 3]


def test_edge_between(korea):
    h = int(korea.index(10, 10))
    nbs = korea.neighbors[h]
    assert korea.edge_between(np.full(6, h), nbs).tolist() == list(range(6))
    assert korea.direction_to(h, h) == -1
