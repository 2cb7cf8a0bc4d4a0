"""Schema of the scenario's `naval:` section, read by game/rules/naval.py (docs/rules/naval.md).

The defaults here are the ones the rules use for a key the section leaves out; the shipped
numbers are in scenarios/rules/naval.yaml.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..types import NonNeg, Strict

Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]


class Gunfire(Strict):
    range: Count = 2                 # hexes from the sea a gunfire mission reaches
    shift: Count = 1                 # odds columns a mission gives (for the attack or against it)


class PortCapacity(Strict):
    default: NonNeg = 2              # stacking points a port can embark per turn
    ports: dict[str, NonNeg] = {}    # port place name -> its own capacity


class Landing(Strict):
    chance: Share = 0.8              # success chance of a landing on an unguarded beach
    enemy_adjacent: Share = 0.15     # less per enemy unit next to the beach
    gunfire_bonus: Share = 0.05      # more per gunfire mission the landing uses
    gunfire_missions: Count = 2      # most gunfire missions one landing uses
    min_chance: Share = 0.05
    max_chance: Share = 0.95
    failure_loss: Count = 2          # strength points a beaten-off landing loses
    preparation_turns: Annotated[int, Field(ge=0)] = 1   # whole turns in port before a landing
    search_radius: Count = 2         # scheduled landings: other beaches this near the arrival hex


class Evacuation(Strict):
    chance: Share = 0.5              # chance that sailing from a port next to the enemy costs
    loss: Count = 1                  # ...this many strength points


class AIPlan(Strict):
    landing_min_depth: Count = 6     # a beach at least this many hexes from our nearest unit
    landing_cooldown: Count = 8      # turns between two landings of one side
    landing_max_enemy_near: Count = 1   # enemy units within 2 hexes of the beach, at most
    landing_min_threat: NonNeg = 15  # enemy strength points whose supply line the beach cuts
    landing_min_chance: Share = 0.6  # do not try a landing less likely than this
    supply_slack: Count = 2          # hexes a beach may lie off a unit's straight supply line
    evacuate_out_of_supply: Annotated[int, Field(ge=1)] = 1   # turns out of supply before leaving a port
    evacuate_surrounded: Share = 0.67   # share of a port's land neighbours in enemy ZOC
    safe_distance: Count = 3         # a refuge port has no enemy unit this near


class Section(Strict):
    min_sea_hexes: Annotated[int, Field(ge=1)] = 12   # smaller bodies of sea are inlets ships cannot use
    gunfire: Gunfire = Gunfire()
    port_capacity: PortCapacity = PortCapacity()
    landing: Landing = Landing()
    evacuation: Evacuation = Evacuation()
    ai: AIPlan = AIPlan()
