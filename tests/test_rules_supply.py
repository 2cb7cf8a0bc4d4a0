"""Supply: the trace (rail/road/cross-country costs, range x capacity, layers, enemy ZOC),
against a plain-Python Dijkstra; out-of-supply effects by turns cut off, then surrender."""

import heapq

import numpy as np
import pytest

from game.engine.units import COMMUNIST, ELIMINATED, UN
from game.rules import supply as S


def reference_supply(state, side, layers):
    """Plain-Python Dijkstra with the same rules, for comparison."""
    m, u = state.map, state.units
    base, _ = S._static_costs(state)
    enemy = 3 - side
    ours = np.zeros(m.n, bool)
    ours[u.hex[u.on_map(side)]] = True
    theirs = np.zeros(m.n, bool)
    theirs[u.hex[u.on_map(enemy)]] = True
    zoc = theirs.copy()
    for h in np.nonzero(theirs)[0]:
        zoc[[b for b in m.grid.neighbors[h] if b >= 0]] = True
    closed = ((state.owner == enemy) & ~ours) | theirs
    limit = S.supply_range(state, side)
    best, heap = {}, []
    for s in S.supply_sources(state, side):
        best[int(s)] = 0.0
        heap.append((0.0, int(s)))
    heapq.heapify(heap)
    while heap:
        d, h = heapq.heappop(heap)
        if d > best.get(h, np.inf) or (zoc[h] and not ours[h]):
            continue
        for k, b in enumerate(m.grid.neighbors[h]):
            if b < 0 or closed[b]:
                continue
            nd = d + base[h, k] * layers[b]
            if np.isfinite(nd) and nd <= limit + 1e-9 and nd < best.get(int(b), np.inf):
                best[int(b)] = nd
                heapq.heappush(heap, (nd, int(b)))
    out = np.full(m.n, np.inf)
    for h, d in best.items():
        out[h] = d
    return out


def test_trace_matches_plain_dijkstra_with_rail_road_and_cross_country_costs(small_game):
    g = small_game
    st = g.state
    g.movement.multiplier(UN)
    for side in (UN, COMMUNIST):
        d = S.supply_distance(st, side, g.movement.multiplier(side))
        ref = reference_supply(st, side, g.movement.multiplier(side))
        assert np.array_equal(np.isfinite(d), np.isfinite(ref))
        assert np.allclose(d[np.isfinite(d)], ref[np.isfinite(ref)])
    # Edge costs come from the supply data: rail, main road, cross-country x terrain.
    base, _ = S._static_costs(st)
    grid = st.map.grid
    cost = st.rules.supply.cost
    cross = cost.cross_country

    def edge(a, b):
        ha, hb = grid.index(*a), grid.index(*b)
        return base[ha, int(grid.edge_between(ha, hb))]

    assert edge((5, 4), (4, 4)) == pytest.approx(cost.rail)              # along the railway
    assert edge((3, 5), (2, 5)) == pytest.approx(cost.road_main)         # along the main road
    assert edge((2, 6), (2, 7)) == pytest.approx(cross * 1.0)               # clear, off the road
    assert edge((2, 7), (2, 8)) == pytest.approx(cross * 2.0)               # rough, off the road


def test_the_old_signature_with_a_movement_edge_cost_gives_the_same_trace(small_game):
    g = small_game
    st = g.state
    layer = np.ones(st.map.n)
    layer[st.map.grid.index(9, 5)] = 3.0
    g.movement.set_layer("test", layer, side=UN)
    new = S.supply_distance(st, UN, g.movement.multiplier(UN))
    old = S.supply_distance(st, UN, g.movement.edge_cost(UN))
    assert np.allclose(np.nan_to_num(new, posinf=-1), np.nan_to_num(old, posinf=-1))


def test_a_unit_cut_off_loses_supply_the_next_supply_phase_and_its_effects_grow(small_game, park, put):
    g = small_game
    st = g.state
    u = st.units
    park(g, COMMUNIST)
    row = u.index_of("blue_3")
    put(g, "blue_3", 9, 9)
    S.update_supply(st, UN, g.movement.multiplier(UN))
    assert u.supply[row] == 0
    # Enemies all round: every neighbour is in their ZOC or held by them.
    ring = [(8, 9), (10, 9), (9, 10), (9, 8)]
    reds = ["red_1", "red_2", "red_3", "red_tanks"]
    for uid, rc in zip(reds, ring, strict=False):
        put(g, uid, *rc)
    attack, defense, movement = [], [], []
    eff0 = int(u.efficiency[row])
    for turn in range(1, 5):
        S.update_supply(st, UN, g.movement.multiplier(UN))
        assert u.supply[row] == turn
        t = u.supply[row:row + 1]
        attack.append(float(st.rules.supply_effect("attack", t)[0]))
        defense.append(float(st.rules.supply_effect("defense", t)[0]))
        movement.append(float(st.rules.supply_effect("movement", t)[0]))
    assert attack == sorted(attack, reverse=True) and attack[-1] < attack[0] < 1.0
    assert defense == sorted(defense, reverse=True) and defense[-1] < 1.0
    assert movement == sorted(movement, reverse=True) and movement[-1] < 1.0
    assert u.strength[row] < 8                                 # attrition from the 2nd turn on
    assert u.efficiency[row] < eff0                            # and efficiency from the 3rd


def surround_blue_3(g, park, put) -> None:
    """blue_3 at (9, 9) with an enemy division on every side: cut off from every source."""
    park(g, COMMUNIST)
    put(g, "blue_3", 9, 9)
    for uid, rc in zip(["red_1", "red_2", "red_3", "red_tanks"], [(8, 9), (10, 9), (9, 10), (9, 8)], strict=False):
        put(g, uid, *rc)


def test_losses_given_for_a_week_are_scaled_to_the_turn(small_game, park, put):
    g = small_game
    st, u = g.state, g.state.units
    surround_blue_3(g, park, put)
    st.rules.supply.out_of_supply = st.rules.supply.out_of_supply.model_copy(
        update={"attrition": [0, 7], "efficiency": [0, 14], "surrender": [0], "losses_per": "week"})
    row = u.index_of("blue_3")
    u.strength[row], u.efficiency[row] = 20, 80
    cal = st.scenario.calendar
    assert cal.days(st.turn) == 3
    S.update_supply(st, UN, g.movement.multiplier(UN))          # a half-weekly turn: 3/7 of a week
    assert (u.strength[row], u.efficiency[row]) == (17, 74)
    st.turn = next(t for t in range(len(cal)) if cal.days(t) == 7)
    S.update_supply(st, UN, g.movement.multiplier(UN))          # a weekly turn: the whole of it
    assert (u.strength[row], u.efficiency[row]) == (10, 60)
    assert S.turn_weeks(st) == 1.0


def test_a_unit_cut_off_long_enough_may_surrender_counted_as_losses(small_game, park, put):
    g = small_game
    st = g.state
    u = st.units
    surround_blue_3(g, park, put)
    oos = st.rules.supply.out_of_supply
    oos.attrition = [0]
    oos.surrender = [0, 0, 1.0]                           # certain from the 2nd turn cut off
    row = u.index_of("blue_3")
    losses = st.sides[UN]["losses"]
    S.update_supply(st, UN, g.movement.multiplier(UN))
    assert u.status[row] != ELIMINATED
    S.update_supply(st, UN, g.movement.multiplier(UN))
    assert u.status[row] == ELIMINATED
    assert st.sides[UN]["losses"] == losses + 8
    assert any("cut off for 2 turns, surrenders" in line for line in st.log)


def test_surrender_rolls_come_from_the_game_generator(small_game, park, put):
    g = small_game
    st = g.state
    surround_blue_3(g, park, put)
    st.rules.supply.out_of_supply.surrender = [0, 0.5]
    before = st.rng.bit_generator.state
    S.update_supply(st, UN, g.movement.multiplier(UN))
    assert st.rng.bit_generator.state != before


def test_an_interdiction_layer_puts_a_unit_out_of_range(small_game, park, put):
    g = small_game
    st = g.state
    park(g, COMMUNIST)
    put(g, "blue_3", 10, 7)                                   # off the road, east of Southtown
    row = st.units.index_of("blue_3")
    d = S.supply_distance(st, UN, g.movement.multiplier(UN))
    assert np.isfinite(d[st.units.hex[row]])
    g.movement.set_layer("interdiction", np.full(st.map.n, 5.0), side=UN)
    S.update_supply(st, UN, g.movement.multiplier(UN))
    assert st.units.supply[row] == 1
    # The other side's trace is untouched.
    assert np.isfinite(S.supply_distance(st, COMMUNIST, g.movement.multiplier(COMMUNIST))).sum() > 0


def test_supply_capacity_from_a_card_raises_the_range(small_game, park):
    g = small_game
    st = g.state
    park(g, COMMUNIST)
    base = S.supply_range(st, UN)
    reach = np.isfinite(S.supply_distance(st, UN, g.movement.multiplier(UN))).sum()
    from game.events.effects import EFFECTS
    EFFECTS["supply"](g, {"side": "un", "capacity": 50}, {})
    assert S.supply_range(st, UN) == pytest.approx(base * 1.5)
    assert np.isfinite(S.supply_distance(st, UN, g.movement.multiplier(UN))).sum() > reach


def test_per_side_range_from_the_data(small_game):
    st = small_game.state
    st.rules.supply.range_by_side.communist = 5
    assert S.supply_range(st, COMMUNIST) == pytest.approx(5 * st.sides[COMMUNIST]["supply_capacity"] / 100)
    assert S.supply_range(st, UN) == pytest.approx(st.rules.supply.range * st.sides[UN]["supply_capacity"] / 100)


def test_supply_does_not_pass_through_enemy_zoc_unless_we_stand_there(small_game, park, put):
    g = small_game
    st = g.state
    grid = st.map.grid
    park(g, COMMUNIST)
    # A wall of Communist units across the map south of Southtown's row cuts the north off
    # from Harbour; Southtown itself is taken away as a source.
    st.owner[grid.index(8, 5)] = COMMUNIST
    for uid, c in zip(["red_1", "red_2", "red_3", "red_tanks"], [3, 6, 9, 12], strict=False):
        put(g, uid, 9, c)
    north = grid.index(6, 6)
    d = S.supply_distance(st, UN, g.movement.multiplier(UN))
    assert not np.isfinite(d[north])
    # Our unit standing in the gap's ZOC hex cancels it there.
    put(g, "blue_1", 9, 4)
    put(g, "blue_2", 8, 4)
    d2 = S.supply_distance(st, UN, g.movement.multiplier(UN))
    assert np.isfinite(d2[grid.index(8, 4)])


def test_no_supply_into_enemy_held_hexes(small_game, park):
    g = small_game
    st = g.state
    park(g, COMMUNIST)
    h = st.map.grid.index(9, 7)
    st.owner[h] = COMMUNIST
    d = S.supply_distance(st, UN, g.movement.multiplier(UN))
    assert not np.isfinite(d[h])
    # The AI's question "would it be in supply once we take it?" traces across that ground.
    d2 = S.supply_distance(st, UN, g.movement.multiplier(UN), through_enemy_ground=True)
    assert np.isfinite(d2[h])


def test_through_enemy_ground_still_stops_at_enemy_units_and_their_zoc(small_game, park, put):
    g = small_game
    st = g.state
    park(g, COMMUNIST)
    put(g, "red_1", 9, 7)
    d = S.supply_distance(st, UN, g.movement.multiplier(UN), through_enemy_ground=True)
    assert not np.isfinite(d[st.map.grid.index(9, 7)])


def _with_communist_sources(small_front, sources: str):
    """A new game of a variant of the small front whose Communist sources are ``sources``
    (written beside it, as its include is relative, and removed afterwards)."""
    import os

    from game.sim.session import new_game
    path = small_front.with_name(f"_sources_{os.getpid()}.yaml")
    path.write_text(small_front.read_text().replace("  communist: [Depot, Northtown]", f"  communist: {sources}"))
    try:
        return new_game(path, seed=1)
    finally:
        path.unlink()


def test_a_dated_source_serves_only_between_its_dates(small_front):
    import datetime

    g = _with_communist_sources(small_front, "[Depot, {at: Northtown, until: 1950-06-30}]")
    st = g.state
    northtown = st.map.find_place("Northtown").hex
    depot = st.map.find_place("Depot").hex
    assert set(S.supply_sources(st, COMMUNIST).tolist()) == {depot, northtown}     # 25 June
    st.turn = 2
    assert st.date == datetime.date(1950, 7, 1)
    assert S.supply_sources(st, COMMUNIST).tolist() == [depot]                      # after its last day


def test_a_forward_depot_reaches_its_share_of_the_range(small_front):
    from game.sim.session import new_game

    # Northtown as a depot that reaches half the Communist range: every hex it supplies is the
    # full trace from Northtown alone, cut at half the range; the Depot still reaches the whole.
    g = _with_communist_sources(small_front, "[Depot, {at: Northtown, reach: 0.5}]")
    full = new_game(small_front, seed=1)
    st = g.state
    assert st.scenario.supply_reach[COMMUNIST].tolist() == [1.0, 0.5]
    reach = S.supply_range(st, COMMUNIST)
    layers = g.movement.multiplier(COMMUNIST)
    d = S.supply_distance(st, COMMUNIST, layers)
    northtown, depot = st.map.find_place("Northtown").hex, st.map.find_place("Depot").hex
    st.scenario.supply_reach[COMMUNIST] = np.array([1.0])
    st.scenario.supply_windows[COMMUNIST] = [("", "9999")]
    st.scenario.supply_sources[COMMUNIST] = np.array([northtown])
    from_town = S.supply_distance(st, COMMUNIST, layers)
    st.scenario.supply_sources[COMMUNIST] = np.array([depot])
    from_depot = S.supply_distance(st, COMMUNIST, layers)
    half = np.where(from_town <= reach / 2 + 1e-9, from_town + reach / 2, np.inf)
    expected = np.minimum(from_depot, half)
    assert np.array_equal(np.isfinite(d), np.isfinite(expected))
    assert np.allclose(d[np.isfinite(d)], expected[np.isfinite(expected)])
    # Northtown with its full reach supplies more ground than as a half-range depot.
    whole = S.supply_distance(full.state, COMMUNIST, full.movement.multiplier(COMMUNIST))
    assert np.isfinite(whole).sum() > np.isfinite(d).sum()
