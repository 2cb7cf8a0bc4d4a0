"""Control of ground: units take the hexes near them; with `pockets`, ground a side holds that is
cut off from all of its units and supply sources goes to the enemy around it."""

import numpy as np

from game.engine.units import COMMUNIST, UN
from game.rules.control import ControlRules


def test_units_take_the_ground_within_the_radius(small_game, hx):
    g = small_game
    st = g.state
    assert g.rule(ControlRules).model.radius == 2
    h = hx(g, 8, 8)                                     # Blue 3rd Division's hex
    st.owner[st.map.grid.within(h, 2)] = COMMUNIST
    g.rule(ControlRules).model.update(st)
    assert (st.owner[st.map.grid.within(h, 2)[st.map.land[st.map.grid.within(h, 2)]]] == UN).all()


def test_a_pocket_cut_off_from_its_side_goes_to_the_enemy(small_game, hx, park):
    g = small_game
    st = g.state
    assert g.rule(ControlRules).model.pockets                            # standard.yaml turns pockets on
    park(g, UN)
    # A ring of Communist ground around a UN-held patch in the south with no UN unit or source in it.
    centre = hx(g, 9, 8)
    ring = st.map.grid.within(centre, 2)
    inner = st.map.grid.within(centre, 1)
    st.owner[ring] = COMMUNIST
    st.owner[inner] = UN
    pocket = g.rule(ControlRules).model.cut_off(st, UN)
    assert set(inner[st.map.land[inner]].tolist()) <= set(pocket.tolist())
    g.rule(ControlRules).model.update(st)
    assert (st.owner[inner] == COMMUNIST).all()


def test_ground_joined_to_a_unit_or_source_is_no_pocket(small_game, hx):
    g = small_game
    st = g.state
    # At the start every UN hex joins Southtown and Harbour, every Communist one Northtown and Depot.
    assert g.rule(ControlRules).model.cut_off(st, UN).size == 0
    assert g.rule(ControlRules).model.cut_off(st, COMMUNIST).size == 0
    # The same ring as above, but a UN division stands inside it: it holds its patch.
    centre = hx(g, 9, 8)
    st.owner[st.map.grid.within(centre, 2)] = COMMUNIST
    st.owner[st.map.grid.within(centre, 1)] = UN
    st.units.hex[st.units.index_of("blue_3")] = centre
    g.movement.invalidate()
    assert not np.isin(st.map.grid.within(centre, 1), g.rule(ControlRules).model.cut_off(st, UN)).any()


def test_without_pockets_empty_ground_keeps_its_owner(small_game, hx, park):
    g = small_game
    st = g.state
    park(g, UN)
    g.rule(ControlRules).model.pockets = False
    centre = hx(g, 9, 8)
    st.owner[st.map.grid.within(centre, 2)] = COMMUNIST
    st.owner[st.map.grid.within(centre, 1)] = UN
    g.rule(ControlRules).model.update(st)
    assert (st.owner[st.map.grid.within(centre, 1)] == UN).all()
