"""Scenario objectives beyond holding places (``victory.objectives``, docs/scenarios.md).

* **destroy**: enemy units the filter names destroyed (by ``by``), ``at_least`` of them (default:
  all it names);
* **exit**: the side's own units the filter names leave the map through an area: a unit that
  ends its side's turn there is taken off the map (it has got out) and counts;
* **hold**: the side holds every listed place at the end of the turn containing ``until`` (with
  ``continuously: true``, at the end of every turn up to it).

Each objective scores ``vp_each`` per unit destroyed or out and ``vp`` once met
(:func:`game.rules.victory.objective_points`); with ``ends_game: true`` meeting it ends the game,
the side winning decisively. What happened is kept in ``state.rules_state["objectives"]``:
``{objective id: {"units": [unit ids counted], "done": true | false | null}}`` (null: not decided
yet).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..engine.units import ELIMINATED, SIDE_CODES, WITHDRAWN, enemy_of
from ..scenario.build import locate
from ..scenario.selectors import describe_area, unit_mask, units_in_area
from .module import RuleModule
from .placement import where_is
from .victory import end_game, won_outright


class _Progress(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    units: list[str]
    done: bool | None


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    progress: dict[str, _Progress]


class ObjectiveRules(RuleModule):
    """Counts the units destroyed and taken out, judges the places held, ends the game when an
    objective says so."""

    name = "objectives"
    STATE = _State

    @classmethod
    def applies(cls, scenario) -> bool:
        return bool(scenario.config.victory.objectives)

    def __init__(self, game):
        super().__init__(game)
        st = game.state
        self.objectives = list(st.scenario.config.victory.objectives)
        cal = st.scenario.calendar
        # The turn each objective's day falls in (hold: judged then; destroy, exit: counted until then).
        self.last_turn = {o.id: cal.turn_of(o.until or o.by) if (o.until or o.by) else len(cal) - 1
                          for o in self.objectives}
        self.hexes = {o.id: [locate(st.map, at, ()) for at in o.hold] for o in self.objectives if o.hold}

    def check_state(self) -> None:
        super().check_state()
        data = self.state.rules_state.get(self.name)
        if data is not None and set(data["progress"]) - {o.id for o in self.objectives}:
            raise ValueError("rules_state.objectives.progress: an objective the scenario does not have")

    def setup(self) -> None:
        self.progress()

    def progress(self) -> dict:
        data = self.state.rules_state.setdefault(self.name, {"progress": {}})["progress"]
        for o in self.objectives:
            data.setdefault(o.id, {"units": [], "done": None})
        return data

    def need(self, o) -> int:
        """Units to destroy or take out: ``at_least``, else every unit the filter names."""
        if o.at_least is not None:
            return int(o.at_least)
        flt = (o.destroy or o.exit).model_dump(exclude_none=True)
        side = SIDE_CODES[o.side]
        u = self.state.units
        return max(1, int(unit_mask(u, list(self.state.rules.unit_types.names), flt,
                                    enemy_of(side) if o.destroy else side).sum()))

    # --- hooks --------------------------------------------------------------------------------
    def side_end(self, side: int) -> None:
        st = self.state
        for o in self.objectives:
            if o.exit is None or SIDE_CODES[o.side] != side or not self.is_open(o):
                continue
            rows = units_in_area(st, o.exit.model_dump(exclude_none=True), o.exit.area.model_dump(), side)
            for r in rows:
                st.say(f"{st.units.names[r]} leaves the map {where_is(st.map, int(st.units.hex[r]))}")
                st.units.status[r] = WITHDRAWN
                st.units.hex[r] = -1
                self.progress()[o.id]["units"].append(st.units.ids[r])
            if rows.size:
                self.game.movement.invalidate()
                self._settle(o, final=False)

    def turn_end(self) -> None:
        st = self.state
        for o in self.objectives:
            entry = self.progress()[o.id]
            if entry["done"] is not None:
                continue
            if o.destroy is not None and self.is_open(o):
                flt = o.destroy.model_dump(exclude_none=True)
                mask = unit_mask(st.units, list(st.rules.unit_types.names), flt, enemy_of(SIDE_CODES[o.side]))
                for r in np.nonzero(mask & (st.units.status == ELIMINATED))[0]:
                    if st.units.ids[r] not in entry["units"]:
                        entry["units"].append(st.units.ids[r])
            if o.hold is not None:
                held = all(int(st.owner[h]) == SIDE_CODES[o.side] for h in self.hexes[o.id])
                if not held and o.continuously:
                    entry["done"] = False
                elif st.turn >= self.last_turn[o.id]:
                    entry["done"] = held
                continue
            self._settle(o, final=st.turn >= self.last_turn[o.id] and o.by is not None)

    def victory(self) -> None:
        st = self.state
        for o in self.objectives:
            if o.ends_game and self.progress()[o.id]["done"] and not st.over:
                end_game(self.game, won_outright(st, o.side, o.reason or o.text or f"objective {o.id} met"))
                return

    # --- bookkeeping --------------------------------------------------------------------------
    def is_open(self, o) -> bool:
        """Whether objective ``o`` is still to be decided and its day not past."""
        return self.progress()[o.id]["done"] is None and self.state.turn <= self.last_turn[o.id]

    def _settle(self, o, final: bool) -> None:
        """A destroy or exit objective is met once enough units count; missed when ``final`` (the
        turn of its ``by`` day has ended) and they do not."""
        entry = self.progress()[o.id]
        if entry["done"] is not None:
            return
        if len(entry["units"]) >= self.need(o):
            entry["done"] = True
            what = o.text or (f"{len(entry['units'])} units out through {describe_area(o.exit.area.model_dump())}"
                              if o.exit else f"{len(entry['units'])} enemy units destroyed")
            self.state.say(f"Objective met ({o.side}): {what}")
        elif final:
            entry["done"] = False

