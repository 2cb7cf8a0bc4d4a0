"""Control of ground: units take the hexes near them; with `pockets`, ground a side holds that is
cut off from all of its units and supply sources goes to the enemy around it; with `uncovered`,
ground none of its holder's units is near goes to an enemy unit near it (and with `spread`, to the
enemy's ground near it)."""

import numpy as np

from game.engine.units import COMMUNIST, UN
from game.rules.control import ControlRules
from game.rules.supply import supply_sources
from game.scenario.schema import Uncovered


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
    g.rule(ControlRules).model.uncovered = []            # nor taken by enemy units near it
    centre = hx(g, 9, 8)
    st.owner[st.map.grid.within(centre, 2)] = COMMUNIST
    st.owner[st.map.grid.within(centre, 1)] = UN
    g.rule(ControlRules).model.update(st)
    assert (st.owner[st.map.grid.within(centre, 1)] == UN).all()


def _uncovered(g, *entries):
    """The control model of ``g`` rebuilt with these ``uncovered`` entries instead of the
    scenario's; the scenario's rules are put back by the returned function."""
    st = g.state
    rules = st.rules.control
    st.rules.control = rules.model_copy(update={"uncovered": [Uncovered(**e) for e in entries]})
    model = g.rule(ControlRules).model
    model.__init__(st)

    def restore():
        st.rules.control = rules
        model.__init__(st)
    return model, restore


def _all_on_one_hex(g, side, park, hx):
    """The other side's units parked far away, all of ``side``'s on one hex; the land steps from it."""
    st = g.state
    park(g, UN if side == COMMUNIST else COMMUNIST)
    st.units.hex[st.units.rows_on_map(side)] = hx(g, 9, 8)
    g.movement.invalidate()
    return st.map.land_steps([hx(g, 9, 8)])


def test_ground_no_unit_of_its_holder_covers_goes_to_an_enemy_unit_near_it(small_game, hx, park):
    g = small_game
    st = g.state
    model, restore = _uncovered(g, {"side": "communist", "steps": 4}, {"side": "un", "steps": 4})
    try:
        steps = _all_on_one_hex(g, COMMUNIST, park, hx)                  # the UN's units far away
        st.owner[st.map.land] = UN
        model.update(st)
        from_un = model.steps_from_units(st, UN)
        uncovered = st.map.land & (steps <= 4) & (from_un > 4)
        uncovered[supply_sources(st, UN)] = False                        # (below: its sources stay)
        assert uncovered.any() and (st.owner[uncovered] == COMMUNIST).all()
        # Ground beyond the enemy's reach, or that one of the holder's units covers, stays its own.
        assert (st.owner[st.map.land & (steps > 4) & (from_un > 2)] == UN).all()
    finally:
        restore()
    model, restore = _uncovered(g)
    st.owner[st.map.land] = UN
    model.update(st)
    restore()
    assert (st.owner[st.map.land & (steps > 2)] == UN).all()             # without the rule: the radius only


def test_a_side_takes_uncovered_ground_only_between_its_dates(small_game, hx, park):
    g = small_game
    st = g.state
    steps = _all_on_one_hex(g, COMMUNIST, park, hx)
    away = st.map.land & (steps > 2) & (steps <= 4) & (g.rule(ControlRules).model.steps_from_units(st, UN) > 4)
    away[supply_sources(st, UN)] = False
    assert away.any()
    today = st.date.isoformat()
    for dates, taken in (({"until": "1950-06-24"}, False), ({"from": today, "until": today}, True),
                         ({"from": "1950-06-26"}, False)):
        model, restore = _uncovered(g, {"side": "communist", "steps": 4, **dates})
        try:
            model.pockets = False
            st.owner[st.map.land] = UN
            model.update(st)
            assert (st.owner[away] == COMMUNIST).all() == taken, dates
        finally:
            restore()


def test_a_side_takes_uncovered_ground_only_in_its_regions(small_game, hx, park):
    from game.engine.mapdata import REGION
    g = small_game
    st = g.state
    steps = _all_on_one_hex(g, UN, park, hx)
    far_from_red = g.rule(ControlRules).model.steps_from_units(st, COMMUNIST) > 4
    near = st.map.land & (steps > 2) & (steps <= 4) & far_from_red
    south = np.zeros(st.map.n, dtype=bool)
    south[np.flatnonzero(near)[:3]] = True
    saved = st.map.region.copy()                                         # the map is shared: put it back
    try:
        st.map.region[near] = np.where(south[near], REGION["south"], REGION["north"])
        model, restore = _uncovered(g, {"side": "un", "steps": 4, "regions": ["south"]})
        model.pockets = False                                            # (three lone hexes would be a pocket)
        st.owner[st.map.land] = COMMUNIST
        model.update(st)
        restore()
    finally:
        st.map.region[:] = saved
    assert (st.owner[south] == UN).all()                                 # the UN's entry: the South only
    assert (st.owner[near & ~south] == COMMUNIST).all()


def test_a_port_or_depot_in_use_is_taken_only_by_units_near_it(small_game, park):
    g = small_game
    st = g.state
    park(g, UN)
    town = int(st.map.find_place("Southtown").hex)
    ring = st.map.land_steps([town])
    three = int(np.flatnonzero(st.map.land & (ring == 3))[0])
    st.units.hex[st.units.rows_on_map(COMMUNIST)] = three              # three hexes from the UN's source
    g.movement.invalidate()
    st.owner[st.map.land] = UN
    model, restore = _uncovered(g, {"side": "communist", "steps": 4})
    try:
        model.pockets = False
        model.update(st)
        country = st.map.land & (st.map.land_steps([three]) <= 4) & (model.steps_from_units(st, UN) > 4)
    finally:
        restore()
    assert st.owner[town] == UN                                          # its depot troops hold it
    country[town] = False
    assert country.any() and (st.owner[country] == COMMUNIST).all()      # the country around it goes


def test_spread_takes_uncovered_ground_near_the_sides_own_ground(small_game, hx, park):
    g = small_game
    st = g.state
    park(g, COMMUNIST)                                                   # its units in the north-east corner
    st.units.hex[st.units.rows_on_map(UN)] = hx(g, 9, 8)                 # the UN's all on one hex
    g.movement.invalidate()
    west = st.map.land & (st.map.grid.col <= 3)                          # a strip of Communist ground
    sources = np.zeros(st.map.n, dtype=bool)
    sources[supply_sources(st, UN)] = True

    def played(**spread):
        st.owner[st.map.land] = UN
        st.owner[west] = COMMUNIST
        model, restore = _uncovered(g, {"side": "communist", "steps": 4, **spread})
        try:
            model.pockets = False
            model.update(st)
            return st.owner.copy(), model.steps_from_units(st, UN), model.steps_from_units(st, COMMUNIST)
        finally:
            restore()

    owner, from_un, from_red = played(spread=2)
    from_ground = st.map.land_steps(np.flatnonzero(west))
    ahead = st.map.land & ~west & (from_ground <= 2) & (from_un > 4) & (from_red > 4) & ~sources
    assert ahead.any() and (owner[ahead] == COMMUNIST).all()             # taken ahead of its units
    covered = st.map.land & (from_ground <= 2) & (from_un <= 4) & (from_red > 2)
    assert covered.any() and (owner[covered] == UN).all()                # where the UN's units stand: kept
    assert (owner[st.map.land & (from_ground > 2) & (from_red > 4)] == UN).all()   # beyond the spread: kept
    owner, *_ = played()
    assert (owner[ahead] == UN).all()                                    # without it nothing is taken there
    red = st.map.land_steps(st.units.hex[st.units.rows_on_map(COMMUNIST)])
    near = int(np.median(red[ahead]))                                    # some of it nearer its units, some not
    owner, *_ = played(spread=2, spread_within=near)
    assert (owner[ahead & (red <= near)] == COMMUNIST).all()             # ahead of its columns: taken
    assert (ahead & (red > near)).any() and (owner[ahead & (red > near)] == UN).all()   # beyond them: kept
    # Only in the entry's areas: a box over the southern half of the strip ahead.
    lat = st.map.grid.lat
    mid = float(np.median(lat[ahead]))
    box = {"lat_south": 30.0, "lat_north": mid, "lon_west": 120.0, "lon_east": 130.0}
    owner, *_ = played(spread=2, areas=[box])
    inside = ahead & (lat <= mid)
    assert inside.any() and (owner[inside] == COMMUNIST).all()           # in the box: taken
    assert (ahead & ~inside).any() and (owner[ahead & ~inside] == UN).all()   # outside it: kept
