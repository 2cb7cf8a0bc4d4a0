"""Which of the AI's planners moved each of some units, turn by turn: why a unit ended up where
it did in an AI-against-AI game.

    python -m game.tools.ai_trace SCENARIO --units ID,ID,... [--seed N] [--until YYYY-MM-DD]

It plays the scenario with the default AI on both sides (as ``simulate`` does) and, after each
step of an AI's turn (its planners: game/ai/planner.py), notes every named unit that moved,
attacked or lost strength in it: the day, the side and the planner, where the unit stood and
where it stands now (game/rules/placement.py ``where_is``), its strength, and whether it
attacked. Units that arrive, are re-formed or fall between the AI's steps show up at their next
move. A calibration reads it beside ``front_by_turn`` (which turns the front went off) and
``forces`` (the strength on the map).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from ..engine.calendar import parse_date
from ..engine.errors import GameError
from ..engine.units import SIDE_NAMES
from ..rules.placement import where_is
from ..sim.session import ai_players, new_game
from ..sim.simulate import run


@dataclass(frozen=True)
class Step:
    """One planner's effect on one unit."""
    date: str
    side: str
    planner: str
    unit: str
    before: int          # hex (-1: off the map)
    after: int
    strength: int
    attacked: bool


def _snapshot(units, rows: dict) -> dict:
    return {uid: (int(units.hex[r]), int(units.strength[r]), bool(units.attacked[r])) for uid, r in rows.items()}


def _watch(planner, side: int, rows: dict, steps: list) -> None:
    """Wrap this planner object's ``run`` (the instance only) to note what it did to the units."""
    inner = planner.run

    def run_and_note(game, ai):
        u = game.state.units
        before = _snapshot(u, rows)
        inner(game, ai)
        after = _snapshot(u, rows)
        for uid, (h0, s0, a0) in before.items():
            h1, s1, a1 = after[uid]
            if (h0, s0, a0) != (h1, s1, a1):
                steps.append(Step(game.state.date.isoformat(), SIDE_NAMES[side], planner.name or type(planner).__name__,
                                  uid, h0, h1, s1, a1 and not a0))
    planner.run = run_and_note


def trace(scenario, units: list[str], seed: int = 1, until: str | None = None) -> tuple:
    """Play ``scenario`` and return (the game, the [Step] of the named units, in order)."""
    game = new_game(scenario, seed=seed)
    u = game.state.units
    missing = [uid for uid in units if uid not in u.ids]
    if missing:
        raise GameError(f"no unit {missing[0]!r} in {scenario}: name units by their ids (the scenario's "
                        "units and reinforcements, and its order of battle's)")
    rows = {uid: int(u.index_of(uid)) for uid in units}
    steps: list[Step] = []
    players = ai_players(game)
    for side, ai in players.items():
        mine = {uid: r for uid, r in rows.items() if int(u.side[r]) == side}
        for planner in getattr(ai, "planners", []) if mine else []:
            _watch(planner, side, mine, steps)
    run(game, until=until, players=players)
    return game, steps


def describe(m, step: Step) -> str:
    """One line for a step: when, who, which planner, from where to where."""
    def at(h: int) -> str:
        return "off the map" if h < 0 else where_is(m, h)
    move = at(step.after) if step.before == step.after else f"{at(step.before)} -> {at(step.after)}"
    act = ", attacked" if step.attacked else ""
    return f"{step.date} {step.side:9s} {step.planner:20s} {step.unit}: {move} (strength {step.strength}{act})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.ai_trace", description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--units", required=True, help="unit ids, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--until", default=None, help="YYYY-MM-DD: stop there (default: the scenario's end)")
    args = ap.parse_args(argv)
    try:
        until = parse_date(args.until).isoformat() if args.until else None
    except ValueError as exc:
        ap.error(f"--until: {exc}")
    units = [x.strip() for x in args.units.split(",") if x.strip()]
    if not units:
        ap.error("--units: name at least one unit")
    try:
        game, steps = trace(args.scenario, units, args.seed, until)
    except GameError as exc:
        print(f"ai_trace: {exc}", file=sys.stderr)
        return 2
    for step in steps:
        print(describe(game.state.map, step))
    if not steps:
        print("none of those units was moved by the AI")
    return 0


if __name__ == "__main__":
    sys.exit(main())
