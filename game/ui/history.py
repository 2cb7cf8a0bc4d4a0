"""What the game recorded of each turn played, as the turn review shows it: the state at the
end of a turn (a read-only copy), and the combats and cards of a turn."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..engine.units import ON_MAP, RESERVE


def snapshot(game, i: int):
    """A read-only copy of the state as it stood at the end of recorded turn ``i``: the
    recorded owner, positions and strengths (units added later are off the map)."""
    st = game.state
    u = st.units
    n = len(u.ids)
    hexes = np.full(n, -1, dtype=np.int32)
    strength = u.strength.copy()
    rec = game.unit_history[i] if i < len(game.unit_history) else None
    if rec is not None:
        k = rec["hex"].size
        hexes[:k] = rec["hex"]
        strength[:k] = rec["strength"]
    arrays = dict(u.arrays, hex=hexes, strength=strength,
                  status=np.where(hexes >= 0, ON_MAP, RESERVE).astype(np.int8))
    units = dataclasses.replace(u, arrays=arrays)
    turn = int(st.history[i]["turn"]) if i < len(st.history) else st.turn
    return dataclasses.replace(st, units=units, owner=game.owner_history[i], phase="review", turn=turn)


def turn_combats(state, turn: int) -> list:
    """[(target hex, result line)] of the attacks made in turn ``turn``: the attack orders of
    that turn matched in order with the combat lines of the log on its date."""
    targets = [int(o["target"]) for o in state.orders if o.get("type") == "attack" and o.get("turn") == turn]
    date = state.history[turn]["date"] if turn < len(state.history) else ""
    lines = [line[len(date) + 1:] for line in state.log if line.startswith(date) and " attack at " in line]
    return list(zip(targets, lines + [""] * (len(targets) - len(lines)), strict=False))


def turn_cards(state, turn: int) -> list:
    return [c for c in state.fired if c.get("turn") == turn]
