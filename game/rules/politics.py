"""Political will and war-weariness, the cost of fighting while the armistice talks go on,
and a side's collapse (docs/rules/politics.md).

Each side has ``state.sides[side]["will"]`` (100 unless the scenario's ``sides`` say). At the
end of every turn it falls with what the turn cost the side, from the data in ``politics.will``:

* ``per_loss``: per strength point the side lost this turn (combat, attrition);
* ``per_city_vp_lost`` / ``per_city_vp_taken``: per VP of the places the enemy took from it /
  it took from the enemy this turn;
* ``talks_per_week``: while the talks stall (their state is open, suspended, at Panmunjom or
  the line agreed), per week of the turn;
* ``offensive_during_talks``: per attack the side made this turn while the talks went on
  (counted at the end of the side's operations).

Cards move will too (the ``will`` effect). A side whose will falls to ``collapse_at`` collapses
and the game ends with the other side the winner (a ``victory`` hook). ``start_flags`` are set
when a new game starts: the political premise of a what-if.

Everything this module keeps is plain JSON in ``state.rules_state["politics"]``: the losses and
place owners seen at the last turn end, this turn's will changes by cause, the victory points
by part, and the will of each side at the end of every turn.
"""

from __future__ import annotations

import numpy as np

from ..engine.units import COMMUNIST, SIDE_NAMES, UN
from .module import RuleModule, given
from .state_models import PoliticsState
from .victory import _num, end_game, final_result, score

SIDES = (UN, COMMUNIST)
STALLED_TALKS = ("open", "suspended", "panmunjom", "line_agreed")


class PoliticsRules(RuleModule):
    """Political will: war-weariness each turn, the cost of attacking during the talks, and a
    side's collapse."""

    name = "politics"
    STATE = PoliticsState

    def check_state(self) -> None:
        super().check_state()
        data = self.state.rules_state.get("politics", {})
        if "place_owner" in data and len(data["place_owner"]) != int((self.state.map.vp > 0).sum()):
            raise ValueError("rules_state.politics.place_owner: not one owner per place with VP")

    @classmethod
    def applies(cls, scenario) -> bool:
        return given(scenario.config.politics)

    def setup(self) -> None:
        st = self.state
        rs = st.rules_state.setdefault("politics", {})
        if st.phase == "setup":                      # a new game: its premise and first baseline
            st.flags.update(st.scenario.config.politics.start_flags)
            rs.update(_baseline(st))
            rs["will_history"] = []

    def side_end(self, side: int) -> None:
        _offensives(self.game, side)

    def turn_end(self) -> None:
        _war_weariness(self.game)

    def victory(self) -> None:
        _collapse(self.game)


def side_value(value, side: int) -> float:
    """A number for both sides, or per side (``{un: .., communist: ..}``)."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return float(value.get(SIDE_NAMES[side], 0.0))
    return float(getattr(value, SIDE_NAMES[side]))


def _will_rules(st):
    """The scenario's ``politics.will`` rules (the schema's defaults where it says nothing)."""
    return st.scenario.config.politics.will


def _vp_hexes(st) -> np.ndarray:
    return np.nonzero(st.map.vp > 0)[0]


def _baseline(st) -> dict:
    return {"losses_seen": {SIDE_NAMES[s]: st.sides[s]["losses"] for s in SIDES},
            "place_owner": st.owner[_vp_hexes(st)].astype(int).tolist(),
            "turn_costs": {SIDE_NAMES[s]: {} for s in SIDES}}


def talks_stalled(st) -> bool:
    return st.talks in STALLED_TALKS


def _change(st, side: int, cause: str, amount: float) -> None:
    """Add ``amount`` to the side's will (negative: wearier) and book it under ``cause``."""
    if not amount:
        return
    st.sides[side]["will"] = st.sides[side]["will"] + amount
    costs = st.rules_state["politics"]["turn_costs"][SIDE_NAMES[side]]
    costs[cause] = round(costs.get(cause, 0.0) + amount, 3)


def offensive_cost(game, side: int) -> float:
    """Will one attack by ``side`` costs now (0 while no talks go on): for the AI, which
    should attack only at better odds while it is above 0."""
    st = game.state
    if not talks_stalled(st):
        return 0.0
    return side_value(_will_rules(st).offensive_during_talks, side)


# ------------------------------------------------------------------------------ hooks

def _offensives(game, side: int) -> None:
    """Attacks made while the talks go on cost the attacker will."""
    st = game.state
    cost = offensive_cost(game, side)
    if not cost:
        return
    name = SIDE_NAMES[side]
    attacks = 0
    for order in reversed(st.orders):
        if order.get("turn") != st.turn:
            break
        attacks += order.get("type") == "attack" and order.get("side") == name
    _change(st, side, "offensives during talks", -cost * attacks)


def _war_weariness(game, _side=None) -> None:
    st = game.state
    rules = _will_rules(st)
    rs = st.rules_state["politics"]
    cal = st.scenario.calendar
    weeks = ((cal.turn_end(st.turn) - cal.turn_start(st.turn)).days + 1) / 7.0
    vp = st.map.vp[_vp_hexes(st)].astype(float)
    before = np.asarray(rs["place_owner"], dtype=np.int8)
    now = st.owner[_vp_hexes(st)]
    for side in SIDES:
        name = SIDE_NAMES[side]
        lost = st.sides[side]["losses"] - rs["losses_seen"][name]
        _change(st, side, "losses", -side_value(rules.per_loss, side) * lost)
        cities_lost = float(vp[(before == side) & (now != side)].sum())
        cities_taken = float(vp[(before != side) & (now == side)].sum())
        _change(st, side, "cities lost", -side_value(rules.per_city_vp_lost, side) * cities_lost)
        _change(st, side, "cities taken", side_value(rules.per_city_vp_taken, side) * cities_taken)
        if talks_stalled(st):
            per_week = getattr(rules.talks_per_week, st.talks)
            _change(st, side, "talks stall", -side_value(per_week, side) * weeks)
    rs["last_turn"] = rs["turn_costs"]
    rs.update(_baseline(st))
    rs["vp"] = score(st)
    rs["will_history"].append([st.date.isoformat()] + [_num(st.sides[s]["will"]) for s in SIDES])


def _collapse(game, _side=None) -> None:
    """A side whose will is spent gives up: the other side wins (both at once: the more
    exhausted one gives up; equally exhausted: a draw)."""
    st = game.state
    if st.over:
        return
    floor = float(_will_rules(st).collapse_at)
    will = {s: float(st.sides[s]["will"]) for s in SIDES}
    broken = [s for s in SIDES if will[s] <= floor]
    if not broken:
        return
    if len(broken) == 2 and will[UN] == will[COMMUNIST]:
        winner, reason = "draw", "both sides' political will collapsed at once"
    else:
        loser = min(broken, key=lambda s: will[s])
        winner = SIDE_NAMES[COMMUNIST if loser == UN else UN]
        reason = f"the {getattr(st.scenario.config.sides, SIDE_NAMES[loser]).name}'s political will collapsed"
    end_game(game, final_result(st, reason, winner))
