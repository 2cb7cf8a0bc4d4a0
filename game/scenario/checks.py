"""Checks of a schema-valid scenario that compare values with each other and need no map asset.

Each check takes the merged scenario dict and returns :class:`~game.scenario.schema.Issue`s.
They run only after the schema passed, so they may rely on the types the schema guarantees.
"""

from __future__ import annotations

import re

from ..engine.vocabulary import REGION_LETTERS, TERRAIN_LETTERS
from .errors import did_you_mean
from .types import Issue, dotted, to_date

SIDES = ("un", "communist")

_CODE_TOKEN = re.compile(r"^[ADR][1-9]$")


# ------------------------------------------------------------------------------ helpers

def hex_neighbours(row: int, col: int):
    """The six neighbours of a hex in the game's odd-r offset layout (odd rows shoved east)."""
    if row & 1:
        deltas = ((0, 1), (-1, 1), (-1, 0), (0, -1), (1, 0), (1, 1))
    else:
        deltas = ((0, 1), (-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0))
    return [(row + dr, col + dc) for dr, dc in deltas]


def adjacent(a, b) -> bool:
    return (b[0], b[1]) in hex_neighbours(a[0], a[1])


def crt_code_problem(code: str) -> str | None:
    """Why a combat result code is malformed, or None. Grammar: '-' or 'A<n> D<n> R<n>' tokens."""
    tokens = code.split()
    if not tokens:
        return "an empty code: write '-' for no effect"
    if tokens == ["-"]:
        return None
    seen = set()
    for t in tokens:
        if t == "-":
            return "'-' means no effect and cannot be combined with other results"
        if not _CODE_TOKEN.match(t):
            return (f"{t!r} is not a result: use A<n> (attacker loses n), D<n> (defender loses n) or "
                    "R<n> (defender retreats n), n from 1 to 9, joined by spaces, or '-'")
        if t[0] in seen:
            return f"{t[0]} appears twice: give each of A, D, R at most once"
        seen.add(t[0])
    return None


def date_range_issue(path, value, start, end, what="date", fix="") -> Issue | None:
    """The problem of a date outside the scenario; ``fix`` says how to mend it (after a colon)."""
    d = to_date(value)
    if d < start or d > end:
        return Issue(path, f"{dotted(path)}: {what} {value} is outside the scenario "
                           f"({start.isoformat()} to {end.isoformat()}){': ' + fix if fix else ''}")
    return None


def all_unit_entries(data):
    """(key path, unit dict) for every unit and reinforcement."""
    for key in ("units", "reinforcements"):
        for i, u in enumerate(data.get(key) or []):
            yield (key, i), u


# ------------------------------------------------------------------------------ checks

def check_dates(data) -> list[Issue]:
    out = []
    start, end = to_date(data["start"]), to_date(data["end"])
    if end <= start:
        out.append(Issue(("end",), f"end: {data['end']} must be after start ({data['start']})"))
        return out
    periods = data["calendar"]
    if periods[0]["from"] != data["start"]:
        out.append(Issue(("calendar", 0, "from"),
                         f"calendar.0.from: the first period must start on the start date {data['start']}, "
                         f"not {periods[0]['from']}"))
    prev = None
    for i, p in enumerate(periods):
        d = to_date(p["from"])
        if prev is not None and d <= prev:
            out.append(Issue(("calendar", i, "from"),
                             f"calendar.{i}.from: {p['from']} must come after the period before it "
                             f"({periods[i - 1]['from']})"))
        elif i > 0:
            issue = date_range_issue(("calendar", i, "from"), p["from"], start, end,
                                     fix="give the scenario a calendar of its own that fits its dates")
            if issue:
                out.append(issue)
        prev = d if prev is None or d > prev else prev
    return out


def check_sides(data) -> list[Issue]:
    order = data.get("side_order")
    if order is not None and sorted(order) != sorted(SIDES):
        return [Issue(("side_order",), f"side_order: must list communist and un once each, not {order}")]
    return []


def unit_kind_issues(path: tuple, u: dict, types, nations) -> list:
    """A unit's type and nation must exist, and the nation must fight on the unit's side."""
    where = dotted(path)
    out = []
    if u["type"] not in types:
        out.append(Issue(path + ("type",), f"{where}.type: unknown unit type {u['type']!r}"
                                           f"{did_you_mean(u['type'], types)}"))
    nation = nations.get(u["nation"])
    if nation is None:
        out.append(Issue(path + ("nation",), f"{where}.nation: unknown nation {u['nation']!r}"
                                             f"{did_you_mean(u['nation'], nations)}"))
    elif nation["side"] != u["side"]:
        out.append(Issue(path + ("side",), f"{where}.side: {u['id']} is {u['side']} but its nation "
                                           f"{u['nation']} fights for {nation['side']}"))
    return out


def nation_lists(data):
    """(path, names) of the lists of nations outside the units: the replacements' stragglers and
    levies, the AI's kept-out zones and the air interdiction's exposure (a mapping by nation)."""
    sec = data.get("replacements")
    for key in ("stragglers", "levies"):
        rules = sec.get(key) if isinstance(sec, dict) else None
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            if isinstance(rule, dict):
                yield ("replacements", key, i, "nations"), rule.get("nations")
    for side, settings in (data.get("ai") or {}).items():
        zones = settings.get("keep_out") if isinstance(settings, dict) else None
        for i, zone in enumerate(zones if isinstance(zones, list) else []):
            if isinstance(zone, dict):
                yield ("ai", side, "keep_out", i, "nations"), zone.get("nations")
    air = data.get("air")
    interdiction = air.get("interdiction") if isinstance(air, dict) else None
    if isinstance(interdiction, dict):
        yield ("air", "interdiction", "exposure"), interdiction.get("exposure")
        later = interdiction.get("exposure_from")
        for i, entry in enumerate(later if isinstance(later, list) else []):
            if isinstance(entry, dict):
                yield ("air", "interdiction", "exposure_from", i, "exposure"), entry.get("exposure")


def nation_list_issues(data, nations) -> list[Issue]:
    """Every nation a stragglers entry, a levy, a kept-out zone or the exposure names must be one
    of the scenario's."""
    out = []
    for path, names in nation_lists(data):
        keyed = isinstance(names, dict)          # a mapping: the nation is the key
        for j, name in enumerate(names if isinstance(names, list | dict) else []):
            if name not in nations:
                at = path + ((name,) if keyed else (j,))
                out.append(Issue(at, f"{dotted(at)}: unknown nation {name!r}{did_you_mean(str(name), nations)}"))
    return out


def check_units(data) -> list[Issue]:
    out = []
    types = data.get("unit_types") or {}
    nations = data.get("nations") or {}
    start, end = to_date(data["start"]), to_date(data["end"])
    first_seen = {}
    require = bool(data.get("require_sources"))
    for path, u in all_unit_entries(data):
        where = dotted(path)
        uid = u["id"]
        if uid in first_seen:
            out.append(Issue(path + ("id",),
                             f"{where}.id: duplicate unit id {uid!r} (already used by {dotted(first_seen[uid])})"))
        else:
            first_seen[uid] = path
        out.extend(unit_kind_issues(path, u, types, nations))
        if "arrive" in u:
            issue = date_range_issue(path + ("arrive",), u["arrive"], start, end, "arrival date",
                                     fix=f"change the date or drop the unit (remove: [{path[0]}.{uid}])")
            if issue:
                out.append(issue)
        if require and not (u.get("source") or "").strip():
            out.append(Issue(path, f"{where}: {uid} needs a 'source:' (this scenario sets require_sources)"))
    out.extend(nation_list_issues(data, nations))
    arrivals = {u["id"]: u.get("arrive") for _, u in all_unit_entries(data)}
    sides = {u["id"]: u.get("side") for _, u in all_unit_entries(data)}
    for i, w in enumerate(data.get("withdrawals") or []):
        path = ("withdrawals", i)
        out.extend(men_to_issues(path, w, sides))
        if w["unit"] not in arrivals:
            out.append(Issue(path + ("unit",), f"withdrawals.{i}.unit: no unit {w['unit']!r} to withdraw"
                                               f"{did_you_mean(w['unit'], arrivals)}"))
        else:
            arrive = arrivals[w["unit"]]
            if arrive and to_date(w["date"]) < to_date(arrive):
                out.append(Issue(path + ("date",), f"withdrawals.{i}.date: {w['unit']} would leave on "
                                                   f"{w['date']}, before it arrives on {arrive}"))
        issue = date_range_issue(path + ("date",), w["date"], start, end, "withdrawal date",
                                 fix="change the date or leave it out (a scenario's withdrawals list "
                                     "replaces its parent's whole)")
        if issue:
            out.append(issue)
        if require and not (w.get("source") or "").strip():
            out.append(Issue(path, f"withdrawals.{i}: needs a 'source:' (this scenario sets require_sources)"))
    out.extend(advance_issues(data, sides))
    return out


def advance_issues(data, sides: dict) -> list[Issue]:
    """The units an AI's advance order sends: units of the scenario, of that AI's side. An order
    that ends before the scenario starts is not read (a scenario that extends the campaign from a
    later day may have removed its units)."""
    out = []
    start = to_date(data["start"])
    for side, settings in (data.get("ai") or {}).items():
        orders = settings.get("advance") if isinstance(settings, dict) else None
        for i, order in enumerate(orders if isinstance(orders, list) else []):
            if not isinstance(order, dict) or (order.get("until") and to_date(order["until"]) < start):
                continue
            for j, uid in enumerate(order.get("units") or []):
                path = ("ai", side, "advance", i, "units", j)
                if uid not in sides:
                    out.append(Issue(path, f"{dotted(path)}: no unit {uid!r}{did_you_mean(str(uid), sides)}"))
                elif sides[uid] != side:
                    out.append(Issue(path, f"{dotted(path)}: {uid} fights for the {sides[uid]} side: the {side} "
                                           f"AI sends only its own units (put the order under ai.{sides[uid]})"))
    return out


def men_to_issues(path, w, sides: dict) -> list[Issue]:
    """A withdrawal's ``men_to``: other units of the withdrawn unit's side."""
    out = []
    where = dotted(path + ("men_to",))
    for j, uid in enumerate(w.get("men_to") or []):
        if uid not in sides:
            out.append(Issue(path + ("men_to", j), f"{where}.{j}: no unit {uid!r} to take the men"
                                                   f"{did_you_mean(uid, sides)}"))
        elif uid == w["unit"]:
            out.append(Issue(path + ("men_to", j), f"{where}.{j}: {uid} is the unit that leaves: "
                                                   "name the units its men join"))
        elif w["unit"] in sides and sides[uid] != sides[w["unit"]]:
            out.append(Issue(path + ("men_to", j), f"{where}.{j}: {uid} fights for the {sides[uid]} side, "
                                                   f"{w['unit']} for the {sides[w['unit']]}: its men join "
                                                   "their own side's units"))
    return out


def check_combat(data) -> list[Issue]:
    out = []
    c = data["combat"]
    odds = c["odds"]
    for i in range(1, len(odds)):
        if odds[i] <= odds[i - 1]:
            out.append(Issue(("combat", "odds", i), f"combat.odds.{i}: the odds must increase left to right "
                                                    f"({odds[i]:g} comes after {odds[i - 1]:g})"))
    labels = c.get("labels")
    if labels is not None and len(labels) != len(odds):
        out.append(Issue(("combat", "labels"), f"combat.labels: {len(labels)} labels for {len(odds)} odds columns"))
    table = c["table"]
    for die in sorted(k for k in table if k not in range(1, 7)):
        out.append(Issue(("combat", "table", die), f"combat.table: {die} is not a die roll (use 1 to 6)", key=True))
    missing = [d for d in range(1, 7) if d not in table]
    if missing:
        out.append(Issue(("combat", "table"), f"combat.table: missing the row for die roll "
                                              f"{', '.join(map(str, missing))} (give rows 1 to 6)"))
    for die in sorted(k for k in table if k in range(1, 7)):
        row = table[die]
        if len(row) != len(odds):
            out.append(Issue(("combat", "table", die), f"combat.table.{die}: {len(row)} results for "
                                                       f"{len(odds)} odds columns"))
        for j, code in enumerate(row):
            why = crt_code_problem(code)
            if why:
                col = f"odds column {j + 1}"
                if labels and j < len(labels):
                    col += f" ({labels[j]})"
                out.append(Issue(("combat", "table", die, j),
                                 f"combat.table.{die}.{j}: bad result code {code!r} (die roll {die}, {col}): {why}"))
    return out


def _map_bounds(data):
    m = data["map"]
    g = m.get("grid")
    return (g["rows"], g["cols"]) if g else None


def _hex_issue(path, rc, bounds) -> Issue | None:
    rows, cols = bounds
    if not (0 <= rc[0] < rows and 0 <= rc[1] < cols):
        return Issue(path, f"{dotted(path)}: hex [{rc[0]}, {rc[1]}] is outside the {rows} x {cols} map "
                           f"(rows 0-{rows - 1}, cols 0-{cols - 1})")
    return None


def check_map(data) -> list[Issue]:
    out = []
    m = data["map"]
    has_asset, has_grid = m.get("asset") is not None, m.get("grid") is not None
    inline_keys = [k for k in ("grid", "terrain", "region", "rivers", "roads", "rails") if m.get(k)]
    if has_asset and inline_keys:
        return [Issue(("map", k), f"map.{k}: not used with a map asset: give either 'asset' or an inline "
                                  "map (grid, terrain, ...), not both", key=True) for k in inline_keys]
    if not has_asset and not has_grid:
        return [Issue(("map",), "map: give either 'asset: NAME' (a map file) or an inline map with 'grid' "
                                "and 'terrain'")]
    if has_asset:
        return out
    if m.get("crop"):
        out.append(Issue(("map", "crop"), "map.crop: crops a map asset: draw an inline map the size you want",
                         key=True))
    for i, p in enumerate(m.get("places") or []):
        at = p.get("at")
        if not (isinstance(at, list) or (isinstance(at, dict) and "row" in at)):
            where = ("map", "places", i) + (("at",) if at is not None else ())
            out.append(Issue(where, f"map.places.{i}: a place of an inline map needs 'at: [row, col]'"))
    rows, cols = m["grid"]["rows"], m["grid"]["cols"]
    for key, legend in (("terrain", TERRAIN_LETTERS), ("region", REGION_LETTERS)):
        lines = m.get(key)
        if lines is None:
            if key == "terrain":
                out.append(Issue(("map",), "map: missing required key 'terrain' (one string of letters per row)"))
            continue
        if len(lines) != rows:
            out.append(Issue(("map", key), f"map.{key}: {len(lines)} rows, but grid.rows is {rows}"))
        for r, line in enumerate(lines):
            if len(line) != cols:
                out.append(Issue(("map", key, r), f"map.{key}.{r}: {len(line)} letters, but grid.cols is {cols}"))
            bad = sorted(set(line) - set(legend))
            if bad:
                legend_text = ", ".join(f"{k!r} {v}" for k, v in legend.items())
                out.append(Issue(("map", key, r), f"map.{key}.{r}: unknown letter {bad[0]!r} at column "
                                                  f"{line.index(bad[0])} (legend: {legend_text})"))
    bounds = (rows, cols)
    for i, river in enumerate(m.get("rivers") or []):
        for j, (a, b) in enumerate(river["edges"]):
            path = ("map", "rivers", i, "edges", j)
            issues = [x for x in (_hex_issue(path, a, bounds), _hex_issue(path, b, bounds)) if x]
            out.extend(issues)
            if not issues and not adjacent(a, b):
                out.append(Issue(path, f"{dotted(path)}: {a} and {b} are not neighbouring hexes"))
    for key in ("roads", "rails"):
        for i, route in enumerate(m.get(key) or []):
            hexes = route["hexes"]
            for j, h in enumerate(hexes):
                path = ("map", key, i, "hexes", j)
                issue = _hex_issue(path, h, bounds)
                if issue:
                    out.append(issue)
                elif j > 0 and _hex_issue(path, hexes[j - 1], bounds) is None and not adjacent(hexes[j - 1], h):
                    out.append(Issue(path, f"{dotted(path)}: {h} does not touch the hex before it {hexes[j - 1]} "
                                           "(consecutive hexes of a route must be neighbours)"))
    seen = {}
    for i, p in enumerate(m.get("places") or []):
        at = p.get("at")
        rc = at if isinstance(at, list) else [at["row"], at["col"]] if isinstance(at, dict) and "row" in at else None
        issue = _hex_issue(("map", "places", i, "at"), rc, bounds) if rc is not None else None
        if issue:
            out.append(issue)
        for name in [p["name"], *p.get("aliases", [])]:
            key = name.casefold()
            if key in seen:
                out.append(Issue(("map", "places", i, "name"),
                                 f"map.places.{i}: the name {name!r} is already used by map.places.{seen[key]}"))
            else:
                seen[key] = i
    return out


def locations(data):
    for path, u in all_unit_entries(data):
        yield path + ("at",), u["at"]
    for side, places in (data.get("supply_sources") or {}).items():
        for i, at in enumerate(places):
            if isinstance(at, dict) and "at" in at:
                yield ("supply_sources", side, i, "at"), at["at"]
            else:
                yield ("supply_sources", side, i), at
    for i, rule in enumerate((data.get("victory") or {}).get("sudden_death") or []):
        for j, at in enumerate(rule["holds"]):
            yield ("victory", "sudden_death", i, "holds", j), at
    for i, obj in enumerate((data.get("victory") or {}).get("objectives") or []):
        for j, at in enumerate(obj.get("hold") or []):
            yield ("victory", "objectives", i, "hold", j), at
        area = (obj.get("exit") or {}).get("area") or {}
        if "place" in area:
            yield ("victory", "objectives", i, "exit", "area", "place"), area["place"]
    control = data.get("control")
    for i, entry in enumerate((control.get("uncovered") or []) if isinstance(control, dict) else []):
        for j, area in enumerate(entry.get("areas") or [] if isinstance(entry, dict) else []):
            if isinstance(area, dict) and "place" in area:
                yield ("control", "uncovered", i, "areas", j, "place"), area["place"]
    for side, settings in (data.get("ai") or {}).items():
        for i, zone in enumerate((settings or {}).get("keep_out") or []):
            for j, area in enumerate(zone.get("areas") or []):
                if "place" in area:
                    yield ("ai", side, "keep_out", i, "areas", j, "place"), area["place"]
        for i, order in enumerate((settings or {}).get("hold") or []):
            for j, at in enumerate(order.get("places") or []):
                yield ("ai", side, "hold", i, "places", j), at
        for i, order in enumerate((settings or {}).get("advance") or []):
            for j, at in enumerate(order.get("route") or []):
                yield ("ai", side, "advance", i, "route", j), at


def check_locations(data) -> list[Issue]:
    """Row/col locations inside an inline map; place names when the inline map lists places."""
    bounds = _map_bounds(data)
    if bounds is None or data["map"].get("asset") is not None:
        return []
    out = []
    places = data["map"].get("places") or []
    names = {n.casefold() for p in places for n in [p["name"], *p.get("aliases", [])]}
    for path, at in locations(data):
        if isinstance(at, list):
            rc = at
        elif isinstance(at, dict) and "row" in at:
            rc = [at["row"], at["col"]]
        elif isinstance(at, str):
            if places and at.casefold() not in names:
                out.append(Issue(path, f"{dotted(path)}: unknown place {at!r}"
                                       f"{did_you_mean(at, [p['name'] for p in places])}"))
            continue
        else:
            continue
        issue = _hex_issue(path, rc, bounds)
        if issue:
            out.append(issue)
    return out


def check_held_units(data) -> list[Issue]:
    """``held_until_flag`` entries: a unit id, or a prefix (optionally ending in '*') of one."""
    held = data.get("held_until_flag") or {}
    if not held:
        return []
    ids = [u["id"] for _, u in all_unit_entries(data)]
    out = []
    for flag, entries in held.items():
        for i, entry in enumerate(entries):
            prefix = entry[:-1] if entry.endswith("*") else entry
            if not prefix or not any(uid.startswith(prefix) for uid in ids):
                path = ("held_until_flag", flag, i)
                out.append(Issue(path, f"{dotted(path)}: {entry!r} is not a unit id nor the start of one"
                                       f"{did_you_mean(entry, ids)}"))
    return out


def filter_issues(path, flt, known_units, types, nations, unknown_unit) -> list[Issue]:
    """A unit filter's ids, nation and type must be the scenario's (``unknown_unit(path, id)``
    words the message for an unknown id)."""
    out = []
    for n, uid in enumerate(flt.get("units") or []):
        if uid not in known_units:
            out.append(unknown_unit(path + ("units", n), uid))
    if flt.get("nation") is not None and flt["nation"] not in nations:
        out.append(Issue(path + ("nation",), f"{dotted(path)}.nation: unknown nation {flt['nation']!r}"
                                             f"{did_you_mean(flt['nation'], nations)}"))
    if flt.get("type") is not None and flt["type"] not in types:
        out.append(Issue(path + ("type",), f"{dotted(path)}.type: unknown unit type {flt['type']!r}"
                                           f"{did_you_mean(flt['type'], types)}"))
    return out


def check_objectives(data) -> list[Issue]:
    """Objective ids unique; their units, nations and types the scenario's; their days inside it."""
    out: list[Issue] = []
    ids = {u["id"] for _, u in all_unit_entries(data)}
    types, nations = data.get("unit_types") or {}, data.get("nations") or {}
    start, end = to_date(data["start"]), to_date(data["end"])
    seen: dict[str, int] = {}

    def unknown(path, uid):
        return Issue(path, f"{dotted(path)}: no unit {uid!r} in the scenario's units or reinforcements"
                           f"{did_you_mean(uid, ids)}")

    for i, obj in enumerate((data.get("victory") or {}).get("objectives") or []):
        path = ("victory", "objectives", i)
        if obj["id"] in seen:
            out.append(Issue(path + ("id",), f"{dotted(path)}.id: duplicate objective id {obj['id']!r} "
                                             f"(already used by victory.objectives.{seen[obj['id']]})"))
        seen.setdefault(obj["id"], i)
        for key in ("destroy", "exit"):
            if obj.get(key) is not None:
                out.extend(filter_issues(path + (key,), obj[key], ids, types, nations, unknown))
        for key in ("by", "until"):
            if obj.get(key) is not None:
                issue = date_range_issue(path + (key,), obj[key], start, end)
                if issue:
                    out.append(issue)
    return out


SCENARIO_CHECKS = (check_dates, check_sides, check_units, check_combat, check_map, check_locations,
                   check_held_units, check_objectives)


def run_scenario_checks(data) -> list[Issue]:
    out = []
    for check in SCENARIO_CHECKS:
        out.extend(check(data))
    return out
