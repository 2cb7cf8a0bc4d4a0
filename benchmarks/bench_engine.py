"""Engine benchmarks (run by hand, not in the test suite):

    python benchmarks/bench_engine.py

1. movement range of one unit on a 10,000-hex map (median, cache cleared each time);
2. one whole turn, both sides, ~200 units, AI included (median over turns);
3. supply traced for one side over the whole map.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.ai.baseline import BaselineAI  # noqa: E402
from game.engine.units import COMMUNIST, SIDE_NAMES, UN  # noqa: E402
from game.rules.supply import supply_distance, update_supply  # noqa: E402
from game.rules.turn import Game  # noqa: E402
from game.scenario.build import new_state  # noqa: E402
from game.sim.session import load_scenario  # noqa: E402


def synthetic_scenario(rows=100, cols=100, units_per_side=100, seed=0):
    """A 10,000-hex land mass with mixed terrain, a road grid and two armies facing each other."""
    rng = np.random.default_rng(seed)
    letters = rng.choice(list("ccccrrmw"), size=(rows, cols))
    letters[:, 0] = "."
    terrain = ["".join(r) for r in letters]
    roads = [{"main": True, "hexes": [[r, c] for r in range(rows)]} for c in range(5, cols, 12)]
    region = ["n" * cols if r < rows // 2 else "s" * cols for r in range(rows)]
    units = []
    for k in range(units_per_side):
        c = 2 + (k * (cols - 4)) // units_per_side
        units.append({"id": f"c{k}", "name": f"C{k}", "side": "communist", "nation": "KPA",
                      "type": "infantry_division", "strength": 10, "at": [rows // 2 - 3 - k % 2, c]})
        units.append({"id": f"u{k}", "name": f"U{k}", "side": "un", "nation": "US",
                      "type": "infantry_division", "strength": 10, "at": [rows // 2 + 2 + k % 2, c]})
    data = {"include": ["rules/standard.yaml"],
            "id": "bench", "title": "bench", "start": "1950-06-25", "end": "1950-12-31",
            "sides": {"un": {"name": "UN Command", "color": "#3060c0"},
                      "communist": {"name": "Communist forces", "color": "#c03030"}},
            "calendar": [{"from": "1950-06-25", "days": 7}],
            "map": {"grid": {"rows": rows, "cols": cols}, "terrain": terrain, "region": region, "roads": roads},
            "units": units,
            "supply_sources": {"un": [[rows - 1, c] for c in range(5, cols, 12)],
                               "communist": [[0, c] for c in range(5, cols, 12)]}}
    # Through the loader, as a scenario file would be (the standard rules included).
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "scenarios" / "rules", Path(tmp) / "rules")
        path = Path(tmp) / "bench.yaml"
        path.write_text(yaml.safe_dump(data))
        return load_scenario(path)


def median_ms(samples):
    return 1000 * statistics.median(samples)


def main():
    scenario = synthetic_scenario()
    state = new_state(scenario, seed=1)
    game = Game(state)
    game.start()
    print(f"map: {scenario.map.n} hexes, {len(state.units)} units")

    rows = state.units.rows_on_map(COMMUNIST)
    samples = []
    for r in rows:
        game.movement._reach.clear()
        t = time.perf_counter()
        game.movement.reach(int(r))
        samples.append(time.perf_counter() - t)
    print(f"movement range, one unit: median {median_ms(samples):.3f} ms (target < 1 ms)")

    t = time.perf_counter()
    game.movement.invalidate()
    game.movement.reach_many(rows)
    print(f"movement ranges, all {len(rows)} units of a side in one call: {1000 * (time.perf_counter() - t):.1f} ms")

    for side in (UN, COMMUNIST):
        samples = []
        for _ in range(20):
            t = time.perf_counter()
            supply_distance(state, side, game.movement.multiplier(side))
            samples.append(time.perf_counter() - t)
        print(f"supply trace, {SIDE_NAMES[side]}, whole map: median {median_ms(samples):.2f} ms (target < 20 ms)")
    saved = {k: v.copy() for k, v in state.units.arrays.items()}, dict(state.sides[UN]), state.rng.bit_generator.state
    samples = []
    for _ in range(20):
        t = time.perf_counter()
        update_supply(state, UN, game.movement.multiplier(UN))
        samples.append(time.perf_counter() - t)
    state.units.arrays.update(saved[0])      # put back what 20 supply phases in a row changed
    state.sides[UN].update(saved[1])
    state.rng.bit_generator.state = saved[2]
    print(f"supply phase (trace + effects), one side: median {median_ms(samples):.2f} ms")

    ais = {UN: BaselineAI(UN, {"aggression": 0.5}),
           COMMUNIST: BaselineAI(COMMUNIST, {"aggression": 0.8, "attack_odds": 1.0})}
    samples = []
    for _ in range(12):
        t = time.perf_counter()
        start_turn = state.turn
        while not state.over and state.turn == start_turn:
            ais[state.active_side].play(game)
        samples.append(time.perf_counter() - t)
        if state.over:
            break
    print(f"whole turn, both sides, {len(state.units)} units, AI included: median {median_ms(samples):.1f} ms "
          f"(min {1000 * min(samples):.1f}, max {1000 * max(samples):.1f}; target < 50 ms)")


def campaign():
    """Per-turn time of the real campaign (events, supply and AI included), first 60 turns."""
    from game.sim.session import ai_players, new_game
    game = new_game("korea_1950_1953", seed=1)
    state = game.state
    players = ai_players(game)
    samples, units = [], []
    while not state.over and len(samples) < 60:
        t = time.perf_counter()
        start_turn = state.turn
        while not state.over and state.turn == start_turn:
            players[state.active_side].play(game)
        samples.append(time.perf_counter() - t)
        units.append(int(state.units.on_map().sum()))
    print(f"campaign ({state.scenario.map.n} hexes, {min(units)}-{max(units)} units on the map): "
          f"median {median_ms(samples):.1f} ms a turn, max {1000 * max(samples):.1f} ms over {len(samples)} turns")


if __name__ == "__main__":
    main()
    campaign()
