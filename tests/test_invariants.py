"""Property: random legal orders never break the state. A checking module, last in the list of
rule modules, looks at the state after every step of every turn (and the test after every
order): no land unit at sea, no hex held by both sides' units, strengths in bounds, ownership
valid, victory points and will finite."""

import math

import numpy as np
import pytest

from game.engine.mapdata import TERRAIN
from game.engine.orders import AirMission, Attack, Choose, EndPhase, Land, Move, Ship
from game.engine.units import COMMUNIST, ON_MAP, SIDE_NAMES, UN
from game.rules.module import RuleModule
from game.rules.naval import NavalRules
from game.rules.victory import score
from game.scenario.schema import MAX_STRENGTH
from game.sim.session import RULE_MODULES, new_game


def check(state) -> None:
    u, m = state.units, state.map
    rows = u.rows_on_map()
    hexes = u.hex[rows]
    assert ((hexes >= 0) & (hexes < m.n)).all(), "a unit on the map is off the grid"
    assert m.land[hexes].all() and (m.terrain[hexes] != TERRAIN["lake"]).all(), "a land unit at sea"
    un = set(u.hex[u.rows_on_map(UN)].tolist())
    co = set(u.hex[u.rows_on_map(COMMUNIST)].tolist())
    assert not un & co, f"both sides' units in hexes {sorted(un & co)}"
    assert (u.strength[rows] >= 1).all() and (u.strength <= u.max_strength).all()
    assert (u.max_strength <= MAX_STRENGTH).all() and (u.strength >= 0).all()
    assert ((u.efficiency >= 0) & (u.efficiency <= 100)).all()
    assert set(np.unique(state.owner).tolist()) <= {0, 1, 2}
    assert (state.owner[~m.land] == 0).all(), "the sea is owned"
    parts = score(state)
    for side in (UN, COMMUNIST):
        assert math.isfinite(float(state.sides[side]["will"]))
        assert all(math.isfinite(float(v)) for v in parts[SIDE_NAMES[side]].values())


class Invariants(RuleModule):
    """Checks the state after every other module's step of the turn."""

    name = "invariants"
    steps = 0

    def _check(self, *_):
        Invariants.steps += 1
        check(self.state)

    turn_start = turn_end = victory = _check
    reinforcements = supply = air = naval = side_end = _check


def random_orders(game, rng: np.random.Generator) -> None:
    """Random legal-looking orders for the side to move (illegal ones are refused, harmlessly)."""
    st = game.state
    side = st.active_side
    name = SIDE_NAMES[side]
    u = st.units
    for r in rng.permutation(u.rows_on_map(side))[:12]:
        if st.over or st.active_side != side:
            return
        if rng.random() < 0.7:
            reach = np.nonzero(game.movement.reachable(int(r)))[0]
            if reach.size:
                game.apply(Move(name, unit=u.ids[r], to=int(rng.choice(reach))))
        else:
            nbs = st.map.grid.neighbors[u.hex[r]]
            enemy = [int(h) for h in nbs if h >= 0 and len(u.at_hex(int(h), 3 - side))]
            if enemy and u.status[r] == ON_MAP:
                game.apply(Attack(name, units=(u.ids[r],), target=int(rng.choice(enemy)),
                                  advance=bool(rng.random() < 0.5)))
        check(st)
    for _ in range(3):
        game.apply(AirMission(name, mission=("cas", "interdiction")[int(rng.integers(2))],
                              target=int(rng.integers(st.map.n))))
    nav = game.rule(NavalRules)
    if nav is not None and len(nav.sea.ports):
        rows = u.rows_on_map(side)
        if rows.size:
            r = int(rng.choice(rows))
            game.apply(Ship(name, unit=u.ids[r], to=int(rng.choice(nav.sea.ports))))
            game.apply(Land(name, unit=u.ids[r], to=int(rng.integers(st.map.n))))
    check(st)


@pytest.mark.parametrize("scenario,turns", [("small_front", 12), ("pusan_perimeter", 6), ("inchon_breakout", 4)])
@pytest.mark.parametrize("seed", [1, 2])
def test_random_orders_keep_the_state_sound(scenario, turns, seed, small_front):
    path = small_front if scenario == "small_front" else scenario
    game = new_game(path, seed=seed, modules=RULE_MODULES + (Invariants,))
    rng = np.random.default_rng(seed)
    before = Invariants.steps
    while not game.state.over and game.state.turn < turns:
        for choice in list(game.pending_for(game.state.active_side)):
            game.apply(Choose(SIDE_NAMES[game.state.active_side], card=choice["card"], option=choice["ai"]))
        random_orders(game, rng)
        if not game.state.over:
            assert game.apply(EndPhase(SIDE_NAMES[game.state.active_side]))
    assert Invariants.steps - before > 10 * min(turns, game.state.turn)
