"""The distance between a game's front and the war's lines along each meridian, and the city
checks (game/sim/front_metric.py), on hand-built owner arrays; the shipped reference file."""

import datetime as dt
import math

import numpy as np
import pytest

from game.scenario.loader import load_reference, load_scenario_dict, validate_file
from game.scenario.reference import CityControl, FrontLine, Reference
from game.sim.arc import campaign_grid, front_reference, war_reference
from game.sim.front import front_spans
from game.sim.front_metric import (
    KM_PER_DEGREE,
    MeridianGrid,
    city_hexes,
    city_results,
    front_distances_km,
    front_km,
    front_km_in_force,
    front_km_on_dates,
    line_latitudes,
    line_mean_latitude,
    line_owner,
    mean_of_measured,
    share_right,
)
from game.sim.turns import turn_showing

U, C, sea = 1, 2, None


def _edges(n):
    return 124.5 + 0.25 * np.arange(n + 1)


def _grid(meridian_columns, cols):
    owner, lat, lon, korea = meridian_columns(cols)
    return owner, MeridianGrid.of(lat, lon, korea, edges=_edges(len(cols)))


def _day(text):
    return dt.date.fromisoformat(text)


def test_front_spans_say_where_the_front_may_run(meridian_columns):
    cols = [
        [U, U, U, U, C, C, C],              # 0: a front on land: one latitude
        [C, C, C, C],                       # 1: all Communist: the south coast
        [U, U, U],                          # 2: all UN: the northern end
        [sea, sea],                         # 3: no land: not measured
        [U, U, sea, sea, sea, C, C],        # 4: the sides face each other across water: the water
        [0, 0, 0],                          # 5: nobody's ground only: not measured
        [U, 0, 0],                          # 6: UN, then nobody's ground to the end
        [C, C, C, C, U],                    # 7: a UN pocket at the north end does not make a front
    ]
    owner, lat, lon, korea = meridian_columns(cols)
    s = front_spans(owner, lat, lon, korea, edges=_edges(len(cols)))
    assert s[0] == pytest.approx([37.35, 37.35])
    assert s[1] == pytest.approx([37.0, 37.0])
    assert s[2] == pytest.approx([37.2, 37.2])
    assert np.isnan(s[3]).all() and np.isnan(s[5]).all()
    assert s[4] == pytest.approx([37.1, 37.5])
    assert s[6] == pytest.approx([37.0, 37.2])
    assert s[7] == pytest.approx([37.0, 37.0])


def test_distance_along_each_meridian_and_the_median_of_a_date(meridian_columns):
    cols = [
        [U, U, U, U, C, C, C],              # front 37.35, line 37.55: 0.2 degree
        [C, C, C, C],                       # the line passes north of the land (all UN), the game all Communist
        [U, U, sea, sea, sea, C, C],        # the line crosses the water 0.05 degree north of it
        [0, 0, 0],                          # not measured
        [U, U, U, U, U],                    # both all UN: agrees, and left out of the median
    ]
    owner, grid = _grid(meridian_columns, cols)
    flat = [(37.55, 124.5), (37.55, 125.75)]
    d = front_distances_km(owner, grid, flat)
    assert d[:3] == pytest.approx([0.2 * KM_PER_DEGREE, 0.3 * KM_PER_DEGREE, 0.05 * KM_PER_DEGREE])
    assert np.isnan(d[3]) and d[4] == 0
    assert front_km(owner, grid, flat) == pytest.approx(0.2 * KM_PER_DEGREE)
    # A line covering only the first meridian measures only that one.
    assert front_km(owner, grid, [(37.55, 124.5), (37.55, 124.7)]) == pytest.approx(0.2 * KM_PER_DEGREE)


def test_a_meridian_all_communist_by_the_line_and_the_game_agrees(meridian_columns):
    owner, grid = _grid(meridian_columns, [[C, C, C], [U, U, C, C]])
    south_of_the_coast = [(34.0, 124.5), (34.0, 125.0)]
    assert front_distances_km(owner, grid, south_of_the_coast)[0] == 0
    # The second meridian: the game's front at 37.15, the line clamped to the coast (37.0).
    assert front_km(owner, grid, south_of_the_coast) == pytest.approx(0.15 * KM_PER_DEGREE)
    all_agree, grid1 = _grid(meridian_columns, [[C, C, C]])
    assert front_km(all_agree, grid1, south_of_the_coast) == 0.0
    nothing, grid0 = _grid(meridian_columns, [[sea, sea]])
    assert math.isnan(front_km(nothing, grid0, south_of_the_coast))



def test_a_bin_where_the_line_runs_along_the_meridian_is_not_measured(meridian_columns):
    col = [U, U, U, C, C, C, C, C]                          # 37.0-37.7 N: the front at 37.25
    owner, grid = _grid(meridian_columns, [col, col, col])
    # Flat on the south coast, then up a river across the second bin to the north end.
    river = [(37.0, 124.5), (37.0, 124.8), (37.7, 124.95), (37.7, 125.25)]
    d = front_distances_km(owner, grid, river)
    assert d[0] == pytest.approx(0.25 * KM_PER_DEGREE) and d[2] == pytest.approx(0.45 * KM_PER_DEGREE)
    assert np.isnan(d[1])                                   # 0.7 degree up inside the bin: no distance along it
    assert front_km(owner, grid, river) == pytest.approx(0.35 * KM_PER_DEGREE)
    gentle = [(37.0, 124.5), (37.0, 124.8), (37.4, 124.95), (37.7, 125.25)]   # 0.4 degree up: measured
    assert not np.isnan(front_distances_km(owner, grid, gentle)[1])

def test_a_line_between_its_points_and_as_the_fan_chart_measures_it(meridian_columns):
    lats = line_latitudes([(37.0, 125.0), (38.0, 126.0)], [124.9, 125.0, 125.5, 126.0, 126.1])
    assert np.isnan(lats[0]) and np.isnan(lats[-1])
    assert lats[1:4] == pytest.approx([37.0, 37.5, 38.0])
    owner, grid = _grid(meridian_columns, [[U, U, U, U], [C, C, C, C, C]])
    split = line_owner([(37.25, 124.5), (37.25, 125.0)], grid)
    assert split.tolist() == [U, U, U, C, U, U, U, C, C]
    assert line_mean_latitude([(37.25, 124.5), (37.25, 125.0)], grid) == pytest.approx(37.25)


def test_the_turn_that_shows_a_day():
    dates = ["1950-06-25", "1950-07-01", "1950-07-08"]
    assert turn_showing(dates, "1950-06-24", "1950-07-31") is None
    assert turn_showing(dates, "1950-06-30", "1950-07-31") == 0
    assert turn_showing(dates, "1950-07-20", "1950-07-31") == 2     # a game over early keeps its last state
    assert turn_showing(dates, "1950-08-01", "1950-07-31") is None


def _line(date, start, end, lat):
    return FrontLine(_day(date), f"line of {date}", _day(start), _day(end), ((lat, 124.5), (lat, 125.0)), "test")


def test_distances_on_reference_dates_and_with_the_line_standing(meridian_columns):
    owner, grid = _grid(meridian_columns, [[U, U, U, U, C, C, C]])            # front at 37.35
    history = [owner, np.full_like(owner, C)]                                 # then all Communist
    dates = ["1950-07-01", "1950-08-01"]
    early = _line("1950-07-03", "1950-07-01", "1950-07-10", 37.45)
    late = _line("1950-09-01", "1950-08-01", "1950-09-30", 34.0)
    km = front_km_on_dates([early, late], dates, history, grid, "1950-08-31")
    assert km[0] == pytest.approx(0.1 * KM_PER_DEGREE) and km[1] is None       # 1 September: after the game
    ref = Reference((early, late), (), ())
    standing = front_km_in_force(ref, dates, history, grid, [0, 1])
    assert standing[0][0] is early and standing[0][1] == pytest.approx(0.1 * KM_PER_DEGREE)
    assert standing[1] == (late, 0.0)
    assert front_km_in_force(Reference((late,), (), ()), dates, history, grid, [0]) == [(None, None)]
    assert mean_of_measured([10.0, None, float("nan"), 20.0]) == 15.0 and mean_of_measured([None]) is None


def test_city_checks_against_the_owner_history(meridian_columns):
    owner, grid = _grid(meridian_columns, [[U, U, C], [U, C, C]])
    town = CityControl("Town", 37.01, 124.6, (("un", _day("1950-06-25"), _day("1950-07-31")),
                                               ("communist", _day("1950-09-01"), _day("1951-12-31"))), "test")
    ref = Reference((), (town,), tuple(_day(d) for d in ("1950-07-01", "1950-08-15", "1950-10-01", "1951-02-01")))
    checks = ref.city_checks()
    assert [(c.date.isoformat(), c.side) for c in checks] == [("1950-07-01", "un"), ("1950-10-01", "communist"),
                                                               ("1951-02-01", "communist")]
    hexes = city_hexes(ref.cities, grid)
    assert hexes.tolist() == [0]                     # the nearest mainland hex: 37.0 N 124.6 E
    dates = ["1950-06-25", "1950-07-10", "1950-09-20"]
    history = [owner, owner, owner]                  # the town stays the UN's: wrong in October
    results = city_results(checks, hexes, dates, history, "1950-12-31")
    assert results == [True, False, None]            # February 1951: after the game
    assert share_right(results) == 0.5 and share_right([None]) is None


# ------------------------------------------------------------------------------ the shipped file

def test_the_shipped_reference_is_sound():
    war = war_reference()
    assert len(war.front_lines) == 8 and war.cities and war.check_dates
    for line in war.front_lines:
        lons = [lon for _, lon in line.points]
        assert lons[0] <= 124.5 and lons[-1] >= 130.0, line.name          # every meridian measured
        assert line.source.strip()
    bench = load_scenario_dict("scenarios/korea_1950_1953.yaml")[0]["victory"]["benchmark"]
    mdl = war.front_lines[-1]
    assert [list(p) for p in mdl.points] == bench["front_line"] and mdl.source == bench["source"]
    seoul = next(c for c in war.cities if c.name == "Seoul")
    assert seoul.holder_on(_day("1950-08-01")) == "communist" and seoul.holder_on(_day("1951-02-01")) == "communist"
    assert seoul.holder_on(_day("1951-06-01")) == "un"
    pyongyang = next(c for c in war.cities if c.name == "Pyongyang")
    assert pyongyang.holder_on(_day("1950-11-15")) == "un" and pyongyang.holder_on(_day("1951-01-15")) == "communist"


def test_each_line_measures_near_zero_against_itself_on_the_campaign_map():
    grid = campaign_grid()
    for line in war_reference().front_lines:
        assert front_km(line_owner(line.points, grid), grid, line.points) <= 5, line.name
    series = front_reference()
    assert len(series) == 8 and all(34.5 < lat < 42 for _, lat in series)


def test_the_cities_lie_on_the_mainland_near_their_coordinates():
    grid, war = campaign_grid(), war_reference()
    for city, h in zip(war.cities, city_hexes(war.cities, grid), strict=True):
        km = math.hypot((grid.lat[h] - city.lat) * KM_PER_DEGREE,
                        (grid.lon[h] - city.lon) * KM_PER_DEGREE * math.cos(math.radians(city.lat)))
        assert km < 10, city.name


BAD = """\
front_lines:
  - date: 1950-08-05
    name: Backwards
    from: 1950-08-01
    to: 1950-08-31
    points: [[36.0, 128.0], [36.2, 127.0]]
    source: a book
  - date: 1950-11-24
    name: No source
    from: 1950-11-30
    to: 1950-12-01
    points: [[40.0, 124.5], [41.0, 130.0]]
  - date: 1953-07-27
    name: Borrowed
    from: 1953-07-20
    to: 1953-07-27
    benchmark_of: no_such_scenario
cities:
  - name: Seoul
    lat: 37.5
    lon: 127.0
    held:
      - {side: communist, from: 1950-06-28, to: 1950-09-28}
      - {side: un, from: 1950-09-20, to: 1951-01-03}
    source: a book
city_check_dates: [1950-08-01, 1950-07-01]
"""


def test_a_bad_reference_file_gets_located_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    problems = {(p.line, p.message.split(":")[0]) for p in validate_file(path)}
    messages = " | ".join(p.message for p in validate_file(path))
    assert "west to east" in messages and (6, "front_lines.0.points") in problems
    assert "points need a source" in messages
    assert "city_check_dates" in messages and "periods must be in date order" in messages
    with_source = BAD.replace("    points: [[40.0", "    source: x\n    points: [[40.0")
    path.write_text(with_source.replace("[[36.0, 128.0], [36.2, 127.0]]", "[[36.0, 127.0], [36.2, 128.0]]")
                    .replace("from: 1950-11-30", "from: 1950-11-20").replace("1950-09-20", "1950-09-29")
                    .replace("[1950-08-01, 1950-07-01]", "[1950-07-01]"))
    problems = validate_file(path)
    assert len(problems) == 1 and problems[0].line == 18
    assert "no shipped scenario 'no_such_scenario'" in problems[0].message
    path.write_text(with_source)
    assert any("the date must lie between from and to" in p.message for p in validate_file(path))


def test_a_sources_strength_is_located_when_wrong_and_typed_when_right(tmp_path):
    path = tmp_path / "strengths.yaml"
    head = ("front_lines:\n  - {date: 1950-08-05, name: L, from: 1950-08-01, to: 1950-09-02, source: s,\n"
            "     points: [[34.0, 124.5], [36.0, 130.0]]}\nstrengths:\n")
    kpa = "  - {date: 1950-08-05, side: communist, nations: [KPA], men: %s, combat: %s, source: s}\n"
    path.write_text(head + kpa % (70, 98) + "  - {date: 1950-08-04, side: un, men: -1, source: s}\n")
    problems = validate_file(path)
    assert [p.line for p in problems] == [5, 6]
    assert "combat (98.0) is more than men (70.0)" in problems[0].message
    assert "strengths.1.men" in problems[1].message
    path.write_text(head + kpa % (98, 70) + "  - {date: 1950-08-04, side: un, men: 141.8, source: t}\n")
    kpa, un = load_reference(path).strengths
    assert (kpa.date, kpa.side, kpa.nations) == (_day("1950-08-05"), "communist", ("KPA",))
    assert (kpa.men, kpa.combat) == (98.0, 70.0)
    assert (un.nations, un.combat, un.source) == ((), None, "t")


def test_the_shipped_file_validates_and_loads_by_path(repo_root):
    path = repo_root / "scenarios" / "reference" / "korea_front_lines.yaml"
    assert validate_file(path) == []
    assert load_reference(path) == war_reference()
