"""The air at the end of the operational AI's phase: close support over the line where the
enemy is likely to attack, then interdiction of the enemy's supply lines.

The attacks took their close support as they were planned (game/ai/concentration.py). What is
left covers our most threatened hexes (up to the air rules' ``ai.defense_share`` of the turn's
missions), then strikes the hexes just behind the enemy's front that carry most of its supply
(``Front.enemy_lines``), one area each, the areas apart (with no such line in reach, the
baseline's rear areas: roads, rail and enemy units behind the front); missions left over cover
the threatened line.
"""

from __future__ import annotations

import numpy as np

from ..engine.units import SIDE_NAMES
from ..rules.air import AirRules, air_state, closed_to_missions, missions_left
from .air_planner import fly_all, rear_targets, threatened_hexes
from .planner import Planner, our_operations


def supply_line_targets(game, front) -> list:
    """Hexes to interdict, best first: enemy-held land behind the enemy's front (beyond the
    interdiction radius from our units, within the air rules' ``ai.rear_depth``) through which
    the most enemy strength draws supply; no two areas overlap."""
    st = game.state
    m = st.map
    cfg = game.rule(AirRules).cfg
    r = int(cfg.interdiction.radius)
    flow = front.enemy_lines
    ok = (m.land & (st.owner == front.enemy) & (front.d_ours > r) & (front.d_ours <= cfg.ai.rear_depth)
          & (flow > 0) & ~closed_to_missions(game, front.side))
    cand = np.nonzero(ok)[0]
    cand = cand[np.lexsort((cand, -flow[cand]))]
    apart = m.grid.disks(2 * r)
    taken = np.zeros(m.n, dtype=bool)
    chosen = []
    for h in cand[:200]:
        if not taken[h]:
            chosen.append(int(h))
            near = apart[h]
            taken[near[near >= 0]] = True
    return chosen


class AirCover(Planner):
    """Close support over the threatened line, then interdiction of the enemy's supply lines."""

    name = "air_cover"

    def applies(self, game) -> bool:
        return game.rule(AirRules) is not None

    def run(self, game, ai) -> None:
        side = ai.side
        if not our_operations(game, side):
            return
        cfg = game.rule(AirRules).cfg
        total = int(air_state(game.state)["turn"][SIDE_NAMES[side]]["available"])
        threatened = threatened_hexes(game, side)
        fly_all(game, side, "cas", threatened, int(np.floor(total * cfg.ai.defense_share + 0.5)))
        if missions_left(game.state, side) <= 0:
            return
        targets = supply_line_targets(game, ai.picture(game))
        if not targets:
            # No supply line within reach: the baseline's rear areas (roads, rail, units).
            targets = rear_targets(game, side)
        fly_all(game, side, "interdiction", targets, missions_left(game.state, side))
        fly_all(game, side, "cas", threatened, missions_left(game.state, side))
