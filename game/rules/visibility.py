"""Fog of war (optional per scenario): what a side can see of the enemy.

A side sees every hex within ``sight`` steps of its units, and its own ground. With fog off
(the default) everything is visible. The renderer hides enemy units on hexes a player's
side cannot see; the rules and the AI are unaffected.
"""

from __future__ import annotations

import numpy as np


def fog_settings(state):
    """The scenario's ``fog_of_war`` section (``enabled``, ``sight``), with the schema's defaults."""
    return state.scenario.config.fog_of_war


def visible_hexes(game, side: int) -> np.ndarray:
    """Bool (n,): hexes ``side`` can see now."""
    st = game.state
    fog = fog_settings(st)
    if not fog.enabled:
        return np.ones(st.map.n, dtype=bool)
    seen = st.owner == side
    steps = st.map.land_steps(st.units.hex[st.units.on_map(side)], limit=fog.sight)
    return seen | np.isfinite(steps)
