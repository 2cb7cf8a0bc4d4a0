"""The shape of each rule module's data in ``state.rules_state`` (plain JSON, saved and hashed).

A loaded game may come from a file someone edited, so each module's data is checked against its
model before the game goes on (:meth:`game.rules.module.RuleModule.check_state`); hexes are then
checked against the map by the module itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Num = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
Count = Annotated[int, Field(ge=-10**6, le=10**9)]
Hex = Annotated[int, Field(ge=0, le=10**8)]
Key = Annotated[str, Field(max_length=200)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PerSideNum(Model):
    un: Num
    communist: Num


class PerSideCount(Model):
    un: Count
    communist: Count


# --- weather ---------------------------------------------------------------------------------------
class WeatherState(Model):
    rolled: dict[Key, Key] = {}
    zones: dict[Key, Key] = {}
    air: dict[Key, Num] = {}
    main_zone: Key = ""
    air_main: Num = 1.0


# --- air -------------------------------------------------------------------------------------------
class AirTurn(Model):
    capacity: Count
    available: Count
    flown: Count
    alley: Count


class AirTurns(Model):
    un: AirTurn
    communist: AirTurn


class Mission(Model):
    side: Literal["un", "communist"]
    mission: Literal["cas", "interdiction"]
    target: Hex
    mode: Literal["attack", "defend", "area"]
    turn: Count
    cut: Num = 0


class AirState(Model):
    turn: AirTurns
    missions: list[Mission]


# --- the sea -----------------------------------------------------------------------------------------
class PortUse(Model):
    un: dict[Key, Num]
    communist: dict[Key, Num]


class NavalState(Model):
    gunfire_used: PerSideCount
    lift_used: PerSideNum
    port_used: PortUse
    last_landing: PerSideCount
    in_port: dict[Key, Annotated[list[Count], Field(min_length=2, max_length=2)]]


# --- replacements ------------------------------------------------------------------------------------
class LastReplacements(Model):
    points: Num
    rebuilt: Count
    reformed: Count


class Missing(Model):
    back: Count                           # the turn they rejoin
    unit: Key
    points: Num


class ReplacementState(Model):
    received: dict[Literal["un", "communist"], Num] = {}
    rebuilt: dict[Literal["un", "communist"], Count] = {}
    last: dict[Literal["un", "communist"], LastReplacements] = {}
    destroyed: dict[Key, Count] = {}
    missing: list[Missing] = []           # stragglers on their way back
    levies: dict[Key, Num] = {}           # each levy's pool (its index in the section's list)


# --- politics ------------------------------------------------------------------------------------------
class PoliticsState(Model):
    losses_seen: PerSideNum
    place_owner: list[Annotated[int, Field(ge=0, le=2)]]
    turn_costs: dict[Literal["un", "communist"], dict[Key, Num]]
    last_turn: dict[Literal["un", "communist"], dict[Key, Num]] = {}
    vp: dict[Literal["un", "communist"], dict[Key, Num]] = {}
    will_history: list[list[Key | Num]] = []
