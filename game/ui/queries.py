"""What the window asks of a game that the rules answer piece by piece: whose turn it is once
the game may be over, which units are still idle, and the words for a hex's defence. Every
number comes from the rules' own functions (combat strengths, ranges, who may attack)."""

from __future__ import annotations

import numpy as np

from ..ai.ground import ready_to_attack
from ..engine.mapdata import TERRAIN_NAMES
from ..engine.units import enemy_of
from ..rules.combat import defense_strength


def acting_side(state) -> int | None:
    """The side whose turn it is; None once the game is over (the side index then runs past
    the last side, and ``state.active_side`` has no answer)."""
    order = state.scenario.side_order
    if state.over or not 0 <= state.side_index < len(order):
        return None
    return order[state.side_index]


def idle_units(game, side: int, skipped=(), seen=None) -> tuple[list, list]:
    """(rows that can still move somewhere, rows that can still attack an enemy next to them)
    of ``side``, leaving out the units whose ids are in ``skipped`` and enemies on hexes
    ``seen`` is False for (fog of war)."""
    st = game.state
    u = st.units
    rows = [int(r) for r in u.rows_on_map(side) if u.ids[r] not in skipped]
    may_move = [r for r in rows if u.mp[r] > 0 and not u.stopped[r]]
    game.movement.reach_many(may_move)                      # one batch, then cached
    moving = [r for r in may_move if game.movement.reachable(r).any()]
    enemy = np.zeros(st.map.n, dtype=bool)
    enemy_rows = u.rows_on_map(enemy_of(side))
    enemy[u.hex[enemy_rows]] = True
    if seen is not None:
        enemy &= seen
    ready = set(int(r) for r in ready_to_attack(game, side))
    nb = st.map.grid.neighbors
    attacking = [r for r in rows if r in ready and any(n >= 0 and enemy[n] for n in nb[u.hex[r]])]
    return moving, attacking


def defence_lines(state, h: int, rows) -> list[str]:
    """Words for what defending hex ``h`` is worth: the terrain's multiplier and odds shift,
    rivers on its edges, digging in, and the defence strength of ``rows`` standing there."""
    r = state.rules
    m = state.map
    t = int(m.terrain[h])
    shift = int(r.terrain_shift[t])
    out = [f"Defence: {TERRAIN_NAMES[t]} x{float(r.terrain_defense[t]):g}"
           + (f", odds {shift:+d} column{'s' if abs(shift) != 1 else ''}" if shift else "")]
    river = m.river[h]
    if river.any():
        shifts = r.combat.river_shift
        worst = int(shifts.major) if river.max() == 2 else int(shifts.minor)
        out.append(f"Attacks across its river: odds {worst:+d}")
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size:
        held = min(r.defense_columns(state.units.nations[k], state.date) for k in rows)
        if held:
            out.append(f"Their way of holding ground: odds -{held} column{'s' if held != 1 else ''}")
        dug = int(state.units.entrench[rows].max())
        if dug:
            out.append(f"Dug in (level {dug}): defence x{1 + float(r.combat.entrench_bonus) * dug:g}")
        out.append(f"Defence strength here: {float(defense_strength(state, rows, h).sum()):.1f}")
    return out
