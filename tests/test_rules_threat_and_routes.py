"""The queries the window asks of the rules: what the enemy could attack next turn
(combat.threat), a unit's way over several turns (movement.route, route_turns), and the
positions recorded each turn for the turn review (Game.unit_history, kept in saves)."""

import json

import numpy as np

from game.engine.units import COMMUNIST, UN
from game.rules.combat import attack_strength, threat
from game.rules.movement import ranges, route, route_tree, route_turns
from game.sim.saves import _checksum, load_game, save_game


def test_threat_covers_the_hexes_next_to_where_a_unit_can_stop(small_game, park, put, hx):
    g = small_game
    st = g.state
    u = st.units
    park(g, UN)
    park(g, COMMUNIST)
    put(g, "red_1", 4, 4)
    row = u.index_of("red_1")
    before = st.hash()
    allowance = g.full_allowance([row])
    th = threat(st, g.movement, [row], allowance)
    keep = float(allowance[0]) - float(st.rules.combat.min_attack_mp)
    stand = np.isfinite(ranges(g.movement, [row], [keep])[row])
    nb = st.map.grid.neighbors[stand].ravel()
    want = np.zeros(st.map.n, dtype=bool)
    want[nb[nb >= 0]] = True
    assert ((th > 0) == want).all()
    assert np.allclose(th[want], attack_strength(st, [row])[0])
    assert all(th[n] > 0 for n in st.map.grid.neighbors[hx(g, 4, 4)] if n >= 0)
    assert th[hx(g, 11, 13)] == 0                    # far out of reach
    assert st.hash() == before                       # a preview changes nothing


def test_threat_adds_up_and_needs_movement_to_attack(small_game, park, put, hx):
    g = small_game
    st = g.state
    u = st.units
    park(g, UN)
    put(g, "red_1", 4, 4)
    put(g, "red_2", 4, 6)
    rows = [u.index_of("red_1"), u.index_of("red_2")]
    th = threat(st, g.movement, rows, g.full_allowance(rows))
    both = hx(g, 4, 5)                               # next to both
    assert th[both] == float(attack_strength(st, rows).sum())
    none = threat(st, g.movement, rows, [0.0, 0.0])  # no movement: no attack
    assert not none.any()


def test_route_over_several_turns(small_game, park, put, hx):
    g = small_game
    st = g.state
    u = st.units
    park(g, COMMUNIST)
    put(g, "blue_3", 11, 12)
    row = u.index_of("blue_3")
    allowance = float(g.full_allowance([row])[0])
    u.mp[row] = allowance
    g.movement.invalidate()
    far = hx(g, 0, 3)
    tree = route_tree(g.movement, row)
    path = route(g.movement, row, far, tree)
    assert path[0] == int(u.hex[row]) and path[-1] == far
    assert all(st.map.grid.distance(a, b) == 1 for a, b in zip(path, path[1:], strict=False))
    turns = route_turns(g.movement, row, path, allowance)
    assert len(turns) == len(path) and turns[0] == 0
    assert turns == sorted(turns) and turns[-1] >= 1
    # Every hex of this turn's part is one the unit can reach now.
    reach = g.reachable(u.ids[row])
    assert all(reach[h] for h, t in zip(path[1:], turns[1:], strict=False) if t == 0)


def test_a_zone_of_control_ends_the_turn_on_the_way(small_game, park, put, hx):
    g = small_game
    st = g.state
    u = st.units
    for uid, col in (("red_1", 3), ("red_2", 6), ("red_3", 9), ("red_tanks", 12)):
        put(g, uid, 6, col)                          # a wall of zones of control across row 6
    put(g, "blue_3", 9, 5)
    row = u.index_of("blue_3")
    u.mp[row] = 50.0
    g.movement.invalidate()
    path = route(g.movement, row, hx(g, 3, 5))
    turns = route_turns(g.movement, row, path, 50.0)
    zoc = g.movement.graph(UN)[1]
    first = next(i for i, h in enumerate(path) if zoc[h])
    assert all(t == 0 for t in turns[: first + 1])
    assert turns[first + 1] == 1


def test_each_turn_records_positions_out_of_the_hash_and_saves_keep_them(small_game, next_turn, tmp_path):
    g = small_game
    st = g.state
    u = st.units
    next_turn(g)
    next_turn(g)
    assert len(g.unit_history) == len(g.owner_history) == 2
    rec = g.unit_history[-1]
    on = u.status == 0
    assert (rec["hex"][on] == u.hex[on]).all() and (rec["hex"][~on] == -1).all()
    assert (rec["strength"] == u.strength).all()
    h = st.hash()
    g.unit_history.clear()
    assert st.hash() == h
    next_turn(g)
    path = tmp_path / "g.json"
    save_game(g, path)
    loaded = load_game(path)
    assert len(loaded.unit_history) == 3 and loaded.unit_history[0] is None and loaded.unit_history[1] is None
    assert (loaded.unit_history[2]["hex"] == g.unit_history[-1]["hex"]).all()
    # A save from before positions were recorded loads with none.
    doc = json.loads(path.read_text())
    del doc["unit_history"]
    doc["checksum"] = _checksum(doc)
    path.write_text(json.dumps(doc))
    assert load_game(path).unit_history == [None, None, None]


def test_recorded_positions_off_the_map_are_refused(small_game, next_turn, tmp_path):
    import base64

    import numpy as np
    import pytest

    from game.sim.saves import SaveError
    g = small_game
    next_turn(g)
    path = tmp_path / "g.json"
    save_game(g, path)
    doc = json.loads(path.read_text())
    bad = np.full(len(g.state.units.ids), g.state.map.n + 5, dtype=np.int32)
    doc["unit_history"][0]["hex"] = base64.b64encode(bad.tobytes()).decode("ascii")
    doc["checksum"] = _checksum(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="unit_history.0.hex"):
        load_game(path)
