"""The turn calendar: turn lengths in days that change by period, as the scenario sets them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


def parse_date(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    return dt.date.fromisoformat(str(text))


def in_dates(day: str | dt.date, first: str | dt.date | None = None, last: str | dt.date | None = None) -> bool:
    """Is ``day`` on or after ``first`` and on or before ``last`` (either left out: no bound)?
    Dates are ISO text or dates: the scenario data keeps its dates as text."""
    text = str(day)
    return (first is None or str(first) <= text) and (last is None or text <= str(last))


@dataclass(frozen=True)
class Calendar:
    """Turn ``i`` covers ``[starts[i], starts[i+1])``; the last turn ends on ``end``."""

    starts: tuple[dt.date, ...]
    end: dt.date

    @classmethod
    def build(cls, start: str | dt.date, end: str | dt.date, periods: Iterable[Mapping[str, Any]]) -> Calendar:
        """``periods``: list of ``{"from": date, "days": n}``, first one starting at ``start``."""
        start, end = parse_date(start), parse_date(end)
        spans = sorted(((parse_date(p["from"]), int(p["days"])) for p in periods), key=lambda p: p[0])
        if not spans or spans[0][0] > start:
            raise ValueError("the calendar must have a period starting on the start date")
        starts = []
        day = start
        k = 0
        while day <= end:
            while k + 1 < len(spans) and spans[k + 1][0] <= day:
                k += 1
            starts.append(day)
            day = day + dt.timedelta(days=spans[k][1])
        return cls(tuple(starts), end)

    def __len__(self) -> int:
        return len(self.starts)

    def turn_start(self, turn: int) -> dt.date:
        return self.starts[turn]

    def turn_end(self, turn: int) -> dt.date:
        """Last day covered by ``turn`` (inclusive)."""
        if turn + 1 < len(self.starts):
            return self.starts[turn + 1] - dt.timedelta(days=1)
        return self.end

    def turn_of(self, date: str | dt.date) -> int:
        """Index of the turn containing ``date`` (clamped to the first/last turn)."""
        date = parse_date(date)
        ords = np.array([d.toordinal() for d in self.starts])
        i = int(np.searchsorted(ords, date.toordinal(), side="right")) - 1
        return min(max(i, 0), len(self.starts) - 1)

    def days(self, turn: int) -> int:
        return (self.turn_end(turn) - self.turn_start(turn)).days + 1
