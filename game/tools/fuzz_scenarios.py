"""Fuzz the shipped scenario files: what ``validate`` accepts, the game must play.

    python -m game.tools.fuzz_scenarios [--mutants 500] [--seed 1] [--turns 2] [--timeout 60]

Each mutant is a copy of the shipped ``scenarios/`` folder with one value changed in one file
(the scenario, an included rules file, the order of battle or the card deck): a value replaced
by one of another type or out of range, a key or list item deleted, a list item duplicated.
Then ``validate`` runs on the scenario. A rejected mutant must say where (``path:line:col``)
and why, with no internal error; an accepted one is played for a few turns AI against AI and
must not raise. Each mutant runs in a worker process with a time limit, so a hang is counted
as one. Prints the counts: tried, rejected, accepted and played, tracebacks, hangs.
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing as mp
import re
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from ..engine.paths import SCENARIOS_DIR
from ..scenario.loader import validate_file
from ..scenario.yamlsafe import load_file, to_plain
from ..sim import simulate
from ..sim.session import new_game

SCENARIOS = ("pusan_perimeter", "inchon_breakout", "to_the_yalu", "ridgway", "war_of_the_hills",
             "korea_1950_1953", "whatif_no_inchon", "whatif_china_stays_out")
SUPPORT_FILES = ("rules/standard.yaml", "rules/weather.yaml", "rules/air.yaml", "rules/naval.yaml",
                 "rules/politics.yaml", "rules/positions.yaml", "rules/replacements.yaml",
                 "oob/korea_1950_1953_oob.yaml", "cards/korea_1950_1953_cards.yaml")
ODD_VALUES = (None, -1, 0, 1, 32768, 10**9, -0.5, 1.5, 1e308, "", "x", "Pusann", "1950-02-30",
              "1953-07-28", [], {}, True, [1, 2], {"lat": 95, "lon": 0}, "../../etc/passwd")
LOCATED = re.compile(r"^.+:\d+:\d+: .+")


def _paths(node, path=()):
    """Every key path of a plain YAML tree, with its value."""
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def mutate(data, rng: np.random.Generator) -> tuple[object, str]:
    """One random change to a plain YAML tree (a new tree) and words for it."""
    data = copy.deepcopy(data)
    paths = [p for p, _ in _paths(data) if p]
    path = paths[int(rng.integers(len(paths)))]
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    kind = ("replace", "delete", "duplicate", "scale")[int(rng.integers(4))]
    value = parent[last]
    if kind == "delete":
        del parent[last]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(value))
    elif kind == "scale" and isinstance(value, (int, float)) and not isinstance(value, bool):
        parent[last] = value * [-1, 1000, 0][int(rng.integers(3))]
    else:
        kind = "replace"
        parent[last] = copy.deepcopy(ODD_VALUES[int(rng.integers(len(ODD_VALUES)))])
    return data, f"{kind} {'.'.join(map(str, path))}"


def make_mutant(workdir: Path, rng: np.random.Generator) -> tuple[Path, str]:
    """A copy of the shipped scenarios in ``workdir`` with one file mutated; (scenario, what)."""
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.copytree(SCENARIOS_DIR, workdir)
    scenario = SCENARIOS[int(rng.integers(len(SCENARIOS)))]
    target = (f"{scenario}.yaml" if rng.random() < 0.5
              else SUPPORT_FILES[int(rng.integers(len(SUPPORT_FILES)))])
    data = to_plain(load_file(workdir / target))
    mutant, what = mutate(data, rng)
    (workdir / target).write_text(yaml.safe_dump(mutant, sort_keys=False, allow_unicode=True))
    return workdir / f"{scenario}.yaml", f"{target}: {what}"


def check_mutant(scenario: Path, turns: int) -> str:
    """'rejected', 'played', or 'bad: ...' (an unlocated problem, an internal error, a traceback)."""
    problems = validate_file(scenario)
    if problems:
        for p in problems:
            text = str(p)
            if "internal error" in text or not LOCATED.match(text) or p.line < 1:
                return f"bad: unlocated or internal problem: {text}"
        return "rejected"
    try:
        game = new_game(scenario, seed=1)
        cal = game.state.scenario.calendar
        simulate.run(game, until=cal.turn_start(min(turns - 1, len(cal) - 1)).isoformat())
    except Exception:
        return "bad: traceback after validate accepted it\n" + traceback.format_exc(limit=6)
    return "played"


def _worker(args) -> tuple[str, str]:
    seed, turns = args
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        scenario, what = make_mutant(Path(tmp) / "scenarios", rng)
        return what, check_mutant(scenario, turns)


def run(mutants: int, seed: int, turns: int, timeout: float, workers: int) -> Counter:
    counts: Counter = Counter()
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, maxtasksperchild=20) as pool:
        jobs = [(seed * 1_000_003 + k, pool.apply_async(_worker, ((seed * 1_000_003 + k, turns),)))
                for k in range(mutants)]
        for job_seed, job in jobs:
            counts["tried"] += 1
            try:
                what, outcome = job.get(timeout=timeout)
            except mp.TimeoutError:
                counts["hangs"] += 1
                print(f"HANG (mutant seed {job_seed})", flush=True)
                continue
            if outcome.startswith("bad"):
                counts["tracebacks"] += 1
                print(f"BAD (mutant seed {job_seed}) {what}\n{outcome}", flush=True)
            else:
                counts[outcome] += 1
    return counts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m game.tools.fuzz_scenarios", description=__doc__.split("\n")[0])
    p.add_argument("--mutants", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--turns", type=int, default=2, help="turns an accepted mutant is played")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before a mutant counts as a hang")
    p.add_argument("--workers", type=int, default=max(1, (mp.cpu_count() or 2)))
    args = p.parse_args(argv)
    counts = run(args.mutants, args.seed, args.turns, args.timeout, args.workers)
    print(f"mutants tried {counts['tried']}, rejected {counts['rejected']}, accepted and played "
          f"{counts['played']}, tracebacks {counts['tracebacks']}, hangs {counts['hangs']}")
    return 1 if counts["tracebacks"] or counts["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
