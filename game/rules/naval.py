"""The sea: naval gunfire near the coasts, amphibious landings, sea transport and evacuations.

Read docs/rules/naval.md for the rules as a player sees them. The mechanisms:

* **Sea geometry** (:class:`SeaGeometry`, computed once per game from the map): the sea is split
  into connected bodies (``scipy.sparse.csgraph.connected_components`` over the graph of sea
  hexes and their sea neighbours); bodies smaller than ``min_sea_hexes`` are inlets ships
  cannot use, and lakes are never sea. A coastal hex is land next to a usable body; two coastal
  hexes are reachable from each other by sea when they touch the same body.
* **Naval gunfire** shifts the odds of attacks near the coast. The shift is also asked for odds
  previews, so it only *notes* in the attack context which sides' missions the attack would use;
  ``after_attack``, which runs only once an attack has really been resolved, spends them.
  Previews never spend a mission.
* **Landings and sea moves** are the ``land`` and ``ship`` orders. Lift and port capacity are
  counted in stacking points and renewed, with the gunfire missions, in the side's naval phase.
* **Preparation**: in each naval phase the side's units in its ports are noted with the turn
  they were first seen there; a unit that moves or attacks drops out at the end of its side's
  turn. A unit seen since the start of its previous turn (``preparation_turns``) is prepared.
* **Scheduled landings**: a reinforcement due on a coastal hex that the enemy holds comes
  ashore by assault (before the ordinary arrival rule, which would put it on the nearest
  friendly hex), resolved like a landing order.

All the module's changing data is plain JSON in ``state.rules_state["naval"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from ..engine.mapdata import TERRAIN
from ..engine.orders import Land, OrderResult, Ship
from ..engine.units import ARRIVING, COMMUNIST, ELIMINATED, ON_MAP, SIDE_NAMES, SIDES, UN, enemy_of
from .combat import take_losses
from .module import AttackContext, RuleModule, given
from .movement import occupied, room_at, zone_of_control
from .placement import where_is
from .state_models import NavalState

ACTION = "amphibious_landing"      # the action cards allow and forbid
SIDE_WORDS = {UN: "UN", COMMUNIST: "Communist"}


# ------------------------------------------------------------------------------ geometry

@dataclass
class SeaGeometry:
    body: np.ndarray          # int (n,): usable sea body of a sea hex, -1 elsewhere
    shore: np.ndarray         # int (n, 6): bodies of each hex's neighbours, -1 where none
    coastal: np.ndarray       # bool (n,): land touching a usable body
    from_sea: np.ndarray      # float (n,): hex steps from the nearest usable sea hex
    ports: np.ndarray         # int: hexes of the map's ports that touch usable sea

    def reachable_from(self, h: int) -> np.ndarray:
        """Bool (n,): coastal hexes that share a body of sea with hex ``h`` (read-only: the
        geometry never changes, so each hex's answer is computed once)."""
        cache: dict[int, np.ndarray] = self.__dict__.setdefault("_reachable", {})
        h = int(h)
        hit = cache.get(h)
        if hit is None:
            mine = self.shore[h][self.shore[h] >= 0]
            if mine.size == 0:
                hit = np.zeros(self.coastal.size, dtype=bool)
            else:
                hit = np.isin(self.shore, mine).any(axis=1) & self.coastal
            hit.flags.writeable = False
            cache[h] = hit
        return hit


def sea_geometry(mapdata, min_sea_hexes: int) -> SeaGeometry:
    """Coasts, distance from the sea, ports and sea bodies of a map (vectorised)."""
    grid = mapdata.grid
    n = grid.n
    mask = mapdata.terrain == TERRAIN["sea"]          # lakes have their own terrain class
    nb = grid.neighbors
    # Bodies of sea: connected components of the graph of sea hexes and their sea neighbours.
    a = np.repeat(np.arange(n), 6)
    b = nb.ravel()
    ok = (b >= 0) & mask[a] & mask[np.where(b >= 0, b, 0)]
    g = csr_matrix((np.ones(int(ok.sum())), (a[ok], b[ok])), shape=(n, n))
    _, comp = connected_components(g, directed=False)
    sizes = np.bincount(comp[mask], minlength=comp.max() + 1)
    usable = mask & (sizes[comp] >= min_sea_hexes)
    body = np.where(usable, comp, -1)
    shore = np.where(nb >= 0, body[np.where(nb >= 0, nb, 0)], -1)
    coastal = mapdata.land & (mapdata.terrain != TERRAIN["lake"]) & (shore >= 0).any(axis=1)
    # Hex steps from the sea: an unweighted multi-source Dijkstra over the neighbour graph.
    valid = nb.ravel() >= 0
    adj = csr_matrix((np.ones(int(valid.sum())), (a[valid], nb.ravel()[valid])), shape=(n, n))
    src = np.nonzero(usable)[0]
    from_sea = (dijkstra(adj, indices=src, min_only=True, unweighted=True) if src.size
                else np.full(n, np.inf))
    ports = np.array(sorted({p.hex for p in mapdata.places if p.port}), dtype=np.int64)
    ports = ports[coastal[ports]] if ports.size else ports
    return SeaGeometry(body, shore, coastal, from_sea, ports)


# ------------------------------------------------------------------------------ the rules

class NavalRules(RuleModule):
    """Gunfire, landings, sea transport and each side's naval phase (lift and ports renewed)."""

    name = "naval"
    STATE = NavalState
    ORDERS = {Land.kind: "land_order", Ship.kind: "ship_order"}

    def check_state(self) -> None:
        super().check_state()
        data = self.state.rules_state.get("naval", {})
        n = self.state.map.n
        hexes = [int(k) for side in data.get("port_used", {}).values() for k in side if str(k).isdigit()]
        hexes += [v[0] for v in data.get("in_port", {}).values()]
        if any(not 0 <= h < n for h in hexes) or any(not str(k).isdigit() for side in
                                                      data.get("port_used", {}).values() for k in side):
            raise ValueError("rules_state.naval: a port is off the map")

    @classmethod
    def applies(cls, scenario) -> bool:
        return given(scenario.config.naval)

    def __init__(self, game):
        super().__init__(game)
        self.cfg = cfg = game.state.scenario.config.naval
        self.sea = sea_geometry(game.state.map, cfg.min_sea_hexes)
        m = game.state.map
        self.capacity = np.zeros(m.n)
        self.capacity[self.sea.ports] = cfg.port_capacity.default
        for name, cap in cfg.port_capacity.ports.items():
            place = m.find_place(name)
            if place is not None:
                self.capacity[place.hex] = cap

    def setup(self) -> None:
        self.data()     # make sure the bookkeeping exists (a loaded game keeps its own)

    # --- bookkeeping ------------------------------------------------------------------
    def data(self) -> dict:
        rs = self.game.state.rules_state.setdefault("naval", {})
        for key in ("gunfire_used", "lift_used"):
            rs.setdefault(key, {SIDE_NAMES[s]: 0 for s in SIDES})
        rs.setdefault("port_used", {SIDE_NAMES[s]: {} for s in SIDES})
        rs.setdefault("last_landing", {SIDE_NAMES[s]: -1000 for s in SIDES})
        rs.setdefault("in_port", {})          # unit id -> [port hex, turn first seen there]
        return rs

    def gunfire_left(self, side: int) -> int:
        used = self.data()["gunfire_used"][SIDE_NAMES[side]]
        return max(0, int(self.game.state.sides[side]["naval_gunfire"]) - int(used))

    def lift_left(self, side: int) -> float:
        used = self.data()["lift_used"][SIDE_NAMES[side]]
        return max(0.0, float(self.game.state.sides[side]["naval_lift"]) - float(used))

    def port_left(self, side: int, h: int) -> float:
        used = self.data()["port_used"][SIDE_NAMES[side]].get(str(h), 0)
        return max(0.0, float(self.capacity[h]) - float(used))

    def _use(self, side: int, port: int, points: float) -> None:
        rs = self.data()
        name = SIDE_NAMES[side]
        rs["lift_used"][name] = float(rs["lift_used"][name]) + float(points)
        if port >= 0:
            ports = rs["port_used"][name]
            ports[str(port)] = float(ports.get(str(port), 0)) + float(points)

    def _spend_gunfire(self, side: int, missions: int) -> None:
        used = self.data()["gunfire_used"]
        used[SIDE_NAMES[side]] = int(used[SIDE_NAMES[side]]) + int(missions)

    def may_land(self, side: int) -> bool:
        return ACTION not in self.game.state.sides[side]["forbidden"]

    def need(self, row: int) -> float:
        st = self.game.state
        return float(st.rules.unit_types.stack[st.units.type[row]])

    def full_mp(self, rows) -> np.ndarray:
        """Movement allowance of each unit this turn (what the turn gives at its start)."""
        return self.game.full_allowance(rows)

    # --- hooks ------------------------------------------------------------------------
    def naval(self, side: int) -> None:
        """Renew the side's gunfire, lift and port capacity; note its units in its ports."""
        st = self.state
        rs = self.data()
        name = SIDE_NAMES[side]
        rs["gunfire_used"][name] = 0
        rs["lift_used"][name] = 0
        rs["port_used"][name] = {}
        u = st.units
        rows = u.rows_on_map(side)
        in_port = rows[np.isin(u.hex[rows], self.sea.ports) & (st.owner[u.hex[rows]] == side)]
        keep = {}
        for r in in_port:
            uid, h = u.ids[r], int(u.hex[r])
            seen = rs["in_port"].get(uid)
            keep[uid] = seen if seen is not None and seen[0] == h else [h, st.turn]
        mine = {u.ids[r] for r in np.nonzero(u.side == side)[0]}
        rs["in_port"] = {k: v for k, v in rs["in_port"].items() if k not in mine} | keep

    def side_end(self, side: int) -> None:
        """Units that moved or attacked this turn are no longer preparing in port."""
        u = self.state.units
        rs = self.data()
        found = [u.get(uid) for uid in rs["in_port"]]
        rows = np.array([r for r in found if r is not None and u.side[r] == side], dtype=np.int64)
        if rows.size == 0:
            return
        busy = (u.status[rows] != ON_MAP) | u.attacked[rows] | (u.mp[rows] < self.full_mp(rows) - 1e-3)
        for r in rows[busy]:
            rs["in_port"].pop(u.ids[r], None)

    def unready(self, row: int) -> str:
        """Why a unit in port cannot land this turn: not prepared, or it has moved."""
        u = self.game.state.units
        name = u.names[row]
        if not self.prepared(row):
            turns = self.cfg.landing.preparation_turns
            return (f"{name} has not prepared: it must wait in port {turns} whole "
                    f"turn{'s' if turns != 1 else ''} before it can land")
        if u.attacked[row] or u.mp[row] < float(self.full_mp([row])[0]) - 1e-3:
            return f"{name} has moved this turn: a landing needs its full movement"
        return ""

    def prepared(self, row: int) -> bool:
        st = self.game.state
        seen = self.data()["in_port"].get(st.units.ids[row])
        return (seen is not None and seen[0] == int(st.units.hex[row])
                and seen[1] <= st.turn - self.cfg.landing.preparation_turns)

    # --- gunfire ----------------------------------------------------------------------
    def attack_shift(self, ctx: AttackContext) -> int:
        """+shift for the attacker's gunfire, -shift for the defender's, near the sea."""
        if self.sea.from_sea[ctx.target] > self.cfg.gunfire.range:
            return 0
        side, enemy = ctx.side, enemy_of(ctx.side)
        users = [s for s in (side, enemy) if self.gunfire_left(s) > 0]
        if not users:
            return 0
        ctx.notes["gunfire"] = users
        return self.cfg.gunfire.shift * ((side in users) - (enemy in users))

    def after_attack(self, ctx: AttackContext, report: dict) -> None:
        """A resolved attack spends the gunfire its shift noted."""
        users = ctx.notes.get("gunfire")
        if not users:
            return
        for s in users:
            self._spend_gunfire(s, 1)
        who = " and ".join(SIDE_WORDS[s] for s in users)
        self.state.say(f"{who} naval gunfire joins the fighting {where_is(self.state.map, ctx.target)}")

    # --- landings -----------------------------------------------------------------------
    def beach_problem(self, side: int, row: int, beach: int, reach: np.ndarray) -> str:
        """Why ``row`` may not land on ``beach`` (``reach``: coastal hexes it can sail to)."""
        st = self.game.state
        m = st.map
        if not (0 <= beach < m.n):
            return "that hex is off the map"
        if not m.land[beach]:
            return "units land on a beach, not at sea"
        if not self.sea.coastal[beach]:
            return "that hex is not on the coast"
        if not reach[beach]:
            return "that beach cannot be reached by sea from here"
        if len(st.units.at_hex(beach, enemy_of(side))):
            return "the enemy holds that beach with troops: land beside it"
        return self.arrival_problem(side, row, beach, "that hex")

    def arrival_problem(self, side: int, row: int, h: int, what: str) -> str:
        """Why ``row`` may not come ashore in ``h`` (a closed region, no room), or ""."""
        st = self.game.state
        if self.game.movement.no_entry(side)[h]:
            return f"{SIDE_NAMES[side]} forces may not enter that region"
        if room_at(st, side, h) < self.need(row):
            return f"{what} is full (stacking limit)"
        return ""

    def landing_chance(self, side: int, beach: int) -> tuple[float, int, int]:
        """(chance, enemy units next to the beach, gunfire missions the landing would use)."""
        st = self.game.state
        c = self.cfg.landing
        nbs = st.map.grid.neighbors[beach]
        nbs = nbs[nbs >= 0]
        u = st.units
        enemy_near = int(np.isin(u.hex[u.on_map(enemy_of(side))], nbs).sum())
        missions = min(self.gunfire_left(side), c.gunfire_missions)
        chance = c.chance - c.enemy_adjacent * enemy_near + c.gunfire_bonus * missions
        return float(np.clip(chance, c.min_chance, c.max_chance)), enemy_near, missions

    def assault(self, side: int, row: int, beach: int) -> dict:
        """Resolve a landing of unit ``row`` on ``beach`` (legal, checked by the caller): the
        one resolution of landing orders and scheduled landings. Returns the report."""
        st = self.game.state
        u = st.units
        chance, enemy_near, missions = self.landing_chance(side, beach)
        self._spend_gunfire(side, missions)
        roll = float(st.rng.random())
        ok = roll < chance
        report = {"unit": u.ids[row], "beach": int(beach), "chance": round(chance, 3),
                  "roll": round(roll, 3), "enemy_adjacent": enemy_near, "gunfire": missions,
                  "success": ok, "lost": 0}
        self.data()["last_landing"][SIDE_NAMES[side]] = st.turn
        where = _where(st.map, beach)
        if ok:
            u.hex[row] = beach
            u.status[row] = ON_MAP
            u.mp[row] = 0.0
            u.entrench[row] = 0
            u.stopped[row] = bool(zone_of_control(st.map, u, enemy_of(side))[beach])
            st.owner[beach] = side
            self.data()["in_port"].pop(u.ids[row], None)
            self.game.movement.invalidate()
            st.say(f"{u.names[row]} lands {where} (chance {chance:.0%})")
        else:
            loss = self.cfg.landing.failure_loss
            report["lost"] = take_losses(st, [row], loss) if loss else 0
            if u.status[row] == ON_MAP:
                u.mp[row] = 0.0
            st.say(f"{u.names[row]}'s landing {where} is thrown back with the loss of "
                   f"{report['lost']} strength points (chance {chance:.0%})")
        return report

    def embarking(self, side: int, uid: str):
        """(row, port) of a unit of ``side`` standing in a port its side holds, or the reason
        it is not one."""
        st = self.game.state
        u = st.units
        row = u.get(uid)
        if row is None:
            return f"no unit {uid!r}"
        name = u.names[row]
        if u.side[row] != side:
            return f"{name} is not yours"
        if u.status[row] != ON_MAP:
            return f"{name} is not on the map"
        port = int(u.hex[row])
        if port not in self.sea.ports or st.owner[port] != side:
            return f"{name} is not in a port its side holds"
        return row, port

    def shipping_problem(self, side: int, port: int, need: float) -> str:
        """Why the lift left this turn, or the port's capacity, cannot carry ``need`` points."""
        if self.lift_left(side) < need:
            return f"not enough shipping left this turn ({self.lift_left(side):g} of {need:g} stacking points)"
        if self.port_left(side, port) < need:
            return f"the port of {_port_name(self.game.state.map, port)} cannot embark more this turn"
        return ""

    def land_order(self, side: int, order) -> OrderResult:
        if not self.may_land(side):
            return OrderResult(False, "amphibious landings are not allowed to this side (yet)")
        found = self.embarking(side, order.unit)
        if isinstance(found, str):
            return OrderResult(False, found)
        row, port = found
        need = self.need(row)
        why = (self.unready(row) or self.shipping_problem(side, port, need)
               or self.beach_problem(side, row, int(order.to), self.sea.reachable_from(port)))
        if why:
            return OrderResult(False, why)
        self._use(side, port, need)
        report = self.assault(side, row, int(order.to))
        return OrderResult(True, details=report)

    def free_beach(self, side: int, row: int, want: int) -> int:
        """``want`` or the nearest coastal hex within ``search_radius`` a unit may land on; -1."""
        st = self.game.state
        m = st.map
        near = m.grid.within(want, self.cfg.landing.search_radius)
        reach = np.zeros(m.n, dtype=bool)
        reach[near] = self.sea.coastal[near]
        free = [h for h in near if not self.beach_problem(side, row, int(h), reach)]
        if not free:
            return -1
        ok = np.asarray(free, dtype=np.int64)
        d = m.grid.distance(ok, np.full(ok.size, want))
        enemy = occupied(st.units, enemy_of(side), m.n)
        crowd = np.array([enemy[m.grid.neighbors[h][m.grid.neighbors[h] >= 0]].sum() for h in ok])
        return int(ok[np.lexsort((ok, crowd, d))[0]])

    def reinforcements(self, side: int) -> None:
        """Reinforcements due on a coastal hex the enemy holds come ashore by assault (before
        the ordinary arrival rule, which would put them on the nearest friendly hex)."""
        game = self.game
        st = game.state
        u = st.units
        if not self.may_land(side):
            return
        due = np.nonzero((u.side == side) & (u.status == ARRIVING) & (u.arrive_turn >= 0)
                         & (u.arrive_turn <= st.turn)
                         & ~((u.withdraw_turn >= 0) & (u.withdraw_turn <= st.turn)))[0]
        for r in due:
            want = int(u.arrive_hex[r])
            if want < 0 or not self.sea.coastal[want] or st.owner[want] == side:
                continue
            if float(st.sides[side]["naval_lift"]) < self.need(int(r)):
                continue           # no shipping to land it: it arrives the ordinary way
            beach = self.free_beach(side, int(r), want)
            if beach < 0:
                continue
            report = self.assault(side, int(r), beach)
            if report["success"]:
                if u.efficiency[r] <= 0:
                    u.efficiency[r] = st.rules.quality(u.nations[r])
                game.notify("arrival", {"unit": u.ids[r], "hex": beach, "landing": report})
            elif u.status[r] != ELIMINATED:
                u.arrive_turn[r] = st.turn + 1      # beaten off: it tries again next turn
            game.notify("landing", report)

    # --- sea transport ------------------------------------------------------------------
    def ship_order(self, side: int, order) -> OrderResult:
        game = self.game
        st = game.state
        u, m = st.units, st.map
        found = self.embarking(side, order.unit)
        if isinstance(found, str):
            return OrderResult(False, found)
        row, port = found
        name, dest = u.names[row], int(order.to)
        if u.mp[row] <= 0 or u.attacked[row]:
            return OrderResult(False, f"{name} has no movement left")
        need = self.need(row)
        why = self.port_problem(side, row, port, dest) or self.shipping_problem(side, port, need)
        if why:
            return OrderResult(False, why)
        self._use(side, port, need)
        enemy = enemy_of(side)
        nbs = m.grid.neighbors[port]
        pressed = bool(occupied(u, enemy, m.n)[nbs[nbs >= 0]].any())
        lost = 0
        ev = self.cfg.evacuation
        if pressed and ev.loss and float(st.rng.random()) < ev.chance:
            lost = take_losses(st, [row], ev.loss)
        if u.status[row] == ON_MAP:
            u.hex[row] = dest
            u.mp[row] = 0.0
            u.entrench[row] = 0
            u.stopped[row] = bool(zone_of_control(m, u, enemy)[dest])
            self.data()["in_port"].pop(u.ids[row], None)
            game.movement.invalidate()
        how = "is evacuated under fire" if pressed else "sails"
        loss = f", losing {lost} strength points" if lost else ""
        st.say(f"{name} {how} from {_port_name(m, port)} to {_port_name(m, dest)}{loss}")
        return OrderResult(True, details={"unit": u.ids[row], "from": port, "to": dest,
                                          "evacuation": pressed, "lost": lost})

    def port_problem(self, side: int, row: int, port: int, dest: int) -> str:
        st = self.game.state
        m = st.map
        if not (0 <= dest < m.n):
            return "that hex is off the map"
        if dest == port:
            return "the unit is already in that port"
        if dest not in self.sea.ports:
            return "ships unload only in a port"
        if st.owner[dest] != side:
            return "that port is not held by your side"
        if not self.sea.reachable_from(port)[dest]:
            return "that port cannot be reached by sea from here"
        if len(st.units.at_hex(dest, enemy_of(side))):
            return "the enemy is in that port"
        return self.arrival_problem(side, row, dest, "that port")


def _port_name(m, h: int) -> str:
    return m.places[m.place_at[h]].name if m.place_at[h] >= 0 else _where(m, h)


def _where(m, h: int) -> str:
    return where_is(m, int(h))


__all__ = ["ACTION", "NavalRules", "SeaGeometry", "sea_geometry"]
