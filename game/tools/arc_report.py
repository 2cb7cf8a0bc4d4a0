"""How the front moved, against the war as it was: tables from a ``simulate --history`` file.

    python -m game.tools.arc_report HISTORY.npz [--every month|turn]

For the first turn of each month (or every turn): the share of South Korea (the 1950 southern
region) held by the Communist side, the share of North Korea held by the UN, and the distance
of the front from the reference line standing then (median km over the meridians, see
game/sim/front_metric.py). Then the distance on each reference line's own date, and the city
checks (who held each key city on each check date, against the record).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ..sim.arc import KOREAN_REGIONS, held_shares, korea_halves, war_reference
from ..sim.front_metric import (
    MeridianGrid,
    city_hexes,
    city_results,
    front_km_in_force,
    front_km_on_dates,
    share_right,
)
from ..sim.turns import monthly_indices


def arc_rows(history, every: str = "month") -> list:
    """[(date, communist share of the south, UN share of the north)] from a loaded history."""
    dates = [str(d) for d in history["dates"]]
    south, north = korea_halves(history["land"], history["region"])
    return [(dates[i], *held_shares(history["owner"][i], south, north)) for i in _turns(dates, every)]


def front_rows(history, every: str = "month") -> list:
    """[(date, name of the line standing then or None, median km or None)]."""
    dates = [str(d) for d in history["dates"]]
    turns = _turns(dates, every)
    measured = front_km_in_force(war_reference(), dates, history["owner"], _grid(history), turns)
    return [(dates[i], None if line is None else line.name, km) for i, (line, km) in zip(turns, measured, strict=True)]


def reference_rows(history) -> list:
    """[(date, line name, median km or None)] for each reference line on its own date."""
    dates = [str(d) for d in history["dates"]]
    lines = war_reference().front_lines
    km = front_km_on_dates(lines, dates, history["owner"], _grid(history), _last_day(history))
    return [(line.date.isoformat(), line.name, d) for line, d in zip(lines, km, strict=True)]


def city_rows(history) -> list:
    """[(date, city, side on record, right?)] for each city check the game's span covers."""
    war = war_reference()
    dates = [str(d) for d in history["dates"]]
    checks = war.city_checks()
    right = city_results(checks, city_hexes(war.cities, _grid(history)), dates, history["owner"],
                         _last_day(history))
    return [(c.date.isoformat(), war.cities[c.city].name, c.side, r)
            for c, r in zip(checks, right, strict=True) if r is not None]


def _turns(dates, every: str):
    return monthly_indices(dates) if every == "month" else list(range(len(dates)))


def _grid(history) -> MeridianGrid:
    """The mainland of the history's map; older files without ``korea`` count all Korean land
    (islands too)."""
    korea = (history["korea"] if "korea" in _names(history)
             else history["land"] & np.isin(history["region"], KOREAN_REGIONS))
    return MeridianGrid.of(history["lat"], history["lon"], korea)


def _last_day(history) -> str:
    """The scenario's last day; older files: the last turn's start."""
    return str(history["last_day"]) if "last_day" in _names(history) else str(history["dates"][-1])


def _names(history):
    return history.files if hasattr(history, "files") else history.keys()


def _km(v) -> str:
    return "-" if v is None or np.isnan(v) else f"{v:.0f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m game.tools.arc_report", description=__doc__.split("\n")[0])
    ap.add_argument("history", help="an .npz written by `python main.py simulate ... --history`")
    ap.add_argument("--every", choices=("month", "turn"), default="month")
    args = ap.parse_args(argv)
    try:
        with np.load(args.history, allow_pickle=False) as h:
            if "region" not in h.files:
                print(f"{args.history}: no region array (written by an older version): run simulate again",
                      file=sys.stderr)
                return 1
            rows = zip(arc_rows(h, args.every), front_rows(h, args.every), strict=True)
            on_dates, cities = reference_rows(h), city_rows(h)
    except (OSError, ValueError, KeyError) as exc:
        print(f"{args.history}: not a history file ({exc})", file=sys.stderr)
        return 1
    print("| date | Communists hold of South Korea | UN holds of North Korea | front from the war's line, km "
          "| the line standing then |")
    print("|---|---|---|---|---|")
    for (d, south, north), (_, line, km) in rows:
        print(f"| {d} | {south:.0%} | {north:.0%} | {_km(km)} | {line or '-'} |")
    print("\n| reference date | line | front from it, km (median over the meridians) |")
    print("|---|---|---|")
    for d, name, km in on_dates:
        print(f"| {d} | {name} | {_km(km)} |")
    right = share_right([r for *_, r in cities])
    print(f"\nCity checks right: {'-' if right is None else f'{right:.0%}'} of {len(cities)}")
    print("| date | city | held by (record) | in this game |")
    print("|---|---|---|---|")
    for d, city, side, ok in cities:
        print(f"| {d} | {city} | {side} | {'right' if ok else 'WRONG'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
