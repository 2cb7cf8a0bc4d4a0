"""Headless AI-against-AI runs: one summary line a turn, JSON and npz results (DESIGN.md)."""

from __future__ import annotations

import datetime as _dt
import io
import json

import numpy as np

from ..engine.calendar import parse_date
from ..engine.units import COMMUNIST, UN
from ..rules.victory import score, victory_points
from .arc import meridian_grid
from .saves import write_atomic
from .session import ai_players


def summary_line(game) -> str:
    st = game.state
    h = st.history[-1] if st.history else {}
    land = int(st.map.land.sum())
    return (f"turn {st.turn + 1:3d} {st.date.isoformat()}  "
            f"UN {100 * h.get('un_hexes', 0) / land:5.1f}% land, strength {h.get('un_strength', 0):4d}  "
            f"COM {100 * h.get('communist_hexes', 0) / land:5.1f}% land, strength {h.get('communist_strength', 0):4d}  "
            f"losses {h.get('un_losses', 0)}/{h.get('communist_losses', 0)}")


def run(game, until=None, on_turn=None, players=None) -> None:
    """Play AI against AI to the end, or until the turn containing ``until`` is done."""
    st = game.state
    players = players or ai_players(game)
    stop = parse_date(until) if until else None
    seen = len(st.history)
    while not st.over:
        if stop is not None and st.side_index == 0 and st.phase == "operations" and st.date > stop:
            break
        players[st.active_side].play(game)
        if len(st.history) > seen:
            seen = len(st.history)
            if on_turn:
                on_turn(game)


def result_dict(game) -> dict:
    st = game.state
    cal = st.scenario.calendar
    res = st.result or {"winner": None, "reason": "stopped before the end", "vp": None,
                        "vp_breakdown": score(st)}
    if res.get("vp") is None:
        res = {**res, "vp": victory_points(st)}
    return {
        "scenario": st.scenario.id,
        "seed": st.seed,
        "start": cal.turn_start(0).isoformat(),
        "end": _end_date(st),
        "turns": len(st.history),
        "result": res,
        "events": [{"id": e["id"], "title": e["title"], "date": e["date"]} for e in st.fired],
        "losses": {"un": st.sides[UN]["losses"], "communist": st.sides[COMMUNIST]["losses"]},
        "final_hash": st.hash(),
    }


def _end_date(st) -> str:
    """The game's last day: the scenario's end, the day before the turn it stopped at, or the
    last day of the turn in which a result came early (a fall of Pusan, a collapse)."""
    cal = st.scenario.calendar
    if not st.over:
        return st.date.isoformat()
    if st.turn >= len(cal) - 1:
        return cal.end.isoformat()
    return (cal.turn_start(st.turn + 1) - _dt.timedelta(days=1)).isoformat()


def write_json(game, path) -> None:
    write_atomic(path, json.dumps(result_dict(game), indent=2) + "\n")


def write_history(game, path) -> None:
    st = game.state
    m = st.map
    dates = np.array([h["date"] for h in st.history], dtype="U10")
    owner = np.array(game.owner_history, dtype=np.int8).reshape(len(game.owner_history), m.n)
    buf = io.BytesIO()
    np.savez_compressed(buf, dates=dates, owner=owner, lat=m.grid.lat, lon=m.grid.lon, land=m.land,
                        terrain=m.terrain.astype(np.int8), region=m.region.astype(np.int8),
                        korea=meridian_grid(m).korea, last_day=np.array(st.scenario.calendar.end.isoformat()))
    write_atomic(path, buf.getvalue())
