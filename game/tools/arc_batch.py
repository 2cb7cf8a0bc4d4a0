"""Many seeded campaigns at once, measured against the war's real arc.

    python -m game.tools.arc_batch [SCENARIO] [--seeds 1-8] [--workers N]

Each seed is one headless AI-against-AI game (game.sim.simulate.run) in a worker process
(ProcessPoolExecutor, explicit seeds: the same seeds give the same table). For each it prints
the share of South Korea held by the Communists and of North Korea held by the UN on a few key
dates, the result, and the arc error: the mean distance from the reference points below.

The reference points are rounded readings of the real front (DESIGN.md: the Pusan Perimeter
by August 1950, the UN near the Yalu in late November, the Communists below Seoul in January
1951, the front near the 38th parallel from mid-1951 to the armistice). They are for tuning
the balance of the rules, not historical data to show players.
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ..engine.mapdata import REGION
from ..engine.units import COMMUNIST, UN

# (date, Communist share of the South, UN share of the North): approximate, for tuning only.
REFERENCE = (
    ("1950-08-05", 0.85, 0.0),    # behind the Pusan Perimeter
    ("1950-09-10", 0.90, 0.0),    # the perimeter at its smallest, before Inchon
    ("1950-11-20", 0.0, 0.70),    # the UN across most of the North, near the Yalu in places
    ("1951-01-15", 0.25, 0.0),    # the Communists below Seoul, on about the 37th parallel
    ("1951-04-20", 0.02, 0.08),   # the UN back around the parallel (Line Kansas)
    ("1951-11-27", 0.02, 0.08),   # the line of contact agreed at Panmunjom
    ("1952-11-01", 0.02, 0.08),
    ("1953-07-10", 0.02, 0.08),   # the armistice line
)


def shares_on(dates, owner, south, north, when: str):
    """(Communist share of the south, UN share of the north) at the last turn starting by ``when``."""
    i = int(np.searchsorted(dates, when, side="right")) - 1
    if i < 0:
        return None
    return float((owner[i][south] == COMMUNIST).mean()), float((owner[i][north] == UN).mean())


def play_seed(args) -> dict:
    """One seeded campaign (run in a worker): its shares on the reference dates and its result."""
    scenario, seed = args
    from ..sim.session import new_game
    from ..sim.simulate import run

    game = new_game(scenario, seed=seed)
    run(game)
    st = game.state
    m = st.map
    dates = np.array([h["date"] for h in st.history])
    owner = np.array(game.owner_history)
    south = m.land & (m.region == REGION["south"])
    north = m.land & (m.region == REGION["north"])
    # A game that ended early keeps its last front for the dates after it.
    points = [shares_on(dates, owner, south, north, when) for when, _, _ in REFERENCE]
    res = st.result or {}
    return {"seed": seed, "points": points, "winner": res.get("winner"), "reason": res.get("reason", ""),
            "end": st.date.isoformat()}


def point_errors(points) -> list:
    """Distance from each reference point (mean of the two shares; 1 where the game had not begun)."""
    return [1.0 if got is None else (abs(got[0] - south) + abs(got[1] - north)) / 2
            for (_, south, north), got in zip(REFERENCE, points, strict=False)]


def arc_error(points) -> float:
    """Mean absolute distance from the reference points (both shares), 0 = the real arc."""
    return float(np.mean(point_errors(points)))


def parse_seeds(text: str) -> list:
    out = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.arc_batch", description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default="korea_1950_1953")
    ap.add_argument("--seeds", default="1-8", help="e.g. 1-8 or 1,3,5")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    try:
        seeds = parse_seeds(args.seeds)
    except ValueError:
        print(f"--seeds: not a list of seeds: {args.seeds!r} (write e.g. 1-8 or 1,3,5)", file=sys.stderr)
        return 2
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        rows = list(pool.map(play_seed, [(args.scenario, s) for s in seeds]))
    head = " ".join(d[2:7] for d, _, _ in REFERENCE)
    print(f"seed  {head}   error  result")
    print("ref   " + " ".join(f"{s * 100:2.0f}/{n * 100:<2.0f}" for _, s, n in REFERENCE))
    errors = []
    for r in rows:
        cells = " ".join("  -  " if p is None else f"{p[0] * 100:2.0f}/{p[1] * 100:<2.0f}" for p in r["points"])
        err = arc_error(r["points"])
        errors.append(err)
        print(f"{r['seed']:>4}  {cells}   {err:.3f}  {r['winner']} ({r['reason']}, {r['end']})")
    by_date = np.mean([point_errors(r["points"]) for r in rows], axis=0)
    print("error " + " ".join(f"{e:5.2f}" for e in by_date) + "   (mean by date: where the arc goes wrong)")
    print(f"mean arc error {np.mean(errors):.3f} over {len(rows)} seeds (0 = the real arc)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
