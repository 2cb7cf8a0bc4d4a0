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

from ..engine.units import ELIMINATED, ON_MAP, SIDE_NAMES, enemy_of
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
    """Add this turn's points to the pool and spend them; returns strength points rebuilt."""
    st = game.state
    u = st.units
    sec = section(st)
    sd = st.sides[side]
    gained = points_this_turn(st, side)
    sd["replacement_pool"] = round(max(0.0, sd["replacement_pool"] + gained), 6)
    reformed = reconstitute(game, side)        # rows re-formed this turn: no more men for them yet

    rows = u.rows_on_map(side)
    supplied = rows[(u.supply[rows] == 0) & ~np.isin(rows, reformed)]
    contact = zone_of_control(st.map, u, enemy_of(side))[u.hex[supplied]]
    caps = sec.max_per_unit if sec else None
    in_contact = np.inf if caps is None or caps.in_contact is None else float(caps.in_contact)
    resting = np.inf if caps is None or caps.resting is None else float(caps.resting)
    cap = np.where(contact, in_contact, resting)
    damaged = u.strength[supplied] < u.max_strength[supplied]
    order = np.argsort((u.strength[supplied] / u.max_strength[supplied])[damaged], kind="stable")
    cand, cand_cap = supplied[damaged][order], cap[damaged][order]
    recruit = float(sec.recruit_quality) if sec else 1.0
    rebuilt = 0
    for r, c in zip(cand, cand_cap, strict=False):
        if sd["replacement_pool"] < 1:
            break
        add = int(min(sd["replacement_pool"], u.max_strength[r] - u.strength[r], c))
        if add <= 0:
            continue
        if recruit < 1.0:   # new men are greener than the unit they join
            new_eff = st.rules.quality(u.nations[r]) * recruit
            u.efficiency[r] = int(round((u.efficiency[r] * u.strength[r] + new_eff * add) / (u.strength[r] + add)))
        u.strength[r] += add
        sd["replacement_pool"] = round(sd["replacement_pool"] - add, 6)
        rebuilt += add

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


def reconstitute(game, side: int) -> list:
    """Re-form destroyed units of ``side`` that have waited ``after_turns``, oldest loss first,
    each at ``strength`` of its full size paid from the pool, on its arrival place (or the side's
    nearest ground to it). Returns the rows that came back."""
    st = game.state
    sec = section(st)
    cfg = sec.reconstitute if sec else None
    if cfg is None:
        return []
    u = st.units
    sd = st.sides[side]
    lost = st.rules_state.setdefault("replacements", {"received": {}, "rebuilt": {}}).setdefault("destroyed", {})
    dead = np.nonzero((u.side == side) & (u.status == ELIMINATED))[0]
    for d in dead:
        lost.setdefault(u.ids[d], st.turn)          # first seen destroyed this turn
    ready = sorted((lost[u.ids[r]], int(r)) for r in dead if st.turn - lost[u.ids[r]] >= cfg.after_turns)
    back = []
    for _, r in ready[: cfg.per_turn]:
        size = max(1, int(np.ceil(cfg.strength * u.max_strength[r])))
        if sd["replacement_pool"] < size:
            break
        src = st.scenario.supply_sources.get(side, [])
        want = int(u.arrive_hex[r]) if u.arrive_hex[r] >= 0 else (int(src[0]) if len(src) else -1)
        h = free_hex_near(st, side, want, st.rules.unit_types.stack[u.type[r]])
        if h < 0:
            break
        u.status[r], u.hex[r], u.strength[r] = ON_MAP, h, size
        u.supply[r], u.entrench[r], u.mp[r] = 0, 0, 0.0
        u.efficiency[r] = int(st.rules.quality(u.nations[r]) * float(sec.recruit_quality))
        sd["replacement_pool"] = round(sd["replacement_pool"] - size, 6)
        del lost[u.ids[r]]
        game.movement.invalidate()
        st.say(f"{u.names[r]} is re-formed {where_is(st.map, h)} ({size} strength points)")
        game.notify("arrival", {"unit": u.ids[r], "hex": h})
        back.append(r)
    return back


class ReplacementRules(RuleModule):
    """In each side's supply phase, after the trace: new men for the units in supply."""

    name = "replacements"
    STATE = ReplacementState

    def supply(self, side: int) -> None:
        rebuild(self.game, side)
