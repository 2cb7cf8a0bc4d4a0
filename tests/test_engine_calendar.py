import datetime as dt

import pytest

from game.engine.calendar import Calendar, in_dates


def test_turn_lengths_change_by_period():
    cal = Calendar.build("1950-06-25", "1950-08-01", [{"from": "1950-06-25", "days": 3},
                                                       {"from": "1950-07-10", "days": 7}])
    starts = [d.isoformat() for d in cal.starts]
    assert starts[:6] == ["1950-06-25", "1950-06-28", "1950-07-01", "1950-07-04", "1950-07-07", "1950-07-10"]
    assert starts[6:] == ["1950-07-17", "1950-07-24", "1950-07-31"]
    assert cal.turn_end(0) == dt.date(1950, 6, 27)
    assert cal.turn_end(len(cal) - 1) == dt.date(1950, 8, 1)
    assert cal.days(5) == 7


def test_turn_of_date():
    cal = Calendar.build("1950-06-25", "1950-07-20", [{"from": "1950-06-25", "days": 3}])
    assert cal.turn_of("1950-06-25") == 0
    assert cal.turn_of("1950-06-27") == 0
    assert cal.turn_of("1950-06-28") == 1
    assert cal.turn_of("1949-01-01") == 0
    assert cal.turn_of("1999-01-01") == len(cal) - 1


def test_calendar_needs_a_period_from_the_start():
    with pytest.raises(ValueError):
        Calendar.build("1950-06-25", "1950-07-20", [{"from": "1950-07-01", "days": 3}])


def test_in_dates_bounds_are_inclusive_and_optional():
    day = dt.date(1950, 9, 14)
    assert in_dates(day, "1950-09-14", "1950-09-14") and in_dates("1950-09-14")
    assert in_dates(day, None, "1950-09-15") and in_dates(day, "1950-06-25", None)
    assert not in_dates(day, "1950-09-15") and not in_dates(day, None, "1950-09-13")
