"""The ground war of the baseline AI: where each unit should stand, and which hexes to attack.

Each turn it (1) scores every hex once with array operations (distance to the front, terrain,
victory points, supply), (2) gives every unit the best hex it can reach, spreading units along
the front, (3) attacks where the odds are good enough for its posture, and (4) moves units with
movement left into ground the enemy has lost.
"""

from __future__ import annotations

import numpy as np

from ..engine.hexgrid import opposite
from ..engine.orders import Attack, Move
from ..engine.units import enemy_of
from ..rules import combat
from ..rules.movement import stack_points
from ..rules.positions import positional_war
from ..rules.supply import supply_distance, trace_layers
from . import restraint
from .objectives import exit_goals, objective_vp, steps
from .planner import Planner

# An ordered withdrawal (game design): how strongly it draws units from the enemy (as far as
# the scenario's ai.<side>.withdrawal_depth, in hexes).
WITHDRAWAL_PULL = 3.0
# A unit an exit objective names (game design): what each hex step nearer its exit area is
# worth, on an ordered withdrawal and otherwise.
EXIT_PULL_WITHDRAWING = 4.0
EXIT_PULL = 0.5
# A unit an advance order sends along its route (game design): as strong as an exit on a
# withdrawal, so that the order, not the front's pull, decides where it goes.
ADVANCE_PULL = 4.0


def march_goals(game, ai) -> tuple[dict[int, np.ndarray], frozenset]:
    """({unit row: (n,) what standing on each hex costs it}, the rows ordered on, free to leave
    supply): the units that march for somewhere this turn, an exit objective's
    (game/ai/objectives.py), an advance order's (game/ai/restraint.py; its route before the
    exit) and, before either, the way out of a kept-out zone a unit stands in."""
    pull = EXIT_PULL_WITHDRAWING if ai.withdrawing(game) else EXIT_PULL
    goals = {r: pull * d for r, d in exit_goals(game, ai.side).items()}
    ordered = restraint.advance_goals(game, ai)
    goals.update((r, ADVANCE_PULL * d) for r, d in ordered.items())
    leaving = restraint.leave_goals(game, ai)
    goals.update((r, EXIT_PULL_WITHDRAWING * d) for r, d in leaving.items())
    return goals, frozenset(ordered) | frozenset(leaving)


def enemy_pressure(game, side: int) -> np.ndarray:
    """(n,) attack factors the enemy could bring against each hex (units next to it)."""
    st = game.state
    u, m = st.units, st.map
    foes = u.rows_on_map(enemy_of(side))
    at = np.bincount(u.hex[foes], weights=combat.attack_strength(st, foes), minlength=m.n)
    return neighbour_sums(m.grid, at)


def neighbour_sums(grid, at: np.ndarray) -> np.ndarray:
    """(n,) the sum of ``at`` (0 or more) over each hex's six neighbours, added in direction
    order as the rows of the (n, 6) table of them would be summed (so rounded the same), from
    the few hexes where ``at`` is not 0: adding a 0 changes no sum."""
    out = np.zeros(grid.n)
    src = np.flatnonzero(at)
    nbs = grid.neighbors[src]
    for d in range(6):
        # The hexes whose neighbour in direction d is a source: that source's neighbour the
        # opposite way (one each, so the sums below add each term once).
        h = nbs[:, int(opposite(d))]
        ok = h >= 0
        out[h[ok]] += at[src[ok]]
    return out


def hex_scores(game, ai) -> np.ndarray:
    """(n,) how much ``ai``'s side wants a unit on each hex this turn."""
    st = game.state
    m = st.map
    side, enemy = ai.side, enemy_of(ai.side)
    enemy_hexes = np.unique(st.units.hex[st.units.on_map(enemy)])
    enemy_ground = np.nonzero(m.land & (st.owner == enemy))[0]
    d_enemy = steps(m, enemy_hexes)
    d_front = steps(m, np.union1d(enemy_hexes, enemy_ground))
    sup = np.isfinite(supply_distance(st, side, through_enemy_ground=True, **trace_layers(game, side)))
    return scores_from(game, ai, d_enemy, d_front, sup)


def front_pull(aggression: float) -> float:
    """What each step nearer the front is worth to a unit free to move (``scores_from``)."""
    return 1.0 + 3.0 * aggression


def scores_from(game, ai, d_enemy: np.ndarray, d_front: np.ndarray, sup: np.ndarray,
                way_home: bool = True) -> np.ndarray:
    """``hex_scores`` from the fields it needs, for a caller that has them already: hex steps
    from the nearest enemy unit, and from the nearest enemy unit or enemy-held hex; where the
    side's supply would reach once the empty enemy ground on the way is taken. ``way_home``
    False: the hexes out of that reach all score alike (no search for the steps back), for a
    caller whose units all stand in reach and never leave it."""
    st = game.state
    m = st.map
    enemy = enemy_of(ai.side)
    agg = float(ai.posture(game)["aggression"])
    terrain_def = st.rules.terrain_defense[m.terrain]
    vp = m.vp.astype(float)
    held = objective_vp(game)
    if held is not None:
        vp = vp + held                                      # the places a hold objective names
    score = -d_front * front_pull(agg)                       # go where the fighting is
    score += np.where(d_enemy <= 1, terrain_def * 2.0 * (1.0 - agg), 0.0)  # hold good ground
    score += np.where(st.owner == enemy, vp * agg, vp * 0.3)  # take or keep cities
    score -= np.where(d_enemy == 0, 1e6, 0.0)
    if ai.withdrawing(game):
        # Break contact: each step from the nearest enemy unit is worth more than a step toward
        # the front, up to the scenario's withdrawal_depth, where the new line forms.
        score += WITHDRAWAL_PULL * np.minimum(d_enemy, int(ai.settings.withdrawal_depth))
    # Stay in supply, judged as it will be once the ground moved into is ours: enemy ground
    # is never in supply before it is taken, and counting it so would stop every advance.
    # Out of reach, every step back toward supplied ground counts: cut-off units make for home.
    if sup.any() and not sup.all() and way_home:
        score -= np.where(sup, 0.0, 6.0 + 2.0 * steps(m, np.nonzero(sup & m.land)[0]))
    elif not sup.all():
        score -= np.where(sup, 0.0, 6.0)
    score[~m.land] = -1e9
    return score


def move_units(game, ai, near=None) -> None:
    """Move every unit that can to its best hex; with ``near`` (hexes the enemy was driven
    from), only units within three hexes of them, to exploit the gap."""
    st = game.state
    u = st.units
    rows = u.rows_on_map(ai.side)
    rows = rows[(u.mp[rows] > 0) & ~u.stopped[rows]]
    if near is not None:
        rows = rows[~u.attacked[rows] & (u.mp[rows] >= 1.0)]
        d = st.map.grid.distance(u.hex[rows][:, None], np.asarray(near)[None, :]).min(axis=1) if rows.size else rows
        rows = rows[d <= 3]
    if rows.size == 0:
        return
    score = ai.hex_scores(game)
    m = st.map
    room = st.rules.movement.stack_limit - stack_points(st, ai.side)
    need = st.rules.unit_types.stack[u.type]
    claimed = np.zeros(m.n)
    reach = restraint.reach(game, ai, rows)
    # Units furthest from the action move first so the front fills from the rear evenly.
    order = rows[np.argsort(-score[u.hex[rows]], kind="stable")][::-1]
    stay_bonus = 0.5 + 0.5 * u.entrench
    if positional_war(st):
        # The war of positions: a unit keeps its dug-in place unless it is far better used elsewhere.
        stay_bonus = 2.0 + 1.0 * u.entrench
    goals, _ = march_goals(game, ai)
    withdraw = ai.posture(game)["withdraw_ratio"]
    if withdraw is not None:
        # On the defensive, trade ground for time: a hex where the enemy's attack would
        # outweigh the unit's defence there by more than withdraw_ratio is worth less.
        pressure = enemy_pressure(game, ai.side)
        terrain_def = st.rules.terrain_defense[m.terrain]
        fort = 1.0 + float(st.rules.combat.entrench_bonus) * u.entrench
        bare = combat.defense_strength(st, np.arange(len(u)), np.maximum(u.hex, 0)) \
            / terrain_def[np.maximum(u.hex, 0)] / fort            # defence without ground or works
    for r in order:
        dist, cand = reach[r][0], reach[r][3]
        here = int(u.hex[r])
        cand = cand[(room[cand] >= need[r]) | (cand == here)]
        val = score[cand] - claimed[cand] - 0.05 * dist[cand]
        val = np.where(cand == here, val + stay_bonus[r], val)
        if r in goals:
            val -= goals[r][cand]                              # on its way out or along its route
        if withdraw is not None and bare[r] > 0:
            held = bare[r] * terrain_def[cand] * np.where(cand == here, fort[r], 1.0)
            val -= 2.0 * np.maximum(0.0, pressure[cand] / held - float(withdraw))
        best = int(cand[np.argmax(val)]) if cand.size else here
        if best != here and game.apply(Move(ai.name, unit=u.ids[r], to=best)):
            room[here] += need[r]
            room[best] -= need[r]
        spot = int(u.hex[r])
        claimed[spot] += 3.0
        nbs = m.grid.neighbors[spot]
        claimed[nbs[nbs >= 0]] += 1.0


def ready_to_attack(game, side: int) -> np.ndarray:
    """Rows of ``side``'s units that may still attack this turn (on the map, not yet attacked,
    with the movement the combat rules ask for)."""
    st = game.state
    u = st.units
    ours = u.rows_on_map(side)
    return ours[~u.attacked[ours] & (u.mp[ours] >= float(st.rules.combat.min_attack_mp))]


def attack(game, ai, threshold: float | None = None, only=None) -> list:
    """Attack every adjacent enemy hex where the odds are good enough (``threshold``, default:
    the posture's), with every unit ready or ``only`` those rows; returns the hexes the enemy
    was driven from."""
    st = game.state
    opened = []
    u, m = st.units, st.map
    enemy = enemy_of(ai.side)
    threshold = float(ai.posture(game)["attack_odds"]) if threshold is None else float(threshold)
    if not np.isfinite(threshold):
        return opened
    ready = ready_to_attack(game, ai.side)
    if only is not None:
        ready = np.intersect1d(ready, np.asarray(list(only), dtype=ready.dtype))
    if ready.size == 0:
        return opened
    targets = np.unique(u.hex[u.on_map(enemy)])
    if targets.size == 0:
        return opened
    adj = np.isin(m.grid.neighbors[targets], u.hex[ready]).any(axis=1)
    targets = targets[adj]
    if targets.size == 0:
        return opened
    # Screen every target at once with the factors as they stand; only promising ones get
    # the exact odds (losses in earlier attacks can only lower them).
    foes = u.rows_on_map(enemy)
    d_fac = combat.defense_strength(st, foes)
    d_sum = np.bincount(u.hex[foes], weights=d_fac, minlength=m.n)[targets]
    a_fac = combat.attack_strength(st, ready)
    near_t = m.grid.distance(u.hex[ready][None, :], targets[:, None]) == 1   # (targets, ready)
    a_sum = near_t @ a_fac
    # Column shifts (air support, gunfire, terrain, works) can move the odds either way:
    # screen loosely and decide on the shifted column.
    promising = a_sum >= 0.5 * threshold * d_sum
    need_col = max(0, int(np.searchsorted(st.rules.odds, threshold + 1e-9, side="right")) - 1)
    # Weakest defenders first: the best odds, and the way to open the front.
    for t in targets[promising][np.argsort(d_sum[promising], kind="stable")]:
        if st.over:
            return opened
        near = ready_to_attack(game, ai.side) if only is None else np.intersect1d(ready_to_attack(game, ai.side), ready)
        near = near[m.grid.distance(u.hex[near], np.full(near.size, t)) == 1]
        rows = [int(r) for r in near]
        if not rows or len(u.at_hex(int(t), enemy)) == 0:
            continue
        odds = game.odds([u.ids[r] for r in rows], int(t))
        if odds.column >= need_col and odds.ratio >= 0.5 * threshold:
            game.apply(Attack(ai.name, units=tuple(u.ids[r] for r in rows), target=int(t),
                              advance=restraint.may_advance(game, ai, rows, t)))
            if len(u.at_hex(int(t), enemy)) == 0:
                opened.append(int(t))
    return opened


class Movement(Planner):
    """Every unit to the best hex it can reach."""

    name = "movement"

    def run(self, game, ai) -> None:
        move_units(game, ai)


class Attacks(Planner):
    """Attacks where the odds are good enough; remembers the hexes the enemy was driven from."""

    name = "attacks"

    def run(self, game, ai) -> None:
        ai.opened = attack(game, ai)


class Breakout(Planner):
    """On an ordered withdrawal a side attacks nothing, except that the units an exit objective
    names fight their way out: they attack at the side's offensive ``attack_odds`` (the Marines
    from Yudam-ni to Hagaru-ri, December 1950)."""

    name = "breakout"

    def run(self, game, ai) -> None:
        if not ai.withdrawing(game):
            return
        goals = exit_goals(game, ai.side)
        if goals:
            ai.opened = attack(game, ai, threshold=float(ai.settings.attack_odds), only=goals)


class Exploitation(Planner):
    """Units near the hexes the attacks opened move into the gap."""

    name = "exploitation"

    def run(self, game, ai) -> None:
        if ai.opened:
            move_units(game, ai, near=ai.opened)
