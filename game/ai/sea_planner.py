"""The AI at sea: evacuate ports in danger, then perhaps one deliberate amphibious landing.
The sea rules (who may sail where, the chance of a landing) are game/rules/naval.py; this
module only chooses, at the start of the side's operations."""

from __future__ import annotations

import numpy as np

from ..engine.orders import Land, Ship
from ..engine.units import SIDE_NAMES, enemy_of
from ..rules.movement import occupied, zone_of_control
from ..rules.naval import NavalRules
from ..rules.supply import supply_distance, supply_sources
from . import restraint
from .front import fatal_places
from .planner import Planner, our_operations


class SeaOperations(Planner):
    name = "sea_operations"

    def applies(self, game) -> bool:
        return game.rule(NavalRules) is not None

    def run(self, game, ai) -> None:
        nav = game.rule(NavalRules)
        side = ai.side
        if not our_operations(game, side) or nav.lift_left(side) <= 0:
            return
        def may_go(r: int, h: int) -> bool:
            return not restraint.kept_out(game, ai, r, h)

        plan_evacuations(nav, side, may_go)
        if nav.may_land(side):
            # Never the garrison of a place whose loss alone ends the game, or that the side is
            # ordered to hold: the last port's guard (game/ai/guard.py) runs after this planner
            # and may have no one left to send.
            stay = np.union1d(fatal_places(game.state, enemy_of(side)), restraint.held_places(game, ai))
            plan_landing(nav, side, may_go, stay)


def refuge_ports(nav: NavalRules, side: int) -> np.ndarray:
    """Ports the side holds with no enemy unit within ``safe_distance``, in supply."""
    st = nav.game.state
    u = st.units
    ports = nav.sea.ports[st.owner[nav.sea.ports] == side]
    foes = np.unique(u.hex[u.on_map(enemy_of(side))])
    if ports.size and foes.size:
        d = st.map.grid.distance(ports[:, None], foes[None, :]).min(axis=1)
        ports = ports[d > nav.cfg.ai.safe_distance]
    if ports.size:
        sup = supply_distance(st, side, nav.game.movement.edge_cost(side))
        ports = ports[np.isfinite(sup[ports])]
    return ports


def plan_evacuations(nav: NavalRules, side: int, may_go=None) -> None:
    """Ship units out of ports that are cut off or nearly surrounded, to the safe port nearest
    the enemy (the evacuated unit rejoins the fight); ``may_go(row, hex)``: False where the
    unit is kept out (game/ai/restraint.py)."""
    game = nav.game
    st = game.state
    u, m = st.units, st.map
    a = nav.cfg.ai
    rows = u.rows_on_map(side)
    rows = rows[np.isin(u.hex[rows], nav.sea.ports) & (st.owner[u.hex[rows]] == side)
                & (u.mp[rows] > 0) & ~u.attacked[rows]]
    if rows.size == 0:
        return
    zoc = zone_of_control(m, u, enemy_of(side))
    nbs = m.grid.neighbors[u.hex[rows]]
    land_nb = (nbs >= 0) & m.land[np.where(nbs >= 0, nbs, 0)]
    pressed = (land_nb & zoc[np.where(nbs >= 0, nbs, 0)]).sum(axis=1) / np.maximum(land_nb.sum(axis=1), 1)
    danger = rows[(u.supply[rows] >= a.evacuate_out_of_supply) | (pressed >= a.evacuate_surrounded)]
    if danger.size == 0:
        return
    refuges = refuge_ports(nav, side)
    if refuges.size == 0:
        return
    foes = np.unique(u.hex[u.on_map(enemy_of(side))])
    front = (m.grid.distance(refuges[:, None], foes[None, :]).min(axis=1) if foes.size
             else np.zeros(refuges.size))
    name = SIDE_NAMES[side]
    for r in danger[np.argsort(-u.strength[danger], kind="stable")]:
        if nav.lift_left(side) < nav.need(r):
            continue
        here = int(u.hex[r])
        for k in np.lexsort((refuges, front)):
            dest = int(refuges[k])
            if (may_go is None or may_go(int(r), dest)) and not nav.port_problem(side, int(r), here, dest):
                if game.apply(Ship(name, unit=u.ids[r], to=dest)):
                    break


def plan_landing(nav: NavalRules, side: int, may_go=None, stay=()) -> None:
    """One deliberate landing: a prepared unit, a beach deep behind the enemy's front where
    the enemy is thin, cutting the supply lines of as much enemy strength as possible
    (``may_go`` as for the evacuations; no unit standing on a hex of ``stay`` goes)."""
    game = nav.game
    st = game.state
    u, m = st.units, st.map
    a = nav.cfg.ai
    if st.turn - int(nav.data()["last_landing"][SIDE_NAMES[side]]) < a.landing_cooldown:
        return
    rows = u.rows_on_map(side)
    rows = rows[np.isin(u.hex[rows], nav.sea.ports) & ~np.isin(u.hex[rows], stay)]
    rows = [int(r) for r in rows if st.owner[u.hex[r]] == side and not nav.unready(int(r))
            and not nav.shipping_problem(side, int(u.hex[r]), nav.need(r))]
    if not rows:
        return
    enemy = enemy_of(side)
    foes = u.rows_on_map(enemy)
    if foes.size == 0:
        return
    beach = np.nonzero(nav.sea.coastal & (st.owner == enemy) & ~occupied(u, enemy, m.n)
                       & ~game.movement.no_entry(side))[0]
    ours = np.unique(u.hex[u.on_map(side)])
    if beach.size == 0 or ours.size == 0:
        return
    grid = m.grid
    beach = beach[grid.distance(beach[:, None], ours[None, :]).min(axis=1) >= a.landing_min_depth]
    fh = u.hex[foes]
    if beach.size:
        near = (grid.distance(beach[:, None], fh[None, :]) <= 2).sum(axis=1)
        beach = beach[near <= a.landing_max_enemy_near]
    src = supply_sources(st, enemy)
    if beach.size == 0 or src.size == 0:
        return
    # A beach cuts a unit's supply when it lies (within slack) on the way to its source.
    d_unit_src = grid.distance(fh[:, None], src[None, :]).min(axis=1)
    d_beach_src = grid.distance(beach[:, None], src[None, :]).min(axis=1)
    d_unit_beach = grid.distance(fh[:, None], beach[None, :])
    cut = ((d_unit_beach + d_beach_src[None, :] <= d_unit_src[:, None] + a.supply_slack)
           & (d_unit_beach >= 2))
    threat = u.strength[foes].astype(float) @ cut
    own_src = np.isin(beach, np.asarray(st.scenario.supply_sources.get(side, []), dtype=np.int64))
    score = threat + np.where(own_src, a.landing_min_threat / 2, 0.0)
    name = SIDE_NAMES[side]
    for k in np.lexsort((beach, -score)):
        if threat[k] < a.landing_min_threat:
            return
        b = int(beach[k])
        chance = nav.landing_chance(side, b)[0]
        if chance < a.landing_min_chance:
            continue
        for r in sorted(rows, key=lambda i: (-u.strength[i], i)):
            port = int(u.hex[r])
            if (may_go is None or may_go(r, b)) and not nav.beach_problem(side, r, b, nav.sea.reachable_from(port)):
                game.apply(Land(name, unit=u.ids[r], to=b))
                return
