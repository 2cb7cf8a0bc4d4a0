"""Card effects: the closed vocabulary of docs/cards.md, as data-driven functions.

An effect is a one-key mapping ``{KEY: ARG}``. ``EFFECTS[KEY](game, ARG, card)`` applies it.
The deck schema (game/scenario/cards.py) checks every effect's argument when a deck is loaded,
so the functions here can trust it. Numbers are changes (deltas) to the side's current values.
Everything an effect changes lives in the GameState (flags, sides, units, talks,
weather_override, card_state), so saves keep it."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from ..engine.units import ARRIVING, ELIMINATED, ON_MAP, SIDE_CODES, WITHDRAWN
from ..engine.vocabulary import TALKS_EFFECTS, TALKS_STATE
from ..rules.placement import free_hex_near, where_is
from ..scenario.build import BuildError, locate
from .conditions import place_hex, var_value

TALKS = TALKS_EFFECTS


def _side(arg) -> int:
    return SIDE_CODES[str(arg["side"])]


def _bump(game, arg, key: str, field: str) -> None:
    sd = game.state.sides[_side(arg)]
    if field in arg:
        sd[key] = sd.get(key, 0) + arg[field]


# ------------------------------------------------------------------------------ effects

def e_set_flag(game, arg, card) -> None:
    game.state.flags.add(str(arg))


def e_clear_flag(game, arg, card) -> None:
    game.state.flags.discard(str(arg))


def e_release_units(game, arg, card) -> None:
    """Scheduled reinforcements arrive in their side's next reinforcement phase (this turn's
    if it is still to come); units already on the map, eliminated or withdrawn are left alone."""
    st = game.state
    u = st.units
    for uid in arg:
        r = u.get(str(uid))
        if r is None:
            st.say(f"(card {card.get('id')}: no unit {uid!r} to release)")
            continue
        if int(u.status[r]) == ARRIVING and (u.arrive_turn[r] < 0 or u.arrive_turn[r] > st.turn):
            u.arrive_turn[r] = st.turn
        flag = held_by(st, str(uid))
        if flag is not None:
            st.say(f"(card {card.get('id')}: {uid} stays held until the flag {flag!r} is set)")


def held_rows(units, patterns) -> set:
    """Rows of the units a ``held_until_flag`` entry list names: an entry that is a unit's id is
    that unit, any other the start of ids ("cpv_" holds every CPV unit; a trailing ``*`` is
    allowed)."""
    rows = set()
    for p in patterns or []:
        p = str(p)
        r = units.get(p)
        if r is not None:
            rows.add(r)
        elif p.rstrip("*"):
            pre = p.rstrip("*")
            rows.update(i for i, uid in enumerate(units.ids) if uid.startswith(pre))
    return rows


def held_by(state, uid: str) -> str | None:
    """The unset flag of the scenario's ``held_until_flag`` that holds unit ``uid`` back, if any."""
    r = state.units.get(uid)
    for flag, patterns in (state.scenario.config.held_until_flag or {}).items():
        if flag not in state.flags and r in held_rows(state.units, patterns):
            return flag
    return None


def e_add_units(game, arg, card) -> None:
    st = game.state
    u, rules = st.units, st.rules
    for spec in arg:
        uid = str(spec["id"])
        if u.get(uid) is not None:
            st.say(f"(card {card.get('id')}: unit {uid} already exists)")
            continue
        side = SIDE_CODES[str(spec["side"])]
        tname = str(spec["type"])
        if tname not in rules.unit_types.names:
            st.say(f"(card {card.get('id')}: unknown unit type {tname!r})")
            continue
        want = _locate(game, spec["at"])
        if want < 0:
            st.say(f"(card {card.get('id')}: unknown place {spec['at']!r})")
            continue
        code = rules.unit_types.code(tname)
        h = free_hex_near(st, side, want, float(rules.unit_types.stack[code]))
        nation = str(spec["nation"])
        eff = int(spec.get("efficiency") or rules.quality(nation))
        # No free hex held by the side: the unit waits to land there in the next reinforcement phase.
        u.add(uid=uid, name=str(spec.get("name", uid)), nation=nation, type_code=code, side=side,
              strength=int(spec["strength"]), hex=h if h >= 0 else -1,
              status=ON_MAP if h >= 0 else ARRIVING, efficiency=eff,
              parent=str(spec.get("parent") or ""), source=str(spec.get("source") or card.get("source", "")),
              arrive_turn=st.turn if h < 0 else -1, arrive_hex=want)
        if game.start_hexes is not None:      # the operations phase compares hexes with these
            game.start_hexes = np.append(game.start_hexes, np.int32(h if h >= 0 else -1)).astype(np.int32)
        game.movement.invalidate()
        if h >= 0:
            game.notify("arrival", {"unit": uid, "hex": h})


def e_evacuate(game, arg, card) -> None:
    """The side's units within ``within`` hexes of ``port`` sail to the port ``to``
    (which it must hold): each lands on the free hex nearest it, with no moves left this turn."""
    st = game.state
    u, grid = st.units, st.map.grid
    side = _side(arg)
    src, dst = place_hex(game, arg["port"]), place_hex(game, arg["to"])
    if src < 0 or dst < 0 or st.owner[dst] != side:
        st.say(f"(card {card.get('id')}: no evacuation: {arg['to']} is not held)")
        return
    rows = u.rows_on_map(side)
    rows = rows[grid.distance(u.hex[rows], np.full(rows.size, src)) <= int(arg["within"])]
    moved = 0
    for r in rows:
        h = free_hex_near(st, side, dst, float(st.rules.unit_types.stack[u.type[r]]))
        if h < 0:
            break                      # no room left near the port: the rest stay
        u.hex[r] = h
        u.mp[r] = 0.0
        u.entrench[r] = 0
        moved += 1
        game.movement.invalidate()
        game.notify("arrival", {"unit": u.ids[r], "hex": h})
    st.say(f"{moved} units sail from {arg['port']} and land {where_is(st.map, dst)}")


def _locate(game, at) -> int:
    """Hex of a place name, {lat, lon}, {row, col} or [row, col]; -1 if not on the map."""
    if isinstance(at, str):
        return place_hex(game, at)
    try:
        return int(locate(game.state.map, at, ()))
    except (BuildError, KeyError, TypeError, ValueError):
        return -1


def e_withdraw_units(game, arg, card) -> None:
    st = game.state
    u = st.units
    for uid in arg:
        r = u.get(str(uid))
        if r is None or int(u.status[r]) in (ELIMINATED, WITHDRAWN):
            continue
        u.status[r] = WITHDRAWN
        u.hex[r] = -1
        st.say(f"{u.names[r]} leaves the war")
    game.movement.invalidate()


def e_replacements(game, arg, card) -> None:
    _bump(game, arg, "replacements", "points")


def e_supply(game, arg, card) -> None:
    _bump(game, arg, "supply_capacity", "capacity")


def e_air(game, arg, card) -> None:
    _bump(game, arg, "air_missions", "missions")


def e_naval(game, arg, card) -> None:
    _bump(game, arg, "naval_gunfire", "gunfire")
    _bump(game, arg, "naval_lift", "lift")


def e_vp(game, arg, card) -> None:
    _bump(game, arg, "vp", "points")


def e_will(game, arg, card) -> None:
    _bump(game, arg, "will", "change")


def e_weather(game, arg, card) -> None:
    st = game.state
    st.weather_override = {"condition": str(arg["condition"]), "turns": int(arg["turns"])}
    st.weather = str(arg["condition"])


def _edit_actions(game, arg, add_to: str, remove_from: str) -> None:
    sd = game.state.sides[_side(arg)]
    action = str(arg["action"])
    sd[remove_from] = [a for a in sd.get(remove_from, []) if a != action]
    if action not in sd.setdefault(add_to, []):
        sd[add_to].append(action)
    # When: an `allow: offensive` card orders a general offensive from that date (the AI's posture).
    sd.setdefault("changed", {})[action] = game.state.date.isoformat()


def e_allow(game, arg, card) -> None:
    _edit_actions(game, arg, "allowed", "forbidden")
    # How long this order lasts, where the card says (the AI's offensive and withdrawal postures read it).
    lasts = game.state.sides[_side(arg)].setdefault("lasts", {})
    if arg.get("days") is not None:
        lasts[str(arg["action"])] = int(arg["days"])
    else:
        lasts.pop(str(arg["action"]), None)


def e_forbid(game, arg, card) -> None:
    _edit_actions(game, arg, "forbidden", "allowed")


def e_talks(game, arg, card) -> None:
    st = game.state
    cs = st.card_state
    if arg == "suspend":
        if st.talks != "suspended":
            cs["talks_before_suspend"] = st.talks
        st.talks = "suspended"
    elif arg == "resume":
        before = cs.pop("talks_before_suspend", "open")
        st.talks = before if before not in ("none", "closed", "suspended") else "open"
    else:
        st.talks = TALKS_STATE[str(arg)]
        cs.pop("talks_before_suspend", None)


def e_end_game(game, arg, card) -> None:
    """The game ends at the end of this turn (the engine's victory hook applies it)."""
    game.state.card_state["end_game"] = {"reason": str(arg["reason"]),
                                         "winner": str(arg.get("winner", "score")),
                                         "card": str(card.get("id", ""))}


def e_message(game, arg, card) -> None:
    game.state.say(str(arg))


def e_set_var(game, arg, card) -> None:
    game.state.card_state.setdefault("vars", {})[str(arg["name"])] = arg["value"]


def e_add_var(game, arg, card) -> None:
    st = game.state
    name = str(arg["name"])
    total = var_value(st, name) + float(arg["value"])
    st.card_state.setdefault("vars", {})[name] = int(total) if total == int(total) else total


def weighted_pick(rng, weights) -> int:
    """Index drawn from ``weights`` (positive numbers) with one roll of the game's generator."""
    w = np.asarray(weights, dtype=float)
    return int(np.searchsorted(np.cumsum(w), rng.random() * w.sum(), side="right").clip(0, w.size - 1))


def e_random(game, arg, card) -> None:
    """One outcome, drawn by weight with the game's generator (only now, when the card fires)."""
    st = game.state
    n = weighted_pick(st.rng, [o["weight"] for o in arg])
    outcome = arg[n]
    label = str(outcome.get("label") or f"outcome {n + 1}")
    st.card_state.setdefault("outcomes", {})[str(card.get("id", ""))] = label
    st.say(f"(card {card.get('id')}: {label})")
    apply_effects(game, outcome["effects"], card)


def e_trigger(game, arg, card) -> None:
    """Another card fires right after this one, or ``days`` later (the event engine fires it at
    the start of the turn containing that day: at once if that day is in this turn)."""
    st = game.state
    target, days = (arg, 0) if isinstance(arg, str) else (str(arg["card"]), int(arg.get("days", 0)))
    due = st.date + _dt.timedelta(days=days)
    st.card_state.setdefault("scheduled", []).append({"card": target, "date": due.isoformat(),
                                                      "by": str(card.get("id", ""))})


EFFECTS = {
    "set_flag": e_set_flag,
    "clear_flag": e_clear_flag,
    "release_units": e_release_units,
    "add_units": e_add_units,
    "withdraw_units": e_withdraw_units,
    "evacuate": e_evacuate,
    "replacements": e_replacements,
    "supply": e_supply,
    "air": e_air,
    "naval": e_naval,
    "vp": e_vp,
    "will": e_will,
    "weather": e_weather,
    "allow": e_allow,
    "forbid": e_forbid,
    "talks": e_talks,
    "end_game": e_end_game,
    "message": e_message,
    "set_var": e_set_var,
    "add_var": e_add_var,
    "random": e_random,
    "trigger": e_trigger,
}


def apply_effects(game, effects, card) -> None:
    """Apply a list of effects in order."""
    for eff in effects or []:
        if not isinstance(eff, dict) or len(eff) != 1:
            raise ValueError(f"an effect is a one-key mapping, not {eff!r}")
        (key, arg), = eff.items()
        fn = EFFECTS.get(key)
        if fn is None:
            raise ValueError(f"unknown effect {key!r}")
        fn(game, arg, card)
