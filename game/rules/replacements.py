"""Replacements: points per side from a dated schedule (rules data) plus the event cards'
deltas (``sides[side]["replacements"]``), gathered in the side's pool and spent rebuilding
damaged units that are in supply, most depleted first. Units out of contact with the enemy
rebuild faster than units in the line (a cap per unit per turn for each); new men dilute a
unit's efficiency, and units in supply that neither attacked nor stand next to the enemy
recover efficiency towards their nation's quality.

With no ``replacements:`` section the old rule stands: the side's ``replacements`` points
each turn, no caps, no efficiency changes. Runs in the side's supply phase, right after the
supply trace, so "in supply" means this turn's supply.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from ..engine.calendar import in_dates
from ..engine.units import ELIMINATED, ON_MAP, SIDE_CODES, SIDE_NAMES, enemy_of
from .module import RuleModule, given
from .movement import zone_of_control
from .placement import free_hex_near, where_is
from .state_models import ReplacementState


def section(state):
    """The scenario's ``replacements:`` section (None without one, or with an empty one)."""
    sec = state.scenario.config.replacements
    return sec if given(sec) else None


def scheduled_points(state, side: int) -> float:
    """Points the schedule gives ``side`` at the current date (the last period begun; a period
    that leaves the side out keeps its last value)."""
    pts = 0.0
    name = SIDE_NAMES[side]
    sec = section(state)
    for period in sec.schedule if sec else ():
        value = getattr(period, name)
        if date.fromisoformat(period.from_) <= state.date and value is not None:
            pts = float(value)
    return pts


def points_this_turn(state, side: int) -> float:
    """The schedule plus the side's own ``replacements`` (start value and cards' deltas); per
    week when the section says ``weekly: true`` (then scaled by the turn's length)."""
    sec = section(state)
    pts = max(0.0, scheduled_points(state, side) + float(state.sides[side]["replacements"]))
    if sec is not None and sec.weekly:
        pts *= state.scenario.calendar.days(min(state.turn, len(state.scenario.calendar) - 1)) / 7.0
    return pts


def rebuild(game, side: int) -> int:
    """Add this turn's points to the pools and spend them; returns strength points rebuilt.
    Each levy's pool re-forms and fills its own nations' units first, then the side's pool
    serves every unit."""
    st = game.state
    u = st.units
    sec = section(st)
    sd = st.sides[side]
    gained = points_this_turn(st, side)
    sd["replacement_pool"] = round(max(0.0, sd["replacement_pool"] + gained), 6)
    reformed = stragglers_return(game, side)   # rows re-formed this turn: no more men for them yet
    pools = raise_levies(game, side)           # [(levy key, its nations)]
    levy_pools = st.rules_state.get("replacements", {}).get("levies", {})
    for key, nations in pools:
        back, levy_pools[key] = reconstitute(game, side, levy_pools[key], nations)
        reformed += back
    back, sd["replacement_pool"] = reconstitute(game, side, sd["replacement_pool"])
    reformed += back

    rows = u.rows_on_map(side)
    supplied = rows[(u.supply[rows] == 0) & ~np.isin(rows, reformed)]
    contact = zone_of_control(st.map, u, enemy_of(side))[u.hex[supplied]]
    caps = sec.max_per_unit if sec else None
    in_contact = np.inf if caps is None or caps.in_contact is None else float(caps.in_contact)
    resting = np.inf if caps is None or caps.resting is None else float(caps.resting)
    room = np.where(contact, in_contact, resting)      # what each unit may still take this turn
    rebuilt = 0
    for key, nations in pools:
        mine = np.array([u.nations[r] in nations for r in supplied], dtype=bool)
        added, levy_pools[key] = _fill(st, supplied, room, mine, levy_pools[key])
        rebuilt += added
    added, sd["replacement_pool"] = _fill(st, supplied, room, np.ones(supplied.size, dtype=bool),
                                          sd["replacement_pool"])
    rebuilt += added

    recover = int(sec.efficiency_recovery) if sec else 0
    if recover:
        quiet = supplied[~contact & ~u.attacked[supplied]]
        top = np.array([st.rules.quality(u.nations[r]) for r in quiet], dtype=np.int64)
        u.efficiency[quiet] = np.maximum(u.efficiency[quiet], np.minimum(u.efficiency[quiet] + recover, top))

    if sec is not None:
        rs = st.rules_state.setdefault("replacements", {"received": {}, "rebuilt": {}})
        name = SIDE_NAMES[side]
        rs["received"][name] = round(rs["received"].get(name, 0.0) + gained, 6)
        rs["rebuilt"][name] = rs["rebuilt"].get(name, 0) + rebuilt
        rs.setdefault("last", {})[name] = {"points": round(gained, 3), "rebuilt": rebuilt, "reformed": len(reformed)}
    return rebuilt


def _fill(st, rows: np.ndarray, room: np.ndarray, eligible: np.ndarray, pool: float) -> tuple[int, float]:
    """Spend ``pool`` on the damaged ``rows`` that are ``eligible``, most depleted first, each up
    to its ``room`` this turn (which it lowers); new men dilute the unit's efficiency. Returns
    (points added, pool left)."""
    u = st.units
    sec = section(st)
    damaged = eligible & (u.strength[rows] < u.max_strength[rows])
    order = np.argsort((u.strength[rows] / u.max_strength[rows])[damaged], kind="stable")
    recruit = float(sec.recruit_quality) if sec else 1.0
    added = 0
    for i in np.flatnonzero(damaged)[order]:
        r = rows[i]
        if pool < 1:
            break
        add = int(min(pool, u.max_strength[r] - u.strength[r], room[i]))
        if add <= 0:
            continue
        if recruit < 1.0:   # new men are greener than the unit they join
            new_eff = st.rules.quality(u.nations[r]) * recruit
            u.efficiency[r] = int(round((u.efficiency[r] * u.strength[r] + new_eff * add) / (u.strength[r] + add)))
        u.strength[r] += add
        room[i] -= add
        pool = round(pool - add, 6)
        added += add
    return added, pool


def raise_levies(game, side: int) -> list:
    """Add this turn's points of each of ``side``'s levies in force to its pool; returns
    [(key, nations)] for every levy of the side with a pool (in force or with points left)."""
    st = game.state
    sec = section(st)
    if sec is None or not sec.levies:
        return []
    nations = st.rules.nations
    pools = st.rules_state.setdefault("replacements", {"received": {}, "rebuilt": {}}).setdefault("levies", {})
    weeks = (st.scenario.calendar.days(min(st.turn, len(st.scenario.calendar) - 1)) / 7.0) if sec.weekly else 1.0
    today = st.date.isoformat()
    out = []
    for i, levy in enumerate(sec.levies):
        if not any(n in nations and SIDE_CODES[nations[n].side] == side for n in levy.nations):
            continue
        key = str(i)
        if in_dates(today, levy.from_, levy.until):
            pools[key] = round(pools.get(key, 0.0) + float(levy.points) * weeks, 6)
        if key in pools:
            out.append((key, set(levy.nations)))
    return out


def reconstitute(game, side: int, pool: float, nations=None) -> tuple[list, float]:
    """Re-form destroyed units of ``side`` (of ``nations`` only, when given) that have waited
    ``after_turns``, oldest loss first, each at ``strength`` of its full size paid from
    ``pool``, on its arrival place (or the side's nearest ground to it). Returns (the rows that
    came back, the pool left)."""
    st = game.state
    sec = section(st)
    cfg = sec.reconstitute if sec else None
    if cfg is None:
        return [], pool
    u = st.units
    lost = st.rules_state.setdefault("replacements", {"received": {}, "rebuilt": {}}).setdefault("destroyed", {})
    dead = np.nonzero((u.side == side) & (u.status == ELIMINATED))[0]
    for d in dead:
        lost.setdefault(u.ids[d], st.turn)          # first seen destroyed this turn
    if nations is not None:
        dead = np.array([r for r in dead if u.nations[r] in nations], dtype=np.int64)
    ready = sorted((lost[u.ids[r]], int(r)) for r in dead if st.turn - lost[u.ids[r]] >= cfg.after_turns)
    back = []
    for _, r in ready[: cfg.per_turn]:
        size = max(1, int(np.ceil(cfg.strength * u.max_strength[r])))
        if pool < size or not reform(game, r, size):
            break
        pool = round(pool - size, 6)
        back.append(r)
    return back, pool


def reform(game, row: int, size: int) -> bool:
    """Put a destroyed unit back on the map with ``size`` strength points, green, on its arrival
    place (or its side's first supply source) or the side's nearest free ground to it; False
    where there is no room."""
    st = game.state
    u = st.units
    side = int(u.side[row])
    src = st.scenario.supply_sources.get(side, [])
    want = int(u.arrive_hex[row]) if u.arrive_hex[row] >= 0 else (int(src[0]) if len(src) else -1)
    h = free_hex_near(st, side, want, st.rules.unit_types.stack[u.type[row]])
    if h < 0:
        return False
    sec = section(st)
    u.status[row], u.hex[row], u.strength[row] = ON_MAP, h, size
    u.supply[row], u.entrench[row], u.mp[row] = 0, 0, 0.0
    u.efficiency[row] = int(st.rules.quality(u.nations[row]) * float(sec.recruit_quality if sec else 1.0))
    st.rules_state.get("replacements", {}).get("destroyed", {}).pop(u.ids[row], None)
    game.movement.invalidate()
    st.say(f"{u.names[row]} is re-formed {where_is(st.map, h)} ({size} strength points)")
    game.notify("arrival", {"unit": u.ids[row], "hex": h})
    return True


def _stragglers_rule(state, nation: str):
    """The ``stragglers`` entry that covers a unit of ``nation`` routed today, or None."""
    sec = section(state)
    for rule in sec.stragglers if sec else ():
        if nation in rule.nations and in_dates(state.date, rule.from_, rule.until):
            return rule
    return None


def count_missing(game, report: dict) -> None:
    """After an attack that drove the defenders back: the share of each routed unit's loss that
    its nation's ``stragglers`` rule says is missing, not dead, is put on its way back."""
    if not report.get("retreat"):
        return
    st = game.state
    for uid, lost in report.get("defender_losses", {}).items():
        rule = _stragglers_rule(st, st.units.nations[st.units.index_of(uid)])
        if rule is not None and lost > 0:
            rs = st.rules_state.setdefault("replacements", {"received": {}, "rebuilt": {}})
            rs.setdefault("missing", []).append({"back": st.turn + int(rule.after_turns), "unit": uid,
                                                  "points": round(float(rule.share) * lost, 6)})


def stragglers_return(game, side: int) -> list:
    """The stragglers due this turn rejoin: whole points to their unit if it stands in supply (up
    to its full strength), a destroyed unit is re-formed from them; what cannot rejoin goes to the
    pool. Every point back comes off the side's losses: they were missing, not dead. Returns the
    rows re-formed."""
    st = game.state
    rs = st.rules_state.get("replacements", {})
    due = [m for m in rs.get("missing", []) if m["back"] <= st.turn
           and int(st.units.side[st.units.index_of(m["unit"])]) == side]
    if not due:
        return []
    rs["missing"] = [m for m in rs["missing"] if m not in due]
    u, sd = st.units, st.sides[side]
    points: dict[str, float] = {}
    for m in due:
        points[m["unit"]] = points.get(m["unit"], 0.0) + m["points"]
    back, reformed = 0, []
    for uid, pts in points.items():
        r, whole = u.index_of(uid), int(pts)
        if whole < 1:
            continue
        if u.status[r] == ELIMINATED and reform(game, r, min(whole, int(u.max_strength[r]))):
            reformed.append(r)
            take = min(whole, int(u.max_strength[r]))
        elif u.status[r] == ON_MAP and u.supply[r] == 0:
            take = min(whole, int(u.max_strength[r] - u.strength[r]))
            u.strength[r] += take
        else:
            take = 0
        sd["replacement_pool"] = round(sd["replacement_pool"] + whole - take, 6)
        back += whole
        st.say(f"{whole} strength points of {u.names[r]}'s stragglers are back"
               + ("" if take == whole else f" ({whole - take} to the replacement pool)"))
    sd["losses"] = max(0, sd["losses"] - back)
    return reformed


class ReplacementRules(RuleModule):
    """In each side's supply phase, after the trace: new men for the units in supply."""

    name = "replacements"
    STATE = ReplacementState

    def supply(self, side: int) -> None:
        rebuild(self.game, side)

    def after_attack(self, ctx, report: dict) -> None:
        count_missing(self.game, report)
