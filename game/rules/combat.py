"""Combat: odds-based results table (rules data), terrain and river shifts, losses, retreats,
advance after combat. Dice come from the game's one seeded Generator."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine.units import ELIMINATED, ON_MAP, enemy_of
from .movement import occupied, ranges, room_at, stack_points, zone_of_control


def attack_strength(state, rows) -> np.ndarray:
    """Attack factor of each unit row (vectorised)."""
    u, r = state.units, state.rules
    rows = np.asarray(rows, dtype=np.int64)
    fp = r.unit_firepower(u, state.date)[rows]
    supply = r.supply_effect("attack", u.supply[rows])
    return r.unit_types.attack[u.type[rows]] * u.strength[rows] * fp * u.efficiency[rows] / 100.0 * supply


def defense_strength(state, rows, hex_: int | None = None) -> np.ndarray:
    """Defence factor of each unit row, in ``hex_`` (default: where each unit stands)."""
    u, r = state.units, state.rules
    rows = np.asarray(rows, dtype=np.int64)
    hex_ = u.hex[rows] if hex_ is None else hex_
    fp = r.unit_firepower(u, state.date)[rows]
    supply = r.supply_effect("defense", u.supply[rows])
    terrain = r.terrain_defense[state.map.terrain[hex_]]
    fort = 1.0 + float(r.combat.entrench_bonus) * u.entrench[rows]
    return (r.unit_types.defense[u.type[rows]] * u.strength[rows] * fp * u.efficiency[rows] / 100.0
            * supply * terrain * fort)


def river_shift(state, rows, target: int) -> int:
    """Column shift when every attacker attacks across a river (the weakest crossing counts)."""
    u = state.units
    dirs = state.map.grid.edge_between(u.hex[np.asarray(rows)], np.full(len(rows), target))
    levels = state.map.river[u.hex[np.asarray(rows)], dirs]
    worst = int(levels.min()) if len(levels) else 0
    shifts = state.rules.combat.river_shift
    return {0: 0, 1: int(shifts.minor), 2: int(shifts.major)}[worst]


@dataclass
class Odds:
    attack: float
    defense: float
    ratio: float
    column: int
    label: str
    shift: int
    outcomes: list = field(default_factory=list)   # CombatResult for die 1..6


def doctrine_shift(state, rows, defenders=()) -> int:
    """Odds columns from the way each side fights on this date: what the attackers' nations gain
    (``attack_columns_from``) less what the defenders' take off (``defense_columns_from``), each
    the fewest of any of their units' nations, so a mixed force gets only what all of it can do."""
    return attack_doctrine(state, rows) - defence_doctrine(state, defenders)


def attack_doctrine(state, rows) -> int:
    """The fewest odds columns any of these units' nations gain attacking today."""
    u = state.units
    return min((state.rules.attack_columns(n, state.date) for n in {u.nations[r] for r in rows}), default=0)


def defence_doctrine(state, defenders) -> int:
    """The fewest odds columns any of these units' nations take off attacks on them today."""
    u = state.units
    return min((state.rules.defense_columns(n, state.date) for n in {u.nations[r] for r in defenders}), default=0)


def compute_odds(state, rows, target: int, extra_shift: int = 0) -> Odds:
    r = state.rules
    defenders = state.units.at_hex(target, enemy_of(int(state.units.side[rows[0]])))
    a = float(attack_strength(state, rows).sum())
    d = float(defense_strength(state, defenders, target).sum()) if len(defenders) else 0.0
    ratio = a / d if d > 0 else float("inf")
    base = int(np.searchsorted(r.odds, ratio + 1e-9, side="right")) - 1
    shift = (int(r.terrain_shift[state.map.terrain[target]]) + river_shift(state, rows, target)
             + doctrine_shift(state, rows, defenders) + extra_shift)
    col = int(np.clip(max(base, 0) + shift, 0, len(r.odds) - 1))
    return Odds(a, d, ratio, col, r.odds_labels[col], shift, [row[col] for row in r.crt])


def validate_attack(state, side: int, rows, target: int) -> str:
    u = state.units
    if not (0 <= target < state.map.n):
        return "that hex is off the map"
    if len(rows) == 0:
        return "no attacking units"
    if len(set(rows)) != len(rows):
        return "a unit is named twice"
    if len(u.at_hex(target, enemy_of(side))) == 0:
        return "there is no enemy in that hex"
    min_mp = float(state.rules.combat.min_attack_mp)
    for row in rows:
        name = u.names[row]
        if u.side[row] != side:
            return f"{name} is not yours"
        if u.status[row] != ON_MAP:
            return f"{name} is not on the map"
        if state.map.grid.distance(u.hex[row], target) != 1:
            return f"{name} is not next to the target"
        if u.attacked[row]:
            return f"{name} has already attacked this turn"
        if u.mp[row] < min_mp:
            return f"{name} has too little movement left to attack"
    return ""


def threat(state, model, rows, allowance) -> np.ndarray:
    """Float (n,): the attack strength the units ``rows`` (one side's) could bring against
    each hex on their next turn. Each moves with ``allowance[i]`` points (its movement at the
    start of that turn) against the enemy as it stands now, keeping the movement an attack
    needs, and may strike any hex next to where it can stop (the hex it stands next to now
    included). A preview for players: it changes nothing."""
    n = state.map.n
    out = np.zeros(n)
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return out
    keep = np.asarray(allowance, dtype=float) - float(state.rules.combat.min_attack_mp)
    able = keep >= 0
    rows, keep = rows[able], keep[able]
    nb = state.map.grid.neighbors
    strength = attack_strength(state, rows)
    dists = ranges(model, rows, keep)
    for k, r in enumerate(rows.tolist()):
        stand = np.isfinite(dists[r])
        stand[state.units.hex[r]] = True
        hit = np.zeros(n, dtype=bool)
        near = nb[stand].ravel()
        hit[near[near >= 0]] = True
        out[hit] += strength[k]
    return out


def take_losses(state, rows, steps: int) -> int:
    """Remove ``steps`` strength points, always from the strongest unit; returns points lost."""
    u = state.units
    lost = 0
    rows = list(rows)
    for _ in range(steps):
        alive = [r for r in rows if u.strength[r] > 0]
        if not alive:
            break
        r = max(alive, key=lambda i: (u.strength[i], -i))
        u.strength[r] -= 1
        lost += 1
    for r in rows:
        if u.strength[r] <= 0:
            eliminate(state, r)
    if rows and lost:
        state.sides[int(u.side[rows[0]])]["losses"] += lost
    return lost


def eliminate(state, row: int) -> None:
    u = state.units
    u.strength[row] = 0
    u.status[row] = ELIMINATED
    u.hex[row] = -1
    u.mp[row] = 0
    state.say(f"{u.names[row]} is destroyed")


def _retreat(state, row: int, steps: int, attacker_side: int, attacker_hexes) -> int:
    """Retreat one unit ``steps`` hexes away from the attackers; returns extra points lost."""
    u, m = state.units, state.map
    c = state.rules.combat
    enemy_occ = occupied(u, attacker_side, m.n)
    enemy_zoc = zone_of_control(m, u, attacker_side)
    side = int(u.side[row])
    need = state.rules.unit_types.stack[u.type[row]]
    extra = 0
    here = int(u.hex[row])
    for _ in range(steps):
        nbs = m.grid.neighbors[here]
        nbs = nbs[nbs >= 0]
        room = state.rules.movement.stack_limit - stack_points(state, side)[nbs]
        ok = m.land[nbs] & ~enemy_occ[nbs] & (room >= need) & np.isfinite(state.rules.terrain_move[m.terrain[nbs]])
        if not ok.any():
            extra += int(c.blocked_retreat_loss)
            continue
        cand = nbs[ok]
        away = m.grid.distance(cand[:, None], np.asarray(attacker_hexes)[None, :]).min(axis=1)
        score = away * 10 - enemy_zoc[cand] * 5 + (state.owner[cand] == side) * 2
        here = int(cand[np.argmax(score)])
        if enemy_zoc[here]:
            extra += int(c.retreat_into_zoc_loss)
        u.hex[row] = here
        u.entrench[row] = 0
    return extra


def resolve_attack(state, side: int, rows, target: int, advance: bool = True, extra_shift: int = 0) -> dict:
    """Resolve a validated attack. Returns a plain-data report of what happened."""
    u = state.units
    odds = compute_odds(state, rows, target, extra_shift)
    die = int(state.rng.integers(1, 7))
    res = state.rules.crt[die - 1][odds.column]
    step = int(state.rules.combat.loss_step)
    defenders = [int(r) for r in u.at_hex(target, enemy_of(side))]
    attacker_hexes = u.hex[np.asarray(rows)].copy()
    before = {r: int(u.strength[r]) for r in defenders}
    a_lost = take_losses(state, rows, res.attacker_loss * step)
    d_lost = take_losses(state, defenders, res.defender_loss * step)
    extra = 0
    if res.retreat:
        for r in defenders:
            if u.status[r] == ON_MAP:
                lost_here = _retreat(state, r, res.retreat, side, attacker_hexes)
                if lost_here:
                    extra += take_losses(state, [r], lost_here)
    for r in rows:
        u.attacked[r] = True
        u.mp[r] = 0.0
    advanced = None
    if advance and len(u.at_hex(target, enemy_of(side))) == 0:
        alive = [r for r in rows if u.status[r] == ON_MAP]
        room = room_at(state, side, target)
        alive = [r for r in alive if state.rules.unit_types.stack[u.type[r]] <= room]
        if alive:
            best = alive[int(np.argmax(attack_strength(state, alive)))]
            u.hex[best] = target
            u.entrench[best] = 0
            advanced = u.ids[best]
        if state.map.land[target]:
            state.owner[target] = side
    report = {"target": int(target), "odds": odds.label, "ratio": round(odds.ratio, 2), "die": die,
              "result": res.code, "attacker_lost": a_lost, "defender_lost": d_lost + extra,
              "advanced": advanced, "retreat": int(res.retreat),
              "defender_losses": {u.ids[r]: before[r] - int(u.strength[r]) for r in defenders
                                  if before[r] > int(u.strength[r])}}
    names = ", ".join(u.names[r] for r in rows)
    state.say(f"{names} attack at {odds.label} (die {die}): {res.code}")
    return report
