"""The interdiction planner's area counts (shared by both AIs): the scatter of each hex's disk
gives the same numbers as summing every hex's disk."""

import numpy as np

from game.ai.air_planner import count_area, route_area
from game.sim.session import new_game


def _summed(grid, x, radius):
    disk = grid.disks(radius)
    return np.where(disk >= 0, x[np.where(disk >= 0, disk, 0)], 0).sum(axis=1)


def test_area_counts_match_the_sum_over_each_disk(small_front):
    m = new_game(small_front, seed=1).state.map
    g = m.grid
    hexes = np.array([0, 5, 5, 40, 100, int(g.n - 1)])          # a corner, a repeat, the far corner
    for radius in (1, 2, 3):
        assert np.array_equal(count_area(g, hexes, radius),
                              _summed(g, np.bincount(hexes, minlength=g.n).astype(float), radius))
        route = ((m.road > 0).any(axis=1) | m.rail.any(axis=1)) & m.land
        assert np.array_equal(route_area(m, radius), _summed(g, route.astype(float), radius))
