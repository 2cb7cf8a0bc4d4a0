"""The whole campaign, AI against AI, timed (run by hand, not in the test suite):

    python benchmarks/bench_campaign.py [--ai NAME ...] [--seed 1] [--repeat 3] [--scenario S]

For each AI (default: the registry's default AI and ``baseline``) it plays the 151-turn
campaign with that AI on both sides ``--repeat`` times and prints the wall time of each game
(best and median) and the median time of one AI turn (one ``play`` call: a side's operations
phase, the AI's own thinking and the rules it sets off, not the turn hooks in between).
Targets (issue 15): the campaign <= 4 s and an AI turn <= 50 ms on a 2-core machine. Timings on
a shared machine are noisy: say what else was running.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.ai.registry import DEFAULT, resolve  # noqa: E402
from game.sim.session import ai_players, new_game  # noqa: E402
from game.sim.simulate import run  # noqa: E402


class Timed:
    """An AI player whose every turn is timed."""

    def __init__(self, ai, times: list):
        self.ai, self.times = ai, times

    def play(self, game) -> None:
        started = time.perf_counter()
        self.ai.play(game)
        self.times.append(time.perf_counter() - started)


def one_campaign(scenario: str, seed: int, ai: str) -> tuple[float, list, str]:
    """(wall seconds of the game, seconds of each AI turn, final hash)."""
    game = new_game(scenario, seed=seed)
    turns: list = []
    players = {s: Timed(p, turns) for s, p in ai_players(game, choice={"un": ai, "communist": ai}).items()}
    started = time.perf_counter()
    run(game, players=players)
    return time.perf_counter() - started, turns, game.state.hash()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ai", action="append", help="an AI to time (repeatable); default: the default AI and baseline")
    ap.add_argument("--scenario", default="korea_1950_1953")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    names = [resolve(a) for a in (args.ai or [DEFAULT, "baseline"])]
    print(f"{args.scenario}, seed {args.seed}, {args.repeat} games per AI (same AI on both sides)")
    print(f"{'AI':<12} {'best s':>7} {'median s':>9} {'AI turn median ms':>18} {'AI turn p90 ms':>15}  final hash")
    for name in dict.fromkeys(names):
        walls, turns, digest = [], [], ""
        for _ in range(args.repeat):
            wall, t, digest = one_campaign(args.scenario, args.seed, name)
            walls.append(wall)
            turns.extend(t)
        turns.sort()
        p90 = turns[int(0.9 * (len(turns) - 1))]
        print(f"{name:<12} {min(walls):>7.2f} {statistics.median(walls):>9.2f} "
              f"{1000 * statistics.median(turns):>18.1f} {1000 * p90:>15.1f}  {digest[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
