"""Batch benchmark (run by hand, not in the test suite):

    python benchmarks/bench_batch.py [--scenario pusan_perimeter] [--runs 16]

1. runs a minute of ``python main.py batch`` with 1 and 2 local workers on a short scenario,
   and the speed-up: end to end (the play phase, from the first run submitted to the last row
   stored, worker start-up included) and in steady state (twice the time of a run with one
   worker over the time of a run with two: what contention for the cores costs);
2. peak memory (RSS) of a worker process and of the parent, and the workers' CPU time (the same
   work with 1 and 2 workers: when the speed-up falls short but the CPU time does not grow,
   the machine was busy with something else);
3. the parent's peak memory for a small and a ten-times larger batch of the small test
   scenario: it must not grow with the number of runs.

On a shared machine other work slows some tries: each is tried ``--repeat`` times, interleaved,
and the fastest kept. Each measurement is one batch in a fresh process (this script with ``--probe``), so that the
peaks (getrusage: the process itself, and its largest child, i.e. worker) are its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow.parquet as pq  # noqa: E402

import game.batch.command as command  # noqa: E402
from game.cli import main as cli_main  # noqa: E402

SMALL = str(ROOT / "tests" / "scenarios" / "small_front.yaml")


def probe(scenario: str, runs: int, workers: int) -> dict:
    """One batch in this process; its times and peak memory (run with --probe)."""
    played = {}
    play_all = command.play_all

    def timed(*args):
        start = time.perf_counter()
        play_all(*args)
        played["seconds"] = time.perf_counter() - start

    command.play_all = timed
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        rc = cli_main(["batch", scenario, "--runs", str(runs), "--workers", str(workers), "--out", out])
        total = time.perf_counter() - start
        run_s = pq.read_table(Path(out) / "runs.parquet", columns=["run_seconds"]).column(0).to_pylist()
    mb = 1024.0       # ru_maxrss is in KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN)      # the workers, ended and waited for
    return {"rc": rc, "runs": runs, "workers": workers, "play_s": played.get("seconds"), "total_s": total,
            "mean_run_s": sum(run_s) / len(run_s),
            "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / mb,
            "worker_peak_mb": children.ru_maxrss / mb, "worker_cpu_s": children.ru_utime + children.ru_stime}


def run_probe(scenario: str, runs: int, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--probe", scenario, str(runs), str(workers)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="pusan_perimeter")
    ap.add_argument("--runs", type=int, default=24)
    ap.add_argument("--repeat", type=int, default=2, help="tries of each (the machine may be shared)")
    ap.add_argument("--probe", nargs=3, metavar=("SCENARIO", "RUNS", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.probe:
        scenario, runs, workers = args.probe
        print(json.dumps(probe(scenario, int(runs), int(workers))))
        return 0
    print(f"{args.scenario}, {args.runs} runs a batch")
    got = {}
    for attempt in range(args.repeat):         # interleaved; the fastest of each is kept
        for k in (1, 2):
            r = run_probe(args.scenario, args.runs, k)
            rate = r["runs"] * 60 / r["play_s"]
            print(f"  try {attempt + 1}, {k} worker{'s' if k > 1 else ' '}: {rate:6.1f} runs/min", flush=True)
            if k not in got or r["play_s"] < got[k]["play_s"]:
                got[k] = r
    for k, r in got.items():
        print(f"  {k} worker{'s' if k > 1 else ' '}: {r['runs'] * 60 / r['play_s']:6.1f} runs/min (play "
              f"{r['play_s']:.1f} s, total {r['total_s']:.1f} s with start-up and report; {r['mean_run_s']:.2f} s "
              f"a run); peak RSS worker {r['worker_peak_mb']:.0f} MB, parent {r['parent_peak_mb']:.0f} MB")
    print(f"  speed-up 1 -> 2 workers: {got[1]['play_s'] / got[2]['play_s']:.2f}x end to end (worker start-up "
          f"included), {2 * got[1]['mean_run_s'] / got[2]['mean_run_s']:.2f}x in steady state (time a run)")
    cpu = {k: got[k]["worker_cpu_s"] for k in got}
    print(f"  worker CPU time, start-up included: {cpu[1]:.1f} s with 1 worker, {cpu[2]:.1f} s with 2 (the same "
          f"work: {cpu[2] / cpu[1]:.2f}x; a speed-up short of 2x with no more CPU spent is other load on the machine)")
    print("parent peak RSS against the batch's size (small_front, 2 workers):")
    for n in (20, 200):
        r = run_probe(SMALL, n, 2)
        print(f"  {n:4d} runs: parent {r['parent_peak_mb']:.0f} MB, worker {r['worker_peak_mb']:.0f} MB "
              f"({r['runs'] * 60 / r['play_s']:.0f} runs/min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
