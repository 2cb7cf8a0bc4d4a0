"""Time loading the map asset (target: under 100 ms) and, with --build, building it (under 30 s).

    python benchmarks/bench_map.py [--build] [--hex-km 10] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from game.engine.mapdata import MapData  # noqa: E402


def bench_load(path: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        MapData.load(path)
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--map", type=Path, default=REPO / "assets" / "maps" / "korea_10km.npz")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--build", action="store_true", help="also time a full build (needs the raw data)")
    ap.add_argument("--hex-km", type=float, default=10.0)
    args = ap.parse_args(argv)

    times = bench_load(args.map, args.repeat)
    m = MapData.load(args.map)
    print(f"load {args.map.name}: {m.n} hexes; median {statistics.median(times) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {args.repeat} "
          f"(first {times[0] * 1000:.1f} ms)")
    ok = statistics.median(times) < 0.100

    if args.build:
        from game.tools import build_map
        t0 = time.perf_counter()
        built, _ = build_map.build(hex_km=args.hex_km)
        dt = time.perf_counter() - t0
        print(f"build {args.hex_km:g} km: {built.n} hexes in {dt:.2f} s")
        ok = ok and (dt < 30.0 or args.hex_km != 10.0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
