"""Judging a scenario test's expectations (docs/testing.md) on one game as it is played.

:class:`Judge` listens to the game: at the end of each turn (after control of ground, before the
victory checks) it decides the expectations about that turn's day ("the UN holds Seoul on
30 September": at the end of the turn containing that day), and notes what has happened by a
deadline (a unit destroyed, a card fired); when the game is over, or stopped, it decides the
rest from the final state. A game that ended before an expectation's day is judged on its last
position. Nothing here changes the game.
"""

from __future__ import annotations

from ..engine.calendar import parse_date
from ..engine.mapdata import REGION
from ..engine.units import ELIMINATED, SIDE_CODES
from ..events.conditions import var_value, within
from ..rules.victory import victory_points
from ..scenario.testfile import expectation_kind

DATED = ("holds", "share", "flag", "var", "value")     # judged at the end of the turn of `date`


def describe(item: dict) -> str:
    """An expectation in words, for the report."""
    kind = expectation_kind(item)
    share = kind == "share"
    bounds = " and ".join(f"{k.replace('_', ' ')} {item[k]:.0%}" if share else f"{k.replace('_', ' ')} {item[k]:g}"
                          for k in ("at_least", "at_most") if k in item)
    on = f" on {item['date']}" if item.get("date") else ""
    if kind == "holds":
        return f"{item['side']} holds {item['holds']}{on}"
    if kind == "share":
        return f"{item['side']} holds {bounds} of the {item['controls_share_of']}'s land{on}"
    if kind == "card":
        return f"card {item['card']} fired by {item['fired_by']}"
    if kind == "result_level":
        who = f"{item['winner']} " if item.get("winner") and item["winner"] != "draw" else ""
        level = "a draw" if item["result_level"] == "draw" else f"a {who}{item['result_level']} victory"
        return f"the game ends in {level}" + (f" by {item['date']}" if item.get("date") else "")
    if kind == "winner":
        end = "a draw" if item["winner"] == "draw" else f"{item['winner']} winning"
        return f"the game ends in {end}" + (f" by {item['date']}" if item.get("date") else "")
    if kind == "unit":
        how, when = ("destroyed", item["eliminated_by"]) if "eliminated_by" in item else ("out", item["exited_by"])
        return f"{item['unit']} {how} by {when}"
    if kind == "objective":
        return f"objective {item['objective']} {'met' if item.get('met', True) else 'not met'}"
    if kind == "flag":
        return f"flag {item['flag']} set{on}"
    if kind == "var":
        return f"variable {item['var']} {bounds}{on}"
    return f"{item['side']} {item['value']} {bounds}{on}"


def _progress(state) -> dict:
    return state.rules_state.get("objectives", {}).get("progress", {})


def _now(state, item: dict) -> bool:
    """A dated expectation, judged on the state as it is now."""
    kind = expectation_kind(item)
    if kind == "holds":
        p = state.map.find_place(item["holds"])
        return p is not None and int(state.owner[p.hex]) == SIDE_CODES[item["side"]]
    if kind == "share":
        m = state.map
        area = m.land & (m.region == REGION[item["controls_share_of"]])
        share = float((state.owner[area] == SIDE_CODES[item["side"]]).mean()) if area.any() else 0.0
        return within(share, item)
    if kind == "flag":
        return item["flag"] in state.flags
    if kind == "var":
        return within(var_value(state, item["var"]), item)
    side = SIDE_CODES[item["side"]]
    if item["value"] == "vp":
        value = float(victory_points(state)[item["side"]])
    elif item["value"] == "strength":
        value = float(state.units.strength[state.units.on_map(side)].sum())
    else:
        value = float(state.sides[side][item["value"]])
    return within(value, item)


def _unit_gone(state, item: dict) -> bool:
    """Whether the unit is destroyed (eliminated_by) or out through an exit (exited_by) now."""
    r = state.units.get(item["unit"])
    if r is None:
        return False
    if "eliminated_by" in item:
        return int(state.units.status[r]) == ELIMINATED
    progress = _progress(state)
    exits = [o.id for o in state.scenario.config.victory.objectives if o.exit is not None]
    return any(item["unit"] in (progress.get(oid) or {}).get("units", ()) for oid in exits)


class Judge:
    """The expectations of one test, judged on one game."""

    def __init__(self, game, items: list[dict]):
        self.game = game
        self.items = items
        self.held: list[bool | None] = [None] * len(items)
        cal = game.state.scenario.calendar
        self.turn_of = [cal.turn_of(item["date"]) if expectation_kind(item) in DATED else None for item in items]
        game.listeners.append(self._on_event)

    def _on_event(self, kind: str, payload) -> None:
        if kind == "turn_recorded":
            self._turn_ended(int(payload["turn"]))

    def _turn_ended(self, turn: int) -> None:
        st = self.game.state
        start = st.scenario.calendar.turn_start(turn)
        for i, item in enumerate(self.items):
            if self.held[i] is not None:
                continue
            kind = expectation_kind(item)
            if kind in DATED and turn >= self.turn_of[i]:
                self.held[i] = _now(st, item)
            elif kind == "unit" and start <= parse_date(item.get("eliminated_by") or item["exited_by"]) \
                    and _unit_gone(st, item):
                self.held[i] = True

    def finish(self) -> list[bool]:
        """Every expectation decided: those left, on the final state."""
        st = self.game.state
        result = st.result or {}
        for i, item in enumerate(self.items):
            if self.held[i] is not None:
                continue
            kind = expectation_kind(item)
            if kind in DATED:
                self.held[i] = _now(st, item)          # the game ended (or stopped) before the day
            elif kind == "card":
                self.held[i] = any(rec["id"] == item["card"] and rec["turn_date"] <= item["fired_by"]
                                   for rec in st.fired)
            elif kind == "unit":
                self.held[i] = False
            elif kind == "objective":
                done = (_progress(st).get(item["objective"]) or {}).get("done")
                self.held[i] = bool(done) == item.get("met", True)
            else:
                self.held[i] = self._result_is(result, item)
        return [bool(h) for h in self.held]

    def _result_is(self, result: dict, item: dict) -> bool:
        if not result:
            return False
        if item.get("date") and result.get("date", "9999") > item["date"]:
            return False
        if "result_level" in item and result.get("level") != item["result_level"]:
            return False
        return "winner" not in item or result.get("winner") == item["winner"]
