"""Victory points, the historical benchmark and the end of the game.

A side scores (docs/rules/politics.md):

* ``cities``: the map's VP of the places it holds;
* ``territory``: ``politics.vp.territory[REGION]`` times the share of that 1950 region's land
  it holds (south, north);
* ``losses``: one point per ``politics.vp.losses_per_vp`` strength points the enemy lost;
* ``events``: the points event cards gave it (``state.sides[side]["vp"]``);
* ``objectives`` (only in a scenario with ``victory.objectives``): the points its objectives
  gave it (game/rules/objectives.py). An outcome benchmark scores none: a scenario with
  objectives gives its benchmark as the margin the historical outcome scores.

At the end the margin (UN minus Communist) is compared with the scenario's historical
benchmark: doing better than history by more than ``draw_margin`` wins. The benchmark is a
number, or a description of the historical outcome (``victory.benchmark: {front_line,
losses_ratio, events, source}``) scored with the same rules: the ground on each side of the
historical front line, this game's own total losses split in the historical ratio, and the
points the deck's historical cards give. ``sudden_death`` entries end the game at once when a
side holds every listed hex.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import parse_date
from ..engine.mapdata import REGION
from ..engine.units import COMMUNIST, SIDE_CODES, SIDE_NAMES, UN
from .module import RuleModule

PARTS = ("cities", "territory", "losses", "events")   # and "objectives" in a scenario that has them


def _num(x: float):
    """A score for people: one decimal, and a whole number when it is one."""
    r = round(float(x), 1)
    return int(r) if r == int(r) else r


def _vp_rules(state):
    """The scenario's ``politics.vp`` rules (None without a politics section)."""
    politics = state.scenario.config.politics
    return politics.vp if politics is not None else None


def objective_points(state) -> dict:
    """``{side: points}`` the scenario's objectives have given each side so far: ``vp_each`` per
    unit counted, ``vp`` for each objective met (game/rules/objectives.py keeps the count)."""
    pts = {UN: 0.0, COMMUNIST: 0.0}
    progress = state.rules_state.get("objectives", {}).get("progress", {})
    for o in state.scenario.config.victory.objectives:
        entry = progress.get(o.id) or {"units": [], "done": None}
        side = SIDE_CODES[o.side]
        pts[side] += float(o.vp_each) * len(entry["units"]) + (float(o.vp) if entry["done"] else 0.0)
    return pts


def score(state, owner=None, losses=None, events=None, objectives=None) -> dict:
    """``{side name: {cities, territory, losses, events, total}}`` for the given ground
    (default: the game's), losses ``{side: points}`` and event points ``{side: points}``; with
    objectives in the scenario an ``objectives`` part too (default: the game's points)."""
    m = state.map
    owner = state.owner if owner is None else owner
    losses = losses or {s: state.sides[s]["losses"] for s in (UN, COMMUNIST)}
    events = events or {s: state.sides[s]["vp"] for s in (UN, COMMUNIST)}
    has_objectives = bool(state.scenario.config.victory.objectives)
    if has_objectives and objectives is None:
        objectives = objective_points(state)
    rules = _vp_rules(state)
    territory = rules.territory.model_dump() if rules is not None else {}
    per_vp = rules.losses_per_vp if rules is not None else None
    out = {}
    for side in (UN, COMMUNIST):
        enemy = COMMUNIST if side == UN else UN
        parts = {"cities": float(m.vp[owner == side].sum()), "territory": 0.0, "losses": 0.0,
                 "events": float(events[side])}
        for region, points in territory.items():
            area = m.land & (m.region == REGION[region])
            if points and area.any():
                parts["territory"] += float(points) * float((owner[area] == side).mean())
        if per_vp:
            parts["losses"] = float(losses[enemy]) / float(per_vp)
        if has_objectives:
            parts["objectives"] = float(objectives[side])
        parts["total"] = sum(parts[p] for p in (*PARTS, "objectives") if p in parts)
        out[SIDE_NAMES[side]] = {k: _num(v) for k, v in parts.items()}
    return out


def victory_points(state) -> dict:
    return {name: parts["total"] for name, parts in score(state).items()}


# ------------------------------------------------------------------------------ the benchmark

def historical_owner(state, line) -> np.ndarray:
    """Who holds each hex with the front on ``line`` ([lat, lon] points west to east): Korean
    land south of it is the UN's, the rest of Korea and China/USSR the Communists'."""
    m = state.map
    lat_line = np.interp(m.grid.lon, [p[1] for p in line], [p[0] for p in line])
    korea = m.land & np.isin(m.region, [REGION["south"], REGION["north"]])
    owner = np.zeros(m.n, dtype=np.int8)
    owner[m.land & np.isin(m.region, [REGION["china"], REGION["ussr"]])] = COMMUNIST
    owner[korea] = np.where(m.grid.lat[korea] < lat_line[korea], UN, COMMUNIST)
    return owner


def historical_event_points(state) -> dict:
    """VP the deck's historical cards dated inside the scenario give each side (choices: the
    historical option), i.e. the event points of a game that follows history."""
    cal = state.scenario.calendar
    first, last = cal.turn_start(0), cal.end
    pts = {UN: 0.0, COMMUNIST: 0.0}
    for deck in state.scenario.decks or []:
        for card in deck.get("cards") or []:
            if not card.get("historical", True):
                continue
            day = parse_date(card["date"] if "date" in card else card["window"][0])
            if not first <= day <= last:
                continue
            effects = card.get("effects") or []
            if "choice" in card:
                opt: dict = next((o for o in card["choice"]["options"] if o.get("historical")), {})
                effects = opt.get("effects") or []
            for eff in effects:
                if isinstance(eff, dict) and "vp" in eff:
                    pts[SIDE_CODES[eff["vp"]["side"]]] += float(eff["vp"]["points"])
    return pts


def benchmark(state) -> dict:
    """The margin (UN minus Communist) a game that ended as history did would score, with
    its parts; ``{"margin": N}`` alone for a plain number."""
    bench = state.scenario.config.victory.benchmark
    if isinstance(bench, (int, float)):
        return {"margin": _num(bench)}
    owner = historical_owner(state, bench.front_line)
    total = state.sides[UN]["losses"] + state.sides[COMMUNIST]["losses"]
    ratio = float(bench.losses_ratio)
    losses = {UN: total / (1.0 + ratio), COMMUNIST: total * ratio / (1.0 + ratio)}
    events = historical_event_points(state) if bench.events == "historical" else {UN: 0.0, COMMUNIST: 0.0}
    parts = score(state, owner, losses, events, objectives={UN: 0.0, COMMUNIST: 0.0})
    return {"margin": _num(parts["un"]["total"] - parts["communist"]["total"]), **parts,
            "losses_ratio": ratio, "source": bench.source, "name": bench.name or "history"}


# ------------------------------------------------------------------------------ the end

def check_victory(state):
    for rule in state.scenario.sudden_death:
        hexes = rule["hexes"]
        side = SIDE_CODES[rule["side"]]
        if rule.get("unless_flag") in state.flags:
            continue
        if hexes and all(state.owner[h] == side for h in hexes):
            reason = rule["reason"] or f"{rule['side']} holds {', '.join(rule['holds'])}"
            return won_outright(state, rule["side"], reason)
    return None


def won_outright(state, winner: str, reason: str) -> dict:
    """The result of a game a side has won outright (a sudden death, an objective that ends it)."""
    return _result(state, winner, reason, "decisive")


def end_game(game, result: dict) -> None:
    """End the game now with ``result`` (from :func:`final_result` or a sudden death)."""
    st = game.state
    st.result = result
    st.phase = "over"
    st.say(f"Game over: {result['reason']}")
    game.notify("game_over", result)


class SuddenDeath(RuleModule):
    """The game ends at once when a side holds every place of one of the scenario's
    ``victory.sudden_death`` lists."""

    name = "sudden_death"

    def victory(self) -> None:
        result = check_victory(self.state)
        if result is not None:
            end_game(self.game, result)


SIDE_WORDS = {"un": "UN", "communist": "Communist"}
LEVELS = ("decisive", "marginal", "draw")


def final_result(state, reason: str, winner: str = "score") -> dict:
    """The result of a game ending now: a named winner (a sudden death, a collapse, a card that
    says who won) wins decisively; on points, the margin against the historical benchmark
    decides the winner and the level (decisive beyond ``decisive_margin``, marginal beyond
    ``draw_margin``, else a draw)."""
    if winner != "score":
        return _result(state, winner, reason, "draw" if winner == "draw" else "decisive")
    vp = victory_points(state)
    bench = benchmark(state)
    margin = vp["un"] - vp["communist"] - float(bench["margin"])
    cfg = state.scenario.config.victory
    draw = float(cfg.draw_margin)
    who = "un" if margin > draw else "communist" if margin < -draw else "draw"
    decisive = cfg.decisive_margin is not None and abs(margin) > float(cfg.decisive_margin)
    level = "draw" if who == "draw" else "decisive" if decisive else "marginal"
    return _result(state, who, reason, level, margin, bench)


def summary(result: dict) -> str:
    """The result in words: "UN marginal victory: 12 VP better than history"."""
    winner, level, margin = result["winner"], result.get("level"), result.get("margin_vs_history")
    if margin is None:                                  # decided by events, not on points
        head = "Draw" if winner == "draw" else f"{SIDE_WORDS.get(winner, winner)} {level} victory"
        return f"{head}: {result['reason']}"
    against = benchmark_name(result)
    if winner == "draw":
        return f"Draw: {abs(margin):g} VP from {against}, within the draw margin"
    return f"{SIDE_WORDS.get(winner, winner)} {level} victory: {abs(margin):g} VP better than {against}"


def benchmark_name(result: dict) -> str:
    """What a result's benchmark is, in words: "history", or the outcome a what-if names."""
    return str((result.get("benchmark") or {}).get("name") or "history")


def _result(state, winner: str, reason: str, level: str, margin=None, bench=None) -> dict:
    parts = score(state)
    bench = bench or benchmark(state)
    out = {"winner": winner, "level": level, "reason": reason,
           "vp": {name: p["total"] for name, p in parts.items()},
           "vp_breakdown": parts,
           "margin": _num(parts["un"]["total"] - parts["communist"]["total"]),
           "benchmark": bench,
           "margin_vs_history": None if margin is None else round(float(margin), 1),
           "will": {SIDE_NAMES[s]: _num(state.sides[s]["will"]) for s in (UN, COMMUNIST)},
           "date": state.date.isoformat(), "turn": state.turn}
    out["summary"] = summary(out)
    return out
