"""The ``batch`` subcommand's arguments (kept apart from the batch machinery, so that the CLI
builds its parser without importing pyarrow, rich or Dask)."""

from __future__ import annotations


def add_batch_arguments(p) -> None:
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="shipped names or paths; with two or more, each is a what-if against the first")
    p.add_argument("--runs", type=int, required=True, metavar="N", help="seeds of each scenario")
    p.add_argument("--first-seed", type=int, default=1, metavar="S", help="seeds S to S+N-1 (default 1)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="K", help="local worker processes (default: one a core)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler")
    p.add_argument("--ai", action="append", metavar="[SIDE=]NAME",
                   help="the AI of both sides (NAME) or of one (SIDE=NAME), as for simulate")
    p.add_argument("--out", required=True, metavar="DIR", help="runs.parquet and report.html go here")
    p.add_argument("--retry-failed", action="store_true", help="play again the runs recorded as failed")
