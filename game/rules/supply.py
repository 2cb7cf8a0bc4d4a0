"""Supply: traced from each side's sources over its own or empty land, never through an enemy
zone of control (a hex with one of our units in it cancels the enemy ZOC), costing movement
points as a unit would. One multi-source Dijkstra per side covers the whole map."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..engine.units import enemy_of
from .movement import occupied, zone_of_control


def supply_sources(state, side: int) -> np.ndarray:
    """Source hexes of ``side`` that it still holds."""
    src = np.asarray(state.scenario.supply_sources.get(side, []), dtype=np.int64)
    if src.size == 0:
        return src
    return src[state.owner[src] == side]


def supply_distance(state, side: int, base_cost: np.ndarray) -> np.ndarray:
    """Cost from the nearest source to every hex (inf where supply cannot be traced)."""
    m, u = state.map, state.units
    n = m.n
    rng = float(state.rules.supply.get("range", 12)) * float(state.sides[side]["supply_capacity"]) / 100.0
    sources = supply_sources(state, side)
    if sources.size == 0 or rng <= 0:
        return np.full(n, np.inf)
    enemy = enemy_of(side)
    ours = occupied(u, side, n)
    blocked_from = zone_of_control(m, u, enemy) & ~ours
    passable = (state.owner != enemy) | ours
    nb = m.grid.neighbors
    target = np.where(nb >= 0, nb, 0)
    cost = np.where(blocked_from[:, None] | ~passable[target] | occupied(u, enemy, n)[target],
                    np.inf, base_cost)
    ok = np.isfinite(cost)
    src = np.repeat(np.arange(n), 6)[ok.ravel()]
    g = csr_matrix((cost[ok], (src, nb[ok])), shape=(n, n))
    return dijkstra(g, indices=sources, min_only=True, limit=rng + 1e-9)


def update_supply(state, side: int, base_cost: np.ndarray) -> np.ndarray:
    """Mark ``side``'s units in or out of supply, apply attrition; returns the supplied mask."""
    u = state.units
    rows = u.rows_on_map(side)
    dist = supply_distance(state, side, base_cost)
    ok = np.isfinite(dist[u.hex[rows]])
    u.supply[rows] = np.where(ok, 0, np.minimum(u.supply[rows] + 1, 9))
    loss = state.rules.supply_effect("attrition", u.supply[rows]).astype(np.int16)
    if loss.any():
        u.strength[rows] -= loss
        state.sides[side]["losses"] += int(loss.sum())
        from .combat import eliminate  # local: combat imports movement, keep import graph flat
        for r in rows[u.strength[rows] <= 0]:
            eliminate(state, int(r))
    return np.isfinite(dist)
