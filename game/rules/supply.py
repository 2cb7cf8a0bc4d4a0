"""Supply: traced from each side's sources (ports, railheads: the scenario's ``supply_sources``
that the side still holds) along rail and roads cheaply and across country dearly, over the
side's own or empty land, never into an enemy-held hex nor out of an enemy zone of control (a
hex with one of our units in it cancels the enemy ZOC). One multi-source Dijkstra per side
covers the whole map; the side's range (rules data) is scaled by its ``supply_capacity``.

The per-hex layers of the movement model (weather, air interdiction...) multiply the supply
cost of entering a hex too, so interdiction cuts supply lines. Along a railway the weather's
cost is each condition's ``rail`` multiplier where it has one: rain and the monsoon stop
trucks, porters and pack trains, not trains; the bombing still does.

Units out of supply count the turns they have been cut off; the ``out_of_supply`` tables give
the effects by that count (attack, defence, movement elsewhere; attrition, lost efficiency and
the chance to surrender here). With ``losses_per: week`` those losses are a week's: a turn of
N days costs N/7 of them (whole points, the fraction by a draw) and compounds the surrender
chance over N/7 weeks, so short turns cut a pocket down no faster than long ones."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..engine.memo import PerObject
from ..engine.units import ON_MAP, SIDE_NAMES, enemy_of
from .combat import eliminate
from .module import RuleModule
from .movement import occupied, static_edge_costs, zone_of_control
from .weather import KEY as WEATHER_LAYER
from .weather import weather_model

MAX_TURNS_OUT = 99          # the count of turns cut off stops here (units.supply is int8)
_STATIC = PerObject()    # (scenario, None) -> (supply cost (n, 6), movement cost (n, 6))


def _static_costs(state):
    """(supply edge cost, movement edge cost), both (n, 6) before layers; cached per scenario."""
    return _STATIC.get(state.scenario, None, lambda: _static_costs_of(state))


def _static_costs_of(state):
    rules = state.rules
    move = static_edge_costs(state.map, rules.terrain_move, rules.movement)
    cost = rules.supply.cost
    if cost is None:
        return move, move
    # The movement model's edge rule, with supply costs in place of movement points.
    keys = ("rail", "road_main", "road_minor", "river_minor", "river_major", "bridge_minor", "bridge_major")
    table = SimpleNamespace(**{k: float(getattr(rules.movement, k) if getattr(cost, k) is None
                                        else getattr(cost, k)) for k in keys})
    return static_edge_costs(state.map, rules.terrain_move * float(cost.cross_country), table), move


def supply_range(state, side: int) -> float:
    """How far (in supply cost) supply reaches from a source: the side's range times its
    supply capacity in percent (event cards raise or cut it)."""
    sup = state.rules.supply
    by_side = getattr(sup.range_by_side, SIDE_NAMES[side])
    base = float(sup.range if by_side is None else by_side)
    return base * float(state.sides[side]["supply_capacity"]) / 100.0


def supply_sources(state, side: int) -> np.ndarray:
    """Source hexes of ``side`` that it still holds and that serve on this date."""
    return _serving(state, side)[0]


def _serving(state, side: int) -> tuple[np.ndarray, np.ndarray]:
    """(the source hexes of ``side`` that serve today, the share of the side's range each reaches)."""
    src = np.asarray(state.scenario.supply_sources.get(side, []), dtype=np.int64)
    reach = np.asarray(state.scenario.supply_reach.get(side, np.ones(src.size)), dtype=float)
    if src.size == 0:
        return src, reach
    ok = state.owner[src] == side
    windows = state.scenario.supply_windows.get(side)
    if windows:
        today = state.date.isoformat()
        ok &= np.array([start <= today <= end for start, end in windows], dtype=bool)
    return src[ok], reach[ok]


def _hex_multiplier(state, layers) -> np.ndarray:
    """(n,) multiplier on entering each hex. ``layers`` is the movement model's
    ``multiplier(side)``, or (from older callers) its ``edge_cost(side)``, from which the
    per-hex multiplier is recovered."""
    n = state.map.n
    if layers is None:
        return np.ones(n)
    layers = np.asarray(layers, dtype=float)
    if layers.ndim == 1:
        return layers
    _, move = _static_costs(state)
    nb = state.map.grid.neighbors
    ok = np.isfinite(move) & np.isfinite(layers) & (move > 0)
    mult = np.ones(n)
    mult[nb[ok]] = layers[ok] / move[ok]
    return mult


def trace_layers(game, side: int) -> dict:
    """The movement model's layers as ``side``'s supply pays them, as keyword arguments of
    ``supply_distance`` and ``update_supply``: every layer off the railways; on them, the
    weather's ``rail`` multiplier in place of its movement one where a condition has one."""
    mv = game.movement
    layers = {"layers": mv.multiplier(side)}
    model = weather_model(game)
    if model is not None and model.rail_differs():
        layers["rail_layers"] = mv.multiplier(side, skip=(WEATHER_LAYER,)) * model.rail_layer(game.state)
    return layers


def supply_distance(state, side: int, layers=None, through_enemy_ground: bool = False,
                    rail_layers=None) -> np.ndarray:
    """Supply cost from the nearest source to every hex (inf where supply cannot be traced).

    ``layers``: the per-hex cost multiplier for ``side`` (``game.movement.multiplier(side)``);
    an (n, 6) movement edge cost is accepted too. ``rail_layers``: the multiplier along the
    railways, where it differs (``trace_layers``). ``through_enemy_ground``: trace across
    empty enemy-held land as well, i.e. where supply would reach once the side takes that
    ground (the AI's question before it advances); enemy units and their ZOC still block."""
    m, u = state.map, state.units
    n = m.n
    reach = supply_range(state, side)
    sources, shares = _serving(state, side)
    if sources.size == 0 or reach <= 0:
        return np.full(n, np.inf)
    indices, indptr, out, into = _edge_layout(m)
    enemy = enemy_of(side)
    ours = occupied(u, side, n)
    blocked_from = zone_of_control(m, u, enemy) & ~ours
    closed = occupied(u, enemy, n)
    if not through_enemy_ground:
        closed = closed | ((state.owner == enemy) & ~ours)
    # One cost per edge of the map (row-major: sorted by source hex, the CSR layout), infinite
    # out of a blocked hex or into a closed one: an infinite edge is never taken within a
    # finite limit, so the search is the one over the finite edges alone.
    cost = _edge_costs(state, side, layers, rail_layers).copy()
    shut = np.concatenate([out[blocked_from].ravel(), into[closed].ravel()])
    cost[shut[shut >= 0]] = np.inf
    if (shares >= 1).all():
        g = csr_matrix((cost, indices, indptr), shape=(n, n))
        return dijkstra(g, indices=sources, min_only=True, limit=reach + 1e-9)
    # A source that reaches only part of the range starts the search that much spent: one more
    # node, joined to each source by an edge of the range it lacks, is the search's one origin.
    start = np.maximum(reach * (1.0 - shares), 1e-9)
    g = csr_matrix((np.concatenate([cost, start]), np.concatenate([indices, sources.astype(np.int32)]),
                    np.append(indptr, indptr[-1] + sources.size)), shape=(n + 1, n + 1))
    return dijkstra(g, indices=n, limit=reach + 1e-9)[:n]


_LAYOUT = PerObject()    # (map, None) -> _edge_layout's arrays


def _edge_layout(m) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The map's edges in row-major order of the (n, 6) neighbour table: (the hex each enters,
    the CSR row pointers over them, and two (n, 6) tables of edge numbers, -1 where there is
    no neighbour: the edges out of each hex, and the edges into it): the grid never changes,
    computed once per map."""
    def layout():
        nb = m.grid.neighbors
        edges = nb >= 0
        per_hex = edges.sum(axis=1)
        out = np.where(edges, np.cumsum(edges.ravel()).reshape(edges.shape) - 1, -1)
        entering = m.grid.entering()
        into = np.where(entering >= 0, out.ravel()[np.maximum(entering, 0)], -1)
        return nb[edges].astype(np.int32), np.concatenate(([0], np.cumsum(per_hex))).astype(np.int32), out, into
    return _LAYOUT.get(m, None, layout)


_cost_cache: dict = {}     # (id(static table), side) -> (table, multipliers, edge costs)


def _same(a, b) -> bool:
    """Equal arrays, or both None."""
    return a is b or (a is not None and b is not None and np.array_equal(a, b))


def _edge_costs(state, side: int, layers, rail_layers=None) -> np.ndarray:
    """The supply cost of every edge of the map (``_edge_layout``'s order) before the units:
    the static cost times the layers' multiplier on the hex it enters (``rail_layers``' along
    a railway, when given), at least 1e-9 (read only). Kept for each side's multipliers seen
    last: the side's supply phase and its AI's questions share it until a layer changes."""
    base, _ = _static_costs(state)
    mult = _hex_multiplier(state, layers)
    rail = None if rail_layers is None else np.asarray(rail_layers, dtype=float)
    key = (id(base), side)
    hit = _cost_cache.get(key)
    if hit is None or hit[0] is not base or not _same(hit[1], mult) or not _same(hit[2], rail):
        m = state.map
        edges = m.grid.neighbors >= 0
        into = _edge_layout(m)[0]
        per_edge = mult[into] if rail is None else np.where(m.rail[edges], rail[into], mult[into])
        cost = np.maximum(base[edges] * per_edge, 1e-9)
        cost.flags.writeable = False
        if len(_cost_cache) > 8:
            _cost_cache.clear()
        hit = _cost_cache[key] = (base, mult.copy(), None if rail is None else rail.copy(), cost)
    return hit[3]


def out_of_supply_table(state, key: str) -> np.ndarray:
    return np.asarray(getattr(state.rules.supply.out_of_supply, key), dtype=float)


def turns_before_losses(state) -> int:
    """How many turns a unit can be cut off before it loses strength, efficiency or may
    surrender (the first entry of the out_of_supply tables that costs anything)."""
    tables = [out_of_supply_table(state, k) for k in ("attrition", "efficiency", "surrender")]
    costly = [int(np.flatnonzero(t > 0)[0]) for t in tables if (t > 0).any()]
    return min(costly) if costly else MAX_TURNS_OUT


def _by_turns(table: np.ndarray, turns: np.ndarray) -> np.ndarray:
    return table[np.minimum(turns, len(table) - 1)]


def turn_weeks(state) -> float:
    """The length of this turn in weeks."""
    cal = state.scenario.calendar
    return cal.days(min(state.turn, len(cal) - 1)) / 7.0


def whole_points(state, expected: np.ndarray) -> np.ndarray:
    """Whole strength points for ``expected`` (fractional) losses: the whole part, and one more
    with the chance of the fraction (drawn from the game's generator only where one is left)."""
    whole = np.floor(expected)
    frac = expected - whole
    if (frac > 0).any():
        whole = whole + (state.rng.random(len(expected)) < frac)
    return whole.astype(np.int16)


def update_supply(state, side: int, layers=None, rail_layers=None) -> np.ndarray:
    """Mark ``side``'s units in or out of supply and apply what being cut off costs:
    attrition, lost efficiency, then surrender. Returns the supplied-hex mask."""
    u = state.units
    rows = u.rows_on_map(side)
    dist = supply_distance(state, side, layers, rail_layers=rail_layers)
    ok = np.isfinite(dist[u.hex[rows]])
    u.supply[rows] = np.where(ok, 0, np.minimum(u.supply[rows].astype(np.int64) + 1, MAX_TURNS_OUT))
    turns = u.supply[rows].astype(np.int64)
    sd = state.sides[side]

    weekly = state.rules.supply.out_of_supply.losses_per == "week"
    weeks = turn_weeks(state) if weekly else 1.0
    loss = whole_points(state, _by_turns(out_of_supply_table(state, "attrition"), turns) * weeks)
    loss = np.minimum(loss, u.strength[rows])
    if loss.any():
        u.strength[rows] -= loss
        sd["losses"] += int(loss.sum())

    drop = np.round(_by_turns(out_of_supply_table(state, "efficiency"), turns) * weeks).astype(np.int64)
    if drop.any():
        floor = int(state.rules.supply.efficiency_floor)
        u.efficiency[rows] = np.maximum(u.efficiency[rows] - drop, np.minimum(u.efficiency[rows], floor))

    chance = _by_turns(out_of_supply_table(state, "surrender"), turns)
    if weekly:
        chance = 1.0 - (1.0 - chance) ** weeks
    at_risk = np.nonzero((chance > 0) & (u.strength[rows] > 0))[0]
    if at_risk.size:
        gives_up = at_risk[state.rng.random(at_risk.size) < chance[at_risk]]
        for i in gives_up:
            r = int(rows[i])
            sd["losses"] += int(u.strength[r])
            state.say(f"{u.names[r]}, cut off for {int(turns[i])} turns, surrenders")
            eliminate(state, r)
    for r in rows[(u.strength[rows] <= 0) & (u.status[rows] == ON_MAP)]:
        eliminate(state, int(r))
    return np.isfinite(dist)


def supply_phase(game, side: int) -> None:
    """The side's supply phase: trace supply with the movement model's layers."""
    st = game.state
    before = int(st.units.on_map(side).sum())
    update_supply(st, side, **trace_layers(game, side))
    if int(st.units.on_map(side).sum()) != before:
        game.movement.invalidate()


class SupplyRules(RuleModule):
    """The supply phase of each side: who is cut off, and what that costs."""

    name = "supply"

    def supply(self, side: int) -> None:
        supply_phase(self.game, side)
