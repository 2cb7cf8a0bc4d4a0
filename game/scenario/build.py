"""Turn a loaded, validated scenario dict into a Scenario and a GameState ready to play."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from pathlib import Path

import numpy as np

from ..engine.calendar import Calendar
from ..engine.errors import GameError
from ..engine.hexgrid import GridSpec, HexGrid
from ..engine.mapdata import REGION, REGION_NAMES, TERRAIN, MapData, MapFileError, Place
from ..engine.paths import MAPS_DIR, SCENARIOS_DIR
from ..engine.state import GameState, Scenario
from ..engine.units import ARRIVING, COMMUNIST, ON_MAP, SIDE_CODES, UN, UnitTable
from ..engine.vocabulary import REGION_LETTERS, TERRAIN_LETTERS
from .cards import deck_places
from .checks import all_unit_entries, locations
from .config import RulesData, ScenarioConfig
from .errors import Problem
from .selectors import BOX_KEYS, describe_area

_MAP_CACHE: dict = {}


class BuildError(GameError, ValueError):
    """A problem found while building; ``where`` is the key path into the scenario dict."""

    def __init__(self, where: tuple, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def load_map(spec: dict, base_dir: Path) -> MapData:
    """The scenario's map: an asset (cropped to ``crop`` and with ``places`` added or changed,
    when given) or an inline map. Maps are shared between games: never change one in place."""
    if "asset" not in spec:
        return inline_map(spec)
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
    m = _MAP_CACHE[key]
    if spec.get("crop"):
        box = tuple(float(spec["crop"][k]) for k in BOX_KEYS)
        if (key, box) not in _MAP_CACHE:
            _MAP_CACHE[(key, box)] = cropped(m, dict(zip(BOX_KEYS, box, strict=True)))
        m = _MAP_CACHE[(key, box)]
    if spec.get("places"):
        m = with_places(m, spec["places"])
    return m


def cropped(m: MapData, box: dict) -> MapData:
    """The part of ``m`` whose hex centres lie in a lat/lon box, as a map of its own that keeps
    every hex's latitude and longitude (the first row stays even, so the odd rows keep their
    half-hex shift). Places outside the box are left out; ``meta["crop"]`` says which."""
    g, spec = m.grid, m.grid.spec
    inside = ((g.lat >= box["lat_south"]) & (g.lat <= box["lat_north"])
              & (g.lon >= box["lon_west"]) & (g.lon <= box["lon_east"])).reshape(g.shape)
    rows = np.nonzero(inside.any(axis=1))[0]
    if rows.size:
        r0 = int(rows[0]) + int(rows[0]) % 2
        r1 = int(rows[-1])
        part = inside[r0:r1 + 1]
        firsts = [int(np.argmax(line)) for line in part if line.any()]
        lasts = [int(line.size - 1 - np.argmax(line[::-1])) for line in part if line.any()]
        c0, c1 = max(firsts, default=0), min(lasts, default=-1)   # every row's centres inside
    if not rows.size or r1 - r0 < 1 or c1 - c0 < 1:
        lat0, lat1, lon0, lon1 = float(g.lat.min()), float(g.lat.max()), float(g.lon.min()), float(g.lon.max())
        raise BuildError(("map", "crop"), f"the crop box holds less than two rows and columns of hexes of the map, "
                                          f"which covers {lat0:.2f}-{lat1:.2f} N, {lon0:.2f}-{lon1:.2f} E")
    first = int(g.index(r0, c0))
    sub = GridSpec(rows=r1 - r0 + 1, cols=c1 - c0 + 1, hex_km=spec.hex_km, lat_north=float(g.lat[first]),
                   lon_west=float(g.lon[first]), ref_lat=spec.ref_lat)

    def cut(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a.reshape(g.shape + a.shape[1:])[r0:r1 + 1, c0:c1 + 1]
                                    .reshape((sub.rows * sub.cols,) + a.shape[1:]))

    keep, outside = [], []
    for p in m.places:
        r, c = int(g.row[p.hex]), int(g.col[p.hex])
        if r0 <= r <= r1 and c0 <= c <= c1:
            keep.append(dataclasses.replace(p, hex=(r - r0) * sub.cols + (c - c0)))
        else:
            outside.extend((p.name, *p.aliases))
    assert m.river_id is not None
    meta = {**m.meta, "crop": {**box, "outside": outside}}
    return MapData(grid=HexGrid(sub), terrain=cut(m.terrain), elevation=cut(m.elevation), relief=cut(m.relief),
                   region=cut(m.region), river=cut(m.river), road=cut(m.road), rail=cut(m.rail),
                   river_id=cut(m.river_id), river_names=list(m.river_names), places=keep, meta=meta)


PLACE_KEYS = ("kind", "port", "vp", "aliases", "source")


def with_places(m: MapData, entries: list) -> MapData:
    """A copy of ``m`` with the scenario's ``map.places``: an entry named like a place of the map
    (or one of its aliases) changes only the keys it gives (``vp``, ``kind``, ``port``,
    ``aliases``, ``source``, ``at``); another name adds a place, which needs ``at``."""
    places = list(m.places)
    index = {name.casefold(): i for i, p in enumerate(places) for name in (p.name, *p.aliases)}
    for n, entry in enumerate(entries):
        where = ("map", "places", n)
        i = index.get(str(entry["name"]).casefold())
        changes = {k: (tuple(entry[k]) if k == "aliases" else entry[k]) for k in PLACE_KEYS if k in entry}
        if "at" in entry:
            h = locate(m, entry["at"], where + ("at",))
            changes.update(hex=h, lat=float(m.grid.lat[h]), lon=float(m.grid.lon[h]))
        if i is not None:
            places[i] = dataclasses.replace(places[i], **changes)
            continue
        if "at" not in entry:
            raise BuildError(where, f"{entry['name']!r} is not a place of the map: a new place needs 'at' "
                                    f"(where it is, e.g. {{lat: 40.38, lon: 127.25}}){_close_place(m, entry['name'])}")
        places.append(Place(name=str(entry["name"]), **changes))
        for name in (entry["name"], *entry.get("aliases", ())):
            index.setdefault(str(name).casefold(), len(places) - 1)
    return dataclasses.replace(m, places=places)


def _close_place(m: MapData, name: str) -> str:
    close = difflib.get_close_matches(str(name), m.place_names(), n=1)
    return f"; or did you mean {close[0]!r}?" if close else ""


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
    hexes = [locate(m, p["at"], ("map", "places", i, "at")) for i, p in enumerate(spec.get("places") or [])]
    m.places = [Place(name=p["name"], lat=float(m.grid.lat[h]), lon=float(m.grid.lon[h]), hex=h,
                      kind=p.get("kind", "town"), port=bool(p.get("port", False)), vp=int(p.get("vp", 0)),
                      aliases=tuple(p.get("aliases", ())))
                for p, h in zip(spec.get("places") or [], hexes, strict=True)]
    m.refresh_places()
    return m


def locate(m: MapData, at, where: tuple) -> int:
    """Hex of a location given as a place name, {lat, lon} or {row, col}."""
    if isinstance(at, str):
        p = m.find_place(at)
        if p is None:
            crop = m.meta.get("crop") or {}
            if at.casefold() in {name.casefold() for name in crop.get("outside", ())}:
                raise BuildError(where, f"{at!r} lies outside the map's crop ({describe_area(crop)}): "
                                        "name a place inside it")
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
    sources, windows, reach = {}, {}, {}
    for name, places in (data.get("supply_sources") or {}).items():
        side = SIDE_CODES[name]
        sources[side] = np.array([locate(m, p["at"], ("supply_sources", name, i, "at")) if _dated(p)
                                  else locate(m, p, ("supply_sources", name, i)) for i, p in enumerate(places)],
                                 dtype=np.int64)
        # The days each source serves (ISO dates compare as text): open-ended where not given.
        windows[side] = [(str(p.get("from") or ""), str(p.get("until") or "9999")) if _dated(p) else ("", "9999")
                         for p in places]
        reach[side] = np.array([float(p.get("reach") or 1.0) if _dated(p) else 1.0 for p in places])
    sudden_death = [
        {"side": rule.side, "holds": [str(p) for p in rule.holds], "reason": rule.reason,
         "unless_flag": rule.unless_flag,
         "hexes": [locate(m, p, ("victory", "sudden_death", i, "holds", j)) for j, p in enumerate(rule.holds)]}
        for i, rule in enumerate(config.victory.sudden_death)]
    order = tuple(SIDE_CODES[s] for s in config.side_order or ("communist", "un"))
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    digest = hashlib.sha256(blob + m.terrain.tobytes() + m.river.tobytes()).hexdigest()[:16]
    return Scenario(id=data["id"], title=data["title"], map=m, rules=rules, calendar=cal,
                    side_order=order, supply_sources=sources, supply_windows=windows, supply_reach=reach,
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
