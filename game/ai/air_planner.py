"""The AI's air plan: close support where it attacks and where it is threatened, before its
attacks; interdiction over the enemy's rear at the end of its phase. The rules of air power
(what may fly where, what a mission does) are game/rules/air.py; this module only chooses.
"""

from __future__ import annotations

import numpy as np

from ..engine.memo import PerObject
from ..engine.orders import AirMission
from ..engine.units import SIDE_NAMES, enemy_of
from ..rules import combat
from ..rules.air import AirRules, air_state, closed_to_missions, missions_left
from ..rules.supply import supply_sources
from .ground import enemy_pressure, ready_to_attack
from .planner import Planner, our_operations


class AirPlanner(Planner):
    """A step of the air plan: it runs in its side's operations when the scenario has air rules."""

    def applies(self, game) -> bool:
        return game.rule(AirRules) is not None

    def run(self, game, ai) -> None:
        if our_operations(game, ai.side):
            self.fly(game, ai)

    def fly(self, game, ai) -> None:
        raise NotImplementedError


class CloseAirSupport(AirPlanner):
    """Before the attacks: close support over the hexes it will attack and its threatened ones."""

    name = "close_air_support"

    def fly(self, game, ai) -> None:
        side = ai.side
        cfg = game.rule(AirRules).cfg
        total = int(air_state(game.state)["turn"][SIDE_NAMES[side]]["available"])
        n_attack = int(np.floor(total * cfg.ai.attack_share + 0.5))
        n_defend = int(np.floor(total * cfg.ai.defense_share + 0.5))
        fly_all(game, side, "cas", attack_targets(game, ai), n_attack)
        fly_all(game, side, "cas", threatened_hexes(game, side), n_defend)


class Interdiction(AirPlanner):
    """At the end of the phase: interdiction behind the enemy's front, then cover for the line."""

    name = "interdiction"

    def fly(self, game, ai) -> None:
        side = ai.side
        fly_all(game, side, "interdiction", rear_targets(game, side), missions_left(game.state, side))
        # Missions with no rear worth striking cover the front against the enemy's next turn.
        fly_all(game, side, "cas", threatened_hexes(game, side), missions_left(game.state, side))


def fly_all(game, side: int, mission: str, targets, budget: int) -> int:
    """Fly up to ``budget`` missions over ``targets`` (best first); a refused one is skipped."""
    flown = 0
    name = SIDE_NAMES[side]
    for h in targets:
        if flown >= budget or missions_left(game.state, side) <= 0:
            break
        if game.apply(AirMission(name, mission=mission, target=int(h))):
            flown += 1
    return flown


def column_values(state) -> np.ndarray:
    """(columns,) expected worth of an attack at each odds column: steps the defender loses
    (a retreat hex counts half) minus the attacker's, over the six die rolls."""
    crt = state.rules.crt
    return np.array([np.mean([row[c].defender_loss + 0.5 * row[c].retreat - row[c].attacker_loss
                              for row in crt]) for c in range(len(state.rules.odds))])


def attack_targets(game, ai) -> list:
    """Enemy hexes ``ai`` will likely attack, best first: next to several of its ready units,
    at odds it attacks at, ranked by what the extra columns gain."""
    st = game.state
    u, m = st.units, st.map
    ready = ready_to_attack(game, ai.side)
    foes = u.hex[u.on_map(enemy_of(ai.side))]
    if ready.size == 0 or foes.size == 0:
        return []
    targets = np.unique(foes)
    near = m.grid.distance(u.hex[ready][None, :], targets[:, None]) == 1     # (targets, ready)
    n_near = near.sum(axis=1)
    targets, near, n_near = targets[n_near > 0], near[n_near > 0], n_near[n_near > 0]
    if targets.size == 0:
        return []
    threshold = float(ai.posture(game)["attack_odds"])
    values = column_values(st)
    top = len(values) - 1
    cols = game.rule(AirRules).cfg.cas.attack_columns
    scored = []
    for t, sel in zip(targets, near, strict=False):         # a handful of front hexes
        rows = [int(r) for r in ready[sel]]
        odds = game.odds([u.ids[r] for r in rows], int(t))
        if odds.ratio < threshold:
            continue
        gain = values[min(odds.column + cols, top)] - values[odds.column]
        if gain > 0:
            scored.append((gain * len(rows), int(t)))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [t for _, t in scored]


def threatened_hexes(game, side: int) -> list:
    """This side's hexes the enemy can attack, most threatened first (enemy attack factors
    next to the hex over our defence there), ties to the hex worth more victory points."""
    st = game.state
    u, m = st.units, st.map
    foes = u.rows_on_map(enemy_of(side))
    ours = u.rows_on_map(side)
    if foes.size == 0 or ours.size == 0:
        return []
    pressure = enemy_pressure(game, side)
    held = np.bincount(u.hex[ours], weights=combat.defense_strength(st, ours), minlength=m.n)
    hexes = np.nonzero((held > 0) & (pressure > 0))[0]
    if hexes.size == 0:
        return []
    ratio = pressure[hexes] / held[hexes]
    keep = ratio >= st.rules.odds[0]          # below the lowest odds column no attack comes
    hexes, ratio = hexes[keep], ratio[keep]
    return [int(h) for h in hexes[np.lexsort((hexes, -m.vp[hexes], -ratio))]]


_ROUTE_AREAS = PerObject()     # (map, "route" or radius) -> (n,) road and rail hexes in each area


def route_hexes(m) -> np.ndarray:
    """(n,) bool: the land hexes with a road or rail, computed once per map (read only)."""
    return _ROUTE_AREAS.get(m, "route", lambda: ((m.road > 0).any(axis=1) | m.rail.any(axis=1)) & m.land)


def route_area(m, radius: int) -> np.ndarray:
    """(n,) road and rail land hexes within ``radius`` of each hex, computed once per map."""
    return _ROUTE_AREAS.get(m, radius, lambda: count_area(m.grid, np.nonzero(route_hexes(m))[0], radius))


def count_area(grid, hexes, radius: int) -> np.ndarray:
    """(n,) how many of ``hexes`` (repeats counted) lie within ``radius`` of each hex."""
    around = grid.disks(radius)[np.asarray(hexes, dtype=np.int64)]
    return np.bincount(around[around >= 0], minlength=grid.n).astype(float)


_SOURCE_DISTANCES = PerObject()   # (grid, sources) -> (n,) hex steps: a few per game


def source_distances(grid, src: np.ndarray) -> np.ndarray:
    """``grid.distances_from(src)`` (read-only), kept for the sources seen last: a side's
    supply sources change seldom, the grid never."""
    return _SOURCE_DISTANCES.get(grid, np.asarray(src, dtype=np.int64).tobytes(), lambda: grid.distances_from(src))


def rear_targets(game, side: int) -> list:
    """Hexes behind the enemy's front to interdict, best first: enemy ground whose area holds
    roads, rail and enemy units, between the enemy's supply sources and its front. Up to
    ``ai.rear_depth`` hexes behind the front first; deeper road and rail hexes (reinforcement
    routes) come after at half worth, for when bad weather grounds the missions near the front.
    Areas that would overlap an earlier choice are dropped."""
    st = game.state
    m = st.map
    g = m.grid
    u = st.units
    enemy = enemy_of(side)
    cfg = game.rule(AirRules).cfg
    r = cfg.interdiction.radius
    depth = cfg.ai.rear_depth
    ours = u.hex[u.on_map(side)]
    foes = u.hex[u.on_map(enemy)]
    if ours.size == 0 or foes.size == 0:
        return []
    d_front = g.distances_from(ours, limit=max(3 * depth, r))    # read below only up to there
    route = route_hexes(m)
    apart = g.disks(2 * r)
    # Road and rail hexes, and enemy units, in the area around each hex (whole numbers: any
    # order of summing gives the same).
    worth = route_area(m, r) + 2.0 * count_area(g, foes, r)
    worth = worth * np.where(d_front <= depth, 1.0, 0.5)
    src = supply_sources(st, enemy)
    if src.size:
        d_src = source_distances(g, src)
        worth = worth * np.where(d_src <= np.median(d_src[foes]), 1.0, 0.5)   # on the way to the front
    ok = (m.land & (st.owner == enemy) & (d_front > r) & (worth > 0) & ~closed_to_missions(game, side)
          & ((d_front <= depth) | (route & (d_front <= 3 * depth))))
    cand = np.nonzero(ok)[0]
    cand = cand[np.lexsort((cand, -worth[cand]))]
    chosen = []
    taken = np.zeros(m.n, dtype=bool)         # within 2r of an area already chosen
    rest = cand[:300]                         # greedy, non-overlapping areas
    while rest.size:
        h = int(rest[0])                      # the best left, then the rest not too near it
        chosen.append(h)
        near = apart[h]
        taken[near[near >= 0]] = True
        rest = rest[~taken[rest]]
    return chosen
