"""The turn sequence and the one entry point for orders.

A turn runs the ``turn_start`` hooks (weather, event cards), then each side in the scenario's
order: ``reinforcements`` -> ``supply`` -> ``air`` -> ``naval`` -> operations (orders from the UI,
the AI or a replay until that side sends EndPhase) -> ``side_end``; then ``turn_end`` (frostbite,
control of ground, war-weariness), the turn's history, and ``victory``. The hooks belong to the
rule modules (:mod:`game.rules.module`), run in the order of the game's one list of modules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ..engine.orders import Attack, Choose, EndPhase, Move, Order, OrderResult
from ..engine.units import COMMUNIST, ON_MAP, SIDE_CODES, UN
from . import combat, movement
from .module import HOOKS, AttackContext, RuleModule, overrides
from .victory import final_result

M = TypeVar("M", bound=RuleModule)
SIDE_PHASES = ("reinforcements", "supply", "air", "naval")


class Game:
    """A game in progress: the state, the movement model and the installed rule modules."""

    def __init__(self, state, modules: Sequence[type[RuleModule]] = ()):
        self.state = state
        self.movement = movement.MovementModel(state)
        self.owner_history: list[np.ndarray] = []   # owner array at the end of each turn
        # Where each unit stood (-1: not on the map) and its strength at the end of each turn,
        # for the window's turn review; None for turns a save made before this record lacks.
        # Derived from play like owner_history, so it is kept out of the state's hash.
        self.unit_history: list[dict[str, np.ndarray] | None] = []
        self.pending_choices: list[dict] = []       # choice cards waiting: [{card, side, options, ai}]
        self.listeners: list[Callable[[str, Any], None]] = []  # fn(kind, payload): the UI's window on what happens
        self.start_hexes = None                     # where each unit stood when its side's operations began
        self._undo: list[dict] = []                 # moves that can still be taken back this phase
        self.modules = [cls(self) for cls in modules if cls.applies(state.scenario)]
        self._hooks = {hook: [getattr(m, hook) for m in self.modules if overrides(m, hook)] for hook in HOOKS}
        self._order_handlers = {kind: getattr(m, method) for m in self.modules for kind, method in m.ORDERS.items()}
        if state.phase != "setup":               # a loaded game: its modules' data came from a file
            for m in self.modules:
                m.check_state()
        for m in self.modules:
            m.setup()

    def rule(self, kind: type[M]) -> M | None:
        """The installed module of class ``kind`` (None when this scenario does not use it)."""
        cache: dict = self.__dict__.setdefault("_rule_of", {})     # the modules are set once, in __init__
        hit = cache.get(kind, self)                # the game itself stands for "not looked up yet"
        if hit is self:
            hit = cache[kind] = next((m for m in self.modules if isinstance(m, kind)), None)
        return hit

    # --- flow -------------------------------------------------------------------------
    def start(self) -> None:
        """Begin the game at its first turn (does nothing for a game already under way)."""
        if self.state.phase == "setup":
            self._begin_turn()

    def notify(self, kind: str, payload) -> None:
        for fn in self.listeners:
            fn(kind, payload)

    def _run(self, hook: str, *side: int) -> None:
        for fn in self._hooks[hook]:
            fn(*side)
            if self.state.over:
                return

    def _begin_turn(self) -> None:
        st = self.state
        st.side_index = 0
        st.phase = "turn_start"
        self._run("turn_start")
        if not st.over:
            self._begin_side()

    def _begin_side(self) -> None:
        st = self.state
        side = st.active_side
        u = st.units
        for phase in SIDE_PHASES:
            st.phase = phase
            self._run(phase, side)
            if st.over:
                return
        rows = u.rows_on_map(side)
        u.mp[rows] = self.full_allowance(rows)
        u.attacked[rows] = False
        u.stopped[rows] = False
        self.start_hexes = u.hex.copy()
        st.phase = "operations"

    def full_allowance(self, rows) -> np.ndarray:
        """Movement points the units get at the start of their side's operations this turn:
        their type's allowance times their nation's ``movement``, cut by turns out of supply."""
        st = self.state
        u = st.units
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros(0)
        return st.rules.unit_allowance(u, rows) * st.rules.supply_effect("movement", u.supply[rows])

    def _end_side(self) -> None:
        st = self.state
        self._run("side_end", st.active_side)
        if st.over:
            return
        st.side_index += 1
        if st.side_index < len(st.scenario.side_order):
            self._begin_side()
            return
        st.phase = "turn_end"
        self._run("turn_end")
        if st.over:
            return
        self._record_turn()
        self._run("victory")
        if st.over:
            return
        st.turn += 1
        if st.turn >= len(st.scenario.calendar):
            st.turn = len(st.scenario.calendar) - 1
            st.result = final_result(st, "the scenario's last turn ended")
            st.phase = "over"
            st.say(f"Game over: {st.result['reason']}")
            self.notify("game_over", st.result)
            return
        self._begin_turn()

    # --- orders -------------------------------------------------------------------------
    def apply(self, order: Order) -> OrderResult:
        """Validate and apply one order; an illegal order changes nothing and says why."""
        st = self.state
        if st.over:
            return OrderResult(False, "the game is over")
        side = SIDE_CODES.get(order.side)
        if side is None:
            return OrderResult(False, f"unknown side {order.side!r}")
        if isinstance(order, Choose):
            return self._choose(side, order)
        if st.phase != "operations" or side != st.active_side:
            return OrderResult(False, f"it is not {order.side}'s turn to act")
        if self.pending_for(side):
            return OrderResult(False, "a decision card is waiting: choose an option first")
        if isinstance(order, Move):
            row = st.units.get(order.unit)
            if row is None:
                return OrderResult(False, f"no unit {order.unit!r}")
            if st.units.side[row] != side:
                return OrderResult(False, f"{st.units.names[row]} is not yours")
            reach = self.movement.reach(row) if st.units.status[row] == ON_MAP else None
            why = movement.validate_move(st, self.movement, row, int(order.to), reach)
            if why:
                return OrderResult(False, why)
            start = int(st.units.hex[row])
            u = st.units
            before = {"row": row, "hex": start, "mp": float(u.mp[row]), "stopped": bool(u.stopped[row]),
                      "entrench": int(u.entrench[row]), "owner": st.owner.copy()}
            path = movement.apply_move(st, self.movement, row, int(order.to), reach)
            self._undo.append(before)
            self._log(order)
            self.notify("move", {"unit": order.unit, "path": path, "from": start})
            return OrderResult(True, details={"path": path})
        if isinstance(order, Attack):
            rows = []
            for uid in order.units:
                row = st.units.get(uid)
                if row is None:
                    return OrderResult(False, f"no unit {uid!r}")
                rows.append(row)
            why = combat.validate_attack(st, side, rows, int(order.target))
            if why:
                return OrderResult(False, why)
            self._undo.clear()   # dice were rolled: what happened can no longer be taken back
            ctx = AttackContext(side, tuple(rows), int(order.target))
            report = combat.resolve_attack(st, side, rows, ctx.target, order.advance, self.attack_shift(ctx))
            for after in self._hooks["after_attack"]:
                after(ctx, report)
            self._log(order)
            self.notify("combat", report)
            return OrderResult(True, details=report)
        if isinstance(order, EndPhase):
            self._undo.clear()
            self._log(order)
            self._end_side()
            return OrderResult(True)
        handler = self._order_handlers.get(order.kind)
        if handler is None:
            return OrderResult(False, f"the rules of this scenario have no {order.kind!r} orders")
        result = handler(side, order)
        if result.ok:
            self._undo.clear()   # other orders commit (missions flown, ships sailed)
            self._log(order)
            self.notify(order.kind, {"order": order.to_dict(), **result.details})
        return result

    def can_undo(self, side_name: str) -> bool:
        st = self.state
        return bool(self._undo) and st.phase == "operations" and SIDE_CODES.get(side_name) == st.active_side

    def undo(self, side_name: str) -> OrderResult:
        """Take back the side's last move, as long as nothing was revealed since (no combat,
        no end of phase). Moves reveal nothing else here: the enemy's positions are known."""
        if not self.can_undo(side_name):
            return OrderResult(False, "there is no move to take back")
        st = self.state
        u = st.units
        last = self._undo.pop()
        r = last["row"]
        u.hex[r], u.mp[r], u.stopped[r], u.entrench[r] = last["hex"], last["mp"], last["stopped"], last["entrench"]
        st.owner[:] = last["owner"]
        for i in range(len(st.orders) - 1, -1, -1):
            if st.orders[i]["type"] == "move" and st.orders[i]["unit"] == u.ids[r]:
                del st.orders[i]
                break
        self.notify("undo", {"unit": u.ids[r], "hex": last["hex"]})
        return OrderResult(True, details={"unit": u.ids[r], "hex": last["hex"]})

    def attack_shift(self, ctx: AttackContext) -> int:
        """Extra odds columns for an attack (or its preview): the sum of the rule modules'
        shifts (air support, naval gunfire, weather, positional war...)."""
        return int(sum(int(fn(ctx)) for fn in self._hooks["attack_shift"]))

    def _log(self, order: Order) -> None:
        d = order.to_dict()
        d["turn"] = self.state.turn
        self.state.orders.append(d)

    # --- decision cards ---------------------------------------------------------------
    def pending_for(self, side: int) -> list:
        return [c for c in self.pending_choices if c["side"] == side]

    def _choose(self, side: int, order: Choose) -> OrderResult:
        for c in self.pending_choices:
            if c["side"] == side and c["card"] == order.card:
                chosen = c["resolve"](order.option)
                if not chosen.ok:
                    return chosen
                self.pending_choices.remove(c)
                self._log(order)
                return chosen
        return OrderResult(False, f"no decision {order.card!r} is waiting for {order.side}")

    # --- queries the UI and AI use -----------------------------------------------------------
    def reachable(self, unit_id: str) -> np.ndarray:
        return self.movement.reachable(self.state.units.index_of(unit_id))

    def path(self, unit_id: str, dest: int) -> list:
        return self.movement.path(self.state.units.index_of(unit_id), dest)

    def odds(self, unit_ids, target: int):
        """The odds of an attack, as it would be made now (a preview: it spends nothing)."""
        rows = [self.state.units.index_of(u) for u in unit_ids]
        side = int(self.state.units.side[rows[0]])
        ctx = AttackContext(side, tuple(rows), int(target), preview=True)
        return combat.compute_odds(self.state, rows, target, self.attack_shift(ctx))


    # --- the record of each turn ---------------------------------------------------------
    def _record_turn(self) -> None:
        """Who holds what and each side's strength and losses at the end of the turn."""
        st = self.state
        self.owner_history.append(st.owner.copy())
        u = st.units
        self.unit_history.append({"hex": np.where(u.status == ON_MAP, u.hex, -1).astype(np.int32),
                                  "strength": u.strength.astype(np.int16)})
        land = st.map.land
        st.history.append({
            "turn": st.turn, "date": st.date.isoformat(),
            "un_hexes": int((st.owner[land] == UN).sum()),
            "communist_hexes": int((st.owner[land] == COMMUNIST).sum()),
            "un_strength": int(st.units.strength[st.units.on_map(UN)].sum()),
            "communist_strength": int(st.units.strength[st.units.on_map(COMMUNIST)].sum()),
            "un_losses": st.sides[UN]["losses"], "communist_losses": st.sides[COMMUNIST]["losses"],
        })
        self.notify("turn_recorded", st.history[-1])    # the state at the end of the turn (scenario tests)


__all__ = ["Game", "SIDE_PHASES"]
