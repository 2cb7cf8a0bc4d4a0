"""Where the front runs turn by turn, over seeds: when a game's front leaves the war's.

    python -m game.tools.front_by_turn SCENARIO [--seeds 1-8] [--until YYYY-MM-DD]
        [--lons 127.9,128.4,128.6] [--latitudes] [--workers N]

For each seed it plays the scenario (the default AI on both sides) and takes the front's latitude
on each meridian bin at the start of every turn (game/sim/front.py). The Markdown table has a
row per turn: the median over the seeds of the front's offset in km from the reference line that
stood that day (+: the front north of it; scenarios/reference/korea_front_lines.yaml), "·" where
no line stood or fewer than half the seeds have a front on that meridian. With ``--latitudes``
it gives the median latitude instead, on every turn. ``front_targets`` says how far off a batch
is at the monthly checkpoints; this says in which turns it went off.
"""

from __future__ import annotations

import argparse
import math
import sys
from statistics import median

import numpy as np

from ..engine.calendar import parse_date
from ..engine.errors import GameError
from ..sim.arc import meridian_grid, war_reference
from ..sim.front import front_latitudes
from ..sim.front_metric import KM_PER_DEGREE, reference_latitudes
from ..sim.seeds import play_all, seeds
from ..sim.session import ai_players, new_game
from ..sim.simulate import run

DEFAULT_LONS = "127.1,127.6,127.9,128.1,128.4,128.6,128.9,129.1"


def play(job: tuple) -> tuple:
    """One game (in a worker): ``(scenario, seed, until)`` -> (the turns' start dates, the
    front's latitude per meridian bin on each: a list of lists, None where there is none)."""
    scenario, seed, until = job
    game = new_game(scenario, seed=seed)
    run(game, until=until, players=ai_players(game))
    st = game.state
    grid = meridian_grid(st.map)
    cal = st.scenario.calendar
    dates, fronts = [], []
    for t, owner in enumerate(game.owner_history):
        lat = front_latitudes(owner, grid.lat, grid.lon, grid.korea, grid.edges)
        dates.append(cal.turn_start(t).isoformat())
        fronts.append([None if math.isnan(x) else float(x) for x in lat])
    return dates, fronts


def bins_for(centres, lons) -> list[int]:
    """The meridian bin nearest each of ``lons`` (in order, no repeats)."""
    out: list[int] = []
    for lon in lons:
        b = int(np.argmin(np.abs(np.asarray(centres) - lon)))
        if b not in out:
            out.append(b)
    return out


def rows(per_seed, grid, bins, reference=None, latitudes: bool = False) -> list:
    """[(date, the line in force or None, [median per bin or None])], a row per turn that any
    seed reached: km from the line in force (or the latitude with ``latitudes``)."""
    reference = reference or war_reference()
    dates = max((d for d, _ in per_seed), key=len, default=[])
    out = []
    for t, day in enumerate(dates):
        line = None if latitudes else reference.line_on(parse_date(day))
        ref = reference_latitudes(grid, line.points) if line is not None else None
        reached = [fronts[t] for d, fronts in per_seed if t < len(d)]
        cells = []
        for b in bins:
            lats = [f[b] for f in reached if f[b] is not None]
            if not lats or 2 * len(lats) < len(reached) or (not latitudes and (ref is None or math.isnan(ref[b]))):
                cells.append(None)
            elif latitudes:
                cells.append(float(median(lats)))
            else:
                cells.append(float(median((x - ref[b]) * KM_PER_DEGREE for x in lats)))
        out.append((day, line, cells))
    return out


def table(found, centres, bins, latitudes: bool = False) -> str:
    """:func:`rows` as Markdown."""
    what = "median latitude" if latitudes else "median km from the line in force, + north of it"
    head = "| turn | date | line | " + " | ".join(f"{centres[b]:.1f}E" for b in bins) + " |"
    lines = [f"The front on each meridian at the start of each turn ({what})", "", head,
             "|---|---|---|" + "---|" * len(bins)]
    for t, (day, line, cells) in enumerate(found):
        fmt = "{:.2f}" if latitudes else "{:+.0f}"
        text = " | ".join("·" if c is None else fmt.format(c) for c in cells)
        name = "" if line is None else line.name
        lines.append(f"| {t + 1} | {day} | {name} | {text} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.front_by_turn", description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--seeds", type=seeds, default=list(range(1, 9)))
    ap.add_argument("--until", default=None, help="YYYY-MM-DD: stop there (default: the scenario's end)")
    ap.add_argument("--lons", default=DEFAULT_LONS, help="meridians to show, degrees east, comma-separated")
    ap.add_argument("--latitudes", action="store_true", help="the front's latitude, not its offset from the war's")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    try:
        until = parse_date(args.until).isoformat() if args.until else None
    except ValueError as exc:
        ap.error(f"--until: {exc}")
    try:
        lons = [float(x) for x in args.lons.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--lons: give degrees east separated by commas, not {args.lons!r}")
    if not lons:
        ap.error("--lons: name at least one meridian")
    jobs = [(args.scenario, s, until) for s in args.seeds]
    try:
        grid = meridian_grid(new_game(args.scenario, seed=args.seeds[0]).state.map)
        per_seed = play_all(play, jobs, args.workers)
    except GameError as exc:
        print(f"front_by_turn: {exc}", file=sys.stderr)
        return 2
    centres = list(grid.centres)
    bins = bins_for(centres, lons)
    print(f"{args.scenario}, seeds {args.seeds[0]}-{args.seeds[-1]} ({len(args.seeds)})\n")
    print(table(rows(per_seed, grid, bins, latitudes=args.latitudes), centres, bins, args.latitudes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
