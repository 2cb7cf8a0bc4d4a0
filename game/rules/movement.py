"""Movement: terrain, roads, rail and rivers as edge costs; zones of control; ranges by Dijkstra.

A side's movement graph is a sparse matrix over hexes: the edge ``a -> b`` costs what it takes
to enter ``b`` from ``a``. Hexes holding an enemy unit cannot be entered, and no edge leaves a
hex in an enemy zone of control, so entering one ends movement. A unit that *starts* in an
enemy ZOC may still step out: its range is traced from its open neighbours. Ranges come from
``scipy.sparse.csgraph.dijkstra`` with ``limit=`` (one call for any number of units).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..engine.mapdata import REGION
from ..engine.units import ON_MAP, SIDE_NAMES, UN, enemy_of


def static_edge_costs(mapdata, terrain_move: np.ndarray, mv) -> np.ndarray:
    """Cost (n, 6) to cross each edge into the neighbour, before weather and ZOC; inf = never.

    ``terrain_move``: cost to enter each terrain class; ``mv``: the costs by road, rail and river
    crossing (attributes named as in the scenario's ``movement`` section)."""
    nb = mapdata.grid.neighbors
    valid = nb >= 0
    target = np.where(valid, nb, 0)
    enter = terrain_move[mapdata.terrain[target]]
    road_cost = np.select([mapdata.road == 2, mapdata.road == 1],
                          [mv.road_main, mv.road_minor], np.inf)
    rail_cost = np.where(mapdata.rail, mv.rail, np.inf)
    cost = np.minimum(enter, np.minimum(road_cost, rail_cost))
    bridged = mapdata.road > 0
    river = np.select(
        [(mapdata.river == 2) & bridged, mapdata.river == 2, (mapdata.river == 1) & bridged, mapdata.river == 1],
        [mv.bridge_major, mv.river_major, mv.bridge_minor, mv.river_minor], 0.0)
    cost = cost + river
    land_target = mapdata.land[target] & np.isfinite(enter)
    return np.where(valid & land_target, cost, np.inf)


def occupied(units, side: int, n: int) -> np.ndarray:
    """Bool (n,): hexes holding at least one on-map unit of ``side``."""
    occ = np.zeros(n, dtype=bool)
    occ[units.hex[units.on_map(side)]] = True
    return occ


def zone_of_control(mapdata, units, side: int) -> np.ndarray:
    """Bool (n,): hexes in the zone of control of ``side`` (its units' hexes and neighbours)."""
    occ = occupied(units, side, mapdata.n)
    zoc = occ.copy()
    nbs = mapdata.grid.neighbors[occ].ravel()
    zoc[nbs[nbs >= 0]] = True
    return zoc & mapdata.land


def stack_points(state, side: int) -> np.ndarray:
    """Stacking points of ``side`` in each hex, shape (n,)."""
    u = state.units
    rows = u.rows_on_map(side)
    pts = state.rules.unit_types.stack[u.type[rows]]
    return np.bincount(u.hex[rows], weights=pts, minlength=state.map.n)


def room_at(state, side: int, h: int) -> float:
    """Stacking points ``side`` may still put in hex ``h`` (one hex: no map-wide count)."""
    u = state.units
    here = (u.hex == h) & (u.status == ON_MAP) & (u.side == side)
    return float(state.rules.movement.stack_limit - state.rules.unit_types.stack[u.type[here]].sum())


class MovementModel:
    """Per-game movement machinery with caches keyed by where the enemy stands."""

    def __init__(self, state):
        self.state = state
        self.base_cost = static_edge_costs(state.map, state.rules.terrain_move, state.rules.movement)
        self._layers = {}            # name -> (side or None for both, (n,) multiplier per hex)
        self._version = 0
        self._graphs = {}
        self._reach = {}
        self._masked: dict = {}      # side -> (graph key, its graph's edge costs)
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None
        self._layout: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._flat_base: np.ndarray | None = None
        self._index: tuple[np.ndarray, np.ndarray] | None = None
        self._spare: np.ndarray | None = None

    def set_layer(self, name: str, mult, side: int | None = None) -> None:
        """Set (or with ``mult=None`` drop) a named per-hex multiplier on the cost of entering
        each hex, for one side or both: weather, air interdiction..."""
        old = self._layers.get(name)
        if mult is None:
            if old is None:
                return
            self._layers.pop(name, None)
        else:
            mult = np.asarray(mult, dtype=float)
            if old is not None and old[0] == side and np.array_equal(old[1], mult):
                return                 # the same layer again: the graphs and ranges still hold
            self._layers[name] = (side, mult)
        self.invalidate()

    def multiplier(self, side: int, skip=()) -> np.ndarray:
        """(n,) product of the layers that apply to ``side``."""
        out = np.ones(self.state.map.n)
        for name, (s, mult) in self._layers.items():
            if name in skip:
                continue
            if s is None or s == side:
                out = out * mult
        return out

    def edge_cost(self, side: int) -> np.ndarray:
        """(n, 6) cost of each edge for ``side`` with the layers applied (no ZOC, no enemy)."""
        nb = self.state.map.grid.neighbors
        return self.base_cost * self.multiplier(side)[np.where(nb >= 0, nb, 0)]

    def invalidate(self) -> None:
        self._version += 1
        self._graphs.clear()
        self._reach.clear()
        self._masked.clear()

    # --- graph ----------------------------------------------------------------------
    def _key(self, side: int):
        u = self.state.units
        enemy = np.sort(u.hex[u.on_map(enemy_of(side))])
        return (side, self._version, enemy.tobytes(), tuple(self.state.sides[side]["forbidden"]))

    def no_entry(self, side: int) -> np.ndarray:
        """Bool (n,): hexes ``side`` may not enter: regions closed by the rules data (e.g. the
        Manchurian sanctuary) and, while ``cross_38th`` is forbidden, the enemy's 1950 half."""
        st = self.state
        key = (side, "cross_38th" in st.sides[side]["forbidden"])
        cache: dict = self.__dict__.setdefault("_no_entry", {})
        hit = cache.get(key)
        if hit is None:            # the map and the rules data never change: one mask each way
            m = st.map
            closed = [r for r in getattr(st.rules.movement.no_entry, SIDE_NAMES[side])
                      if r != "none" or m.has_regions]
            hit = np.isin(m.region, [REGION[r] for r in closed])
            if key[1]:
                hit |= m.region == (REGION["north"] if side == UN else REGION["south"])
            hit.flags.writeable = False
            cache[key] = hit
        return hit

    def graph(self, side: int, key=None):
        """(csr graph, enemy ZOC mask, (n,) hexes the units may not enter: an enemy unit's or a
        closed region, the buffer the graph's edge costs start: ``_reach_group`` writes a group's
        extra edges after them) for ``side``'s units, cached."""
        key = key or self._key(side)
        hit = self._graphs.get(key)
        if hit is not None:
            return hit
        st = self.state
        n = st.map.n
        enemy = enemy_of(side)
        zoc = zone_of_control(st.map, st.units, enemy)
        held = occupied(st.units, enemy, n)
        # Every edge of the map in the canonical CSR layout (graph_of's), the closed ones
        # infinite: searched with a finite limit (``_reach_group``), an infinite edge is never
        # taken, the same search as over the finite edges alone. The layout never changes.
        # The costs with the closed regions shut (the same until a layer changes), then the
        # enemy's few hexes: no edge into a hex it holds, none out of its zone of control.
        _, indices, indptr = self._edge_layout()
        into, out = self._edge_index()
        closed = into[held].ravel()
        if st.rules.movement.zoc_stops:
            closed = np.concatenate([closed, out[zoc].ravel()])
        costs = np.empty(self._room().size)
        flat = costs[:indices.size]
        flat[:] = self._shut_costs(side)
        flat[closed[closed >= 0]] = np.inf
        graph = csr_matrix((flat, self._room()[:indices.size], indptr), shape=(n, n))
        hit = (graph, zoc, held | self.no_entry(side), costs)
        self._graphs = {k: v for k, v in self._graphs.items() if k[0] != side}
        self._reach = {k: v for k, v in self._reach.items() if k[0][0] != side} | self._carried(side, key, flat, zoc)
        self._masked[side] = (key, flat)
        self._graphs[key] = hit
        return hit

    def _carried(self, side: int, key, flat: np.ndarray, zoc: np.ndarray) -> dict:
        """The ranges of ``side``'s last graph still exact on the new one, under the new key: a
        unit free of enemy ZOC whose Dijkstra scanned only hexes whose edges did not change
        (the search reads nothing else, so it would find the same costs and predecessors)."""
        last = self._masked.get(side)
        if last is None or last[0][:2] != key[:2]:
            return {}
        old_key, old_flat = last
        changed = None
        out = {}
        for k, res in self._reach.items():
            if k[0] != old_key or res[2] is not None or zoc[k[2]]:
                continue
            if changed is None:
                changed = np.zeros(self.state.map.n, dtype=bool)
                changed[self._edge_layout()[0][flat != old_flat]] = True
            if not changed[res[3]].any():
                out[(key,) + k[1:]] = res[:4] + (zoc,)
        return out

    def _shut_costs(self, side: int) -> np.ndarray:
        """The costs of the map's edges in the canonical CSR layout (``_edge_layout``) for
        ``side``, the layers applied and every edge into a hex it may not enter (``no_entry``)
        infinite: cached until a layer changes."""
        shut = self.no_entry(side)
        key = (side, self._version)
        cache: dict = self.__dict__.setdefault("_shut", {})
        hit = cache.get(key)
        if hit is None or hit[0] is not shut:
            if self._flat_base is None:      # the grid and the base costs never change
                nb_sorted, perm = self._sorted_neighbours()
                self._flat_base = np.take_along_axis(self.base_cost, perm, axis=1)[nb_sorted >= 0]
            indices = self._edge_layout()[1]
            hit = (shut, np.where(shut[indices], np.inf, self._flat_base * self.multiplier(side)[indices]))
            for stale in [k for k in cache if k[1] != self._version]:
                del cache[stale]
            cache[key] = hit
        return hit[1]

    def _edge_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Two (n, 6) tables of edge numbers in the CSR layout (``_edge_layout``), computed once
        (-1 where no neighbour): for each hex and direction, the edge into the hex from that
        neighbour, and the edge out of the hex that way."""
        if self._index is None:
            nb_sorted, perm = self._sorted_neighbours()
            indptr = self._edge_layout()[2].astype(np.int64)
            ids = np.where(nb_sorted >= 0, indptr[:-1, None] + np.arange(6), -1)
            out = np.empty_like(ids)
            np.put_along_axis(out, perm, ids, axis=1)
            entering = self.state.map.grid.entering()
            self._index = (np.where(entering >= 0, out.reshape(-1)[np.maximum(entering, 0)], -1), out)
        return self._index

    def open_cost(self, side: int, hexes=None, blocked=None) -> np.ndarray:
        """Cost of each edge out of ``hexes`` ((k, 6); every hex's, (n, 6), for None) for
        ``side``'s units as the enemy stands now: ``edge_cost(side)``, infinite into the hexes
        they may not enter (``blocked``: ``graph(side)[2]``, for a caller that has it). Zones
        of control are not counted."""
        if blocked is None:
            blocked = self.graph(side)[2]
        nb, base = self.state.map.grid.neighbors, self.base_cost
        if hexes is not None:
            nb, base = nb[hexes], base[hexes]
        target = np.where(nb >= 0, nb, 0)
        return np.where(blocked[target], np.inf, base * self.multiplier(side)[target])

    def graph_of(self, cost: np.ndarray) -> csr_matrix:
        """The graph of the finite edges of an (n, 6) cost table, each row's edges in the order
        of their target hex (the canonical CSR layout, built without sorting)."""
        _, perm = self._sorted_neighbours()
        return self._csr_sorted(np.take_along_axis(cost, perm, axis=1))

    def _csr_sorted(self, cost: np.ndarray) -> csr_matrix:
        """``graph_of`` for a cost table already in the sorted neighbours' order."""
        n = self.state.map.n
        nb, _ = self._sorted_neighbours()
        ok = np.isfinite(cost) & (nb >= 0)
        indptr = np.concatenate(([0], np.cumsum(ok.sum(axis=1))))
        return csr_matrix((cost[ok], nb[ok], indptr), shape=(n, n))

    def _room(self) -> np.ndarray:
        """The edges' target hexes (``_edge_layout``) at the start of a longer buffer, computed
        once: room after them for the extra edges of the units of a group that start in an enemy
        zone of control (six each, for every unit the game had then), written there just before
        their search (``_reach_group``); the graphs read only the start."""
        if self._spare is None:
            indices = self._edge_layout()[1]
            self._spare = np.empty(indices.size + 6 * len(self.state.units), dtype=indices.dtype)
            self._spare[:indices.size] = indices
        return self._spare

    def _edge_layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the hex each edge of the map leaves, the hex it enters, the CSR row pointers): every
        edge, each row's in the order of their target hex, computed once."""
        if self._layout is None:
            nb, _ = self._sorted_neighbours()
            edges = nb >= 0
            per_hex = edges.sum(axis=1)
            self._layout = (np.repeat(np.arange(self.state.map.n), per_hex), nb[edges].astype(np.int32),
                            np.concatenate(([0], np.cumsum(per_hex))).astype(np.int32))
        return self._layout

    def _sorted_neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """(each hex's neighbours in increasing order, -1 last; the permutation of the six
        directions that sorts them), computed once."""
        if self._sorted is None:
            nb = self.state.map.grid.neighbors
            perm = np.argsort(np.where(nb >= 0, nb, np.iinfo(np.int64).max), axis=1, kind="stable")
            self._sorted = (np.take_along_axis(nb, perm, axis=1), perm)
        return self._sorted

    # --- ranges ---------------------------------------------------------------------
    def reach_many(self, rows) -> dict:
        """Cost to every hex for each unit row: {row: (dist, pred, start, hexes, zoc)}.

        ``dist[h]`` is the movement cost to reach ``h`` (inf beyond the unit's movement left);
        ``pred`` is the predecessor row to rebuild the path (from ``start``, the unit's virtual
        source node, or from its hex when ``start`` is None); ``hexes`` lists the hexes in range;
        ``zoc`` is the enemy zone of control the range was traced against.
        The arrays are shared with the cache: read them, do not change them.
        """
        st = self.state
        u = st.units
        rows = [int(r) for r in rows]
        out: dict[int, tuple] = {}
        if not rows:
            return out
        side = int(u.side[rows[0]])
        key = self._key(side)
        g, zoc, blocked, costs = self.graph(side, key)
        todo = []
        for r in rows:
            k = (key, r, int(u.hex[r]), float(u.mp[r]))
            if k in self._reach:
                out[r] = self._reach[k]
            else:
                todo.append(r)
        if not todo:
            return out
        # One Dijkstra per distinct movement allowance (limit= then cuts each range exactly, and
        # the rows of the result serve as the units' ranges without a copy).
        groups: dict[float, list[int]] = {}
        for r in todo:
            groups.setdefault(float(u.mp[r]), []).append(r)
        for mp, members in groups.items():
            for r, res in self._reach_group(g, zoc, blocked, costs, side, members, mp).items():
                out[r] = res
                self._reach[(key, r, int(u.hex[r]), mp)] = res
        return out

    def _reach_group(self, g, zoc, blocked, costs, side: int, rows, mp: float) -> dict:
        """Ranges of units with the same movement left. A unit's own hex is its source; a unit
        that starts in an enemy ZOC gets a virtual source node of its own (n + i) with edges to
        the neighbours it may step into, so its paths come back through that node. ``costs``:
        the buffer ``g``'s edge costs start (``graph``)."""
        st = self.state
        u = st.units
        n = st.map.n
        free = [r for r in rows if not zoc[int(u.hex[r])]]
        pinned = [r for r in rows if zoc[int(u.hex[r])]]
        uniq = sorted({int(u.hex[r]) for r in free})
        if not np.isfinite(mp):        # no limit: the infinite edges out (see graph)
            keep = np.isfinite(g.data)
            row = np.repeat(np.arange(n), np.diff(g.indptr))
            g = csr_matrix((g.data[keep], g.indices[keep],
                            np.concatenate(([0], np.cumsum(np.bincount(row[keep], minlength=n))))),
                           shape=(n, n))
        graph = g
        if pinned:
            hexes = u.hex[np.asarray(pinned)]
            nbs = st.map.grid.neighbors[hexes]                         # (k, 6)
            first = self.open_cost(side, hexes, blocked)               # (k, 6)
            ok = (nbs >= 0) & np.isfinite(first) & (first <= mp)
            indptr = np.concatenate([g.indptr, g.indptr[-1] + np.cumsum(ok.sum(axis=1))])
            size = n + len(pinned)
            edges, end = g.nnz, int(indptr[-1])
            spare = self._room()
            if g.data.base is costs and end <= costs.size and end <= spare.size:
                # The graph's own arrays, the virtual nodes' edges written after them: no copy.
                costs[edges:end] = first[ok]
                spare[edges:end] = nbs[ok]
                data, indices = costs[:end], spare[:end]
            else:
                data = np.concatenate([g.data, first[ok]])
                indices = np.concatenate([g.indices, nbs[ok].astype(g.indices.dtype)])
            graph = csr_matrix((data, indices, indptr.astype(g.indices.dtype)), shape=(size, size))
        sources = uniq + [n + i for i in range(len(pinned))]
        dist, pred = dijkstra(graph, indices=sources, limit=mp + 1e-9, return_predecessors=True)
        for i, r in enumerate(pinned):
            dist[len(uniq) + i, int(u.hex[r])] = 0.0
        # The hexes in range of each source, found in one pass over all of them.
        # (flatnonzero and divmod: several times faster than a 2-D nonzero, same order.)
        src_of, hex_of = np.divmod(np.flatnonzero(np.isfinite(dist[:, :n])), n)
        bounds = np.searchsorted(src_of, np.arange(len(sources) + 1))
        def within(i):
            return hex_of[bounds[i]:bounds[i + 1]]
        pos = {h: i for i, h in enumerate(uniq)}
        out = {}
        for r in free:
            i = pos[int(u.hex[r])]
            out[r] = (dist[i, :n], pred[i], None, within(i), zoc)
        for i, r in enumerate(pinned, start=len(uniq)):
            out[r] = (dist[i, :n], pred[i], n + i - len(uniq), within(i), zoc)
        return out

    def reach(self, row: int):
        return self.reach_many([row])[row]

    def reachable(self, row: int) -> np.ndarray:
        """Bool (n,): hexes the unit can end its move in now (stacking checked)."""
        st = self.state
        dist = self.reach(row)[0]
        side = int(st.units.side[row])
        room = st.rules.movement.stack_limit - stack_points(st, side)
        need = st.rules.unit_types.stack[st.units.type[row]]
        ok = np.isfinite(dist) & (room >= need)
        ok[st.units.hex[row]] = False
        return ok

    def path(self, row: int, dest: int, reach=None) -> list:
        """Hexes from the unit's hex to ``dest`` (both included), or [] if out of reach."""
        dist, pred, start = (reach if reach is not None else self.reach(row))[:3]
        if not np.isfinite(dist[dest]):
            return []
        h0 = int(self.state.units.hex[row])
        if dest == h0:
            return [h0]
        if start is None:
            return _walk(pred, dest, h0)
        return [h0] + _walk(pred, dest, start)[1:]   # from the unit's virtual source node


def ranges(model: MovementModel, rows, allowance) -> dict:
    """Cost to every hex (inf beyond) for each unit row as if it had ``allowance[i]`` movement
    points, against the enemy as it stands now: where the units could go on a later turn.
    A query: it changes nothing (the arrays may be shared with the cache: do not change them)."""
    rows = [int(r) for r in rows]
    if not rows:
        return {}
    side = int(model.state.units.side[rows[0]])
    g, zoc, blocked, costs = model.graph(side)
    groups: dict[float, list[int]] = {}
    for r, mp in zip(rows, np.asarray(allowance, dtype=float).tolist(), strict=True):
        groups.setdefault(max(0.0, mp), []).append(r)
    out = {}
    for mp, members in groups.items():
        for r, res in model._reach_group(g, zoc, blocked, costs, side, members, mp).items():
            out[r] = res[0]
    return out


def route_tree(model: MovementModel, row: int) -> tuple[np.ndarray, np.ndarray]:
    """(cost, predecessor) of the unit's cheapest ways to every hex over any number of turns:
    enemy-held hexes and closed regions are never entered; a zone of control ends a turn's
    move there but does not bar the way (see :func:`route_turns`)."""
    st = model.state
    n = st.map.n
    side = int(st.units.side[row])
    open_cost = model.open_cost(side)
    nb = st.map.grid.neighbors
    ok = np.isfinite(open_cost)
    src = np.repeat(np.arange(n), 6)[ok.ravel()]
    g = csr_matrix((open_cost[ok], (src, nb[ok])), shape=(n, n))
    dist, pred = dijkstra(g, indices=int(st.units.hex[row]), return_predecessors=True)
    return dist, pred


def route(model: MovementModel, row: int, dest: int, tree=None) -> list:
    """Hexes of the unit's cheapest way to ``dest`` over any number of turns (both ends
    included), [] if there is none. ``tree``: a :func:`route_tree` already computed."""
    dist, pred = tree if tree is not None else route_tree(model, row)
    if not np.isfinite(dist[dest]):
        return []
    return _walk(pred, dest, int(model.state.units.hex[row]))


def route_turns(model: MovementModel, row: int, path, allowance: float) -> list:
    """The turn (0 = this one) in which the unit would enter each hex of ``path`` (its own hex
    first, turn 0): it spends the movement it has left, then ``allowance`` each later turn; a
    step it cannot pay for waits for the next turn, and entering an enemy zone of control ends
    the turn there. Weather and the enemy are taken as they are now."""
    st = model.state
    u = st.units
    if not path:
        return []
    side = int(u.side[row])
    zoc, open_cost = model.graph(side)[1], model.open_cost(side)
    left = 0.0 if u.stopped[row] else float(u.mp[row])
    turn = 0
    out = [0]
    for a, b in zip(path[:-1], path[1:], strict=False):
        d = int(st.map.grid.edge_between(np.array([a]), np.array([b]))[0])
        cost = float(open_cost[a, d])
        if cost > left + 1e-9:
            turn += 1
            left = float(allowance)
        left -= cost
        if zoc[b]:
            left = 0.0
        out.append(turn)
    return out


def _walk(pred_row, dest, origin) -> list:
    path = [int(dest)]
    h = int(dest)
    while h != origin:
        h = int(pred_row[h])
        if h < 0:
            return []
        path.append(h)
    return path[::-1]


def validate_move(state, model: MovementModel, row: int, dest: int, reach=None) -> str:
    """Empty string if the move is legal, else the reason in words."""
    u = state.units
    if u.status[row] != ON_MAP:
        return f"{u.names[row]} is not on the map"
    if not (0 <= dest < state.map.n):
        return "that hex is off the map"
    if dest == u.hex[row]:
        return "the unit is already there"
    if not state.map.land[dest]:
        return "units cannot move into the sea"
    if u.stopped[row]:
        return f"{u.names[row]} has stopped in an enemy zone of control"
    if u.mp[row] <= 0:
        return f"{u.names[row]} has no movement left"
    dist = (reach if reach is not None else model.reach(row))[0]
    if not np.isfinite(dist[dest]):
        return f"{u.names[row]} cannot reach that hex this turn"
    side = int(u.side[row])
    if room_at(state, side, dest) < state.rules.unit_types.stack[u.type[row]]:
        return "that hex is full (stacking limit)"
    return ""


def apply_move(state, model: MovementModel, row: int, dest: int, reach=None) -> list:
    """Move a unit along its cheapest path; capture hexes on the way. Returns the path."""
    u = state.units
    reach = reach if reach is not None else model.reach(row)
    path = model.path(row, dest, reach)
    dist, zoc = reach[0], reach[4]
    side = int(u.side[row])
    u.mp[row] = max(0.0, float(u.mp[row]) - float(dist[dest]))
    u.stopped[row] = bool(zoc[dest])
    u.hex[row] = dest
    u.entrench[row] = 0
    hexes = np.asarray(path, dtype=np.int64)
    state.owner[hexes[state.map.land[hexes]]] = side
    return path
