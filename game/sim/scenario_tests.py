"""``python main.py test FILE...``: play each scenario test's seeds headless and check what came
out (docs/testing.md), like ``wesnoth -u`` for this game.

Each seed is exactly ``python main.py simulate SCENARIO --seed S`` (with the test's ``fire``
and ``ai``, stopped after ``until``); with ``--workers K`` the seeds are played in K worker
processes. An expectation passes when it held in at least ``in_at_least`` of the seeds (default:
all of them) and at most ``in_at_most``. Failures are printed as
``file:line:col: expectation failed: ... (k of n seeds)``; the exit status is 0 when every
expectation of every file passed, 1 otherwise.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

from ..ai.registry import UnknownAI, resolve
from ..engine.errors import GameError
from ..scenario.errors import ScenarioError
from ..scenario.testfile import load_test_file, seed_list
from . import simulate
from .expectations import Judge, describe
from .session import ai_players, new_game


def play_seed(task: dict) -> dict:
    """Play one seed of a test and judge its expectations: ``{seed, held, winner, hash, error}``
    (a worker process's job: plain data in and out)."""
    try:
        game = new_game(task["scenario"], task["seed"], fire=task["fire"])
        judge = Judge(game, task["expect"])
        simulate.run(game, until=task["until"], players=ai_players(game, choice=task["ai"]))
        result = game.state.result or {}
        return {"seed": task["seed"], "held": judge.finish(), "winner": result.get("winner"),
                "hash": game.state.hash(), "error": None}
    except Exception as exc:     # a run that fails is reported with its seed, never a traceback
        return {"seed": task["seed"], "held": [False] * len(task["expect"]), "winner": None, "hash": None,
                "error": f"{type(exc).__name__}: {exc}"}


def _tasks(data: dict, scenario, seeds: list[int]) -> list[dict]:
    fire = [(f["card"], f["date"]) for f in data.get("fire") or []]
    ai = {side: resolve(name) for side, name in (data.get("ai") or {}).items()}
    return [{"scenario": str(scenario), "seed": s, "until": data.get("until"), "fire": fire, "ai": ai,
             "expect": data["expect"]} for s in seeds]


def play_all(tasks: list[dict], workers: int) -> list[dict]:
    """Every seed's outcome, in seed order: here, or in ``workers`` processes."""
    if workers <= 1 or len(tasks) <= 1:
        return [play_seed(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(play_seed, tasks))


def run_test_file(path, workers: int = 1, seeds=None, verbose: bool = False, out=None) -> bool:
    """Run one test file and print its report; True when every expectation passed."""
    out = out if out is not None else sys.stdout
    try:
        data, source, scenario = load_test_file(path)
    except ScenarioError as exc:
        print(str(exc), file=out)
        return False
    try:
        runs = _tasks(data, scenario, seeds if seeds is not None else seed_list(data["seeds"]))
    except UnknownAI as exc:
        print(source.problem(("ai",), f"ai: {exc}"), file=out)
        return False
    results = play_all(runs, workers)
    n = len(results)
    ok = True
    for r in results:
        if r["error"]:
            ok = False
            print(f"{source.file}: seed {r['seed']}: the run failed: {r['error']}", file=out)
    passed = 0
    for i, item in enumerate(data["expect"]):
        k = sum(1 for r in results if r["held"][i])
        lo = item.get("in_at_least")
        lo = 1.0 if lo is None and item.get("in_at_most") is None else (lo or 0.0)
        hi = item.get("in_at_most")
        good = k >= lo * n - 1e-9 and (hi is None or k <= hi * n + 1e-9)
        need = " and ".join(part for part in (
            f"needs at least {lo:.0%}" if lo else "", f"at most {hi:.0%}" if hi is not None else "") if part)
        line = f"{describe(item)} ({k} of {n} seeds{'; ' + need if need else ''})"
        where = source.problem(("expect", i), "")
        loc = f"{where.path}:{where.line}:{where.col}"
        if good:
            passed += 1
            if verbose:
                print(f"{loc}: ok: {line}", file=out)
        else:
            ok = False
            print(f"{loc}: expectation failed: {line}", file=out)
    print(f"{source.file}: {passed} of {len(data['expect'])} expectations met over {n} seed"
          f"{'s' if n != 1 else ''} of {scenario.stem}", file=out)
    out.flush()
    return ok


def test_command(args, out=None) -> int:
    """The ``test`` command: 0 when every file passed, 1 otherwise."""
    if args.workers < 1:
        raise GameError(f"--workers {args.workers}: give at least 1")
    ok = True
    for path in args.files:
        ok &= run_test_file(path, workers=args.workers, seeds=args.seeds, verbose=args.verbose, out=out)
    return 0 if ok else 1
