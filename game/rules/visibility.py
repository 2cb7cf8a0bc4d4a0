"""Fog of war (optional per scenario): what a side can see of the enemy.

A side sees every hex within ``sight`` steps of its units, and its own ground. With fog off
(the default) everything is visible. The renderer hides enemy units on hexes a player's
side cannot see; the rules and the AI are unaffected.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra


def fog_settings(state) -> dict:
    fog = state.scenario.data.get("fog_of_war") or {}
    return {"enabled": bool(fog.get("enabled", False)), "sight": int(fog.get("sight", 2))}


def visible_hexes(game, side: int) -> np.ndarray:
    """Bool (n,): hexes ``side`` can see now."""
    st = game.state
    fog = fog_settings(st)
    if not fog["enabled"]:
        return np.ones(st.map.n, dtype=bool)
    hexes = np.unique(st.units.hex[st.units.on_map(side)])
    seen = st.owner == side
    if hexes.size:
        steps = dijkstra(game.control.graph, indices=hexes, min_only=True, unweighted=True, limit=fog["sight"])
        seen |= np.isfinite(steps)
    return seen
