"""``python main.py batch``: plan, skip what DIR already has, play the rest with a progress
bar, merge the rows into DIR/runs.parquet and write DIR/report.html."""

from __future__ import annotations

import os
import shlex
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .backends import dask_cluster, local_workers
from .errors import BatchError
from .plan import make_plan
from .players import ai_label, parse_ai
from .progress import BatchProgress
from .report import COLUMNS, write_report
from .runner import play_all
from .store import RunStore


def batch_command(args, argv=None) -> int:
    """Run the batch that ``args`` (parsed by arguments.add_batch_arguments) asks for;
    ``argv``, the command line, is shown in the report."""
    ai = parse_ai(args.ai)
    plan = make_plan(args.scenarios, args.runs, args.first_seed, ai)
    store = RunStore(args.out)
    store.merge()                   # the last chunks of a batch that was killed outright
    to_play = _still_to_play(plan, store, args.retry_failed, args.out)
    n_todo = sum(1 for _ in to_play())
    backend = (dask_cluster(args.scheduler) if args.scheduler
               else local_workers((os.cpu_count() or 1) if args.workers is None else args.workers))
    with backend as be:
        print(f"{_n(len(plan), 'run')} ({_n(len(plan.scenarios), 'scenario')} x {_n(len(plan.seeds), 'seed')} "
              f"from {plan.seeds.start}): {len(plan) - n_todo} already in {args.out}, {n_todo} to play on "
              f"{be.label}", flush=True)
        finished = _play(be, to_play(), n_todo, store)
    if not finished:
        print(f"interrupted: the runs finished are in {store.path}; the same command goes on from there",
              file=sys.stderr)
        return 130
    rows = _plan_rows(store, plan)
    report = Path(args.out) / "report.html"
    command = "python main.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    write_report(report, plan, rows, be.label, command)
    _summary(plan, rows)
    print(f"runs: {store.path}\nreport: {report}")
    return 0


def _still_to_play(plan, store, retry_failed: bool, out):
    """A function giving the plan's tasks not in the store yet (nor failed there, with
    ``retry_failed``), afresh at each call: the parent never holds the list of runs."""
    have = store.existing()
    label = ai_label(plan.ai)
    other = next((a for (sc, seed), (_, a) in have.items() if plan.covers(sc, seed) and a != label), None)
    if other:
        raise BatchError(f"{out} holds runs played by AI {other}, not {label}: use another --out")

    def tasks():
        for t in plan.tasks():
            status = have.get((t.scenario, t.seed), (None,))[0]
            if status is None or (retry_failed and status != "ok"):
                yield t
    return tasks


def _play(backend, tasks, total: int, store) -> bool:
    """Play the tasks with a progress bar, every row into the store; False if Ctrl-C stopped
    it. Whatever happens, the rows finished are merged into runs.parquet."""
    try:
        with BatchProgress(total) as bar:
            def on_row(row):
                store.add(row)
                bar.advance(row)
            try:
                play_all(backend, tasks, on_row)
            except BaseException:
                backend.stop_now()
                raise
        return True
    except KeyboardInterrupt:
        return False
    finally:
        store.merge()


def _plan_rows(store, plan) -> list:
    """The stored rows of the plan's runs, without the per-meridian fronts (the report's)."""
    t = store.read(columns=COLUMNS)
    ids = pa.array([sc.id for sc in plan.scenarios], type=pa.string())
    keep = pc.and_(pc.is_in(t["scenario"], value_set=ids),
                   pc.and_(pc.greater_equal(t["seed"], plan.seeds.start), pc.less(t["seed"], plan.seeds.stop)))
    return t.filter(keep).to_pylist()


def _summary(plan, rows) -> None:
    for sc in plan.scenarios:
        mine = [r for r in rows if r["scenario"] == sc.id]
        ok = [r for r in mine if r["status"] == "ok"]
        wins = Counter(r["winner"] for r in ok)
        shares = ", ".join(f"{w} {k / len(ok):.0%}" for w, k in wins.most_common()) if ok else "-"
        failed = len(mine) - len(ok)
        print(f"{sc.id}: {_n(len(ok), 'run')}{f', {failed} failed' if failed else ''}; winners: {shares}")


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
