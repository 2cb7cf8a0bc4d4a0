"""The scenario's last turn: the score is taken when it ends, so ground need not be held after it.

On its last turn the AI, after its attacks, sends its free units to where they win the most
victory points at the end of the turn: an enemy-held place a unit can stand on (a place goes to
whoever stands on it), and the ground the control rule will give it (land within the control
radius nearer to it than to any enemy unit) that no other unit of ours already secures, each
hex at its share of its region's territory points (game/rules/victory.py). When the enemy still
moves after us that turn, the units in contact keep the line; when we move last, every free
unit goes.
"""

from __future__ import annotations

import numpy as np

from ..engine.mapdata import REGION
from ..engine.orders import Move
from ..engine.units import SIDE_NAMES
from ..rules.movement import stack_points
from . import restraint
from .planner import Planner, free_to_move


def last_turn(game) -> bool:
    st = game.state
    return st.turn >= len(st.scenario.calendar) - 1


def territory_worth(state) -> np.ndarray:
    """(n,) victory points one land hex is worth: its region's territory points over its land."""
    m = state.map
    worth = np.zeros(m.n)
    politics = state.scenario.config.politics
    if politics is None:
        return worth
    for region, points in politics.vp.territory.model_dump().items():
        area = m.land & (m.region == REGION[region])
        if points and area.any():
            worth[area] = float(points) / float(area.sum())
    return worth


def grab_ground(game, ai, front) -> list[int]:
    """Move the free units out of contact to the hexes that score most at the end of this turn;
    returns the rows that moved."""
    st = game.state
    u, m = st.units, st.map
    side = ai.side
    rows = u.rows_on_map(side)
    free = free_to_move(ai, u, rows)
    if st.scenario.side_order[-1] != side:
        free &= front.d_foe[u.hex[rows]] > 1       # the enemy moves after us: the line holds
    movers, staying = rows[free], rows[~free]
    if movers.size == 0:
        return []
    radius = int(st.rules.control.radius)
    disk = m.grid.disks(radius)                                   # (n, k)
    valid = disk >= 0
    at = np.where(valid, disk, 0)
    inner = int(np.argmax(valid.all(axis=1)))                     # a hex whose whole disk is on the map
    off = m.grid.distance(disk[inner], inner)                     # (k,) steps of each offset from its centre
    enemy_near = front.d_foe                                       # steps from the nearest enemy unit
    # Ground the staying units secure at the end of the turn, and what each hex is worth.
    near = m.land_steps(u.hex[staying], limit=radius) if staying.size else np.full(m.n, np.inf)
    secured = m.land & (near <= radius) & (near < enemy_near)
    worth = territory_worth(st)
    # Our own ground no enemy unit is near stays ours anyway.
    worth = np.where((st.owner == side) & (enemy_near > radius), 0.0, worth)
    room = st.rules.movement.stack_limit - stack_points(st, side)
    need = st.rules.unit_types.stack[u.type]
    reach = restraint.reach(game, ai, movers)
    name = SIDE_NAMES[side]
    moved = []
    for r in movers[np.lexsort((movers, -u.mp[movers]))]:
        dist, cand = reach[int(r)][0], reach[int(r)][3]
        here = int(u.hex[r])
        cand = cand[(room[cand] >= need[r]) | (cand == here)]
        if cand.size == 0:
            continue
        x = at[cand]
        wins = valid[cand] & m.land[x] & ~secured[x] & (off[None, :] < enemy_near[x])
        gain = np.where(wins, worth[x], 0.0).sum(axis=1)
        gain += np.where(st.owner[cand] != side, m.vp[cand], 0.0) - 0.001 * dist[cand]
        best = int(cand[np.argmax(gain)])
        if best != here and game.apply(Move(name, unit=u.ids[r], to=best)):
            room[here] += need[r]
            room[best] -= need[r]
            moved.append(int(r))
        spot = int(u.hex[r])
        hit = valid[spot] & (off < enemy_near[at[spot]])
        secured[at[spot][hit]] = True
    ai.placed.update(moved)
    return moved


class FinalGrab(Planner):
    """On the scenario's last turn: free units out of contact take what scores at its end."""

    name = "final_grab"

    def run(self, game, ai) -> None:
        if last_turn(game):
            grab_ground(game, ai, ai.picture(game))
