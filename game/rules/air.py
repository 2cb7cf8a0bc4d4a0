"""Air power: each side's missions per turn, close air support, interdiction and their limits.

A side's capacity is ``state.sides[side]["air_missions"]`` (event cards change it). At the
side's ``air`` hook its missions of the last turn end and it gets ``capacity x weather air
factor`` missions for this turn; it flies them in its operations phase with AirMission orders:

* ``cas`` over an enemy hex: this side's attacks on it get ``cas.attack_columns`` more odds
  columns; over one of its own hexes: enemy attacks on it, until this side's next air phase,
  get ``cas.defense_columns`` fewer (the module's ``attack_shift``);
* ``interdiction`` over a hex: every hex within ``interdiction.radius`` costs the enemy
  ``movement_multiplier`` times as much to enter (a movement layer, which the enemy's supply
  trace uses too) and the enemy's supply capacity drops by ``supply_cut`` (up to
  ``max_supply_cut``), until this side's next air phase. When the mission ends, each enemy
  unit caught in the open there (it moved in its last phase: not dug in) loses a strength point
  with chance ``attrition[side]`` times its nation's ``exposure``: columns strafed on the roads.

A side named in ``air_war_only`` has its missions (they make MiG Alley's cap) but flies none of
them over the ground war: it has no missions left to order.

Limits, each refused with its reason: no mission over the regions of ``restricted`` while the
side has ``restricted.action`` (strike_north_of_yalu) forbidden; from ``mig_alley.from`` on, at
most ``mig_alley.max_un_missions`` UN missions a turn inside the MiG Alley box; the n-th
mission of a turn flies only where ``round(capacity x air factor) >= n`` (bad weather closes
the sky there first).

All mission state lives in ``state.rules_state["air"]`` (plain JSON)::

    {"turn": {side: {"capacity", "available", "flown", "alley"}},
     "missions": [{"side", "mission", "target", "mode", "turn", "cut"}]}

``mode`` is "attack" or "defend" for cas, "area" for interdiction; ``cut`` is the supply
capacity an interdiction took from the enemy (given back when the mission ends).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..engine.mapdata import REGION
from ..engine.orders import AirMission, OrderResult
from ..engine.units import COMMUNIST, SIDE_CODES, SIDE_NAMES, UN, enemy_of
from . import weather
from .combat import take_losses
from .module import AttackContext, RuleModule, given
from .placement import where_is
from .state_models import AirState

MISSIONS = ("cas", "interdiction")
LAYER = "air_interdiction_{}"        # movement layer set by a side's interdiction (on the enemy)
SIDE_WORD = {UN: "UN", COMMUNIST: "Communist"}


# ------------------------------------------------------------------------------ the module

class AirRules(RuleModule):
    """Each side's air phase (its missions renewed) and the AirMission orders."""

    name = "air"
    STATE = AirState
    ORDERS = {AirMission.kind: "fly"}

    def check_state(self) -> None:
        super().check_state()
        n = self.state.map.n
        if any(m["target"] >= n for m in self.state.rules_state.get("air", {}).get("missions", [])):
            raise ValueError("rules_state.air.missions: a target is off the map")

    @classmethod
    def applies(cls, scenario) -> bool:
        return given(scenario.config.air)

    def __init__(self, game):
        super().__init__(game)
        self.cfg = game.state.scenario.config.air

    def setup(self) -> None:
        st = self.state
        if st.phase == "setup" and "air" not in st.rules_state:
            _start_capacity(self.game)
        _apply_layers(self.game)          # a loaded game: the interdiction still in force

    def air(self, side: int) -> None:
        air_phase(self.game, side)

    def attack_shift(self, ctx: AttackContext) -> int:
        return cas_shift(self.game, ctx.side, ctx.rows, ctx.target)

    def fly(self, side: int, order) -> OrderResult:
        return fly(self.game, side, order)


def config(game):
    """The air rules' settings: the scenario's ``air:`` section."""
    return game.rule(AirRules).cfg


def _start_capacity(game) -> None:
    """A scenario that gives a side no ``air_missions`` starts it at the baseline of its start date."""
    st = game.state
    sides = st.scenario.data.get("sides") or {}
    start = st.scenario.calendar.turn_start(0).isoformat()
    entries = [e for e in config(game).baseline if e.from_ <= start]
    for side in (UN, COMMUNIST):
        name = SIDE_NAMES[side]
        if entries and "air_missions" not in (sides.get(name) or {}):
            st.sides[side]["air_missions"] = getattr(entries[-1], name)
    st.rules_state["air"] = _empty_state()


def _empty_state() -> dict:
    return {"turn": {name: {"capacity": 0, "available": 0, "flown": 0, "alley": 0}
                     for name in SIDE_CODES}, "missions": []}


def air_state(state) -> dict:
    return state.rules_state.setdefault("air", _empty_state())


# ------------------------------------------------------------------------------ capacity

def capacity(state, side: int) -> int:
    """Missions a turn the side has (cards change ``air_missions``; never below 0)."""
    return max(0, int(round(float(state.sides[side].get("air_missions", 0)))))


def weather_air_factor(game, hexes=None) -> np.ndarray:
    """Share of the air missions that can fly over each of ``hexes`` (default: every hex) in
    this turn's weather: game/rules/weather.py publishes it by zone; 1.0 without weather rules."""
    hexes = np.arange(game.state.map.n) if hexes is None else np.atleast_1d(np.asarray(hexes))
    return np.asarray(weather.air_factor_at(game, hexes), dtype=float)


def air_phase(game, side: int) -> None:
    """The side's air phase: its missions of last turn end, this turn's become available."""
    st = game.state
    air = air_state(st)
    name = SIDE_NAMES[side]
    ending = [m for m in air["missions"] if m["side"] == name]
    air_toll(game, side, ending)
    for m in ending:
        st.sides[enemy_of(side)]["supply_capacity"] += m.get("cut", 0)
    air["missions"] = [m for m in air["missions"] if m["side"] != name]
    cap = capacity(st, side)
    best = float(weather_air_factor(game).max()) if cap else 0.0
    available = 0 if air_war_only(game, side) else _share(cap, best)
    air["turn"][name] = {"capacity": cap, "available": available, "flown": 0, "alley": 0}
    _apply_layers(game)


def air_toll(game, side: int, missions) -> int:
    """The toll of ``side``'s ending interdiction ``missions`` on the enemy's units in the open:
    each one inside a mission's area that is not dug in (it moved in its last phase) loses a
    strength point with chance ``interdiction.attrition[side]`` x its nation's ``exposure``, one
    roll a mission. Returns the points lost."""
    if not takes_toll(game, side):
        return 0
    cfg = config(game).interdiction
    share = cfg.attrition[SIDE_NAMES[side]]
    st = game.state
    u = st.units
    disks = st.map.grid.disks(int(cfg.radius))
    exposure = cfg.exposure_on(st.date.isoformat())
    lost = 0
    for m in missions:
        if m["mode"] != "area":
            continue
        area = disks[m["target"]]
        rows = u.rows_on_map(enemy_of(side))
        rows = rows[np.isin(u.hex[rows], area[area >= 0]) & (u.entrench[rows] == 0)]
        if rows.size == 0:
            continue
        chance = share * np.array([exposure.get(u.nations[r], 1.0) for r in rows])
        hit = rows[st.rng.random(rows.size) < chance]
        for r in hit:
            lost += take_losses(st, [int(r)], 1)
        if hit.size:
            names = ", ".join(u.names[r] for r in hit)
            st.say(f"{SIDE_WORD[side]} air: the interdiction {where_is(st.map, m['target'])} "
                   f"catches {names} in the open")
    return lost


def takes_toll(game, side: int) -> bool:
    """Do ``side``'s interdiction missions take a toll of enemy units in the open?"""
    return config(game).interdiction.attrition.get(SIDE_NAMES[side], 0.0) > 0


def air_war_only(game, side: int) -> bool:
    """Do ``side``'s aircraft fight only for the air (``air_war_only``), never over the ground war?"""
    cfg = config(game).air_war_only
    return cfg is not None and SIDE_NAMES[side] in cfg.sides


def _share(cap: int, factor: float) -> int:
    return int(np.floor(cap * factor + 0.5))


def missions_left(state, side: int) -> int:
    t = air_state(state)["turn"][SIDE_NAMES[side]]
    return max(0, int(t["available"]) - int(t["flown"]))


# ------------------------------------------------------------------------------ orders

def fly(game, side: int, order) -> OrderResult:
    """The AirMission order handler: check every limit, then fly the mission."""
    st = game.state
    why, mode = _refusal(game, side, order)
    if why:
        return OrderResult(False, why)
    air = air_state(st)
    name = SIDE_NAMES[side]
    target = int(order.target)
    mission = {"side": name, "mission": order.mission, "target": target, "mode": mode, "turn": st.turn}
    t = air["turn"][name]
    t["flown"] += 1
    t["alley"] += int(_in_mig_alley(game, target))
    if order.mission == "interdiction":
        mission["cut"] = _supply_cut(game, side)
        st.sides[enemy_of(side)]["supply_capacity"] -= mission["cut"]
    air["missions"].append(mission)
    if order.mission == "interdiction":
        _apply_layers(game, (side,))
    what = {"attack": "close support for the attack", "defend": "close support for the defence",
            "area": "interdiction"}[mode]
    st.say(f"{SIDE_WORD[side]} air: {what} {where_is(st.map, target)}")
    return OrderResult(True, details={"mission": order.mission, "mode": mode, "target": target,
                                      "left": missions_left(st, side)})


def _refusal(game, side: int, order) -> tuple[str, str]:
    """(why the mission cannot fly, "" if it can; its mode: attack/defend/area)."""
    st, cfg = game.state, config(game)
    m = st.map
    if order.mission not in MISSIONS:
        return f"unknown air mission {order.mission!r}: fly 'cas' or 'interdiction'", ""
    try:
        target = int(order.target)
    except (TypeError, ValueError):
        return f"the target must be a hex number, not {order.target!r}", ""
    if not 0 <= target < m.n:
        return "that hex is off the map", ""
    if not m.land[target]:
        return "there is nothing to strike at sea: pick a land hex", ""
    t = air_state(st)["turn"][SIDE_NAMES[side]]
    if air_war_only(game, side):
        return (f"the {SIDE_WORD[side]} aircraft fight only for the air over the north (MiG Alley): "
                "they fly no close support or interdiction"), ""
    if t["flown"] >= t["available"]:
        if t["capacity"] > t["available"]:
            return (f"no missions left this turn: the weather lets {t['available']} of "
                    f"{t['capacity']} fly, and all have flown"), ""
        return f"no missions left this turn (all {t['available']} have flown)", ""
    region = m.region[target]
    closed = [REGION[r] for r in cfg.restricted.regions]
    if region in closed and cfg.restricted.action in st.sides[side]["forbidden"]:
        return (f"missions over {_region_word(int(region))} are forbidden "
                f"({cfg.restricted.action.replace('_', ' ')} is not allowed)"), ""
    factor = float(weather_air_factor(game, target)[0])
    if _share(t["capacity"], factor) < t["flown"] + 1:
        return (f"{_weather_words(game, target)} lets only {_share(t['capacity'], factor)} of "
                f"{t['capacity']} missions fly there this turn, and {t['flown']} have flown"), ""
    if side == UN and _in_mig_alley(game, target) and _alley_active(game):
        cap = cfg.mig_alley.max_un_missions
        if t["alley"] >= cap:
            return (f"MiG Alley: the MiGs allow at most {cap} UN missions a turn between the "
                    f"Chongchon and the Yalu, and {t['alley']} have flown there"), ""
    if order.mission == "interdiction":
        return "", "area"
    u = st.units
    if len(u.at_hex(target, enemy_of(side))):
        mode = "attack"
    elif len(u.at_hex(target, side)):
        mode = "defend"
    else:
        return "close air support needs troops there: enemy units to attack or yours to defend", ""
    already = sum(1 for x in air_state(st)["missions"]
                  if x["side"] == SIDE_NAMES[side] and x["target"] == target and x["mode"] == mode)
    if already >= cfg.cas.max_per_hex:
        return f"{already} close support missions already fly over that hex: more would add nothing", ""
    return "", mode


def _weather_words(game, h: int) -> str:
    """'the snow over north_korea' (the weather module's zone and condition), or 'the weather'."""
    zone = weather.zone_at(game, h)
    cond = game.state.rules_state.get("weather", {}).get("zones", {}).get(zone)
    return f"the {cond.replace('_', ' ')} over {zone.replace('_', ' ')}" if zone and cond else "the weather"


def _region_word(code: int) -> str:
    return {REGION["china"]: "China", REGION["ussr"]: "the Soviet Union"}.get(code, "that region")


def _supply_cut(game, side: int) -> float:
    cfg = config(game).interdiction
    taken = sum(x.get("cut", 0) for x in air_state(game.state)["missions"] if x["side"] == SIDE_NAMES[side])
    return int(max(0, min(cfg.supply_cut, cfg.max_supply_cut - taken)))


# ------------------------------------------------------------------------------ MiG Alley

def _alley_active(game) -> bool:
    cfg = config(game).mig_alley
    st = game.state
    if cfg is None or st.date < dt.date.fromisoformat(cfg.from_):
        return False
    return not cfg.needs_communist_air or capacity(st, COMMUNIST) > 0


def mig_alley_mask(game) -> np.ndarray:
    """(n,) bool: the hexes inside the MiG Alley box (all False without one)."""
    g = game.state.map.grid
    cfg = config(game).mig_alley
    if cfg is None:
        return np.zeros(g.n, dtype=bool)
    b = cfg.box
    return (g.lat >= b.lat_south) & (g.lat <= b.lat_north) & (g.lon >= b.lon_west) & (g.lon <= b.lon_east)


def _in_mig_alley(game, h: int) -> bool:
    cfg = config(game).mig_alley
    if cfg is None:
        return False
    g, b = game.state.map.grid, cfg.box
    return bool(b.lat_south <= g.lat[h] <= b.lat_north and b.lon_west <= g.lon[h] <= b.lon_east)


# ------------------------------------------------------------------------------ effects

def cas_shift(game, side: int, rows, target: int) -> int:
    """Odds columns from close air support on an attack by ``side`` on ``target``."""
    cfg = config(game).cas
    missions = air_state(game.state)["missions"]
    ours = sum(1 for m in missions if m["side"] == SIDE_NAMES[side] and m["target"] == target
               and m["mode"] == "attack")
    theirs = sum(1 for m in missions if m["side"] == SIDE_NAMES[enemy_of(side)] and m["target"] == target
                 and m["mode"] == "defend")
    return (min(ours, cfg.max_per_hex) * cfg.attack_columns
            - min(theirs, cfg.max_per_hex) * cfg.defense_columns)


def interdicted(game, side: int) -> np.ndarray:
    """(n,) bool: hexes under ``side``'s interdiction (areas around its missions' targets)."""
    st = game.state
    g = st.map.grid
    targets = [m["target"] for m in air_state(st)["missions"]
               if m["side"] == SIDE_NAMES[side] and m["mode"] == "area"]
    mask = np.zeros(g.n, dtype=bool)
    if targets:
        area = g.disks(int(config(game).interdiction.radius))[np.asarray(targets)]
        mask[area[area >= 0]] = True
    return mask


def _apply_layers(game, sides=(UN, COMMUNIST)) -> None:
    """Movement layers from the interdiction in force: one for each side's missions, on the
    enemy (for ``sides``' missions: a new mission changes its own side's layer only)."""
    mult = config(game).interdiction.movement_multiplier
    for side in sides:
        area = interdicted(game, side)
        layer = np.where(area, mult, 1.0) if area.any() else None
        game.movement.set_layer(LAYER.format(SIDE_NAMES[side]), layer, side=enemy_of(side))


def closed_to_missions(game, side: int) -> np.ndarray:
    """(n,) bool: hexes ``side``'s aircraft may not fly over now (``restricted`` regions while
    its action is forbidden)."""
    st = game.state
    cfg = config(game).restricted
    if cfg.action not in st.sides[side]["forbidden"]:
        return np.zeros(st.map.n, dtype=bool)
    return np.isin(st.map.region, [REGION[x] for x in cfg.regions])


__all__ = ["AirRules", "air_phase", "air_state", "air_toll", "air_war_only", "capacity", "cas_shift",
           "closed_to_missions", "fly", "interdicted", "mig_alley_mask", "missions_left", "takes_toll",
           "weather_air_factor"]
