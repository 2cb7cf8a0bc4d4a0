"""The operational AI's reading of the front.

``Front`` holds what the planners of a turn ask: how far each hex is from either side's units,
the enemy's pressure on each hex, where our supply reaches, the pockets the enemy could close,
the enemy's lines of supply (how much enemy strength draws its supply through each hex), the
objectives worth taking, and the front cut into sectors with the strength of both sides in
each, from which come the main effort and the threatened sectors. Each field is computed the
first time a planner reads it (``cached_property``), with array operations over the whole map.

The picture is taken at the start of the turn; after the board changed (attacks, exploitation)
``after_moves`` takes the tactical fields again (the enemy's positions and what follows from
them) and keeps the operational ones (the enemy's supply lines, the objectives' worth, the
sectors and the main effort, where our supply reaches, the pockets), which the turn's own moves
should not turn around and which cost the most to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.sparse.csgraph import dijkstra

from ..engine.hexgrid import axial_distance
from ..engine.memo import PerObject
from ..engine.units import SIDE_CODES, enemy_of
from ..rules import combat
from ..rules.supply import supply_distance, supply_range, supply_sources, trace_layers
from .attack_math import CombatTable
from .ground import enemy_pressure
from .objectives import objective_vp
from .pockets import around, pocketed

FAR = 50.0                 # land steps that count as "no unit anywhere near"
SECTOR_SPAN = 6            # hexes (about 60 km) between the anchors of two sectors
# What taking a hex is worth to the offensive, beyond its own victory points (game design,
# in victory points): a place of a sudden-death list of ours, an enemy supply source, a road
# or rail junction, and cutting all the enemy strength that draws supply through it.
SUDDEN_DEATH_WORTH = 10.0
SOURCE_WORTH = 6.0
JUNCTION_WORTH = 1.0
CUT_WORTH = 8.0
GARRISON_RANGE = 3         # hex steps from the enemy within which a place of ours needs a garrison
# A place whose loss alone ends the game (fatal_places) needs its garrison as soon as an enemy
# unit could march to it in this many turns (by the map's routes): a division covers 12 hexes a
# turn on a main road, so GARRISON_RANGE warns too late for the last port.
FATAL_TURNS = 2.0
# Fields that stay as the turn began when the picture is taken again after our moves (what our
# own moves change little, or only for the better), and those that stay too while no enemy unit
# has moved or fallen.
OPERATIONAL = ("table", "attack_factors", "enemy_lines", "objective_places", "objective_worth", "contact", "anchors",
               "sector_of", "sectors", "d_front", "supplied_once_taken", "pocket", "holdable")
ENEMY_POSITIONS = ("d_foe", "pressure", "fatal_threat")


def route_graph(game):
    """The map's movement costs (terrain, roads, rail, rivers; no weather, no units) as a graph:
    the routes supply takes. The same for the whole game: the AI builds it once."""
    return game.movement.graph_of(game.movement.base_cost)


_WAYS_HOME = PerObject()      # (routes, sources) -> (dist, pred): a few per game
_WAYS_TO = PerObject()        # (routes, place) -> the cost of every hex's way to the place
_FATAL = PerObject()          # (scenario, winner) -> fatal_places
_JUNCTIONS = PerObject()      # (map, None) -> junction_worth


def _ways_home(routes, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cost to the nearest of the sources ``src`` over ``routes``, the predecessor of each hex
    on the way there): the routes never change and the sources seldom do, so the answers are
    kept (read-only) for the sources seen last."""
    def search():
        dist, pred, _ = dijkstra(routes, indices=src, min_only=True, return_predecessors=True)
        return dist, pred
    return _WAYS_HOME.get(routes, np.asarray(src, dtype=np.int64).tobytes(), search)


def junction_worth(m) -> np.ndarray:
    """(n,) JUNCTION_WORTH on the land hexes three roads or railways or more leave, 0 elsewhere:
    the map never changes, computed once per map (read only)."""
    return _JUNCTIONS.get(m, None, lambda: np.where(m.land & (((m.road > 0) | m.rail).sum(axis=1) >= 3),
                                                    JUNCTION_WORTH, 0.0))


def fatal_places(state, winner: int) -> np.ndarray:
    """Hexes of the places whose control alone by ``winner`` ends the game: a card of the
    scenario's decks whose only condition is ``controls: {side: winner, place: P}`` and one of
    whose effects ends the game with ``winner`` the winner (the campaign's "Pusan falls")."""
    def find():
        m = state.map
        found = set()
        for deck in state.scenario.decks:
            for card in deck.get("cards") or []:
                held = (card.get("when") or {}).get("controls") if isinstance(card.get("when"), dict) else None
                if not isinstance(held, dict) or len(card["when"]) != 1 or SIDE_CODES.get(held.get("side")) != winner:
                    continue
                ends = [e["end_game"] for e in card.get("effects") or [] if isinstance(e, dict) and "end_game" in e]
                place = m.find_place(str(held.get("place")))
                if place is not None and any(SIDE_CODES.get(e.get("winner")) == winner for e in ends):
                    found.add(int(place.hex))
        return np.asarray(sorted(found), dtype=np.int64)
    return _FATAL.get(state.scenario, winner, find)


@dataclass
class Sector:
    """A stretch of the front: the hexes nearest one anchor on the line of contact."""

    anchor: int
    our_attack: float
    our_defence: float
    enemy_attack: float
    enemy_defence: float
    objectives: float            # worth of the enemy-held objectives in it

    @property
    def threat(self) -> float:
        """Enemy attack factors against our defence: above 1 the sector may break."""
        return self.enemy_attack / max(self.our_defence, 1e-6)

    @property
    def opportunity(self) -> float:
        """Our attack factors against the enemy's defence, weighted by what lies behind it."""
        return self.our_attack / max(self.enemy_defence, 1e-6) * (1.0 + self.objectives / 10.0)


class Front:
    """The picture of the front for ``side`` (see the module's docstring)."""

    def __init__(self, game, side: int, routes=None, supply_margin: float = 1.0, held=None,
                 withdrawing: bool = False):
        self.game = game
        self.supply_margin = supply_margin     # share of the supply range counted as in reach
        self.withdrawing = withdrawing         # in an ordered withdrawal (places_at_risk)
        # hexes of the places we are ordered to hold (game/ai/restraint.py: held_places)
        self.held = np.zeros(0, dtype=np.int64) if held is None else held
        self.routes = routes if routes is not None else route_graph(game)
        self.state = game.state
        self.side = side
        self.enemy = enemy_of(side)
        u = self.state.units
        self.ours = u.rows_on_map(side)
        self.foes = u.rows_on_map(self.enemy)
        self._foe_hexes = u.hex[self.foes].copy()

    def after_moves(self) -> Front:
        """The picture taken again after our orders moved units: the same operational fields,
        and the same fields of the enemy's positions when none of its units moved or fell."""
        fresh = Front(self.game, self.side, self.routes, self.supply_margin, self.held, self.withdrawing)
        u = self.state.units
        keep: tuple[str, ...] = OPERATIONAL
        if np.array_equal(fresh.foes, self.foes) and np.array_equal(u.hex[self.foes], self._foe_hexes):
            keep = keep + ENEMY_POSITIONS
        for name in keep:
            if name in self.__dict__:
                fresh.__dict__[name] = self.__dict__[name]
        return fresh

    @cached_property
    def table(self) -> CombatTable:
        """The combat results table as arrays."""
        return CombatTable(self.state)

    # --- distances ------------------------------------------------------------------------
    @cached_property
    def d_foe(self) -> np.ndarray:
        """(n,) land steps from the nearest enemy unit (FAR where none)."""
        return self._steps(self.state.units.hex[self.foes])

    @cached_property
    def d_front(self) -> np.ndarray:
        """(n,) land steps from the nearest enemy unit or enemy-held hex (FAR where none)."""
        st = self.state
        ground = st.map.land & (st.owner == self.enemy)
        ground[st.units.hex[self.foes]] = True
        return self._steps(np.nonzero(ground)[0])

    def _steps(self, hexes) -> np.ndarray:
        d = self.state.map.land_steps(hexes, limit=FAR)
        return np.where(np.isfinite(d), d, FAR)

    # --- strength -------------------------------------------------------------------------
    @cached_property
    def pressure(self) -> np.ndarray:
        """(n,) enemy attack factors next to each hex."""
        return enemy_pressure(self.game, self.side)

    @cached_property
    def attack_factors(self) -> np.ndarray:
        """(units,) attack factor of every unit (either side; 0 off the map)."""
        return self._of_units_on_map(combat.attack_strength)

    @cached_property
    def defence_factors(self) -> np.ndarray:
        """(units,) defence factor of every unit where it stands (0 off the map)."""
        return self._of_units_on_map(combat.defense_strength)

    def _of_units_on_map(self, strength) -> np.ndarray:
        """(units,) ``strength(state, rows)`` of the units on the map, 0 for the rest."""
        u = self.state.units
        rows = u.rows_on_map()
        out = np.zeros(len(u))
        out[rows] = strength(self.state, rows)
        return out

    # --- supply ---------------------------------------------------------------------------
    @cached_property
    def supplied_once_taken(self) -> np.ndarray:
        """(n,) bool: where our supply would reach once we take the empty enemy ground on the way,
        within ``supply_margin`` of its range."""
        cost = supply_distance(self.state, self.side, through_enemy_ground=True,
                               **trace_layers(self.game, self.side))
        if self.supply_margin >= 1.0:
            return np.isfinite(cost)
        return cost <= self.supply_margin * supply_range(self.state, self.side)

    @cached_property
    def pocket(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows of our units in a pocket about to close, (n,) bool: ground that stays joined to
        a supply source or the bulk of our strength next turn): game/ai/pockets.py."""
        return pocketed(self.game, self.side, self)

    @cached_property
    def holdable(self) -> np.ndarray:
        """(n,) bool: hexes a unit can stand on without being cut off next turn: the ground that
        stays open, and the hexes next to it (the unit's own presence keeps the way open)."""
        m = self.state.map
        return m.land & around(m, self.pocket[1])

    @cached_property
    def enemy_lines(self) -> np.ndarray:
        """(n,) enemy attack factors whose supply runs through each hex: each enemy unit's
        cheapest way back to a source by the map's movement costs (roads and rail carry it),
        summed along the way."""
        st = self.state
        n = st.map.n
        src = supply_sources(st, self.enemy)
        if src.size == 0 or self.foes.size == 0:
            return np.zeros(n)
        dist, pred = _ways_home(self.routes, src)
        here = st.units.hex[self.foes]
        weight = self.attack_factors[self.foes]
        keep = np.isfinite(dist[here])
        here, weight = here[keep], weight[keep]
        # Walk every unit's way home at once, one step a round, adding its factors on the way:
        # each round's sum per hex (in the units' order), added to the hexes the round reached
        # (a whole-map count each round would add as much, but zeros everywhere else).
        flow = np.bincount(here, weights=weight, minlength=n)
        while here.size:
            here = pred[here]
            keep = here >= 0
            here, weight = here[keep], weight[keep]
            if here.size:
                reached, at = np.unique(here, return_inverse=True)
                flow[reached] += np.bincount(at, weights=weight)
        return flow

    # --- objectives -----------------------------------------------------------------------
    @cached_property
    def objective_worth(self) -> np.ndarray:
        """(n,) what taking each hex would be worth to us if the enemy held it: its victory
        points (a hold objective's place counting its own), the places whose capture wins the
        game at once, the enemy's supply sources,
        junctions (three roads or railways or more), and the share of the enemy's strength
        supplied through it."""
        st = self.state
        m = st.map
        worth = self._place_worth(self.side)
        worth[supply_sources(st, self.enemy)] += SOURCE_WORTH
        worth += junction_worth(m)
        total = float(self.attack_factors[self.foes].sum())
        if total > 0:
            worth += CUT_WORTH * self.enemy_lines / total
        return worth

    def _place_worth(self, winner: int) -> np.ndarray:
        """(n,) each hex's victory points and a hold objective's, SUDDEN_DEATH_WORTH more for the
        places of ``winner``'s sudden-death lists (a fresh array)."""
        worth = self.state.map.vp.astype(float) + self.objective_places
        for rule in self.state.scenario.sudden_death:
            if SIDE_CODES[rule["side"]] == winner:
                worth[np.asarray(rule["hexes"], dtype=np.int64)] += SUDDEN_DEATH_WORTH
        return worth

    @cached_property
    def objective_places(self) -> np.ndarray:
        """(n,) the victory points of the places the scenario's open hold objectives name
        (game/ai/objectives.py): they count like cities, for both sides."""
        held = objective_vp(self.game)
        return held if held is not None else np.zeros(self.state.map.n)

    @cached_property
    def objectives(self) -> np.ndarray:
        """(n,) ``objective_worth`` of the enemy-held hexes, 0 elsewhere."""
        st = self.state
        return np.where(st.map.land & (st.owner == self.enemy), self.objective_worth, 0.0)

    @cached_property
    def places_at_risk(self) -> np.ndarray:
        """(n,) what losing each of our places within GARRISON_RANGE of an enemy unit (or under
        fatal_threat) would cost: its victory points (a hold objective's place counting its own),
        more for the places of an enemy sudden-death list or that we are ordered to hold; 0
        elsewhere. In an ordered withdrawal only those last two count: the side gives up the rest
        without a fight, as Eighth Army left Pyongyang on 5 December 1950 and Seoul on 4 January
        1951, and the Communists left Seoul on 14 March 1951."""
        st = self.state
        m = st.map
        worth = self._place_worth(self.enemy)
        worth[self.held] += SUDDEN_DEATH_WORTH
        near = self.fatal_threat if self.withdrawing else (self.d_foe <= GARRISON_RANGE) | self.fatal_threat
        return np.where(m.land & (st.owner == self.side) & near & (worth > 0), worth, 0.0)

    def way_to(self, place: int) -> np.ndarray:
        """(n,) the cost of each hex's cheapest way to ``place`` by the map's routes (no weather,
        no units): the routes never change, so it is computed once a game (read only)."""
        return _WAYS_TO.get(self.routes, place, lambda: dijkstra(self.routes.T.tocsr(), indices=place))

    @cached_property
    def fatal_threat(self) -> np.ndarray:
        """(n,) bool: our places whose loss alone would end the game (fatal_places), or that we are
        ordered to hold, that an enemy unit could march to within FATAL_TURNS turns of its
        allowance, by the map's routes (no weather, no zones of control, no cut for want of
        supply: the warning comes early)."""
        st = self.state
        out = np.zeros(st.map.n, dtype=bool)
        for place in np.union1d(fatal_places(st, self.enemy), self.held).tolist():
            if st.owner[place] == self.side:
                out[place] = bool(self.marching_on(place, FATAL_TURNS).any())
        return out

    def marching_on(self, place: int, turns: float) -> np.ndarray:
        """bool over ``foes``: the enemy units that could march to ``place`` within ``turns``
        turns of their allowance, by the map's routes (no weather, no zones of control)."""
        st = self.state
        if self.foes.size == 0:
            return np.zeros(0, dtype=bool)
        allowance = np.maximum(st.rules.unit_allowance(st.units, self.foes), 1e-6)
        return self.way_to(place)[st.units.hex[self.foes]] / allowance <= turns

    # --- sectors --------------------------------------------------------------------------
    @cached_property
    def contact(self) -> np.ndarray:
        """(n,) bool: land hexes not held by the enemy next to an enemy unit: the line of contact."""
        st = self.state
        return st.map.land & (self.d_foe == 1) & (st.owner != self.enemy)

    @cached_property
    def anchors(self) -> np.ndarray:
        """Hexes of the line of contact at least SECTOR_SPAN apart (sorted): one per sector."""
        line = np.nonzero(self.contact)[0]
        g = self.state.map.grid
        q, r = g.q[line], g.r[line]
        chosen: list[int] = []
        far = np.ones(line.size, dtype=bool)
        for i in np.nonzero(far)[0]:          # north-west to south-east, in index order
            if far[i]:
                chosen.append(int(line[i]))
                far &= axial_distance(q, r, q[i], r[i]) >= SECTOR_SPAN
        return np.asarray(chosen, dtype=np.int64)

    @cached_property
    def sector_of(self) -> np.ndarray:
        """(n,) the sector of each land hex: the index of the nearest anchor over land (-1: none)."""
        anchors = self.anchors
        label = np.full(self.state.map.n, -1)
        if anchors.size == 0:
            return label
        _, _, nearest = dijkstra(self.state.map.land_graph(), indices=anchors, min_only=True,
                                 unweighted=True, return_predecessors=True)
        hit = nearest >= 0
        label[hit] = np.searchsorted(anchors, nearest[hit])
        return label

    @cached_property
    def sectors(self) -> list[Sector]:
        """Every sector with the strength of both sides in it and the objectives it holds."""
        u = self.state.units
        k = self.anchors.size
        label = self.sector_of

        def per_sector(rows, weights) -> np.ndarray:
            lab = label[u.hex[rows]]
            keep = lab >= 0
            return np.bincount(lab[keep], weights=weights[rows][keep], minlength=k)

        near = (self.d_foe <= 3) & (label >= 0)     # objectives just behind the enemy's line count
        obj = np.bincount(label[near], weights=self.objectives[near], minlength=k)
        oa, od = per_sector(self.ours, self.attack_factors), per_sector(self.ours, self.defence_factors)
        ea, ed = per_sector(self.foes, self.attack_factors), per_sector(self.foes, self.defence_factors)
        return [Sector(int(a), float(oa[i]), float(od[i]), float(ea[i]), float(ed[i]), float(obj[i]))
                for i, a in enumerate(self.anchors)]

    def main_effort(self) -> int:
        """The sector the offensive concentrates on (-1 with no front): the best ratio of our
        attack to the enemy's defence, weighted by the objectives behind it."""
        sectors = self.sectors
        if not sectors:
            return -1
        return int(np.argmax([s.opportunity for s in sectors]))

    def threatened_sectors(self, ratio: float) -> list[int]:
        """Sectors where the enemy's attack outweighs our defence ``ratio`` times or more,
        most threatened first."""
        sectors = self.sectors
        hit = [i for i, s in enumerate(sectors) if s.threat >= ratio]
        return sorted(hit, key=lambda i: (-sectors[i].threat, i))
