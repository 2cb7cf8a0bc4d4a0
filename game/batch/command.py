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
    have = store.existing()
    label = ai_label(ai)
    other = next((a for (sc, seed), (_, a) in have.items() if plan.covers(sc, seed) and a != label), None)
    if other:
        raise BatchError(f"{args.out} holds runs played by AI {other}, not {label}: use another --out")
    todo = [t for t in plan.tasks()
            if (t.scenario, t.seed) not in have or (args.retry_failed and have[(t.scenario, t.seed)][0] != "ok")]
    backend = (dask_cluster(args.scheduler) if args.scheduler
               else local_workers((os.cpu_count() or 1) if args.workers is None else args.workers))
    interrupted = False
    with backend as be:
        print(f"{len(plan)} runs ({len(plan.scenarios)} scenario{'s' if len(plan.scenarios) > 1 else ''} x "
              f"{len(plan.seeds)} seeds from {plan.seeds.start}): {len(plan) - len(todo)} already in "
              f"{args.out}, {len(todo)} to play on {be.label}", flush=True)
        try:
            with BatchProgress(len(todo)) as bar:
                def on_row(row):
                    store.add(row)
                    bar.advance(row)
                try:
                    play_all(be, todo, on_row)
                except BaseException:
                    be.stop_now()
                    raise
        except KeyboardInterrupt:
            interrupted = True
        finally:
            store.merge()
    if interrupted:
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
        print(f"{sc.id}: {len(ok)} runs{f', {failed} failed' if failed else ''}; winners: {shares}")
