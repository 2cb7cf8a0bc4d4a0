"""Schema of the scenario's `politics:` section, read by game/rules/politics.py, and of the
historical benchmark a scenario's `victory:` block may describe (read by game/rules/victory.py).

See docs/rules/politics.md for what every key means.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..types import LatLon, NonNeg, Positive, Strict, Text, west_to_east

TALKS_STATES = ("open", "suspended", "panmunjom", "line_agreed")


class PerSide(Strict):
    un: NonNeg = 0.0
    communist: NonNeg = 0.0


SideValue = NonNeg | PerSide          # one number for both sides, or {un: .., communist: ..}


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
    talks_per_week: TalksCost = TalksCost()
    offensive_during_talks: SideValue = 0.0   # will lost per attack made while the talks go on
    collapse_at: float = 0.0                  # a side whose will falls to this collapses


class Territory(Strict):
    south: NonNeg = 0.0                       # VP for holding all of the 1950 South
    north: NonNeg = 0.0                       # VP for holding all of the 1950 North


class VP(Strict):
    territory: Territory = Territory()
    losses_per_vp: Positive | None = None  # enemy strength points lost per VP scored


class Section(Strict):
    will: Will = Will()
    vp: VP = VP()
    # flags set when a new game starts: the premise of a what-if (e.g. china_waits_for_yalu)
    start_flags: list[Text] = []


class Benchmark(Strict):
    """The historical outcome a scenario is scored against (``victory: {benchmark: {...}}``)."""
    front_line: list[LatLon] = Field(min_length=2)  # [lat, lon] west to east: UN holds the land south of it
    losses_ratio: Positive = 1.0              # Communist losses per UN loss in history
    events: Literal["historical", "none"] = "historical"   # add the VP of the deck's historical cards
    source: Text
    # What the outcome is, for the result line ("26 VP better than NAME"); none: history. A
    # what-if scored against an outcome history never had names it.
    name: Text | None = None
    note: str | None = None

    @field_validator("front_line")
    @classmethod
    def _west_to_east(cls, points):
        return west_to_east(points)
