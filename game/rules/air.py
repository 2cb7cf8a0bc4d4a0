"""Air power: each side's missions per turn, close air support, interdiction and their limits.

A side's capacity is ``state.sides[side]["air_missions"]`` (event cards change it). At the
side's ``air`` hook its missions of the last turn end and it gets ``capacity x weather air
factor`` missions for this turn; it flies them in its operations phase with AirMission orders:

* ``cas`` over an enemy hex: this side's attacks on it get ``cas.attack_columns`` more odds
  columns; over one of its own hexes: enemy attacks on it, until this side's next air phase,
  get ``cas.defense_columns`` fewer (through ``game.shift_sources``);
* ``interdiction`` over a hex: every hex within ``interdiction.radius`` costs the enemy
  ``movement_multiplier`` times as much to enter (a movement layer, which the enemy's supply
  trace uses too) and the enemy's supply capacity drops by ``supply_cut`` (up to
  ``max_supply_cut``), until this side's next air phase.

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
from ..scenario.sections.air import Section
from . import combat

MISSIONS = ("cas", "interdiction")
LAYER = "air_interdiction_{}"        # movement layer set by a side's interdiction (on the enemy)
SIDE_WORD = {UN: "UN", COMMUNIST: "Communist"}


# ------------------------------------------------------------------------------ install

def install(game) -> None:
    """Plug air power into a game (new or loaded); without an ``air:`` section, do nothing."""
    data = game.state.scenario.data.get("air")
    if not data or isinstance(getattr(game, "air", None), Section):
        return
    game.air = Section.model_validate(data)
    st = game.state
    if st.phase == "setup" and "air" not in st.rules_state:
        _start_capacity(game)
    game.hooks["air"].append(air_phase)
    game.shift_sources.append(cas_shift)
    game.order_handlers[AirMission.kind] = fly
    game.ai_support.append(plan)
    _apply_layers(game)          # a loaded game: the interdiction still in force


def _start_capacity(game) -> None:
    """A scenario that gives a side no ``air_missions`` starts it at the baseline of its start date."""
    st = game.state
    sides = st.scenario.data.get("sides") or {}
    start = st.scenario.calendar.turn_start(0).isoformat()
    entries = [e for e in game.air.baseline if e.from_ <= start]
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
    try:
        from . import weather
    except ImportError:
        weather = None
    fn = getattr(weather, "air_factor_at", None)
    if fn is not None:
        return np.asarray(fn(game, hexes), dtype=float)
    share = game.state.rules_state.get("weather", {}).get("air_main", 1.0)
    return np.full(hexes.shape, float(share))


def air_phase(game, side: int) -> None:
    """The side's air phase: its missions of last turn end, this turn's become available."""
    st = game.state
    air = air_state(st)
    name = SIDE_NAMES[side]
    ending = [m for m in air["missions"] if m["side"] == name]
    for m in ending:
        st.sides[enemy_of(side)]["supply_capacity"] += m.get("cut", 0)
    air["missions"] = [m for m in air["missions"] if m["side"] != name]
    cap = capacity(st, side)
    best = float(weather_air_factor(game).max()) if cap else 0.0
    air["turn"][name] = {"capacity": cap, "available": _share(cap, best), "flown": 0, "alley": 0}
    _apply_layers(game)


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
        _apply_layers(game)
    from .turn import where_is
    what = {"attack": "close support for the attack", "defend": "close support for the defence",
            "area": "interdiction"}[mode]
    st.say(f"{SIDE_WORD[side]} air: {what} {where_is(st.map, target)}")
    return OrderResult(True, details={"mission": order.mission, "mode": mode, "target": target,
                                      "left": missions_left(st, side)})


def _refusal(game, side: int, order) -> tuple[str, str]:
    """(why the mission cannot fly, "" if it can; its mode: attack/defend/area)."""
    st, cfg = game.state, game.air
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
    try:
        from .weather import zone_at
    except ImportError:
        return "the weather"
    zone = zone_at(game, h)
    cond = game.state.rules_state.get("weather", {}).get("zones", {}).get(zone)
    return f"the {cond.replace('_', ' ')} over {zone.replace('_', ' ')}" if zone and cond else "the weather"


def _region_word(code: int) -> str:
    return {REGION["china"]: "China", REGION["ussr"]: "the Soviet Union"}.get(code, "that region")


def _supply_cut(game, side: int) -> float:
    cfg = game.air.interdiction
    taken = sum(x.get("cut", 0) for x in air_state(game.state)["missions"] if x["side"] == SIDE_NAMES[side])
    return int(max(0, min(cfg.supply_cut, cfg.max_supply_cut - taken)))


# ------------------------------------------------------------------------------ MiG Alley

def _alley_active(game) -> bool:
    cfg = game.air.mig_alley
    st = game.state
    if cfg is None or st.date < dt.date.fromisoformat(cfg.from_):
        return False
    return not cfg.needs_communist_air or capacity(st, COMMUNIST) > 0


def mig_alley_mask(game) -> np.ndarray:
    """(n,) bool: the hexes inside the MiG Alley box (all False without one)."""
    g = game.state.map.grid
    cfg = game.air.mig_alley
    if cfg is None:
        return np.zeros(g.n, dtype=bool)
    b = cfg.box
    return (g.lat >= b.lat_south) & (g.lat <= b.lat_north) & (g.lon >= b.lon_west) & (g.lon <= b.lon_east)


def _in_mig_alley(game, h: int) -> bool:
    cfg = game.air.mig_alley
    if cfg is None:
        return False
    g, b = game.state.map.grid, cfg.box
    return bool(b.lat_south <= g.lat[h] <= b.lat_north and b.lon_west <= g.lon[h] <= b.lon_east)


# ------------------------------------------------------------------------------ effects

def cas_shift(game, side: int, rows, target: int) -> int:
    """Odds columns from close air support on an attack by ``side`` on ``target``."""
    cfg = game.air.cas
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
        mask = g.distances_from(np.asarray(targets)) <= game.air.interdiction.radius
    return mask


def _apply_layers(game) -> None:
    """Movement layers from the interdiction in force: one for each side's missions, on the enemy."""
    mult = game.air.interdiction.movement_multiplier
    for side in (UN, COMMUNIST):
        area = interdicted(game, side)
        layer = np.where(area, mult, 1.0) if area.any() else None
        game.movement.set_layer(LAYER.format(SIDE_NAMES[side]), layer, side=enemy_of(side))


# ------------------------------------------------------------------------------ AI planner

def plan(game, side: int, stage: str) -> None:
    """The AI's air plan: close support where it attacks and where it is threatened before its
    attacks; interdiction over the enemy's rear at the end of its phase."""
    st = game.state
    if st.over or st.phase != "operations" or st.active_side != side:
        return
    if stage == "before_attacks":
        t = air_state(st)["turn"][SIDE_NAMES[side]]
        total = int(t["available"])
        n_attack = int(np.floor(total * game.air.ai.attack_share + 0.5))
        n_defend = int(np.floor(total * game.air.ai.defense_share + 0.5))
        _fly_all(game, side, "cas", _attack_targets(game, side), n_attack)
        _fly_all(game, side, "cas", _threatened_hexes(game, side), n_defend)
    elif stage == "end":
        _fly_all(game, side, "interdiction", _rear_targets(game, side), missions_left(st, side))
        # Missions with no rear worth striking cover the front against the enemy's next turn.
        _fly_all(game, side, "cas", _threatened_hexes(game, side), missions_left(st, side))


def _fly_all(game, side: int, mission: str, targets, budget: int) -> int:
    """Fly up to ``budget`` missions over ``targets`` (best first); a refused one is skipped."""
    flown = 0
    name = SIDE_NAMES[side]
    for h in targets:
        if flown >= budget or missions_left(game.state, side) <= 0:
            break
        if game.apply(AirMission(name, mission=mission, target=int(h))):
            flown += 1
    return flown


def _column_values(state) -> np.ndarray:
    """(columns,) expected worth of an attack at each odds column: steps the defender loses
    (a retreat hex counts half) minus the attacker's, over the six die rolls."""
    crt = state.rules.crt
    return np.array([np.mean([row[c].defender_loss + 0.5 * row[c].retreat - row[c].attacker_loss
                              for row in crt]) for c in range(len(state.rules.odds))])


def _attack_threshold(game, side: int) -> float:
    """The odds ratio at which this side's AI attacks this turn (its posture, when it has one)."""
    from ..ai.baseline import BaselineAI
    ai = BaselineAI(side, game.state.scenario.ai.get(SIDE_NAMES[side]))
    posture = getattr(ai, "posture", None)
    return float(posture(game)["attack_odds"]) if posture else float(ai.settings["attack_odds"])


def _attack_targets(game, side: int) -> list:
    """Enemy hexes this side will likely attack, best first: next to several of its ready
    units, at odds the AI attacks at, ranked by what the extra columns gain."""
    st = game.state
    u, m = st.units, st.map
    min_mp = float(st.rules.combat.get("min_attack_mp", 0.5))
    ours = u.rows_on_map(side)
    ready = ours[~u.attacked[ours] & (u.mp[ours] >= min_mp)]
    foes = u.hex[u.on_map(enemy_of(side))]
    if ready.size == 0 or foes.size == 0:
        return []
    targets = np.unique(foes)
    near = m.grid.distance(u.hex[ready][None, :], targets[:, None]) == 1     # (targets, ready)
    n_near = near.sum(axis=1)
    targets, near, n_near = targets[n_near > 0], near[n_near > 0], n_near[n_near > 0]
    if targets.size == 0:
        return []
    threshold = _attack_threshold(game, side)
    values = _column_values(st)
    top = len(values) - 1
    cols = game.air.cas.attack_columns
    scored = []
    for t, sel in zip(targets, near):         # a handful of front hexes
        rows = [int(r) for r in ready[sel]]
        odds = game.odds([u.ids[r] for r in rows], int(t))
        if odds.ratio < threshold:
            continue
        gain = values[min(odds.column + cols, top)] - values[odds.column]
        if gain > 0:
            scored.append((gain * len(rows), int(t)))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [t for _, t in scored]


def _threatened_hexes(game, side: int) -> list:
    """This side's hexes the enemy can attack, most threatened first (enemy attack factors
    next to the hex over our defence there), ties to the hex worth more victory points."""
    st = game.state
    u, m = st.units, st.map
    enemy = enemy_of(side)
    foes = u.rows_on_map(enemy)
    ours = u.rows_on_map(side)
    if foes.size == 0 or ours.size == 0:
        return []
    at = np.bincount(u.hex[foes], weights=combat.attack_strength(st, foes), minlength=m.n)
    nb = m.grid.neighbors
    pressure = np.where(nb >= 0, at[np.where(nb >= 0, nb, 0)], 0.0).sum(axis=1)
    held = np.bincount(u.hex[ours], weights=combat.defense_strength(st, ours), minlength=m.n)
    hexes = np.nonzero((held > 0) & (pressure > 0))[0]
    if hexes.size == 0:
        return []
    ratio = pressure[hexes] / held[hexes]
    keep = ratio >= st.rules.odds[0]          # below the lowest odds column no attack comes
    hexes, ratio = hexes[keep], ratio[keep]
    return [int(h) for h in hexes[np.lexsort((hexes, -m.vp[hexes], -ratio))]]


def _rear_targets(game, side: int) -> list:
    """Hexes behind the enemy's front to interdict, best first: enemy ground whose area holds
    roads, rail and enemy units, between the enemy's supply sources and its front. Up to
    ``ai.rear_depth`` hexes behind the front first; deeper road and rail hexes (reinforcement
    routes) come after at half worth, for when bad weather grounds the missions near the front.
    Areas that would overlap an earlier choice are dropped."""
    st = game.state
    m = st.map
    g = m.grid
    u = st.units
    enemy = enemy_of(side)
    r = game.air.interdiction.radius
    depth = game.air.ai.rear_depth
    ours = u.hex[u.on_map(side)]
    foes = u.hex[u.on_map(enemy)]
    if ours.size == 0 or foes.size == 0:
        return []
    d_front = g.distances_from(ours)
    route = ((m.road > 0).any(axis=1) | m.rail.any(axis=1)) & m.land
    disk = _disk(g, r)
    apart = _disk(g, 2 * r)
    valid = disk >= 0
    area_sum = lambda x: np.where(valid, x[np.where(valid, disk, 0)], 0).sum(axis=1)
    worth = area_sum(route.astype(float)) + 2.0 * area_sum(np.bincount(foes, minlength=m.n).astype(float))
    worth = worth * np.where(d_front <= depth, 1.0, 0.5)
    from .supply import supply_sources
    src = supply_sources(st, enemy)
    if src.size:
        d_src = g.distances_from(src)
        worth = worth * np.where(d_src <= np.median(d_src[foes]), 1.0, 0.5)   # on the way to the front
    ok = (m.land & (st.owner == enemy) & (d_front > r) & (worth > 0) & ~_blocked_regions(game, side)
          & ((d_front <= depth) | (route & (d_front <= 3 * depth))))
    cand = np.nonzero(ok)[0]
    cand = cand[np.lexsort((cand, -worth[cand]))]
    chosen = []
    taken = np.zeros(m.n, dtype=bool)         # within 2r of an area already chosen
    for h in cand[:300]:                      # greedy, non-overlapping areas
        if not taken[h]:
            chosen.append(int(h))
            near = apart[h]
            taken[near[near >= 0]] = True
    return chosen


def _blocked_regions(game, side: int) -> np.ndarray:
    st = game.state
    cfg = game.air.restricted
    if cfg.action not in st.sides[side]["forbidden"]:
        return np.zeros(st.map.n, dtype=bool)
    return np.isin(st.map.region, [REGION[x] for x in cfg.regions])


def _disk(grid, radius: int) -> np.ndarray:
    """(n, k) the hexes within ``radius`` of each hex (-1 off the map), in axial offsets;
    computed once per grid and radius."""
    cache = grid.__dict__.setdefault("_disks", {})
    if radius not in cache:
        cache[radius] = _make_disk(grid, radius)
    return cache[radius]


def _make_disk(grid, radius: int) -> np.ndarray:
    dq, dr = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1))
    keep = np.abs(dq + dr) <= radius
    return grid.axial_to_index(grid.q[:, None] + dq[keep][None, :], grid.r[:, None] + dr[keep][None, :])


__all__ = ["install", "air_phase", "fly", "cas_shift", "capacity", "missions_left", "plan",
           "interdicted", "mig_alley_mask", "weather_air_factor"]
