from game.engine.units import COMMUNIST, UN
from game.rules.visibility import visible_hexes


def test_without_fog_everything_is_visible(small_game):
    assert visible_hexes(small_game, UN).all()


def test_fog_hides_what_no_unit_sees(small_game, set_section):
    g = small_game
    st = g.state
    set_section(g, "fog_of_war", {"enabled": True, "sight": 1})
    seen = visible_hexes(g, UN)
    grid = st.map.grid
    blue = st.units.hex[st.units.index_of("blue_1")]
    assert seen[blue] and seen[grid.neighbors[blue][grid.neighbors[blue] >= 0]].all()
    far_north = int(grid.index(0, 8))
    assert st.owner[far_north] == COMMUNIST and not seen[far_north]
    assert seen[st.owner == UN].all()
