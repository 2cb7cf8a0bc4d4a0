"""Movement: terrain, roads, rivers, ZOC, stacking; checked against a plain-Python Dijkstra."""

import heapq

import numpy as np
import pytest

from game.engine.orders import EndPhase, Move
from game.engine.units import COMMUNIST, ON_MAP, UN


def place(game, uid, row, col):
    st = game.state
    st.units.hex[st.units.index_of(uid)] = int(st.map.grid.index(row, col))
    game.movement.invalidate()


def park_enemies(game, side):
    """Put the other side's units in the far corner, out of the way."""
    st = game.state
    rows = st.units.rows_on_map(side)
    corner = [int(st.map.grid.index(0, c)) for c in range(6, 14)]
    for k, r in enumerate(rows):
        st.units.hex[r] = corner[k]
    game.movement.invalidate()


def to_un_turn(game):
    from game.engine.orders import EndPhase
    assert game.apply(EndPhase("communist"))
    assert game.state.active_side == UN


def reference_costs(game, row):
    """Plain-Python Dijkstra with the same rules, for comparison."""
    st = game.state
    side = int(st.units.side[row])
    zoc, open_cost = game.movement.graph(side)[1], game.movement.open_cost(side)
    start = int(st.units.hex[row])
    mp = float(st.units.mp[row])
    best = {start: 0.0}
    heap = [(0.0, start)]
    while heap:
        d, h = heapq.heappop(heap)
        if d > best.get(h, np.inf):
            continue
        if zoc[h] and h != start:
            continue
        for k, b in enumerate(st.map.grid.neighbors[h]):
            c = open_cost[h, k]
            if b < 0 or not np.isfinite(c):
                continue
            nd = d + c
            if nd <= mp + 1e-9 and nd < best.get(int(b), np.inf):
                best[int(b)] = nd
                heapq.heappush(heap, (nd, int(b)))
    out = np.full(st.map.n, np.inf)
    for h, d in best.items():
        out[h] = d
    return out


def test_clear_terrain_costs_one_per_hex(small_game):
    g = small_game
    to_un_turn(g)
    park_enemies(g, COMMUNIST)
    place(g, "blue_3", 10, 9)
    row = g.state.units.index_of("blue_3")
    dist = g.movement.reach(row)[0]
    assert dist[g.state.map.grid.index(10, 10)] == pytest.approx(1.0)
    assert dist[g.state.map.grid.index(10, 11)] == pytest.approx(2.0)
    # Rough costs 2 to enter.
    assert dist[g.state.map.grid.index(10, 12)] == pytest.approx(4.0)


def test_road_is_cheaper_and_river_costs_extra(small_game):
    g = small_game
    to_un_turn(g)
    park_enemies(g, COMMUNIST)
    place(g, "blue_2", 11, 5)
    row = g.state.units.index_of("blue_2")
    dist = g.movement.reach(row)[0]
    grid = g.state.map.grid
    # Down the main road: 0.5 a hex; the major river at row 5/6 is bridged there (+1).
    assert dist[grid.index(6, 5)] == pytest.approx(2.5)
    assert dist[grid.index(5, 5)] == pytest.approx(2.5 + 0.5 + 1.0)
    # Without the road the same river costs 2 more.
    place(g, "blue_2", 6, 7)
    dist = g.movement.reach(row)[0]
    assert dist[grid.index(5, 7)] == pytest.approx(1.0 + 2.0)


def test_zone_of_control_stops_movement(small_game):
    g = small_game
    to_un_turn(g)
    st = g.state
    grid = st.map.grid
    park_enemies(g, COMMUNIST)
    place(g, "red_1", 9, 9)
    place(g, "blue_3", 11, 9)
    row = st.units.index_of("blue_3")
    dist = g.movement.reach(row)[0]
    enemy = int(grid.index(9, 9))
    assert not np.isfinite(dist[enemy])                       # never into an enemy hex
    zoc_hex = int(grid.index(10, 9))
    assert grid.distance(zoc_hex, enemy) == 1 and np.isfinite(dist[zoc_hex])
    beyond = int(grid.index(8, 9))                            # the other side of the enemy
    assert dist[beyond] > 3.0                                  # only by going round, not through
    result = g.apply(Move("un", unit="blue_3", to=zoc_hex))
    assert result.ok and st.units.stopped[row]
    again = g.apply(Move("un", unit="blue_3", to=int(grid.index(10, 10))))
    assert not again.ok and "zone of control" in again.reason


def test_unit_starting_in_zoc_can_step_out(small_game):
    g = small_game
    to_un_turn(g)
    grid = g.state.map.grid
    park_enemies(g, COMMUNIST)
    place(g, "red_1", 9, 9)
    place(g, "blue_3", 10, 9)
    row = g.state.units.index_of("blue_3")
    dist = g.movement.reach(row)[0]
    assert np.isfinite(dist[grid.index(11, 9)])
    path = g.path("blue_3", int(grid.index(11, 8)))
    assert path[0] == grid.index(10, 9) and path[-1] == grid.index(11, 8)


def test_matches_reference_dijkstra(small_game):
    g = small_game
    st = g.state
    for uid in ("red_1", "red_2", "red_3", "red_tanks"):
        row = st.units.index_of(uid)
        fast = g.movement.reach(row)[0]
        ref = reference_costs(g, row)
        assert np.allclose(np.where(np.isfinite(fast), fast, -1), np.where(np.isfinite(ref), ref, -1))


def test_illegal_moves_are_rejected_with_a_reason_and_change_nothing(small_game):
    g = small_game
    st = g.state
    before = st.hash()
    sea = int(st.map.grid.index(0, 0))
    cases = [
        (Move("communist", unit="red_1", to=sea), "sea"),
        (Move("communist", unit="nobody", to=5), "no unit"),
        (Move("communist", unit="blue_1", to=5), "not yours"),
        (Move("un", unit="blue_1", to=5), "turn"),
        (Move("communist", unit="red_1", to=int(st.map.grid.index(11, 12))), "cannot reach"),
    ]
    for order, words in cases:
        res = g.apply(order)
        assert not res.ok and words in res.reason
    assert st.hash() == before


def test_stacking_limit(small_game):
    g = small_game
    st = g.state
    grid = st.map.grid
    place(g, "red_2", 2, 5)
    place(g, "red_3", 2, 6)
    target = int(grid.index(2, 5))
    # Two divisions fit (4 of 6 points); a third division would make 6: allowed; a fourth not.
    assert g.apply(Move("communist", unit="red_3", to=target)).ok
    place(g, "red_1", 1, 5)
    assert g.apply(Move("communist", unit="red_1", to=target)).ok
    res = g.apply(Move("communist", unit="red_tanks", to=target))
    assert not res.ok and "stacking" in res.reason


def test_move_spends_movement_and_takes_ground(small_game):
    g = small_game
    st = g.state
    row = st.units.index_of("red_3")
    dest = int(st.map.grid.index(3, 10))
    mp = float(st.units.mp[row])
    res = g.apply(Move("communist", unit="red_3", to=dest))
    assert res.ok
    assert st.units.hex[row] == dest
    assert st.units.mp[row] < mp
    assert st.orders[-1]["type"] == "move" and st.orders[-1]["unit"] == "red_3"


def test_undo_takes_back_moves_until_something_is_revealed(small_game):
    g = small_game
    st = g.state
    before = st.hash()
    assert not g.can_undo("communist")
    dest = int(st.map.grid.index(3, 10))
    assert g.apply(Move("communist", unit="red_3", to=dest)).ok
    assert g.apply(Move("communist", unit="red_2", to=int(st.map.grid.index(5, 7)))).ok
    assert not g.undo("un").ok
    assert g.undo("communist").ok and g.undo("communist").ok
    assert st.hash() == before
    assert not g.undo("communist").ok
    # After combat nothing can be taken back.
    from game.engine.orders import Attack
    assert g.apply(Move("communist", unit="red_3", to=dest)).ok
    row = st.units.index_of("blue_3")
    st.units.hex[row] = int(st.map.grid.index(4, 10))
    g.movement.invalidate()
    res = g.apply(Attack("communist", units=("red_3",), target=int(st.map.grid.index(4, 10))))
    assert res.ok, res.reason
    assert not g.can_undo("communist")


def test_a_nations_movement_multiplies_its_units_allowance(small_game, next_turn):
    # nations.<X>.movement: trucks against men on foot (here the US at 1.34, the rest at 1).
    g = small_game
    st = g.state
    u = st.units
    st.rules.nations["US"] = st.rules.nations["US"].model_copy(update={"movement": 1.34})
    rok, us, red = u.index_of("blue_1"), u.index_of("blue_us"), u.index_of("red_1")
    assert st.rules.unit_allowance(u, [rok, us, red]).tolist() == pytest.approx([6.0, 6 * 1.34, 6.0])
    assert g.full_allowance([us])[0] == pytest.approx(6 * 1.34)
    u.supply[us] = 2                                          # two turns cut off: half of it
    assert g.full_allowance([us])[0] == pytest.approx(6 * 1.34 * 0.5)
    # ... and it is what the unit has when its side's operations begin.
    u.supply[us] = 0
    while u.status[us] != ON_MAP:
        next_turn(g)
    while st.active_side != UN:
        assert g.apply(EndPhase("communist"))
    assert u.supply[us] == 0 and u.mp[us] == pytest.approx(6 * 1.34)
    assert max(u.mp[r] for r in u.rows_on_map(UN) if u.nations[r] == "ROK" and u.supply[r] == 0) == pytest.approx(6.0)
