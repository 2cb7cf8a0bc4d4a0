"""Baseline AI: issues legal orders through the same Order API as a player.

Each turn it (1) scores every hex once with array operations (distance to the front, terrain,
victory points, supply), (2) gives every unit the best hex it can reach, spreading units
along the front, (3) attacks where the odds are good enough for its settings, and (4) moves
units with movement left into ground the enemy has lost.
"""

from __future__ import annotations

from datetime import date as _date

import numpy as np
from scipy.sparse.csgraph import dijkstra

from ..engine.orders import Attack, Choose, EndPhase, Move
from ..engine.units import SIDE_NAMES, enemy_of
from ..rules import combat
from ..rules.movement import stack_points
from ..rules.supply import supply_distance

DEFAULTS = {"aggression": 0.6, "attack_odds": 1.5, "reserve_share": 0.0,
            # Posture (scenario `ai:` settings): with `offensive_days` set, the side attacks with
            # `aggression`/`attack_odds` for that many days after a card orders an offensive
            # (`allow: {action: offensive}`) and otherwise stands on the defensive: less eager,
            # attacking only at `defensive_attack_odds`, and falling back from hexes where the
            # enemy's attack would beat its defence by `withdraw_ratio` or more.
            "offensive_days": None, "defensive_aggression": None, "defensive_attack_odds": None,
            "withdraw_ratio": None,
            # With `positional_hold`, once the war of positions has begun the side attacks only
            # while an ordered offensive lasts: between them it holds its line.
            "positional_hold": False}


# An ordered withdrawal (game design): how long it lasts when the card gives no days, and how
# strongly and how far it draws units away from the enemy.
WITHDRAWAL_DAYS = 14
WITHDRAWAL_PULL = 3.0
WITHDRAWAL_DEPTH = 6


class BaselineAI:
    def __init__(self, side: int, settings: dict | None = None):
        self.side = side
        self.name = SIDE_NAMES[side]
        self.settings = {**DEFAULTS, **(settings or {})}

    # --- the turn -----------------------------------------------------------------------
    def play(self, game) -> None:
        """Play this side's operations phase and end it."""
        st = game.state
        for choice in list(game.pending_for(self.side)):
            game.apply(Choose(self.name, card=choice["card"], option=choice["ai"]))
        if not st.over and st.active_side == self.side and st.phase == "operations":
            self.support(game, "start")          # e.g. amphibious landings, sea moves
            self.move_units(game)
            self.support(game, "before_attacks")  # e.g. close air support, naval gunfire
            opened = self.attack(game)
            if opened:
                self.move_units(game, near=opened)
            self.support(game, "end")            # e.g. interdiction of the enemy's rear
            if not st.over and st.active_side == self.side and st.phase == "operations":
                game.apply(EndPhase(self.name))

    def support(self, game, stage: str) -> None:
        """Let the rule modules' planners (air, sea...) issue this side's orders for ``stage``."""
        for fn in game.ai_support:
            if game.state.over:
                return
            fn(game, self.side, stage)

    # --- posture ------------------------------------------------------------------------------
    def on_offensive(self, game) -> bool:
        """Is an ordered offensive under way? It lasts the days the ordering card gave, or
        else `offensive_days`; without either the side is always on the offensive."""
        return self._ordered(game, "offensive", self.settings["offensive_days"])

    def withdrawing(self, game) -> bool:
        """Has a card ordered a general withdrawal (`allow: {action: withdrawal, days}`) that
        still runs, with no offensive ordered since? Eighth Army's retreats of December 1950
        and January 1951 were ordered, not forced hex by hex."""
        if not self._ordered(game, "withdrawal", WITHDRAWAL_DAYS, always=False):
            return False
        changed = game.state.sides[self.side].get("changed", {})
        return not (self.on_offensive(game) and changed.get("offensive", "") > changed.get("withdrawal", ""))

    def _ordered(self, game, action: str, default_days, always: bool = True) -> bool:
        """Is the order to ``action`` in force: allowed by a card within its days (the card's
        own ``days``, else ``default_days``; with neither, ``always``)?"""
        st = game.state
        sd = st.sides[self.side]
        days = sd.get("lasts", {}).get(action, default_days)
        if days is None:
            return always
        since = sd.get("changed", {}).get(action)
        if action in sd["forbidden"] or action not in sd["allowed"] or since is None:
            return False
        return (st.date - _date.fromisoformat(since)).days <= int(days)

    def posture(self, game) -> dict:
        """{aggression, attack_odds, withdraw_ratio} for this turn."""
        s = self.settings
        if self.withdrawing(game):
            # An ordered withdrawal: no attacks; hex_scores draws units away from the enemy.
            agg = s["defensive_aggression"]
            return {"aggression": float(s["aggression"]) * 0.5 if agg is None else float(agg),
                    "attack_odds": float("inf"), "withdraw_ratio": None}
        if self.on_offensive(game):
            # Even on the offensive a unit about to be overwhelmed pulls back (at twice the ratio).
            hold = s["withdraw_ratio"] is None or _positional_war(game)
            return {"aggression": float(s["aggression"]), "attack_odds": float(s["attack_odds"]),
                    "withdraw_ratio": None if hold else 2.0 * float(s["withdraw_ratio"])}
        withdraw = s["withdraw_ratio"]
        if withdraw is not None and _positional_war(game):
            withdraw = None    # the war of positions: hold the dug-in line, no trading of ground
        agg = s["defensive_aggression"]
        odds = float(s["attack_odds"]) * 1.5 if s["defensive_attack_odds"] is None else float(s["defensive_attack_odds"])
        if _attacks_cost_will(game, self.side):
            odds *= 1.5        # while the talks go on every attack costs will: only sure ones
        if s["positional_hold"] and _positional_war(game):
            odds = float("inf")
        return {"aggression": float(s["aggression"]) * 0.5 if agg is None else float(agg),
                "attack_odds": odds, "withdraw_ratio": withdraw}

    # --- fields over hexes ---------------------------------------------------------------
    def enemy_pressure(self, game) -> np.ndarray:
        """(n,) attack factors the enemy could bring against each hex (units next to it)."""
        st = game.state
        u, m = st.units, st.map
        foes = u.rows_on_map(enemy_of(self.side))
        at = np.bincount(u.hex[foes], weights=combat.attack_strength(st, foes), minlength=m.n)
        nb = m.grid.neighbors
        return np.where(nb >= 0, at[np.where(nb >= 0, nb, 0)], 0.0).sum(axis=1)

    def hex_scores(self, game) -> np.ndarray:
        st = game.state
        m = st.map
        side, enemy = self.side, enemy_of(self.side)
        agg = float(self.posture(game)["aggression"])
        enemy_hexes = np.unique(st.units.hex[st.units.on_map(enemy)])
        enemy_ground = np.nonzero(m.land & (st.owner == enemy))[0]
        graph = game.control.graph
        d_enemy = _steps(graph, enemy_hexes, m.n)
        d_front = _steps(graph, np.union1d(enemy_hexes, enemy_ground), m.n)
        terrain_def = st.rules.terrain_defense[m.terrain]
        vp = m.vp.astype(float)
        score = -d_front * (1.0 + 3.0 * agg)                     # go where the fighting is
        score += np.where(d_enemy <= 1, terrain_def * 2.0 * (1.0 - agg), 0.0)  # hold good ground
        score += np.where(st.owner == enemy, vp * agg, vp * 0.3)  # take or keep cities
        score -= np.where(d_enemy == 0, 1e6, 0.0)
        if self.withdrawing(game):
            # Break contact: each step from the nearest enemy unit is worth more than a step toward
            # the front, up to WITHDRAWAL_DEPTH steps (about 60 km), where the new line forms.
            score += WITHDRAWAL_PULL * np.minimum(d_enemy, WITHDRAWAL_DEPTH)
        # Stay in supply, judged as it will be once the ground moved into is ours: enemy ground
        # is never in supply before it is taken, and counting it so would stop every advance.
        # Out of reach, every step back toward supplied ground counts: cut-off units make for home.
        sup = np.isfinite(supply_distance(st, side, game.movement.multiplier(side), through_enemy_ground=True))
        if sup.any() and not sup.all():
            score -= np.where(sup, 0.0, 6.0 + 2.0 * _steps(graph, np.nonzero(sup & m.land)[0], m.n))
        elif not sup.any():
            score -= 6.0
        score[~m.land] = -1e9
        return score

    # --- movement ----------------------------------------------------------------------------
    def move_units(self, game, near=None) -> None:
        """Move every unit that can to its best hex; with ``near`` (hexes the enemy was driven
        from), only units within three hexes of them, to exploit the gap."""
        st = game.state
        u = st.units
        rows = u.rows_on_map(self.side)
        rows = rows[(u.mp[rows] > 0) & ~u.stopped[rows]]
        if near is not None:
            rows = rows[~u.attacked[rows] & (u.mp[rows] >= 1.0)]
            d = st.map.grid.distance(u.hex[rows][:, None], np.asarray(near)[None, :]).min(axis=1) if rows.size else rows
            rows = rows[d <= 3]
        if rows.size == 0:
            return
        score = self.hex_scores(game)
        m = st.map
        room = st.rules.movement["stack_limit"] - stack_points(st, self.side)
        need = st.rules.unit_types.stack[u.type]
        claimed = np.zeros(m.n)
        reach = game.movement.reach_many(rows)
        # Units furthest from the action move first so the front fills from the rear evenly.
        order = rows[np.argsort(-score[u.hex[rows]], kind="stable")][::-1]
        stay_bonus = 0.5 + 0.5 * u.entrench
        if _positional_war(game):
            # The war of positions: a unit keeps its dug-in place unless it is far better used elsewhere.
            stay_bonus = 2.0 + 1.0 * u.entrench
        withdraw = self.posture(game)["withdraw_ratio"]
        if withdraw is not None:
            # On the defensive, trade ground for time: a hex where the enemy's attack would
            # outweigh the unit's defence there by more than withdraw_ratio is worth less.
            pressure = self.enemy_pressure(game)
            terrain_def = st.rules.terrain_defense[m.terrain]
            fort = 1.0 + float(st.rules.combat.get("entrench_bonus", 0.25)) * u.entrench
            bare = combat.defense_strength(st, np.arange(len(u)), np.maximum(u.hex, 0)) \
                / terrain_def[np.maximum(u.hex, 0)] / fort            # defence without ground or works
        for r in order:
            dist, cand = reach[r][0], reach[r][3]
            here = int(u.hex[r])
            cand = cand[(room[cand] >= need[r]) | (cand == here)]
            val = score[cand] - claimed[cand] - 0.05 * dist[cand]
            val = np.where(cand == here, val + stay_bonus[r], val)
            if withdraw is not None and bare[r] > 0:
                held = bare[r] * terrain_def[cand] * np.where(cand == here, fort[r], 1.0)
                val -= 2.0 * np.maximum(0.0, pressure[cand] / held - float(withdraw))
            best = int(cand[np.argmax(val)]) if cand.size else here
            if best != here and game.apply(Move(self.name, unit=u.ids[r], to=best)):
                room[here] += need[r]
                room[best] -= need[r]
            spot = int(u.hex[r])
            claimed[spot] += 3.0
            nbs = m.grid.neighbors[spot]
            claimed[nbs[nbs >= 0]] += 1.0

    # --- combat ------------------------------------------------------------------------------
    def attack(self, game) -> list:
        """Attack every adjacent enemy hex where the odds are good enough; returns the hexes
        the enemy was driven from."""
        st = game.state
        opened = []
        u, m = st.units, st.map
        enemy = enemy_of(self.side)
        threshold = float(self.posture(game)["attack_odds"])
        min_mp = float(st.rules.combat.get("min_attack_mp", 0.5))
        ours = u.rows_on_map(self.side)
        ready = ours[~u.attacked[ours] & (u.mp[ours] >= min_mp)]
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
            near = u.rows_on_map(self.side)
            near = near[~u.attacked[near] & (u.mp[near] >= min_mp)]
            near = near[m.grid.distance(u.hex[near], np.full(near.size, t)) == 1]
            rows = [int(r) for r in near]
            if not rows or len(u.at_hex(int(t), enemy)) == 0:
                continue
            odds = game.odds([u.ids[r] for r in rows], int(t))
            if odds.column >= need_col and odds.ratio >= 0.5 * threshold:
                game.apply(Attack(self.name, units=tuple(u.ids[r] for r in rows), target=int(t)))
                if len(u.at_hex(int(t), enemy)) == 0:
                    opened.append(int(t))
        return opened


def _attacks_cost_will(game, side: int) -> bool:
    """Do attacks cost political will now (game/rules/politics.py, while the talks go on)?"""
    if not game.state.scenario.data.get("politics"):
        return False
    from ..rules.politics import offensive_cost
    return offensive_cost(game, side) > 0


def _positional_war(game) -> bool:
    """Has the war of positions begun (game/rules/positions.py)?"""
    if not game.state.scenario.data.get("positions"):
        return False
    from ..rules.positions import positional_war
    return positional_war(game.state)


def _steps(graph, sources, n: int) -> np.ndarray:
    """Hex steps over land from the nearest of ``sources`` (inf if none)."""
    if len(sources) == 0:
        return np.full(n, 50.0)
    d = dijkstra(graph, indices=np.asarray(sources), min_only=True, unweighted=True)
    return np.where(np.isfinite(d), d, 50.0)
