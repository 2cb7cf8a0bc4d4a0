"""What the scenario's objectives (``victory.objectives``, game/rules/objectives.py) ask of the
AI: the places of a hold objective still to be decided count like cities for both sides, and the
units an exit objective names make for its area. A scenario without objectives is played as
before: these functions then add nothing.
"""

from __future__ import annotations

import numpy as np

from ..engine.units import ON_MAP, SIDE_NAMES
from ..rules.objectives import ObjectiveRules
from ..scenario.selectors import area_mask, unit_mask

UNREACHABLE = 50.0          # hex steps counted where no path over land leads to the area


def steps(m, sources) -> np.ndarray:
    """Hex steps over land from the nearest of ``sources`` (``UNREACHABLE`` where none is reachable)."""
    d = m.land_steps(sources)
    return np.where(np.isfinite(d), d, UNREACHABLE)


def objective_vp(game) -> np.ndarray | None:
    """(n,) victory points the AI counts on the places of hold objectives not yet decided (the
    objective's ``vp``, at least 1); None in a scenario without such objectives."""
    rule = game.rule(ObjectiveRules)
    if rule is None or not any(o.hold for o in rule.objectives):
        return None
    vp = np.zeros(game.state.map.n)
    for o in rule.objectives:
        if o.hold and rule.is_open(o):
            vp[rule.hexes[o.id]] += max(float(o.vp), 1.0)
    return vp


def exit_goals(game, side: int) -> dict[int, np.ndarray]:
    """{unit row: (n,) hex steps to its exit area} for the side's units on the map that an open
    exit objective names (the nearest area when several do)."""
    rule = game.rule(ObjectiveRules)
    if rule is None:
        return {}
    st = game.state
    u, m = st.units, st.map
    goals: dict[int, np.ndarray] = {}
    for o in rule.objectives:
        if o.exit is None or o.side != SIDE_NAMES[side] or not rule.is_open(o):
            continue
        area = np.nonzero(area_mask(m, o.exit.area.model_dump()) & m.land)[0]
        d = steps(m, area)
        named = unit_mask(u, list(st.rules.unit_types.names), o.exit.model_dump(exclude_none=True), side)
        for r in np.nonzero(named & (u.status == ON_MAP))[0]:
            goals[int(r)] = np.minimum(goals[int(r)], d) if int(r) in goals else d
    return goals

