"""The AI moves into ground the enemy holds but has left empty (the 1950 drives south and
north were mostly that), without counting it as out of supply before it is taken."""

import numpy as np

from game.ai.baseline import BaselineAI
from game.engine.units import COMMUNIST, UN
from game.sim.session import new_game


def test_the_ai_advances_into_empty_enemy_ground(park, small_front):
    game = new_game(small_front, seed=3)
    st = game.state
    u, grid = st.units, st.map.grid
    park(game, UN)                                   # the UN's units far away in the north-east corner
    rows = u.rows_on_map(COMMUNIST)
    before = grid.row[u.hex[rows]].copy()
    south = st.map.land & (grid.row >= 6)
    assert (st.owner[south] == UN).all()             # the south is the UN's, and nobody stands in it
    ai = BaselineAI(COMMUNIST, {"aggression": 0.9, "attack_odds": 1.0})
    score = ai.hex_scores(game)
    # An empty UN hex scores higher than the Communist hex next to it.
    assert st.owner[grid.index(5, 6)] == COMMUNIST
    assert score[grid.index(6, 6)] > score[grid.index(5, 6)]
    ai.move_units(game)
    after = grid.row[u.hex[rows]]
    assert (after > before).sum() >= 3               # most divisions went south
    assert np.isin(u.hex[rows], np.nonzero(south)[0]).sum() >= 2
