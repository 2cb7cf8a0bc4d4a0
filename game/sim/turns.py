"""Which recorded turn shows the state of a game on a given day: the turns' start dates
(``state.history[i]["date"]``, ISO text) index ``game.owner_history``, whose entry ``i`` is
the ground at the end of turn ``i``."""

from __future__ import annotations

import numpy as np


def turn_on(dates, when: str) -> int:
    """The index of the last turn starting by ``when`` (-1 if none did)."""
    return int(np.searchsorted(np.asarray(dates, dtype="U10"), when, side="right")) - 1


def turn_showing(dates, when: str, last_day: str) -> int | None:
    """The turn that shows the game on ``when``; None before the first turn or after
    ``last_day`` (a scenario's last day). A game that ended early keeps its last state for the
    days after it, up to ``last_day``."""
    i = turn_on(dates, when)
    return None if i < 0 or when > last_day else i


def monthly_indices(dates) -> list:
    """The index of the first turn of each month, from the turns' ISO start dates."""
    out, seen = [], set()
    for i, d in enumerate(dates):
        if str(d)[:7] not in seen:
            seen.add(str(d)[:7])
            out.append(i)
    return out
