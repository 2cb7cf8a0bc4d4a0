"""Card conditions (``when:``): the closed vocabulary of docs/cards.md, as data-driven functions.

A condition is a one-key mapping ``{KEY: ARG}``. ``CONDITIONS[KEY](game, ARG) -> bool`` tests it
against the game. The deck schema (game/scenario/cards.py) checks every condition when a deck is
loaded, so the functions here can trust their arguments. Nothing is ever eval'd.
"""

from __future__ import annotations

import numpy as np

from ..engine.calendar import parse_date
from ..engine.mapdata import REGION
from ..engine.units import ELIMINATED, ON_MAP, SIDE_CODES

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
