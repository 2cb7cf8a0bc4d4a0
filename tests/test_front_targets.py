"""The campaign's target table (game/tools/front_targets.py) on hand-made batch rows."""

import datetime as dt

from game.sim.arc import war_reference
from game.tools import front_targets as ft


def _row(winner, month_km, checks=None, front_km=None, margin=None, seed=None):
    dates = [dt.date(1950, 7, 1), dt.date(1950, 8, 3), dt.date(1951, 7, 6), dt.date(1952, 1, 11)]
    return {"winner": winner, "front_dates": dates, "front_month_km": month_km, "city_checks": checks,
            "front_km": front_km, "margin_vs_history": margin, "seed": seed, "scenario": "korea_1950_1953"}


def test_checkpoints_take_the_median_over_seeds_and_skip_months_without_a_line():
    runs = [_row("draw", [10.0, None, 20.0, 14.0]), _row("draw", [30.0, None, 10.0, 16.0]),
            _row("un", [50.0, None, 12.0, float("nan")])]
    points = ft.checkpoints(runs)
    assert [(d.isoformat(), km, n) for d, km, n in points] == [
        ("1950-07-01", 30.0, 3), ("1951-07-06", 12.0, 3), ("1952-01-11", 15.0, 2)]


def test_periods_pass_at_their_own_limits():
    points = [(dt.date(1950, 7, 1), 40.0, 3), (dt.date(1950, 9, 1), 41.0, 3),
              (dt.date(1951, 7, 6), 15.0, 3), (dt.date(1952, 1, 11), 15.5, 3)]
    assert ft.period_shares(points) == {"early": (1, 2), "late": (1, 2)}


def test_result_shares_count_no_winner_as_a_draw():
    runs = [_row("un", []), _row(None, []), _row("draw", []), _row("communist", [])]
    assert ft.result_shares(runs) == {"un": 0.25, "draw": 0.5, "communist": 0.25}


def test_city_targets_read_the_reference_checks():
    war = war_reference()
    checks = war.city_checks()
    names = [war.cities[c.city].name for c in checks]
    naktong = next(i for i, line in enumerate(war.front_lines) if line.date == ft.NAKTONG_LINE)
    good = [True] * len(checks)
    bad_seoul = list(good)
    late_seoul = [j for j, c in enumerate(checks) if names[j] == "Seoul" and c.date >= ft.SEOUL_FROM]
    bad_seoul[late_seoul[-1]] = False
    km_ok = [0.0] * len(war.front_lines)
    km_far = list(km_ok)
    km_far[naktong] = 60.0
    runs = [_row("draw", [], good, km_ok, seed=1), _row("draw", [], bad_seoul, km_far, seed=2)]
    assert ft.city_targets(runs, war) == {"seoul": (1, 2), "naktong": (1, 2), "pyongyang": (2, 2)}
    last = checks[late_seoul[-1]].date
    assert ft.city_misses(runs, war) == {"seoul": [(2, f"missed {last}")], "naktong": [(2, "60 km")],
                                         "pyongyang": []}
    text = ft.misses_text(runs, war)
    assert "python main.py simulate korea_1950_1953 --seed N" in text
    assert f"- seoul: 2 (missed {last})" in text and "- naktong: 2 (60 km)" in text
    assert "pyongyang" not in text
    assert ft.misses_text(runs[:1], war) == ""


def test_each_city_target_on_blocks_of_seeds_shows_how_robust_it_is():
    war = war_reference()
    naktong = next(i for i, line in enumerate(war.front_lines) if line.date == ft.NAKTONG_LINE)
    checks = [True] * len(war.city_checks())

    def run(seed, km):
        front_km = [0.0] * len(war.front_lines)
        front_km[naktong] = km
        return _row("draw", [], checks, front_km, seed=seed)

    far = {3, 5, 6, 7, 9}                       # misses: one in seeds 1-4, three in 5-8, one in 9-10
    runs = [run(seed, 60.0 if seed in far else 10.0) for seed in range(10, 0, -1)]
    assert ft.sample_counts(runs, war, size=4) == {"seoul": [4, 4], "naktong": [3, 1], "pyongyang": [4, 4]}
    line = ft.samples_line(runs, war, size=4)
    assert "naktong in 0 of 2 (fewest 1/4)" in line and "seoul in 2 of 2 (fewest 4/4)" in line
    assert ft.samples_line(runs[:7], war, size=4) == ""        # one whole block: nothing to compare
    assert "naktong in 1 of 5 (fewest 0/2)" in ft.samples_line(runs, war, size=2)   # 2, 1, 0, 1, 1 of 2


def test_table_prints_every_target():
    runs = [_row("draw", [10.0, None, 20.0, 14.0], front_km=[], margin=-3.0)]
    text = ft.table(runs)
    assert "| 1951-07-06 | 20 | 15 | 1 | NO |" in text
    assert "results: UN 0%, draw 100%, Communist 0%" in text
    assert "median -3.0" in text


def test_meridian_offsets_give_the_median_signed_distance_on_each_meridian():
    import math

    from game.sim.arc import campaign_grid
    from game.sim.front_metric import KM_PER_DEGREE, reference_latitudes

    war, grid = war_reference(), campaign_grid()
    mdl = war.front_lines[-1]
    ref = reference_latitudes(grid, mdl.points)
    bins = [b for b in range(len(ref)) if not math.isnan(ref[b])]
    day = dt.date(1953, 7, 10)                           # the last monthly checkpoint, 17 days before

    def run(shift, gap=None):
        lat = [float("nan") if math.isnan(r) else r + shift for r in ref]
        if gap is not None:
            lat[gap] = float("nan")                      # the whole meridian on one side
        return {"front_dates": [day], "front_lat": [lat]}

    runs = [run(0.1), run(0.1, gap=bins[0]), run(-0.2, gap=bins[0])]
    line, when, vals = ft.meridian_offsets(runs, war, grid)[-1]
    assert line is mdl and when == day
    assert abs(vals[bins[1]] - 0.1 * KM_PER_DEGREE) < 1e-6     # the median of +11, +11 and -22 km
    assert vals[bins[0]] is None                         # one run of three has a front there
    text = ft.offsets_table(runs, war, grid)
    assert f"| 1953-07-27 The Military Demarcation Line | {day} |" in text and "+11" in text


def test_several_batches_read_as_one(tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, winner in (("a", "un"), ("b", "communist")):
        (tmp_path / name).mkdir()
        row = {"status": "ok", "scenario": "korea_1950_1953", "winner": winner, "front_dates": [],
               "front_month_km": [], "city_checks": [], "front_km": [], "margin_vs_history": None}
        pq.write_table(pa.Table.from_pylist([row]), tmp_path / name / "runs.parquet")
    assert ft.main([str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "results: UN 50%, draw 0%, Communist 50%" in capsys.readouterr().out
