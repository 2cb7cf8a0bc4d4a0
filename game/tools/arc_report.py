"""How the front moved: a table from a ``simulate --history`` file.

    python -m game.tools.arc_report HISTORY.npz [--every month|turn]

For the first turn of each month it prints the share of South Korea (the 1950 southern
region) held by the Communist side and the share of North Korea held by the UN: the measure
issue 6 asks for to compare a headless campaign with the war's real arc (DESIGN.md).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ..sim.arc import held_shares, korea_halves, monthly_indices


def arc_rows(history, every: str = "month") -> list:
    """[(date, communist share of the south, UN share of the north)] from a loaded history."""
    dates = [str(d) for d in history["dates"]]
    owner = history["owner"]
    south, north = korea_halves(history["land"], history["region"])
    turns = monthly_indices(dates) if every == "month" else range(len(dates))
    return [(dates[i], *held_shares(owner[i], south, north)) for i in turns]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.arc_report", description=__doc__.split("\n")[0])
    ap.add_argument("history", help="an .npz written by `python main.py simulate ... --history`")
    ap.add_argument("--every", choices=("month", "turn"), default="month")
    args = ap.parse_args(argv)
    try:
        with np.load(args.history, allow_pickle=False) as h:
            if "region" not in h.files:
                print(f"{args.history}: no region array (written by an older version): run simulate again",
                      file=sys.stderr)
                return 1
            rows = arc_rows(h, args.every)
    except (OSError, ValueError, KeyError) as exc:
        print(f"{args.history}: not a history file ({exc})", file=sys.stderr)
        return 1
    print("| date | Communists hold of South Korea | UN holds of North Korea |")
    print("|---|---|---|")
    for d, south, north in rows:
        print(f"| {d} | {south:.0%} | {north:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
