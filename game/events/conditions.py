"""Card conditions (``when:``): the closed vocabulary of docs/cards.md, as data-driven functions.

A condition is a one-key mapping ``{KEY: ARG}``. ``CONDITIONS[KEY](game, ARG) -> bool`` tests it
against the game; ``CONDITION_CHECKS[KEY](ARG) -> [(path, message)]`` says what is wrong with
its argument without a game (the deck checker uses it). Nothing is ever eval'd.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import parse_date
from ..engine.mapdata import REGION
from ..engine.units import ELIMINATED, ON_MAP, SIDE_CODES
from ..scenario.errors import did_you_mean

SIDE_WORDS = tuple(SIDE_CODES)
HELD_REGIONS = ("south", "north")


# ------------------------------------------------------------------------------ helpers

def place_hex(game, name) -> int:
    """Hex of a place name (or alias), -1 if the map has no such place."""
    p = game.state.map.find_place(str(name)) if isinstance(name, str) else None
    return -1 if p is None else int(p.hex)


def _side(arg) -> int:
    return SIDE_CODES[str(arg["side"])]


def _unit_row(game, uid):
    return game.state.units.get(str(uid))


# ------------------------------------------------------------------------------ tests

def c_flag(game, arg) -> bool:
    return str(arg) in game.state.flags


def c_not(game, arg) -> bool:
    return not evaluate(game, arg)


def c_all(game, arg) -> bool:
    return all(evaluate(game, c) for c in arg)


def c_any(game, arg) -> bool:
    return any(evaluate(game, c) for c in arg)


def c_controls(game, arg) -> bool:
    h = place_hex(game, arg["place"])
    return h >= 0 and int(game.state.owner[h]) == _side(arg)


def c_unit_near(game, arg) -> bool:
    st = game.state
    h = place_hex(game, arg["place"])
    if h < 0:
        return False
    rows = st.units.rows_on_map(_side(arg))
    if rows.size == 0:
        return False
    hexes = st.units.hex[rows].astype(np.int64)
    d = st.map.grid.distance(hexes, np.full(hexes.size, h, dtype=np.int64))
    return bool((np.asarray(d) <= int(arg["hexes"])).any())


def c_eliminated(game, arg) -> bool:
    r = _unit_row(game, arg)
    return r is not None and int(game.state.units.status[r]) == ELIMINATED


def c_on_map(game, arg) -> bool:
    r = _unit_row(game, arg)
    return r is not None and int(game.state.units.status[r]) == ON_MAP


def c_hexes_held(game, arg) -> bool:
    st = game.state
    m = st.map
    area = m.land & (m.region == REGION[str(arg["region"])])
    total = int(area.sum())
    if total == 0:
        return False
    held = int((st.owner[area] == _side(arg)).sum())
    return held / total >= float(arg["at_least"]) - 1e-12


def c_turn_after(game, arg) -> bool:
    return game.state.date > parse_date(arg)


CONDITIONS = {
    "flag": c_flag,
    "not": c_not,
    "all": c_all,
    "any": c_any,
    "controls": c_controls,
    "unit_near": c_unit_near,
    "eliminated": c_eliminated,
    "on_map": c_on_map,
    "hexes_held": c_hexes_held,
    "turn_after": c_turn_after,
}


def evaluate(game, cond) -> bool:
    """Test a condition; a malformed one raises ValueError (decks are checked when loaded)."""
    if not isinstance(cond, dict) or len(cond) != 1:
        raise ValueError(f"a condition is a one-key mapping, not {cond!r}")
    (key, arg), = cond.items()
    fn = CONDITIONS.get(key)
    if fn is None:
        raise ValueError(f"unknown condition {key!r}")
    return bool(fn(game, arg))


# ------------------------------------------------------------------------------ argument checks
# Each returns a list of (path, message); path is a tuple of keys/indices below the condition.

def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _name(v) -> list:
    return [] if isinstance(v, str) and v.strip() else [((), f"must be a name, not {v!r}")]


def _date(v) -> list:
    try:
        parse_date(v)
    except (TypeError, ValueError):
        return [((), f"must be a real date YYYY-MM-DD, not {v!r}")]
    return []


def mapping_check(arg, required: dict, optional: dict | None = None, at_least_one=False) -> list:
    """Check a mapping argument: ``required``/``optional`` map key -> check(value) -> problems."""
    optional = optional or {}
    if not isinstance(arg, dict):
        return [((), f"must be a mapping with {', '.join(required) or ', '.join(optional)}")]
    out = []
    for k in arg:
        if k not in required and k not in optional:
            out.append(((k,), f"unknown key {k!r} (expected {', '.join(list(required) + list(optional))})"))
    for k in required:
        if k not in arg:
            out.append(((), f"missing {k!r}"))
    for k, check in {**required, **optional}.items():
        if k in arg:
            out += [((k,) + p, m) for p, m in check(arg[k])]
    if at_least_one and not any(k in arg for k in optional):
        out.append(((), f"give at least one of {', '.join(optional)}"))
    return out


def side_check(v) -> list:
    return [] if v in SIDE_WORDS else [((), f"must be un or communist, not {v!r}")]


def _nonneg_int(v) -> list:
    return [] if _is_int(v) and v >= 0 else [((), f"must be a whole number >= 0, not {v!r}")]


def _share(v) -> list:
    return [] if _is_num(v) and 0 <= v <= 1 else [((), f"must be a number from 0.0 to 1.0, not {v!r}")]


def _region(v) -> list:
    return [] if v in HELD_REGIONS else [((), f"must be south or north, not {v!r}")]


def _cond_list(v) -> list:
    if not isinstance(v, list) or not v:
        return [((), "must be a non-empty list of conditions")]
    out = []
    for i, c in enumerate(v):
        out += [((i,) + p, m) for p, m in check_condition(c)]
    return out


def _sub(v) -> list:
    return check_condition(v)


CONDITION_CHECKS = {
    "flag": _name,
    "not": _sub,
    "all": _cond_list,
    "any": _cond_list,
    "controls": lambda a: mapping_check(a, {"side": side_check, "place": _name}),
    "unit_near": lambda a: mapping_check(a, {"side": side_check, "place": _name, "hexes": _nonneg_int}),
    "eliminated": _name,
    "on_map": _name,
    "hexes_held": lambda a: mapping_check(a, {"side": side_check, "region": _region, "at_least": _share}),
    "turn_after": _date,
}


def check_condition(cond) -> list:
    """Problems with a condition, as ``[(path, message)]`` (empty if it is well formed)."""
    if not isinstance(cond, dict) or len(cond) != 1:
        return [((), f"a condition is a one-key mapping such as {{flag: NAME}}, not {cond!r}")]
    (key, arg), = cond.items()
    check = CONDITION_CHECKS.get(key)
    if check is None:
        return [((key,), f"unknown condition {key!r}{did_you_mean(key, CONDITIONS)}"
                          f" (known: {', '.join(CONDITIONS)})")]
    return [((key,) + p, m) for p, m in check(arg)]


def places_in_condition(cond) -> list:
    """Every (path, place name) a condition mentions, for checking against a map."""
    out = []
    if not isinstance(cond, dict) or len(cond) != 1:
        return out
    (key, arg), = cond.items()
    if key in ("controls", "unit_near") and isinstance(arg, dict) and "place" in arg:
        out.append(((key, "place"), arg["place"]))
    elif key == "not":
        out += [((key,) + p, n) for p, n in places_in_condition(arg)]
    elif key in ("all", "any") and isinstance(arg, list):
        for i, c in enumerate(arg):
            out += [((key, i) + p, n) for p, n in places_in_condition(c)]
    return out
