"""AI against AI: how much better does AI A play a side than AI B does?

    python -m game.tools.duel A B [--scenarios S ...] [--seeds 1-4] [--workers N] [--json OUT]

For each scenario and seed it plays three games, each in a worker process (ProcessPoolExecutor,
explicit seeds: the same arguments give the same table): B against itself (the reference), A as
the UN against B, and B against A as the Communists. A side's VP margin is its VP minus the
enemy's (the result's ``vp``); a seat's gain is A's margin in that seat minus the reference's
margin for the same side, so a positive gain means A played that side better than B would have.
The table gives each game's gain, winner and the result's level (decisive, marginal or draw),
each scenario's mean gain per seat with the seat's wins by level, and the share of seats where A
did better.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from ..ai.registry import UnknownAI, resolve
from ..engine.errors import GameError
from ..sim.seeds import seeds

SHORT_SCENARIOS = ("pusan_perimeter", "inchon_breakout", "to_the_yalu", "ridgway", "war_of_the_hills")
SEATS = ("un", "communist")


def play_game(job: tuple) -> dict:
    """One game (run in a worker): ``(scenario, seed, un AI, communist AI)`` -> its result."""
    scenario, seed, un, communist = job
    from ..sim.session import ai_players, new_game
    from ..sim.simulate import result_dict, run

    started = time.perf_counter()
    game = new_game(scenario, seed=seed)
    run(game, players=ai_players(game, choice={"un": un, "communist": communist}))
    res = result_dict(game)["result"]
    vp = res["vp"]
    return {"scenario": scenario, "seed": seed, "un": un, "communist": communist,
            "vp": vp, "margin": round(float(vp["un"]) - float(vp["communist"]), 1),
            "winner": res.get("winner"), "level": res.get("level"), "vs_history": res.get("margin_vs_history"),
            "seconds": round(time.perf_counter() - started, 2)}


def side_margin(game: dict, seat: str) -> float:
    """The seat's VP margin: UN minus Communist VP for the UN, the other way for the Communists."""
    return game["margin"] if seat == "un" else -game["margin"]


def jobs_for(a: str, b: str, scenarios, seeds) -> list:
    """Every game of a duel: the reference (B against B), A as the UN, A as the Communists."""
    out = []
    for sc in scenarios:
        for seed in seeds:
            out += [(sc, seed, b, b), (sc, seed, a, b), (sc, seed, b, a)]
    return out


def duel(a: str, b: str, scenarios=SHORT_SCENARIOS, seeds=(1, 2, 3, 4), workers: int = 1) -> dict:
    """Play the duel; returns {"games": [...], "seats": [{scenario, seed, seat, ref, margin,
    gain, winner, level, ref_winner, ref_level}], "better": share of seats where A's margin beat the
    reference's}. A game's ``level`` is its result's: decisive, marginal or draw."""
    jobs = jobs_for(a, b, scenarios, seeds)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            games = list(pool.map(play_game, jobs))
    else:
        games = [play_game(j) for j in jobs]
    seats = []
    for i in range(0, len(games), 3):
        ref, as_un, as_com = games[i:i + 3]
        for seat, g in zip(SEATS, (as_un, as_com), strict=True):
            seats.append({"scenario": g["scenario"], "seed": g["seed"], "seat": seat,
                          "ref": side_margin(ref, seat), "margin": side_margin(g, seat),
                          "gain": round(side_margin(g, seat) - side_margin(ref, seat), 1),
                          "winner": g["winner"], "level": g.get("level"),
                          "ref_winner": ref["winner"], "ref_level": ref.get("level")})
    better = sum(s["gain"] > 0 for s in seats) / max(1, len(seats))
    return {"a": a, "b": b, "games": games, "seats": seats, "better": better}


def report(result: dict) -> str:
    """The duel as a table for people."""
    a, b = result["a"], result["b"]
    lines = [f"{a} against {b}: the side's VP margin with {a} in the seat, against {b} playing itself",
             f"{'scenario':<18} {'seed':>4} {'seat':<9} {b + ' self':>12} {a:>10} {'gain':>7}  winner level (ref)"]
    for s in result["seats"]:
        lines.append(f"{s['scenario']:<18} {s['seed']:>4} {s['seat']:<9} {s['ref']:>12.1f} {s['margin']:>10.1f} "
                     f"{s['gain']:>+7.1f}  {s['winner']} {s.get('level')} "
                     f"({s['ref_winner']} {s.get('ref_level')})")
    lines.append("")
    lines.append(f"{'scenario':<18} {'seat':<9} {'mean gain':>9} {'better':>7} {'wins':>5} "
                 f"{'decisive':>8} {'marginal':>8} {'draws':>5}")
    scenarios = list(dict.fromkeys(s["scenario"] for s in result["seats"]))
    for sc in scenarios:
        for seat in SEATS:
            mine = [s for s in result["seats"] if s["scenario"] == sc and s["seat"] == seat]
            gain = sum(s["gain"] for s in mine) / len(mine)
            better = sum(s["gain"] > 0 for s in mine)
            wins = sum(s["winner"] == seat for s in mine)
            # The level of the seat's wins (decisive or marginal) and its drawn games.
            won = [s for s in mine if s["winner"] == seat]
            decisive = sum(s.get("level") == "decisive" for s in won)
            marginal = sum(s.get("level") == "marginal" for s in won)
            draws = sum(s["winner"] == "draw" for s in mine)
            lines.append(f"{sc:<18} {seat:<9} {gain:>+9.1f} {better:>4}/{len(mine):<2} {wins:>3}/{len(mine)} "
                         f"{decisive:>8} {marginal:>8} {draws:>5}")
    n = len(result["seats"])
    lines.append(f"{a} did better than {b} in {round(result['better'] * n)} of {n} seats "
                 f"({100 * result['better']:.0f}%)")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.duel", description=__doc__.split("\n")[0])
    ap.add_argument("a", help="the AI on trial (a name from game/ai/registry.py, or default)")
    ap.add_argument("b", help="the AI it is measured against")
    ap.add_argument("--scenarios", nargs="+", default=list(SHORT_SCENARIOS))
    ap.add_argument("--seeds", type=seeds, default="1-4", help="e.g. 1-4 or 1,3,5")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", metavar="OUT", help="write every game and seat as JSON")
    args = ap.parse_args(argv)
    try:
        a, b = resolve(args.a), resolve(args.b)
    except UnknownAI as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = duel(a, b, args.scenarios, args.seeds, max(1, args.workers))
    except (GameError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report(result))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
