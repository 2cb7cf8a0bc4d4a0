"""Schema of the scenario's `politics:` section, read by game/rules/politics.py, and of the
historical benchmark a scenario's `victory:` block may describe (read by game/rules/victory.py).

See docs/rules/politics.md for what every key means.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field

from ..schema import NonNeg, Positive, Strict, Text

TALKS_STATES = ("open", "suspended", "panmunjom", "line_agreed")


class PerSide(Strict):
    un: NonNeg = 0.0
    communist: NonNeg = 0.0


SideValue = Union[NonNeg, PerSide]          # one number for both sides, or {un: .., communist: ..}


class TalksCost(Strict):
    """Will each side loses per week while the talks are in that state (stalled)."""
    open: SideValue = 0.0
    suspended: SideValue = 0.0
    panmunjom: SideValue = 0.0
    line_agreed: SideValue = 0.0


class Will(Strict):
    per_loss: SideValue = 0.0                 # will lost per strength point the side loses
    per_city_vp_lost: SideValue = 0.0         # will lost per VP of a place the enemy takes
    per_city_vp_taken: SideValue = 0.0        # will gained per VP of a place taken from the enemy
    talks_per_week: Optional[TalksCost] = None
    offensive_during_talks: SideValue = 0.0   # will lost per attack made while the talks go on
    collapse_at: float = 0.0                  # a side whose will falls to this collapses


class Territory(Strict):
    south: NonNeg = 0.0                       # VP for holding all of the 1950 South
    north: NonNeg = 0.0                       # VP for holding all of the 1950 North


class VP(Strict):
    territory: Optional[Territory] = None
    losses_per_vp: Optional[Positive] = None  # enemy strength points lost per VP scored


class Section(Strict):
    will: Optional[Will] = None
    vp: Optional[VP] = None
    # flags set when a new game starts: the premise of a what-if (e.g. china_waits_for_yalu)
    start_flags: list[Text] = []


LatLon = list[float]


class Benchmark(Strict):
    """The historical outcome a scenario is scored against (``victory: {benchmark: {...}}``)."""
    front_line: list[LatLon] = Field(min_length=2)  # [lat, lon] west to east: UN holds the land south of it
    losses_ratio: Positive = 1.0              # Communist losses per UN loss in history
    events: Literal["historical", "none"] = "historical"   # add the VP of the deck's historical cards
    source: Text
    note: Optional[str] = None


def _benchmark_problems(data, source) -> list:
    """Check ``victory.benchmark`` when it is a mapping (a plain number needs no check)."""
    from ..schema import validate_part

    bench = (data.get("victory") or {}).get("benchmark")
    if not isinstance(bench, dict):
        return []
    path = ("victory", "benchmark")
    issues = validate_part(Benchmark, bench, path)
    out = [source.problem(i.path, i.message, key=i.key) for i in issues]
    if issues:
        return out
    pts = bench["front_line"]
    for i, p in enumerate(pts):
        if len(p) != 2 or not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180):
            out.append(source.problem(path + ("front_line", i), "must be [lat, lon] in degrees"))
        elif i and p[1] <= pts[i - 1][1]:
            out.append(source.problem(path + ("front_line", i),
                                      "the line runs west to east: each point's lon must be greater than the last"))
    return out




def register() -> None:
    """Add the benchmark check to every load and ``validate`` (idempotent). Called by the
    rules that read it (game/rules/victory.py); it cannot run at this module's import, which
    happens while the loader itself is still being imported."""
    from ..loader import register_check
    register_check(_benchmark_problems)
