"""One run of a batch, played in a worker process: a seeded game to its end, as one row of
plain values (the columns of ``store.SCHEMA``). Imports no pyarrow: workers stay small."""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..sim.arc import arc_error, arc_points, korea_halves, meridian_grid, war_reference
from ..sim.front import front_latitudes, mean_front_latitude
from ..sim.front_metric import (
    city_hexes,
    city_results,
    front_km_in_force,
    front_km_on_dates,
    mean_of_measured,
    share_right,
)
from ..sim.session import new_game
from ..sim.simulate import result_dict, run
from ..sim.turns import monthly_indices
from .players import ai_label, make_players

# A Dask worker may run several tasks on threads of one process. Games are pure Python and
# hold the GIL, so threads would gain nothing, and the rules keep module-level caches that
# were never meant to be shared between games in flight: one game at a time per process.
_ONE_GAME_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Task:
    scenario: str       # the scenario's id: the row's key with the seed
    source: str         # what to open it by: a shipped scenario's name or a file's path
    seed: int
    ai: dict            # {side name: AI name}


def play_run(task: Task) -> dict:
    """Play one task to the end; a row for it whatever happens (an exception becomes a row
    with status "error")."""
    with _ONE_GAME_AT_A_TIME:
        start = time.perf_counter()
        try:
            game = new_game(task.source, task.seed)
            run(game, players=make_players(game, task.ai))
            row = {**_key(task), **game_row(game)}
        except Exception as exc:      # recorded, and the batch goes on
            row = error_row(task, exc)
        row["run_seconds"] = round(time.perf_counter() - start, 3)
    return row


def error_row(task: Task, exc: BaseException) -> dict:
    """The row of a run that failed: its key, status "error" and the error in one line."""
    return {**_key(task), "status": "error", "error": describe(exc)}


def _key(task: Task) -> dict:
    return {"scenario": task.scenario, "seed": task.seed, "ai": ai_label(task.ai)}


def game_row(game) -> dict:
    """The columns of a finished game: its result (as ``simulate --json`` has it), the cards
    fired, the front on the first turn of each month, the arc points and the distance from the
    war as it was (game/sim/front_metric.py)."""
    res = result_dict(game)
    result = res["result"]
    st = game.state
    m = st.map
    dates = [h["date"] for h in st.history]
    last_day = st.scenario.calendar.end.isoformat()
    months = monthly_indices(dates)
    grid = meridian_grid(m)
    fronts = [front_latitudes(game.owner_history[i], grid.lat, grid.lon, grid.korea) for i in months]
    south, north = korea_halves(m.land, m.region)
    points = arc_points(dates, game.owner_history, south, north, last_day)
    war = war_reference()
    front_km = front_km_on_dates(war.front_lines, dates, game.owner_history, grid, last_day)
    checks = city_results(war.city_checks(), city_hexes(war.cities, grid), dates, game.owner_history, last_day)
    return {
        "status": "ok", "error": None,
        "winner": result.get("winner"), "level": result.get("level"), "reason": result.get("reason"),
        "end": _date(res["end"]), "turns": res["turns"],
        "vp_un": float(result["vp"]["un"]), "vp_communist": float(result["vp"]["communist"]),
        "margin_vs_history": result.get("margin_vs_history"),
        "losses_un": int(res["losses"]["un"]), "losses_communist": int(res["losses"]["communist"]),
        "final_hash": res["final_hash"],
        "cards": [e["id"] for e in res["events"]],
        "card_dates": [_date(e["date"]) for e in res["events"]],
        "front_dates": [_date(dates[i]) for i in months],
        "front_lat": [f.tolist() for f in fronts],
        "front_mean_lat": [mean_front_latitude(f) for f in fronts],
        "arc_south": [None if p is None else p[0] for p in points],
        "arc_north": [None if p is None else p[1] for p in points],
        "arc_error": arc_error(points),
        "front_km": front_km,
        "front_km_mean": mean_of_measured(front_km),
        "front_month_km": [km for _, km in front_km_in_force(war, dates, game.owner_history, grid, months)],
        "city_checks": checks,
        "city_right": share_right(checks),
    }


def describe(exc: BaseException) -> str:
    """One line: the exception and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(str(iso)[:10])
