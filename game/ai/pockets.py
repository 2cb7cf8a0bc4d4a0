"""Timely withdrawal from ground about to be cut off.

Supply cannot be traced out of an enemy zone of control. Next turn
the enemy can step into any hex next to its units that our line does not close (a hex touched
by two of our units is a gap in a line, which the AI counts as closed), and put its zone of
control around it. ``blockade`` is that worst case as a mask; a unit whose ground is joined to
a supply source now but not under the blockade (nor to the bulk of our strength: the enemy cannot
close around everything at once) stands in a pocket about to close. In an ordered withdrawal
``PocketEscape`` moves such units, before anything else this turn, to the reachable hex that stays
joined to a source, the one nearest to where they stand; a unit already cut off makes for the
nearest hex joined to home. Otherwise they hold: the line planner keeps free units out of such
pockets (``Front.holdable``), and the enemy seldom closes its best case.
"""

from __future__ import annotations

import numpy as np

from ..engine.orders import Move
from ..engine.units import SIDE_NAMES, enemy_of
from ..rules.movement import occupied, stack_points
from ..rules.supply import supply_sources
from . import restraint
from .planner import Planner, free_to_move

# A pocket holds less than this share of our strength on the map; a larger "pocket" is the main
# body, which the enemy cannot close around in one turn.
POCKET_SHARE = 0.3


def around(m, mask: np.ndarray) -> np.ndarray:
    """``mask`` and every hex next to it."""
    out = mask.copy()
    nbs = m.grid.neighbors[mask].ravel()
    out[nbs[nbs >= 0]] = True
    return out


def blockade(game, side: int) -> np.ndarray:
    """(n,) bool: hexes our supply could not cross after the enemy's next step, at worst: the
    enemy's units, and the zone of control around its units and around every hex next to them
    it could step into (land we do not hold with a unit, touched by fewer than two of our
    units); never a hex we stand on. Empty enemy-held ground does not count: the units that
    advance into it take it."""
    st = game.state
    u, m = st.units, st.map
    ours = occupied(u, side, m.n)
    theirs = occupied(u, enemy_of(side), m.n)
    # How many of our hexes touch each hex: each of ours counts once for each of its neighbours
    # (hexes are neighbours both ways), the few of ours read instead of the whole map's table.
    nbs = m.grid.neighbors[ours].ravel()
    touch = np.bincount(nbs[nbs >= 0], minlength=m.n)
    step = theirs | (around(m, theirs) & m.land & ~ours & (touch < 2))
    return (around(m, step) & ~ours) | theirs


def open_components(m, blocked: np.ndarray) -> tuple[int, np.ndarray]:
    """Connected pieces of the land outside ``blocked``: (count, label of each hex; -1 blocked)."""
    return m.grid.parts(m.land & ~blocked)


def pocketed(game, side: int, front) -> tuple[np.ndarray, np.ndarray]:
    """(rows of our units in a pocket about to close or already closed, (n,) bool: the hexes
    joined to a supply source or to the bulk of our strength under the blockade: safe ground)."""
    st = game.state
    u, m = st.units, st.map
    ours = front.ours
    if ours.size == 0:
        return ours, np.zeros(m.n, dtype=bool)
    count, label = open_components(m, blockade(game, side))
    src = supply_sources(st, side)
    home = np.zeros(count + 1, dtype=bool)            # index count: the blocked hexes' "piece"
    lab_src = label[src]
    home[lab_src[lab_src >= 0]] = True
    lab = label[u.hex[ours]]
    lab = np.where(lab >= 0, lab, count)
    strength = np.bincount(lab, weights=u.strength[ours].astype(float), minlength=count + 1)
    total = float(u.strength[ours].sum())
    home |= strength >= POCKET_SHARE * total
    home[count] = False
    safe = (label >= 0) & home[np.where(label >= 0, label, count)]
    at_risk = ours[~home[lab]]
    return at_risk, safe


def escape(game, ai, front) -> list[int]:
    """Move every unit in a pocket to the nearest safe hex it can reach (or toward safe ground);
    returns the rows that moved."""
    st = game.state
    u, m = st.units, st.map
    rows, safe = front.pocket
    rows = rows[free_to_move(ai, u, rows)]
    if rows.size == 0 or not safe.any():
        return []
    to_safe = None                  # hex steps to safe ground, read only when a unit cannot reach it
    room = st.rules.movement.stack_limit - stack_points(st, ai.side)
    need = st.rules.unit_types.stack[u.type]
    reach = restraint.reach(game, ai, rows)
    moved = []
    name = SIDE_NAMES[ai.side]
    for r in rows[np.argsort(-u.strength[rows], kind="stable")]:
        dist, cand = reach[int(r)][0], reach[int(r)][3]
        cand = cand[room[cand] >= need[r]]
        if cand.size == 0:
            continue
        # Safe hexes first, the nearest of them; else the hex nearest to safe ground.
        on_safe = safe[cand]
        if on_safe.all():
            key = dist[cand]
        else:
            if to_safe is None:
                to_safe = m.land_steps(np.nonzero(safe)[0])
            key = np.where(on_safe, dist[cand], 1000.0 + 10.0 * to_safe[cand] + dist[cand])
        best = int(cand[np.argmin(key)])
        here = int(u.hex[r])
        if best != here and game.apply(Move(name, unit=u.ids[r], to=best)):
            room[here] += need[r]
            room[best] -= need[r]
            moved.append(int(r))
    ai.placed.update(moved)
    return moved


class PocketEscape(Planner):
    """Before anything else, in an ordered withdrawal: units about to be cut off fall back to
    ground that stays open. Otherwise a unit in such a pocket holds where it stands (the line
    planner still keeps free units out of pockets): the pocket is the enemy's best case, which
    it seldom closes, and falling back from it gave up the cities and ground it held (duels
    against the baseline on seeds 1-8, in every short scenario)."""

    name = "pocket_escape"

    def run(self, game, ai) -> None:
        if ai.withdrawing(game):
            escape(game, ai, ai.picture(game))
