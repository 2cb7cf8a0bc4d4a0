"""The turn sequence and the one entry point for orders.

A turn runs ``turn_start`` hooks (weather, event cards), then each side in the scenario's
order: ``reinforcements`` -> ``supply`` -> ``air`` -> ``naval`` -> ``operations`` (orders from
the UI, the AI or a replay until that side sends EndPhase) -> ``side_end``; then ``turn_end``
(control of ground, history) and ``victory``. Later rules plug into these hooks; each hook is
``fn(game, side)`` (``side`` is None for turn-wide hooks).
"""

from __future__ import annotations

import numpy as np

from ..engine.orders import Attack, Choose, EndPhase, Move, Order, OrderResult
from ..engine.units import ARRIVING, ON_MAP, SIDE_CODES, SIDE_NAMES, WITHDRAWN, COMMUNIST, UN, enemy_of
from . import combat, movement
from .control import ControlModel
from . import positions, replacements
from .supply import supply_phase
from .victory import check_victory, final_result

SIDE_PHASES = ("reinforcements", "supply", "air", "naval")
HOOK_NAMES = ("turn_start",) + SIDE_PHASES + ("side_end", "turn_end", "victory")
AI_STAGES = ("start", "before_attacks", "end")   # when the AI calls game.ai_support


class Game:
    """A game in progress: the state plus the rules machinery that acts on it."""

    def __init__(self, state):
        self.state = state
        self.movement = movement.MovementModel(state)
        self.control = ControlModel(state)
        self.hooks = {name: [] for name in HOOK_NAMES}
        self.owner_history = []          # owner array at the end of each turn
        self.pending_choices = []        # choice cards waiting: [{card, side, options, ai}]
        self.listeners = []              # fn(kind, payload): the UI's window on what happens
        self._start_hexes = None
        self._undo = []                  # moves that can still be taken back this phase
        # Extension points for the rule modules (game/rules/weather.py, air.py, naval.py, ...),
        # which plug in through their install(game) in game.sim.session.install_rules:
        self.shift_sources = []          # fn(game, side, rows, target) -> int odds columns
        self.movement_factors = []       # fn(game, side) -> float multiplier on allowances
        self.order_handlers = {}         # order kind -> fn(game, side, order) -> OrderResult
        self.ai_support = []             # fn(game, side, stage) for the AI; stages in AI_STAGES
        self.hooks["reinforcements"].append(_reinforce)
        self.hooks["supply"].append(_supply)
        self.hooks["side_end"].append(_entrench)
        self.hooks["turn_end"].append(_control)
        self.hooks["victory"].append(_victory)

    # --- flow -------------------------------------------------------------------------
    def start(self) -> None:
        """Begin the game at its first turn (does nothing for a game already under way)."""
        if self.state.phase == "setup":
            self._begin_turn()

    def notify(self, kind: str, payload) -> None:
        for fn in self.listeners:
            fn(kind, payload)

    def _run(self, hook: str, side) -> None:
        for fn in self.hooks[hook]:
            fn(self, side)
            if self.state.over:
                return

    def _begin_turn(self) -> None:
        st = self.state
        st.side_index = 0
        st.phase = "turn_start"
        self._run("turn_start", None)
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
        self._start_hexes = u.hex.copy()
        st.phase = "operations"

    def full_allowance(self, rows) -> np.ndarray:
        """Movement points the units get at the start of their side's operations this turn:
        their type's allowance, cut by turns out of supply and the rule modules' factors."""
        st = self.state
        u = st.units
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros(0)
        base = st.rules.unit_types.movement[u.type[rows]]
        return base * st.rules.supply_effect("movement", u.supply[rows]) * self.movement_factor(int(u.side[rows[0]]))

    def movement_factor(self, side: int) -> float:
        """Multiplier on movement allowances: the product of the rule modules' factors."""
        f = 1.0
        for fn in self.movement_factors:
            f *= float(fn(self, side))
        return f

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
        self._run("turn_end", None)
        self._run("victory", None)
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
            report = combat.resolve_attack(st, side, rows, int(order.target), order.advance,
                                           self.attack_shift(side, rows, int(order.target)))
            self._log(order)
            self.notify("combat", report)
            return OrderResult(True, details=report)
        if isinstance(order, EndPhase):
            self._undo.clear()
            self._log(order)
            self._end_side()
            return OrderResult(True)
        handler = self.order_handlers.get(order.kind)
        if handler is None:
            return OrderResult(False, f"the rules of this scenario have no {order.kind!r} orders")
        result = handler(self, side, order)
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

    def attack_shift(self, side: int, rows, target: int) -> int:
        """Extra odds columns for an attack by ``side``'s ``rows`` on ``target``: the sum of the
        rule modules' shifts (air support, naval gunfire, weather, positional war...)."""
        return int(sum(int(fn(self, side, rows, target)) for fn in self.shift_sources))

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
        rows = [self.state.units.index_of(u) for u in unit_ids]
        side = int(self.state.units.side[rows[0]])
        return combat.compute_odds(self.state, rows, target, self.attack_shift(side, rows, target))


# --- default phase handlers ---------------------------------------------------------------
def _free_hex_near(state, side: int, want: int, need: float) -> int:
    """``want`` if a unit can be placed there, else the nearest hex that the side holds."""
    m, u = state.map, state.units
    room = state.rules.movement["stack_limit"] - movement.stack_points(state, side)
    enemy_occ = movement.occupied(u, enemy_of(side), m.n)
    ok = m.land & ~enemy_occ & (room >= need) & (state.owner == side)
    if want >= 0 and ok[want]:
        return want
    cand = np.nonzero(ok)[0]
    if cand.size == 0:
        return -1
    if want < 0:
        return int(cand[0])
    d = m.grid.distance(cand, np.full(cand.size, want))
    return int(cand[np.argmin(d)])


def where_is(m, h: int) -> str:
    """Words for a hex: 'at Pusan', 'near Taegu' (nearest place), or its coordinates."""
    if m.place_at[h] >= 0:
        return f"at {m.places[m.place_at[h]].name}"
    if m.places:
        hexes = np.array([p.hex for p in m.places])
        d = m.grid.distance(hexes, np.full(hexes.size, h))
        if d.min() <= 3:
            return f"near {m.places[int(np.argmin(d))].name}"
    return f"at {m.grid.lat[h]:.2f} N {m.grid.lon[h]:.2f} E"


def _reinforce(game: Game, side: int) -> None:
    st = game.state
    u = st.units
    due_out = np.nonzero((u.side == side) & (u.withdraw_turn >= 0) & (u.withdraw_turn <= st.turn)
                         & ((u.status == ON_MAP) | (u.status == ARRIVING)))[0]
    for r in due_out:
        u.status[r] = WITHDRAWN
        u.hex[r] = -1
        st.say(f"{u.names[r]} leaves the war")
    due_in = np.nonzero((u.side == side) & (u.status == ARRIVING) & (u.arrive_turn >= 0)
                        & (u.arrive_turn <= st.turn))[0]
    for r in due_in:
        need = st.rules.unit_types.stack[u.type[r]]
        h = _free_hex_near(st, side, int(u.arrive_hex[r]), need)
        if h < 0:
            continue  # nowhere to land: try again next turn
        u.hex[r] = h
        u.status[r] = ON_MAP
        u.efficiency[r] = st.rules.quality(u.nations[r]) if u.efficiency[r] <= 0 else u.efficiency[r]
        game.movement.invalidate()
        st.say(f"{u.names[r]} arrives {where_is(st.map, h)}")
        game.notify("arrival", {"unit": u.ids[r], "hex": h})


def _supply(game: Game, side: int) -> None:
    """Trace supply (game/rules/supply.py), then spend replacements on the units found in
    supply (game/rules/replacements.py)."""
    supply_phase(game, side)
    replacements.rebuild(game, side)


def _entrench(game: Game, side: int) -> None:
    """Units that neither moved nor attacked dig in deeper (game/rules/positions.py)."""
    positions.entrench(game, side)


def _control(game: Game, side) -> None:
    st = game.state
    game.control.update(st)
    game.owner_history.append(st.owner.copy())
    land = st.map.land
    un_str = int(st.units.strength[st.units.on_map(UN)].sum())
    co_str = int(st.units.strength[st.units.on_map(COMMUNIST)].sum())
    st.history.append({
        "turn": st.turn, "date": st.date.isoformat(),
        "un_hexes": int((st.owner[land] == UN).sum()),
        "communist_hexes": int((st.owner[land] == COMMUNIST).sum()),
        "un_strength": un_str, "communist_strength": co_str,
        "un_losses": st.sides[UN]["losses"], "communist_losses": st.sides[COMMUNIST]["losses"],
    })


def _victory(game: Game, side) -> None:
    st = game.state
    result = check_victory(st)
    if result is not None:
        st.result = result
        st.phase = "over"
        st.say(f"Game over: {result['reason']}")
        game.notify("game_over", result)


__all__ = ["AI_STAGES", "Game", "HOOK_NAMES", "SIDE_NAMES"]
