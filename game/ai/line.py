"""The line and its reserves: where every unit that did not attack or exploit stands.

Every hex first gets the baseline's sense of where units are wanted in this posture (near the
fighting, on good ground, in cities, in supply, away from the enemy in an ordered withdrawal:
``ground.hex_scores``). On top of it:

* **a continuous line**: each hex of the line of contact (next to an enemy unit, not enemy
  ground; in an ordered withdrawal, the hexes ``withdrawal_depth`` from the enemy) that no zone
  of control of ours covers yet is worth ``COVER_WORTH`` to the unit whose zone would cover it
  (its hex and the six around), more for pressed hexes and, but in an ordered withdrawal, cities;
* **no ground the enemy would overwhelm**: with the posture's ``withdraw_ratio``, a hex where
  the enemy's attack next to it would outweigh our defence there (the units already placed
  included) by more than that ratio costs in proportion, as for the baseline;
* **the places that matter**: a place of ours the enemy could reach (Front.places_at_risk: its
  victory points, more if its loss would end the game) is worth ``GARRISON_WORTH`` per point
  to each unit that stands in it while our defence there is under the attack factors of the
  enemy units within ``THREAT_STEPS`` over ``GARRISON_ODDS`` (and to the first unit anyway;
  a place we must not lose, Front.fatal_threat, counts every enemy unit that could march to it
  this turn); an enemy-held place a unit can stand on (it is ours at once) is worth its objective worth
  (Front.objectives) times ``CAPTURE_WORTH``;
* **exits**: a unit an exit objective names is drawn toward its exit area, as for the baseline,
  and neither closes the line, garrisons nor stands in reserve;
* **no pockets**: a hex the enemy could cut off next turn (``Front.holdable``) costs
  ``POCKET_WORTH``;
* **the march from the rear** (under an ordered mobile defence, game/ai/restraint.py, while on
  the defensive and not withdrawing): a unit ``REAR_STEPS`` or more from the enemy (a
  reinforcement landed at a port, a division re-formed behind the lines) is drawn, ``MARCH_PULL``
  a step, to the line of contact of the sector that most wants it, in place of the pull to the
  nearest stretch of front: the sector's lack of defence (the enemy's attack factors in it less
  our defence), halved for every ``MARCH_REACH`` steps of the march; each unit sent counts
  against that sector's lack. Walker sent his July divisions up the main road to meet the
  enemy's main body and moved his reserves from one threatened sector to the next, not to the
  nearest skirmish;
* **reserves**: hexes two or three steps behind each threatened sector (enemy attack over our
  defence of 1 or more; on the offensive, behind the main effort) draw one unit each, up to
  ``MAX_RESERVE_SHARE`` of the free units: it is there to plug a breach or exploit one next turn.

Units furthest from the action choose first, so the line fills from the rear evenly; a unit in
supply stays within reach of it; each moves only when its best hex is worth ``MIN_GAIN`` more
than staying (staying keeps its works).
"""

from __future__ import annotations

import numpy as np

from ..engine.orders import Move
from ..engine.units import SIDE_NAMES
from ..rules import combat
from ..rules.movement import stack_points
from ..rules.positions import positional_war
from . import restraint
from .front import FAR
from .ground import front_pull, march_goals, scores_from
from .planner import Planner, free_to_move

CAPTURE_WORTH = 1.0      # per point of an enemy-held place's objective worth (Front.objectives)
GARRISON_WORTH = 1.0     # per victory point of a place of ours at risk, while it wants defence
GARRISON_ODDS = 2.0      # a place at risk wants the enemy near it held below these odds...
THREAT_STEPS = 3         # ...counting the enemy units this many hexes from it
COVER_WORTH = 1.0        # per uncovered hex of the line a unit's zone of control would close
MIN_GAIN = 0.25          # a unit moves only for this much more than staying is worth
POCKET_WORTH = 6.0       # a hex the enemy could cut off next turn (game/ai/pockets.py)
RESERVE_WORTH = 12.0     # a reserve's hex behind a threatened sector, while the sector wants one
RESERVE_STEPS = (2, 3)   # how far behind the line of contact a reserve stands
THREAT = 1.0             # enemy attack : our defence at which a sector wants a reserve
MAX_RESERVE_SHARE = 0.25 # of the units free to move
REAR_STEPS = 4           # hexes from the nearest enemy unit at which a unit marches from the rear...
MARCH_PULL = 2.0         # ...what each step nearer its sector's line of contact is worth...
MARCH_REACH = 5.0        # ...and the steps of march that halve a sector's call on it


def line_hexes(front, depth: int) -> np.ndarray:
    """(n,) bool: where the line runs: land ``depth`` steps from the nearest enemy unit, not
    enemy ground (depth 1: the line of contact)."""
    st = front.state
    return st.map.land & (front.d_foe == depth) & (st.owner != front.enemy)


def line_worth(front, depth: int) -> np.ndarray:
    """(n,) what covering each hex of the line (line_hexes) is worth: 1, more where the enemy
    presses and, but in an ordered withdrawal, a place's victory points (a withdrawal gives up
    places, as Front.places_at_risk does: the Communists drawn back before RIPPER would otherwise
    form their new line in Seoul, the city on it); 0 off the line."""
    places = 0.0 if front.withdrawing else front.state.map.vp
    return np.where(line_hexes(front, depth), 1.0 + places + (front.pressure > 0), 0.0)


def reserve_hexes(front, sectors: list[int]) -> np.ndarray:
    """(n,) sector index of each hex where a reserve for one of ``sectors`` may stand, -1
    elsewhere: our ground within reach of our supply, RESERVE_STEPS behind the line of contact."""
    st = front.state
    lo, hi = RESERVE_STEPS
    ok = (st.map.land & (st.owner == front.side) & front.supplied_once_taken & (front.d_foe >= lo)
          & (front.d_foe <= hi) & sector_in(front, sectors))
    return np.where(ok, front.sector_of, -1)


def sector_in(front, sectors: list[int]) -> np.ndarray:
    """(n,) bool: the hexes of the sectors ``sectors``; a table per sector, the last entry for
    the hexes in none (sector -1)."""
    table = np.zeros(len(front.sectors) + 1, dtype=bool)
    table[sectors] = True
    return table[front.sector_of]


class RearMarch:
    """Where the units in the rear march (the module's doc): the sectors' lack of defence, taken
    once a turn, and the land steps to each sector's line of contact; ``send`` counts a unit
    that went against its sector's lack."""

    def __init__(self, game, ai, front):
        self.front = front
        self.active = (restraint.mobile_defence(game, ai) and not ai.withdrawing(game)
                       and not ai.on_offensive(game) and bool(front.sectors))
        sectors = front.sectors if self.active else []
        self.lack = np.array([s.enemy_attack - s.our_defence for s in sectors], dtype=float)
        self.front_pull = front_pull(float(ai.posture(game)["aggression"]))
        self._steps: dict[int, np.ndarray] = {}

    def steps(self, sector: int) -> np.ndarray:
        """(n,) land steps from every hex to ``sector``'s line of contact (FAR where none)."""
        if sector not in self._steps:
            line = np.nonzero(self.front.contact & (self.front.sector_of == sector))[0]
            d = self.front.state.map.land_steps(line)
            self._steps[sector] = np.where(np.isfinite(d), d, FAR)
        return self._steps[sector]

    def sector_for(self, here: int) -> int:
        """The sector a unit standing on ``here`` marches for; -1 for none (it is near the
        enemy, or no sector lacks defence)."""
        if not self.active or self.front.d_foe[here] < REAR_STEPS or self.lack.max() <= 0:
            return -1
        want = [lack / (1.0 + self.steps(s)[here] / MARCH_REACH) if lack > 0 else -np.inf
                for s, lack in enumerate(self.lack)]
        return int(np.argmax(want))

    def pull(self, sector: int, cand: np.ndarray) -> np.ndarray:
        """What marching for ``sector`` is worth at each of ``cand``: the pull to the nearest
        front taken back, MARCH_PULL a step to the sector's line of contact in its place."""
        return self.front_pull * self.front.d_front[cand] - MARCH_PULL * self.steps(sector)[cand]

    def send(self, sector: int, defence: float) -> None:
        self.lack[sector] -= defence


def wanted_reserves(ai, game, front) -> list[int]:
    """Sectors that want a reserve: the threatened ones; on the offensive, the main effort."""
    if ai.withdrawing(game):
        return []
    wanted = front.threatened_sectors(THREAT)
    if ai.on_offensive(game) and np.isfinite(ai.posture(game)["attack_odds"]):
        main = front.main_effort()
        if main >= 0 and main not in wanted:
            wanted.append(main)
    return wanted


def garrison_needed(front) -> np.ndarray:
    """(n,) the defence each place at risk wants: the enemy's attack factors within
    THREAT_STEPS of it over GARRISON_ODDS (0 elsewhere); a place wants one unit at least. A place
    we must not lose (Front.fatal_threat) counts every enemy unit that could march to it this
    turn: an enemy division on a main road is a dozen hexes from it, not three."""
    st = front.state
    u, g = st.units, st.map.grid
    need = np.zeros(g.n)
    places = np.nonzero(front.places_at_risk > 0)[0]
    if places.size:
        at = np.bincount(u.hex[front.foes], weights=front.attack_factors[front.foes], minlength=g.n)
        near = g.disks(THREAT_STEPS)[places]
        need[places] = np.maximum(np.where(near >= 0, at[np.where(near >= 0, near, 0)], 0.0).sum(axis=1)
                                  / GARRISON_ODDS, 1e-6)
    for place in np.nonzero(front.fatal_threat)[0].tolist():
        marching = front.attack_factors[front.foes][front.marching_on(place, 1.0)].sum()
        need[place] = max(need[place], marching / GARRISON_ODDS)
    return need


def hold_line(game, ai, front, only=None) -> list[int]:
    """Move every unit still free (or the free ones of ``only``) to its place on the line or in
    reserve; returns the rows it considered."""
    st = game.state
    u, m = st.units, st.map
    rows = u.rows_on_map(ai.side)
    movable = rows[free_to_move(ai, u, rows)]
    if only is not None:
        movable = movable[np.isin(movable, list(only))]
    if movable.size == 0:
        return []
    nb_or_off = m.grid.neighbours_or_off()    # with m.n, an extra entry of the arrays below
    depth = int(ai.settings.withdrawal_depth) if ai.withdrawing(game) else 1
    # Hexes of the line still open: not covered by a unit that stays put.
    # One more entry, always 0, stands for "off the map": each hex's six neighbours read at once.
    weight = np.append(line_worth(front, depth), 0.0)
    staying = np.setdiff1d(rows, movable)
    covered = np.zeros(m.n + 1, dtype=bool)
    covered[u.hex[staying]] = True
    covered[nb_or_off[u.hex[staying]]] = True
    weight[covered] = 0.0

    # What every hex is worth before the units choose: the baseline's scores, less the pockets.
    supplied = front.supplied_once_taken
    # A unit in supply never leaves it: the steps back to supply matter only to one out of it.
    base = scores_from(game, ai, front.d_foe, front.d_front, supplied,
                       way_home=not supplied[u.hex[movable]].all())
    order_by = base
    base = base - np.where(front.holdable, 0.0, POCKET_WORTH)
    # An empty enemy-held place is ours as soon as a unit stands on it.
    base += CAPTURE_WORTH * np.where(m.vp > 0, front.objectives, 0.0)
    ratio = ai.posture(game)["withdraw_ratio"]
    held = np.bincount(u.hex[staying], weights=front.defence_factors[staying], minlength=m.n)
    terrain_def = st.rules.terrain_defense[m.terrain]
    fort = 1.0 + float(st.rules.combat.entrench_bonus) * u.entrench
    # Defence of each unit without its ground and works: the ground it moves to gives its own.
    bare = combat.defense_strength(st, np.arange(len(u)), np.maximum(u.hex, 0)) \
        / terrain_def[np.maximum(u.hex, 0)] / fort

    sectors = wanted_reserves(ai, game, front)
    reserve_at = reserve_hexes(front, sectors) if sectors else np.full(m.n, -1)
    reserves_left = int(np.ceil(MAX_RESERVE_SHARE * movable.size))
    wants = np.zeros(len(front.sectors) + 1, dtype=bool)   # the last entry: no sector
    wants[sectors] = True

    stay_bonus = 0.5 + 0.5 * u.entrench
    if positional_war(st):
        stay_bonus = 2.0 + 1.0 * u.entrench     # the war of positions: keep the dug-in line
    room = st.rules.movement.stack_limit - stack_points(st, ai.side)
    need = st.rules.unit_types.stack[u.type]
    # Places at risk with no unit yet, and the hexes units already stand on or around.
    risk = front.places_at_risk
    risky = risk > 0          # the few hexes where the garrison term is not 0 (added only there)
    garrison_needs = garrison_needed(front)
    claimed = np.zeros(m.n + 1)
    goals, ordered = march_goals(game, ai)
    reach = restraint.reach(game, ai, movable)
    # Units furthest from the action move first, so the line fills from the rear evenly.
    order = movable[np.argsort(-order_by[u.hex[movable]], kind="stable")][::-1]
    name = SIDE_NAMES[ai.side]
    march = RearMarch(game, ai, front)
    for r in order:
        dist, cand = reach[int(r)][0], reach[int(r)][3]
        here = int(u.hex[r])
        fits = (room[cand] >= need[r]) | (cand == here)
        if supplied[here] and r not in ordered:
            fits &= supplied[cand]               # a unit in supply never leaves it, unless ordered on
        cand = cand[fits]
        if cand.size == 0:
            continue
        val = base[cand] - claimed[cand] - 0.05 * dist[cand]
        sector = -1 if r in goals else march.sector_for(here)
        if sector >= 0:
            val += march.pull(sector, cand)
        at_home = cand == here
        val[at_home] += stay_bonus[r]
        if ratio is not None:
            mine = bare[r] * terrain_def[cand] * np.where(at_home, fort[r], 1.0)
            val -= 2.0 * np.maximum(0.0, front.pressure[cand] / np.maximum(held[cand] + mine, 1e-6) - float(ratio))
        if r in goals:
            val -= goals[r][cand]                 # on its way out or along its route, nothing else
        else:
            gain = weight[cand] + weight[nb_or_off[cand]].sum(axis=1)
            val += COVER_WORTH * gain
            # (Each term below is 0 for every candidate where its test fails: adding it changes
            # no value, nor the choice.)
            if risky[cand].any():
                val += GARRISON_WORTH * np.where(held[cand] < garrison_needs[cand], risk[cand], 0.0)
            if reserves_left > 0 and sectors:
                val += RESERVE_WORTH * wants[reserve_at[cand]]
        k = int(val.argmax())
        stay = val[at_home]
        best = here if stay.size and val[k] - stay[0] < MIN_GAIN else int(cand[k])
        if best != here and game.apply(Move(name, unit=u.ids[r], to=best)):
            room[here] += need[r]
            room[best] -= need[r]
        spot = int(u.hex[r])
        if sector >= 0:
            march.send(sector, front.defence_factors[r])
        if reserves_left > 0 and wants[reserve_at[spot]]:
            wants[reserve_at[spot]] = False
            reserves_left -= 1
        held[spot] += bare[r] * terrain_def[spot] * (fort[r] if spot == here else 1.0)
        around = nb_or_off[spot]
        weight[spot] = 0.0
        weight[around] = 0.0
        claimed[spot] += 3.0
        claimed[around] += 1.0
    return [int(r) for r in movable]


class OrderedMarch(Planner):
    """First of all: the units an exit objective names march for their exit area, those an
    advance order sends for the next place of their route, and those standing in ground they
    are kept out of for the way out (their place on the line, with the order's pull), and keep
    to it for the rest of the turn: they attack only from where they stand."""

    name = "ordered_march"

    def run(self, game, ai) -> None:
        goals, _ = march_goals(game, ai)
        if goals:
            ai.placed.update(hold_line(game, ai, ai.picture(game), only=goals))


class HoldTheLine(Planner):
    """Every free unit to the line, its gaps closed, with reserves behind threatened sectors."""

    name = "hold_the_line"

    def run(self, game, ai) -> None:
        hold_line(game, ai, ai.picture(game))
