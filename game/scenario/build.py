"""Turn a loaded, validated scenario dict into a Scenario and a GameState ready to play."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ..engine.calendar import Calendar
from ..engine.errors import GameError
from ..engine.hexgrid import GridSpec
from ..engine.mapdata import REGION, REGION_NAMES, TERRAIN, MapData, MapFileError, Place
from ..engine.paths import MAPS_DIR, SCENARIOS_DIR
from ..engine.state import GameState, Scenario
from ..engine.units import ARRIVING, COMMUNIST, ON_MAP, SIDE_CODES, UN, UnitTable
from ..engine.vocabulary import REGION_LETTERS, TERRAIN_LETTERS
from .cards import deck_places
from .checks import all_unit_entries, locations
from .config import RulesData, ScenarioConfig
from .errors import Problem

_MAP_CACHE: dict = {}


class BuildError(GameError, ValueError):
    """A problem found while building; ``where`` is the key path into the scenario dict."""

    def __init__(self, where: tuple, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def load_map(spec: dict, base_dir: Path) -> MapData:
    if "asset" in spec:
        name = str(spec["asset"])
        if Path(name).is_absolute():
            path = Path(name)
        else:
            path = base_dir / name if name.endswith(".npz") else MAPS_DIR / f"{name}.npz"
        key = str(path.resolve())
        if key not in _MAP_CACHE:
            try:
                _MAP_CACHE[key] = MapData.load(path)
            except MapFileError as exc:
                raise BuildError(("map", "asset"), str(exc)) from None
        return _MAP_CACHE[key]
    return inline_map(spec)


def inline_map(spec: dict) -> MapData:
    """A small map written out in the scenario: rows of terrain letters, edges by hex pairs."""
    g = spec["grid"]
    gs = GridSpec(rows=int(g["rows"]), cols=int(g["cols"]), hex_km=float(g.get("hex_km", 10.0)),
                  lat_north=float(g.get("lat_north", 38.5)), lon_west=float(g.get("lon_west", 126.5)),
                  ref_lat=float(g.get("ref_lat", g.get("lat_north", 38.5))))
    m = MapData.blank(gs)
    rows = spec.get("terrain") or []
    for r, line in enumerate(rows):
        for c, ch in enumerate(line):
            name = TERRAIN_LETTERS.get(ch)
            if name is None:
                raise BuildError(("map", "terrain", r),
                                 f"unknown terrain letter {ch!r} (use one of {''.join(TERRAIN_LETTERS)})")
            m.terrain[r * gs.cols + c] = TERRAIN[name]
    for r, line in enumerate(spec.get("region") or []):
        for c, ch in enumerate(line):
            m.region[r * gs.cols + c] = REGION[REGION_LETTERS.get(ch, "none")]
    def idx(rc):
        return int(m.grid.index(rc[0], rc[1]))
    for i, river in enumerate(spec.get("rivers") or []):
        name = river.get("name", "")
        if name and name not in m.river_names:
            m.river_names.append(name)
        rid = m.river_names.index(name) if name else -1
        for j, (a, b) in enumerate(river.get("edges", [])):
            try:
                m.set_edge(m.river, idx(a), idx(b), 2 if river.get("major") else 1)
                m.set_edge(m.river_id, idx(a), idx(b), rid)
            except ValueError:
                raise BuildError(("map", "rivers", i, "edges", j), f"{a} and {b} are not neighbouring hexes") from None
    for key, arr, val in (("roads", m.road, None), ("rails", m.rail, True)):
        for i, route in enumerate(spec.get(key) or []):
            hexes = [idx(rc) for rc in route.get("hexes", [])]
            v = val if val is not None else (2 if route.get("main") else 1)
            for j in range(len(hexes) - 1):
                try:
                    m.set_edge(arr, hexes[j], hexes[j + 1], v)
                except ValueError:
                    raise BuildError(("map", key, i, "hexes", j + 1),
                                     "consecutive hexes of a route must be neighbours") from None
    m.land = m.terrain != TERRAIN["sea"]
    m.places = [Place(name=p["name"], lat=float(m.grid.lat[idx(p["at"])]), lon=float(m.grid.lon[idx(p["at"])]),
                      hex=idx(p["at"]), kind=p.get("kind", "town"), port=bool(p.get("port", False)),
                      vp=int(p.get("vp", 0))) for p in spec.get("places") or []]
    m.refresh_places()
    return m


def locate(m: MapData, at, where: tuple) -> int:
    """Hex of a location given as a place name, {lat, lon} or {row, col}."""
    if isinstance(at, str):
        p = m.find_place(at)
        if p is None:
            import difflib
            close = difflib.get_close_matches(at, m.place_names(), n=1)
            hint = f": did you mean {close[0]!r}?" if close else ""
            raise BuildError(where, f"unknown place {at!r}{hint}")
        return p.hex
    if isinstance(at, dict) and "lat" in at:
        h = int(m.grid.latlon_to_index(float(at["lat"]), float(at["lon"])))
    elif isinstance(at, dict) and "row" in at:
        h = int(m.grid.index(int(at["row"]), int(at["col"])))
    elif isinstance(at, (list, tuple)) and len(at) == 2:
        h = int(m.grid.index(int(at[0]), int(at[1])))
    else:
        raise BuildError(where, f"a location is a place name, {{lat, lon}} or {{row, col}}, not {at!r}")
    if h < 0:
        raise BuildError(where, "that location is outside the map")
    return h


def _dated(entry) -> bool:
    """A dated supply source ``{at: LOCATION, from, until}`` rather than a bare location."""
    return isinstance(entry, dict) and "at" in entry


def build_scenario(data: dict, path: str | Path = "", decks=()) -> Scenario:
    """The Scenario of a loaded, checked scenario dict (``decks``: its card decks as the loader
    read them)."""
    base_dir = Path(path).resolve().parent if path else SCENARIOS_DIR
    config = ScenarioConfig.model_validate(data)
    m = load_map(data["map"], base_dir)
    rules = RulesData.from_config(config)
    cal = Calendar.build(data["start"], data["end"], data["calendar"])
    sources, windows = {}, {}
    for name, places in (data.get("supply_sources") or {}).items():
        side = SIDE_CODES[name]
        sources[side] = np.array([locate(m, p["at"], ("supply_sources", name, i, "at")) if _dated(p)
                                  else locate(m, p, ("supply_sources", name, i)) for i, p in enumerate(places)],
                                 dtype=np.int64)
        # The days each source serves (ISO dates compare as text): open-ended where not given.
        windows[side] = [(str(p.get("from") or ""), str(p.get("until") or "9999")) if _dated(p) else ("", "9999")
                         for p in places]
    sudden_death = [
        {"side": rule.side, "holds": [str(p) for p in rule.holds], "reason": rule.reason,
         "hexes": [locate(m, p, ("victory", "sudden_death", i, "holds", j)) for j, p in enumerate(rule.holds)]}
        for i, rule in enumerate(config.victory.sudden_death)]
    order = tuple(SIDE_CODES[s] for s in config.side_order or ("communist", "un"))
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(blob + m.terrain.tobytes() + m.river.tobytes()).hexdigest()[:16]
    return Scenario(id=data["id"], title=data["title"], map=m, rules=rules, calendar=cal,
                    side_order=order, supply_sources=sources, supply_windows=windows,
                    sudden_death=sudden_death, config=config, data=data, path=str(path), digest=digest,
                    decks=list(decks))


def new_state(scenario: Scenario, seed: int = 0) -> GameState:
    data, m, rules = scenario.data, scenario.map, scenario.rules
    units = UnitTable(type_names=list(rules.unit_types.names))
    cal = scenario.calendar

    def add(spec: dict, where: tuple, arriving: bool):
        tname = spec["type"]
        if tname not in rules.unit_types.names:
            raise BuildError(where + ("type",), f"unknown unit type {tname!r}")
        h = locate(m, spec["at"], where + ("at",))
        if not arriving and not m.land[h]:
            raise BuildError(where + ("at",), f"{spec['id']} is placed on a sea hex")
        nation = spec["nation"]
        eff = int(spec.get("efficiency") or rules.quality(nation))
        units.add(uid=spec["id"], name=spec.get("name", spec["id"]), nation=nation,
                  type_code=rules.unit_types.code(tname), side=SIDE_CODES[spec["side"]],
                  strength=int(spec["strength"]), hex=-1 if arriving else h,
                  status=ARRIVING if arriving else ON_MAP, efficiency=eff,
                  parent=spec.get("parent", ""), source=spec.get("source", ""),
                  arrive_turn=cal.turn_of(spec["arrive"]) if arriving else -1,
                  arrive_hex=h if arriving else -1)

    on_map = {path for path, _, _, start in start_positions(data, m) if start}
    for path, spec in all_unit_entries(data):
        add(spec, path, path not in on_map)
    for i, w in enumerate(data.get("withdrawals") or []):
        row = units.get(w["unit"])
        if row is None:
            raise BuildError(("withdrawals", i, "unit"), f"no unit {w['unit']!r} to withdraw")
        units.withdraw_turn[row] = cal.turn_of(w["date"])

    owner = np.zeros(m.n, dtype=np.int8)
    owner[m.land & (m.region == REGION["south"])] = UN
    owner[m.land & np.isin(m.region, [REGION["north"], REGION["china"], REGION["ussr"]])] = COMMUNIST
    state = GameState(scenario=scenario, units=units, owner=owner,
                      rng=np.random.default_rng(seed), seed=int(seed))
    for name, side in SIDE_CODES.items():
        for key, value in ((data.get("sides") or {}).get(name) or {}).items():
            if key in state.sides[side] and key not in ("allowed", "forbidden"):
                state.sides[side][key] = value
        for key in ("allowed", "forbidden"):
            state.sides[side][key] = list(((data.get("sides") or {}).get(name) or {}).get(key, []))
    if (data.get("start_control") or "region") == "units":
        # Each land hex to the side whose units are fewer steps away over land.
        du = m.land_steps(units.hex[units.on_map(UN)])
        dc = m.land_steps(units.hex[units.on_map(COMMUNIST)])
        owner[m.land & (du < dc)] = UN
        owner[m.land & (dc < du)] = COMMUNIST
    return state


def start_positions(data: dict, m: MapData) -> list:
    """(key path, unit dict, hex, on the map at the start?) for every unit and reinforcement.

    Units stand on the map from the start, and so do reinforcements due before the first day
    (a later scenario's army, placed by date). A reinforcement due on the first day itself
    arrives that day: it stands on the map from the start too, unless its hex is at sea or
    holds an enemy unit already there; then it comes by sea, by assault on a held beach (the
    Marines at Inchon on 15 September 1950)."""
    first_day = str(data["start"])
    out = []
    there: dict[int, set] = {}                 # hex -> sides of the units already there
    for path, spec in all_unit_entries(data):
        try:
            h = locate(m, spec["at"], path + ("at",))
        except BuildError:
            continue                           # the location checks say why
        start = path[0] == "units" or (str(spec["arrive"]) < first_day and bool(m.land[h]))
        out.append([path, spec, h, start])
        if start:
            there.setdefault(h, set()).add(spec["side"])
    for entry in out:
        path, spec, h, _ = entry
        if path[0] == "reinforcements" and str(spec["arrive"]) == first_day and m.land[h]:
            entry[3] = not (there.get(h, set()) - {spec["side"]})
    return [tuple(e) for e in out]


def start_problems(data: dict, m: MapData) -> list:
    """(key path, message) for every unit that cannot stand where it starts: at sea or on a
    lake, in a region its side may never enter, in a hex an enemy unit starts in, or in a hex
    fuller than the stacking limit."""
    out = []
    no_entry = (data["movement"].get("no_entry") or {})
    stack = {name: float(t["stack"]) for name, t in data["unit_types"].items()}
    limit = float(data["movement"]["stack_limit"])
    by_hex: dict[int, list] = {}
    for path, spec, h, start in start_positions(data, m):
        if not start:
            continue
        where = f"{'.'.join(map(str, path))}.at: {spec['id']}"
        at = f"({m.grid.lat[h]:.2f} N, {m.grid.lon[h]:.2f} E)"
        if not m.land[h] or m.terrain[h] == TERRAIN["lake"]:
            water = "a lake" if m.land[h] else "a sea hex"
            out.append((path + ("at",), f"{where} is placed on {water} {at}: move it onto land"))
            continue
        region = REGION_NAMES[int(m.region[h])]
        if region in (no_entry.get(spec["side"]) or []) and (region != "none" or m.has_regions):
            out.append((path + ("at",), f"{where} starts in {region}, a region {spec['side']} units may never "
                                        "enter (movement.no_entry)"))
        by_hex.setdefault(h, []).append((path, spec))
    for entries in by_hex.values():
        sides = {spec["side"] for _, spec in entries}
        if len(sides) > 1:
            path, spec = max(entries, key=lambda e: e[0])
            others = ", ".join(s["id"] for _, s in entries if s["side"] != spec["side"])
            out.append((path + ("at",), f"{'.'.join(map(str, path))}.at: {spec['id']} starts in the same hex as "
                                        f"the enemy's {others}: enemy units never share a hex"))
        for side in sides:
            mine = [(p, s) for p, s in entries if s["side"] == side]
            points = sum(stack.get(s["type"], 0.0) for _, s in mine)
            if points > limit:
                path, spec = max(mine, key=lambda e: e[0])
                out.append((path + ("at",), f"{'.'.join(map(str, path))}.at: {len(mine)} {side} units start in "
                                            f"one hex with {points:g} stacking points (the limit is {limit:g})"))
    return out


def map_problems(data: dict, source) -> list:
    """Checks that need the map: every place name known (the decks' too), every location on
    the map, every unit able to stand where it starts (see :func:`start_problems`). The loader
    runs them on every load and every ``validate``."""
    asset = source.resolved(("map", "asset"))
    spec = dict(data["map"])
    if asset is not None:
        spec["asset"] = str(asset)
    try:
        m = load_map(spec, Path(source.file).resolve().parent)
    except BuildError as exc:
        return [source.problem(exc.where, exc.message)] if asset is not None else []
    except (IndexError, KeyError, TypeError, ValueError):
        return []  # a malformed inline map: the structural checks have already said why
    problems = []
    for path, at in locations(data):
        try:
            locate(m, at, path)
        except BuildError as exc:
            if asset is not None:  # inline maps: the schema checks already name bad places
                problems.append(source.problem(exc.where, f"{'.'.join(map(str, exc.where))}: {exc.message}"))
            continue
    problems += [source.problem(path, msg) for path, msg in start_problems(data, m)]
    for _, deck, deck_source in source.decks:
        for path, at in deck_places(deck):
            try:
                locate(m, at, path)
            except BuildError as exc:
                problems.append(deck_source.problem(path, f"{'.'.join(map(str, path))}: {exc.message}"))
    return [p for p in problems if isinstance(p, Problem)]
