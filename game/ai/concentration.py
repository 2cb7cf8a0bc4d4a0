"""Coordinated attacks: several units converge on one enemy hex from several hexes, with close
air support and naval gunfire where they are, at the best odds the force at hand can reach.

Planning (``AttackPlanner.plan``) is a greedy choice over every enemy hex our ready units can
reach: for each it finds the units that can step next to it this turn with movement left to attack
(each on its cheapest free hex, avoiding a river between it and the target), ranks them by
attack factor and finds the fewest that, with the fewest air missions, reach the best column
the whole force could. An attack's worth is the steps the enemy is expected to lose more than
we do, plus the chance the hex is cleared times what it holds (victory points, a junction, the
enemy's supply lines, the main effort's sector). The best attack takes its units and missions;
the attacks that shared them are weighed again; and so on while an attack worth making at the
posture's odds remains. On the defensive (no offensive ordered) it counterattacks only at odds
where the defenders retreat whatever the die says.

Execution (``execute``): every unit to its hex first, then the air missions, then the attacks,
best first (the first attack near the coast spends the gunfire), each checked on the real odds
just before: a move or a mission that failed may have lowered them. When a wave drove the enemy
from some hex, a second wave is planned around the hexes it opened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.orders import Attack, Move
from ..engine.units import SIDE_NAMES, enemy_of
from ..rules.air import AirRules, air_state, missions_left
from ..rules.movement import stack_points
from ..rules.naval import NavalRules
from . import restraint
from .air_planner import fly_all
from .attack_math import module_shift, river_shift_of
from .ground import ready_to_attack
from .planner import Planner, placed

# Worth of clearing a hex, in enemy steps lost, for each victory point or objective point it
# holds, and for the ground itself (game design).
CLEAR_WORTH = 1.0
MAIN_EFFORT_BONUS = 1.0      # share more for hexes in the main effort's sector
UNIT_COST = 0.05             # steps of worth an extra unit must add to be sent (keeps units free)
MISSION_COST = 0.1           # likewise for an air mission


@dataclass
class AttackPlan:
    target: int
    rows: list[int]                  # attacking units, strongest first
    slots: list[int]                 # the hex each attacks from
    missions: int                    # close air support missions to fly over the target
    column: int                      # the odds column planned
    worth: float
    gunfire: bool = False            # counts on naval gunfire


@dataclass
class _Candidates:
    """Units that can attack one target: rows, their slot, its river level, attack factors."""

    target: int
    rows: np.ndarray
    slots: np.ndarray
    river: np.ndarray
    factors: np.ndarray


def ai_missions(game, side: int) -> int:
    """Air missions the attacks may use this turn: the side's ``attack_share`` of those left."""
    air = game.rule(AirRules)
    if air is None:
        return 0
    total = int(air_state(game.state)["turn"][SIDE_NAMES[side]]["available"])
    return min(missions_left(game.state, side), int(np.floor(total * air.cfg.ai.attack_share + 0.5)))


def cas_room(game, side: int, target: int) -> int:
    """More close support missions that would still count over ``target``."""
    air = game.rule(AirRules)
    if air is None:
        return 0
    name = SIDE_NAMES[side]
    flown = sum(1 for m in air_state(game.state)["missions"]
                if m["side"] == name and m["target"] == target and m["mode"] == "attack")
    return max(0, int(air.cfg.cas.max_per_hex) - flown)


class AttackPlanner:
    """Plans one wave of attacks for ``ai`` from the ``front`` picture."""

    def __init__(self, game, ai, front, min_column: int, near=None):
        self.game, self.ai, self.front = game, ai, front
        st = game.state
        self.state = st
        self.side, self.enemy = ai.side, front.enemy
        self.min_column = min_column
        self.table = front.table
        u, m = st.units, st.map
        self.ready = ready_to_attack(game, ai.side)
        self.missions = ai_missions(game, ai.side)
        air = game.rule(AirRules)
        self.cas_columns = int(air.cfg.cas.attack_columns) if air is not None else 0
        self.room = st.rules.movement.stack_limit - stack_points(st, ai.side)
        self.need = st.rules.unit_types.stack[u.type]
        foes = front.foes
        self.targets = np.unique(u.hex[foes])
        if near is not None:        # a later wave: the units and targets around the hexes it opened
            self.ready = self.ready[_within(m.grid, u.hex[self.ready], near, WAVE_REACH)]
            self.targets = self.targets[_within(m.grid, self.targets, near, WAVE_REACH)]
        self.defence = np.bincount(u.hex[foes], weights=front.defence_factors[foes], minlength=m.n)
        self.strength = np.bincount(u.hex[foes], weights=u.strength[foes], minlength=m.n)
        self.gunfire_left = self._gunfire_left()
        self.main = front.main_effort()
        self.river_shifts = np.array([river_shift_of(st, level) for level in (0, 1, 2)])
        self._targets: dict[int, tuple[int, bool, np.ndarray]] = {}

    def _gunfire_left(self) -> int:
        nav = self.game.rule(NavalRules)
        return nav.gunfire_left(self.side) if nav is not None else 0

    def safe_slots(self) -> np.ndarray:
        """(n,) bool: hexes an attack may start from: within reach of our supply once the empty
        enemy ground on the way is ours (an attacker cannot move again this turn, and one out
        of supply range would be cut off where it stands)."""
        return self.front.supplied_once_taken

    def garrisons(self, rows) -> np.ndarray:
        """(rows,) bool: units alone in a place of ours at risk (Front.places_at_risk)."""
        u = self.state.units
        at_risk = self.front.places_at_risk[u.hex[rows]] > 0
        ours = u.hex[self.front.ours]
        alone = np.bincount(ours, minlength=self.state.map.n)[u.hex[rows]] == 1
        return at_risk & alone

    # --- who can reach whom ---------------------------------------------------------------
    def candidates(self) -> dict[int, _Candidates]:
        """For each enemy hex, the ready units that can attack it this turn."""
        st, g = self.state, self.game
        u, m = st.units, st.map
        ready = self.ready
        out: dict[int, _Candidates] = {}
        if ready.size == 0 or self.targets.size == 0:
            return out
        nb = m.grid.neighbors[self.targets]                              # (T, 6)
        slots = np.where(nb >= 0, nb, 0)
        enemy_occ = np.zeros(m.n, dtype=bool)
        enemy_occ[u.hex[self.front.foes]] = True
        open_slot = (nb >= 0) & m.land[slots] & ~enemy_occ[slots] & self.safe_slots()[slots]
        # The river between each slot and its target: the edge seen from the slot's side.
        river = m.river[slots, (np.arange(6)[None, :] + 3) % 6]
        reach = restraint.reach(g, self.ai, ready)
        spare = u.mp[ready].astype(float) - float(st.rules.combat.min_attack_mp) + 1e-9
        dist = np.stack([reach[int(r)][0][slots] for r in ready])          # (R, T, 6)
        here = u.hex[ready][:, None, None] == slots[None]
        ok = (dist <= spare[:, None, None]) & open_slot[None]
        # Stopped units, the last unit holding a place at risk and the units another planner has
        # placed attack from where they stand.
        fixed = placed(self.ai, ready)
        ok &= here | ~(u.stopped[ready] | self.garrisons(ready) | fixed)[:, None, None]
        factors = self.front.attack_factors[ready]
        # Each unit's slot for each target: where it stands, else no river, then the cheapest.
        cost = np.where(ok, dist + 10.0 * (river[None] > 0) - 100.0 * here, np.inf)
        best = np.argmin(cost, axis=2)                                   # (R, T)
        can = np.isfinite(np.take_along_axis(cost, best[..., None], axis=2)[..., 0])
        for j in np.nonzero(can.any(axis=0))[0]:
            i = np.nonzero(can[:, j])[0]
            order = i[np.argsort(-factors[i], kind="stable")]
            k = best[order, j]
            out[int(self.targets[j])] = _Candidates(int(self.targets[j]), ready[order], slots[j, k],
                                                    river[j, k], factors[order])
        return out

    # --- weighing one attack --------------------------------------------------------------
    def weigh(self, c: _Candidates, used: set, room: np.ndarray, missions: int,
              gunfire: int) -> AttackPlan | None:
        """The best attack on ``c.target`` with the units not ``used``, the stacking ``room``
        and the air ``missions`` left; None when no attack is worth making."""
        st = self.state
        t = c.target
        free = np.array([int(r) not in used for r in c.rows], dtype=bool)
        fits = self.need[c.rows] <= room[c.slots] + np.where(st.units.hex[c.rows] == c.slots, 1e9, 0.0)
        keep = free & fits
        if not keep.any():
            return None
        rows, slots, river, factors = c.rows[keep], c.slots[keep], c.river[keep], c.factors[keep]
        # Several units on one slot must fit together: keep them while the slot's room lasts.
        left = dict.fromkeys(slots.tolist(), 0.0)
        fit = np.ones(rows.size, dtype=bool)
        for i, (r, s) in enumerate(zip(rows, slots, strict=True)):
            if st.units.hex[r] == s:
                continue
            if left[int(s)] + self.need[r] > room[s]:
                fit[i] = False
            else:
                left[int(s)] += self.need[r]
        rows, slots, river, factors = rows[fit], slots[fit], river[fit], factors[fit]
        if rows.size == 0:
            return None
        base_shift, near_sea, value = self._target(t)
        uses_gunfire = near_sea and gunfire > 0
        if near_sea and gunfire <= 0 and self.gunfire_left > 0:
            base_shift -= self._gunfire_shift()          # the gunfire will be spent by then
        # Prefixes of the strongest units: their factors, and the river shift they would take.
        total = np.cumsum(factors)
        dry = np.maximum.accumulate(river == 0)
        rshift = np.where(dry, 0, self.river_shifts[np.minimum.accumulate(river)])
        defence = max(float(self.defence[t]), 1e-6)
        room_cas = min(missions, cas_room(self.game, self.side, t)) if self.cas_columns else 0
        best = None
        for k in range(room_cas + 1):
            cols = self.table.columns(total / defence, base_shift + rshift + k * self.cas_columns)
            top = int(cols.max())
            n = int(np.argmax(cols == top)) + 1          # the fewest units that reach it
            if top < self.min_column:
                continue
            net = float(value[top]) - UNIT_COST * n - MISSION_COST * k
            if net > 0 and (best is None or net > best.worth + 1e-9):
                best = AttackPlan(t, [int(r) for r in rows[:n]], [int(s) for s in slots[:n]], k, top, net,
                                  bool(uses_gunfire))
        return best

    def _target(self, t: int) -> tuple[int, bool, np.ndarray]:
        """(the rules' shift for an attack on ``t`` now, whether it lies in gunfire range, the
        worth of an attack on it at each column), the same for the whole wave."""
        hit = self._targets.get(t)
        if hit is None:
            st = self.state
            gain = self.table.gain(float(self.strength[t]))
            clear = self.table.clear(float(self.strength[t]))
            worth_ground = CLEAR_WORTH * (1.0 + float(self.front.objectives[t]) + float(st.map.vp[t]))
            if self.main >= 0 and self.front.sector_of[t] == self.main:
                worth_ground *= 1.0 + MAIN_EFFORT_BONUS
            nav = self.game.rule(NavalRules)
            near_sea = nav is not None and nav.sea.from_sea[t] <= nav.cfg.gunfire.range
            hit = (module_shift(self.game, self.side, t), bool(near_sea), gain + clear * worth_ground)
            self._targets[t] = hit
        return hit

    def _gunfire_shift(self) -> int:
        nav = self.game.rule(NavalRules)
        return int(nav.cfg.gunfire.shift) if nav is not None else 0

    # --- the greedy choice ----------------------------------------------------------------
    def plan(self) -> list[AttackPlan]:
        """The wave of attacks, best first."""
        cands = self.candidates()
        used: set = set()
        room = self.room.copy()
        missions, gunfire = self.missions, self.gunfire_left
        weighed = {t: self.weigh(c, used, room, missions, gunfire) for t, c in cands.items()}
        plans: list[AttackPlan] = []
        while True:
            live = [p for p in weighed.values() if p is not None]
            if not live:
                return plans
            best = max(live, key=lambda p: (p.worth, -p.target))
            plans.append(best)
            del weighed[best.target]
            for r, s in zip(best.rows, best.slots, strict=True):
                used.add(r)
                if self.state.units.hex[r] != s:
                    room[s] -= self.need[r]
            missions -= best.missions
            gunfire -= int(best.gunfire)
            taken = set(best.rows)
            for t in list(weighed):
                c = cands[t]
                p = weighed[t]
                shared = p is not None and (taken & set(p.rows) or p.missions > missions)
                if shared or (p is None and taken & set(c.rows.tolist())) or (p is not None and p.gunfire
                                                                                 and gunfire <= 0):
                    weighed[t] = self.weigh(c, used, room, missions, gunfire)


def execute(game, ai, plans: list[AttackPlan], min_column: int) -> list[int]:
    """Move, fly and attack as planned; returns the hexes the enemy was driven from."""
    st = game.state
    u = st.units
    name = SIDE_NAMES[ai.side]
    for p in plans:
        for r, s in zip(p.rows, p.slots, strict=True):
            if u.hex[r] != s:
                game.apply(Move(name, unit=u.ids[r], to=int(s)))
    for p in plans:
        if p.missions:
            fly_all(game, ai.side, "cas", [p.target] * p.missions, p.missions)
    opened = []
    enemy = enemy_of(ai.side)
    grid = st.map.grid
    for p in plans:
        if st.over:
            break
        rows = [r for r in p.rows if not u.attacked[r] and grid.distance(u.hex[r], p.target) == 1]
        if not rows or len(u.at_hex(p.target, enemy)) == 0:
            continue
        ids = [u.ids[r] for r in rows]
        if game.odds(ids, p.target).column < min_column:
            continue
        game.apply(Attack(name, units=tuple(ids), target=int(p.target),
                          advance=restraint.may_advance(game, ai, rows, p.target)))
        if len(u.at_hex(p.target, enemy)) == 0:
            opened.append(int(p.target))
    return opened


MAX_WAVES = 2      # a second wave goes in when the first drove the enemy from some hex...
WAVE_REACH = 6     # ...with the units and on the targets this many hexes from the hexes opened


def _within(grid, hexes, near, steps: int) -> np.ndarray:
    """(hexes,) bool: within ``steps`` hexes of one of ``near``."""
    if len(hexes) == 0:
        return np.zeros(0, dtype=bool)
    return grid.distance(np.asarray(hexes)[:, None], np.asarray(near)[None, :]).min(axis=1) <= steps


class ConcentratedAttacks(Planner):
    """Coordinated attacks at the best odds the force at hand reaches, in up to MAX_WAVES waves;
    remembers the hexes the enemy was driven from (``ai.opened``)."""

    name = "concentrated_attacks"

    def run(self, game, ai) -> None:
        threshold = float(ai.posture(game)["attack_odds"])
        if not np.isfinite(threshold):
            return
        front = ai.picture(game)
        min_column = front.table.column_of(threshold)
        if not ai.on_offensive(game):
            # On the defensive a counterattack goes in only where the enemy is sure to fall back.
            min_column = max(min_column, front.table.sure_retreat_column())
        near = None
        for _ in range(MAX_WAVES):
            plans = AttackPlanner(game, ai, front, min_column, near).plan()
            if not plans:
                return
            opened = execute(game, ai, plans, min_column)
            ai.opened += opened
            front = ai.picture(game)
            if not opened or game.state.over:
                return
            near = opened
