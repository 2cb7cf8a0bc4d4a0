"""The forces on the map on chosen dates, AI against AI: what a calibration compares with the
sources' strengths (issue 16: the ROK Army of August 1950, the KPA on the Naktong).

    python -m game.tools.forces SCENARIO --dates 1950-07-15,1950-08-02 [--seeds 1-4] [--workers N]

For each seed it plays the scenario (the default AI on both sides) to the turn that shows each
date and notes the strength points on the map by nation (about 1,000 men each; the UN's smaller
contingents together as "other UN") and each side's losses so far. The Markdown table gives the
mean over the seeds, with the lowest and highest in brackets where they differ. A game that ends
before a date counts for the dates it reached. Below it, the sources' strengths
(scenarios/reference/korea_front_lines.yaml: ``strengths``) within a week of a date asked for,
beside the games' strength points of the same side or nations on that date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from statistics import mean

from ..engine.calendar import parse_date
from ..engine.errors import GameError
from ..engine.units import SIDE_NAMES, UN
from ..sim.arc import war_reference
from ..sim.seeds import play_all, seeds

SHOWN = ("KPA", "CPV", "ROK", "US")          # nations with a column of their own
OTHER_UN = "other UN"
TOTAL = "total "                             # + a side's name: its strength on the map
NEAR_DAYS = 7                                # a source's strength is shown for a date this near


def forces_now(state) -> dict:
    """{column: strength points on the map} and {"losses <side>": points lost so far}."""
    u = state.units
    out: dict = {}
    for r in u.rows_on_map():
        nation = u.nations[r]
        key = nation if nation in SHOWN or int(u.side[r]) != UN else OTHER_UN
        total = TOTAL + SIDE_NAMES[int(u.side[r])]
        for k in (key, total):
            out[k] = out.get(k, 0) + int(u.strength[r])
    for side, data in state.sides.items():
        out[f"losses {SIDE_NAMES[side]}"] = int(data["losses"])
    return out


def play(job: tuple) -> list:
    """One game (in a worker): ``(scenario, seed, dates)`` -> [forces on each date it reached]."""
    scenario, seed, dates = job
    from ..sim.session import ai_players, new_game
    from ..sim.simulate import run

    game = new_game(scenario, seed=seed)
    players = ai_players(game)
    found = []
    for day in dates:
        run(game, until=day, players=players)
        if game.state.over and game.state.date < parse_date(day):
            break
        found.append(forces_now(game.state))
    return found


def columns(rows) -> list:
    """The table's columns: the nations seen (in SHOWN's order, then the rest), then the losses."""
    seen = {k for per_date in rows for r in per_date for k in r if not k.startswith(TOTAL)}
    nations = [k for k in SHOWN if k in seen] + sorted(k for k in seen if k not in SHOWN and not k.startswith("losses"))
    return nations + sorted(k for k in seen if k.startswith("losses"))


def cell(values: list) -> str:
    if not values:
        return "·"
    lo, hi = min(values), max(values)
    return f"{mean(values):.1f}" + ("" if lo == hi else f" ({lo}-{hi})")


def table(dates, per_seed) -> str:
    """Markdown: a row per date, the mean (lowest-highest) of each column over the seeds."""
    rows = [[game[i] for game in per_seed if i < len(game)] for i in range(len(dates))]
    cols = columns(rows)
    lines = ["| date | games | " + " | ".join(cols) + " |", "|---" * (len(cols) + 2) + "|"]
    for day, found in zip(dates, rows, strict=True):
        cells = [cell([r.get(c, 0) for r in found]) if found else "·" for c in cols]
        lines.append(f"| {day} | {len(found)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


WHOLE_SIDE = {"un": "all UN", "communist": "all Communist"}


def counted(strength) -> str:
    """What a source's strength counts, in words: its nations, or the whole side."""
    return ", ".join(strength.nations) if strength.nations else WHOLE_SIDE[strength.side]


def games_strength(strength, found: list) -> list[int]:
    """Each game's strength points on the map of what ``strength`` counts."""
    if not strength.nations:
        return [r.get(TOTAL + strength.side, 0) for r in found]
    return [sum(r.get(n, 0) for n in strength.nations) for r in found]


def sources_table(dates, per_seed, strengths) -> str:
    """Markdown: each source's strength within NEAR_DAYS of a date asked for, beside the games'
    points on the nearest such date ('' when none is near)."""
    lines = []
    for s in strengths:
        near = [(abs((dt.date.fromisoformat(d) - s.date).days), i) for i, d in enumerate(dates)]
        gap, i = min(near)
        if gap > NEAR_DAYS:
            continue
        found = [game[i] for game in per_seed if i < len(game)]
        men = f"{s.men:g}" + ("" if s.combat is None else f" ({s.combat:g} in combat units)")
        lumped = s.side == "un" and any(n not in SHOWN for n in s.nations)
        games = f"{dates[i]}: " + (f"· (counted among {OTHER_UN})" if lumped else cell(games_strength(s, found)))
        lines.append(f"| {s.date.isoformat()} | {counted(s)} | {men} | {games} | {s.source} |")
    if not lines:
        return ""
    return "\n".join(["| source's date | forces | thousand men, by the source | the games' strength points |"
                      " source |", "|---|---|---|---|---|", *lines])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.forces", description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--dates", required=True, help="YYYY-MM-DD,YYYY-MM-DD,... in order")
    ap.add_argument("--seeds", type=seeds, default=[1, 2, 3, 4])
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    try:
        dates = [parse_date(d.strip()).isoformat() for d in args.dates.split(",")]
    except ValueError as exc:
        ap.error(f"--dates: {exc}")
    if dates != sorted(dates):
        ap.error("--dates: give the dates in order")
    jobs = [(args.scenario, s, dates) for s in args.seeds]
    try:
        per_seed = play_all(play, jobs, args.workers)
    except GameError as exc:
        print(f"forces: {exc}", file=sys.stderr)
        return 2
    print(f"{args.scenario}, seeds {args.seeds[0]}-{args.seeds[-1]} ({len(args.seeds)}): strength points "
          "on the map by nation and losses so far, mean (lowest-highest)\n")
    print(table(dates, per_seed))
    sources = sources_table(dates, per_seed, war_reference().strengths)
    if sources:
        print("\nThe sources' strengths (scenarios/reference/korea_front_lines.yaml), beside the games' "
              "(a point is about 1,000 men):\n")
        print(sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
