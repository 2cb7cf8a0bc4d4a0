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
from ..rules.victory import victory_points
from ..scenario.selectors import units_in_area

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


def var_value(state, name: str) -> float:
    """A card variable's value: set by the cards, else the scenario's start value, else 0."""
    found = state.card_state.get("vars", {}).get(name)
    if found is not None:
        return float(found)
    return float((state.scenario.config.variables or {}).get(name, 0))


def within(value: float, arg) -> bool:
    """Whether ``value`` meets the ``at_least`` / ``at_most`` / ``equals`` bounds of ``arg``
    (those given)."""
    eq = arg.get("equals")
    lo = eq if arg.get("at_least") is None else arg["at_least"]
    hi = eq if arg.get("at_most") is None else arg["at_most"]
    eps = 1e-9
    return (lo is None or value >= float(lo) - eps) and (hi is None or value <= float(hi) + eps)


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


def c_units_in(game, arg) -> bool:
    side = SIDE_CODES[arg["side"]] if arg.get("side") else None
    return units_in_area(game.state, arg, arg["area"], side).size >= int(arg.get("at_least", 1))


def c_will(game, arg) -> bool:
    return within(float(game.state.sides[_side(arg)]["will"]), arg)


def c_vp(game, arg) -> bool:
    """The side's victory points as the game scores them now (places, ground, losses, cards)."""
    return within(float(victory_points(game.state)[str(arg["side"])]), arg)


def c_losses(game, arg) -> bool:
    return within(float(game.state.sides[_side(arg)]["losses"]), arg)


def c_var(game, arg) -> bool:
    return within(var_value(game.state, str(arg["name"])), arg)


def c_objective(game, arg) -> bool:
    """The scenario's objective ``arg`` has been met (game/rules/objectives.py)."""
    progress = game.state.rules_state.get("objectives", {}).get("progress", {})
    return bool((progress.get(str(arg)) or {}).get("done"))


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
    "units_in": c_units_in,
    "will": c_will,
    "vp": c_vp,
    "losses": c_losses,
    "var": c_var,
    "objective": c_objective,
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
