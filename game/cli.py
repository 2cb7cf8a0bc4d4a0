"""Command line: play (default), simulate, batch, test, validate, screenshot. See DESIGN.md's contract."""

from __future__ import annotations

import argparse
import sys

from .ai.registry import ai_names, parse_choice
from .batch.arguments import add_batch_arguments
from .engine.errors import GameError
from .scenario.types import date_problem
from .sim.seeds import seeds


def seed(text: str) -> int:
    """A seed: a whole number from 0 (argparse turns the ValueError into one line)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is out of range: a seed is a whole number from 0")
    return value


def count(text: str) -> int:
    """A whole number from 0 (a turn number)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def card_at(text: str) -> tuple[str, str]:
    """CARD@YYYY-MM-DD: a card forced to fire in the turn containing that day."""
    card, sep, when = text.partition("@")
    if not sep or not card:
        raise argparse.ArgumentTypeError(f"{text!r}: write CARD@YYYY-MM-DD (e.g. inchon_landing@1950-09-15)")
    return card, day(when)


def day(text: str) -> str:
    """A real date written YYYY-MM-DD."""
    why = date_problem(text)
    if why:
        raise argparse.ArgumentTypeError(why)
    return text


class Parser(argparse.ArgumentParser):
    """argparse with its errors in one line (and where to look for help)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="korea-war", description="The Korean War, 1950-1953: an operational hex wargame.")
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    play = sub.add_parser("play", help="play a scenario or a saved game in a window")
    play.add_argument("scenario", nargs="?", default=None)
    play.add_argument("--side", choices=["un", "communist", "both", "none"], default=None)
    play.add_argument("--load", metavar="SAVE")
    play.add_argument("--seed", type=seed, default=0)
    sim = sub.add_parser("simulate", help="AI against AI, headless, one summary line a turn")
    sim.add_argument("scenario")
    sim.add_argument("--seed", type=seed, default=0)
    sim.add_argument("--until", metavar="YYYY-MM-DD", type=day)
    sim.add_argument("--json", metavar="OUT")
    sim.add_argument("--history", metavar="OUT.npz")
    sim.add_argument("--save", metavar="OUT")
    sim.add_argument("--load", metavar="SAVE", help="go on from a saved game instead of the start")
    sim.add_argument("--quiet", action="store_true", help="no per-turn lines")
    sim.add_argument("--fire", action="append", type=card_at, default=[], metavar="CARD@YYYY-MM-DD",
                     help="force a card to fire in the turn containing that day (repeatable)")
    sim.add_argument("--ai", action="append", metavar="[SIDE=]NAME",
                     help="the AI for a side (un=NAME, communist=NAME) or both (NAME); "
                          f"names: {', '.join(ai_names())}")
    batch = sub.add_parser("batch", help="many seeded AI-against-AI games: runs.parquet and report.html")
    add_batch_arguments(batch)
    test = sub.add_parser("test", help="play scenario tests over their seeds and check what came out")
    test.add_argument("files", nargs="+", metavar="FILE")
    test.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    test.add_argument("--seeds", type=seeds, default=None, metavar="A-B|A,B,..",
                      help="play these seeds instead of the file's")
    test.add_argument("--verbose", "-v", action="store_true", help="a line for every expectation, met or not")
    val = sub.add_parser("validate", help="check scenario and card files")
    val.add_argument("paths", nargs="+")
    shot = sub.add_parser("screenshot", help="render the board headless to a PNG")
    shot.add_argument("scenario")
    shot.add_argument("--out", required=True)
    shot.add_argument("--turn", type=count, default=1, help="the N-th turn as it begins (1: the start)")
    shot.add_argument("--region", metavar="LAT_S,LAT_N,LON_W,LON_E", help="frame this lat/lon box")
    shot.add_argument("--size", default="1600x1000")
    shot.add_argument("--seed", type=seed, default=0)
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "play"
    try:
        if command == "simulate":
            return _simulate(args)
        if command == "batch":
            from .batch.command import batch_command
            return batch_command(args, argv)
        if command == "test":
            from .sim.scenario_tests import test_command
            return test_command(args)
        if command == "validate":
            from .scenario.validate_cli import cli_validate
            return cli_validate(args.paths)
        if command == "screenshot":
            from .render.screenshot import screenshot_command
            return screenshot_command(args)
        from .ui.app import play_command
        return play_command(args if args.command else _parser().parse_args(["play"]))
    except KeyboardInterrupt:
        return 130
    except (GameError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _simulate(args) -> int:
    from .sim import session, simulate
    from .sim.saves import check_writable, load_game, save_game

    choice = parse_choice(args.ai)
    for out in (args.json, args.history, args.save):
        if out:
            check_writable(out)               # fail now, not after a long run
    if args.load and args.fire:
        print("error: --fire works on a new game, not with --load", file=sys.stderr)
        return 1
    game = load_game(args.load) if args.load else session.new_game(args.scenario, args.seed, fire=args.fire)
    st = game.state
    print(f"{st.scenario.title}: seed {st.seed}, {len(st.scenario.calendar)} turns from "
          f"{st.scenario.calendar.turn_start(0)} to {st.scenario.calendar.end}")
    fired = [len(st.fired)]

    def on_turn(g):
        if args.quiet:
            return
        line = simulate.summary_line(g)
        new = g.state.fired[fired[0]:]
        fired[0] = len(g.state.fired)
        if new:
            line += "  | " + "; ".join(e["title"] for e in new)
        print(line, flush=True)

    players = session.ai_players(game, choice=choice)
    simulate.run(game, until=args.until, on_turn=on_turn, players=players)
    res = simulate.result_dict(game)
    r = res["result"]
    vp = r.get("vp") or {}
    outcome = f"{r['summary']} ({r.get('reason')})" if "summary" in r else "not over (stopped before the end)"
    print(f"Result: {outcome}; VP UN {vp.get('un')}, Communists {vp.get('communist')}; "
          f"final hash {res['final_hash']}")
    if args.json:
        simulate.write_json(game, args.json)
    if args.history:
        simulate.write_history(game, args.history)
    if args.save:
        save_game(game, args.save)
    return 0
