"""Weather by date and zone: rolled each turn, with effects on movement, supply, combat, air and attrition.

The scenario's ``weather:`` section (docs/rules/weather.md) splits the map into zones (by
latitude and 1950 region) and gives each zone the chance of each condition month by month,
with special periods (the hard winters of 1950-51 and 1951-52, the thaw) that replace the
month's chances between two dates.

Each turn, in ``turn_start``: a weather card's override (``state.weather_override``) counts
down; every zone rolls its condition with ``state.rng``; the effective conditions (the
override's condition everywhere while it lasts) are published in ``state.rules_state["weather"]``:

    {"rolled": {zone: condition}, "zones": {zone: condition}, "air": {zone: share 0..1},
     "main_zone": zone, "air_main": share}

and ``state.weather`` shows the condition of the zone with most fighting. The effective
conditions are published again at each side's reinforcement phase, so that a card that fires
after the roll takes hold before anyone moves. Effects: a ``weather`` movement layer (cost of
entering each hex; supply along a railway pays each condition's ``rail`` instead where it has
one, game/rules/supply.py), an attack shift by the target hex's zone, the air shares above for the air
rules, and frostbite in ``turn_end`` on units on mountain/rough ground in cold zones.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..engine.mapdata import REGION, TERRAIN
from ..engine.units import SIDES, UN, enemy_of
from ..engine.vocabulary import WEATHER_CONDITIONS as WEATHER
from ..scenario.sections.weather import MONTHS, Section
from .combat import eliminate
from .module import AttackContext, RuleModule
from .movement import zone_of_control
from .state_models import WeatherState

KEY = "weather"          # the module's entry in state.rules_state and its movement layer
CODE = {c: i for i, c in enumerate(WEATHER)}


class WeatherModel:
    """The section's data as arrays: zone of each hex, chances, effects by condition code."""

    def __init__(self, section: Section, mapdata):
        self.zones = list(section.zones)
        self.zone_of_hex = zone_of_hex(section, mapdata)
        self.main_zone = section.main_zone or self.zones[-1]
        eff = [getattr(section.conditions, c) for c in WEATHER]
        self.move = np.array([e.move for e in eff])
        self.rail = np.array([e.move if e.rail is None else e.rail for e in eff])
        self.shift = np.array([e.attack_shift for e in eff], dtype=int)
        self.air = np.array([e.air for e in eff])
        self.frostbite = np.array([e.frostbite for e in eff])
        cold_ground = [TERRAIN[t] for t in section.frostbite_terrain]
        self.frost_ground = np.isin(mapdata.terrain, cold_ground)
        self.out_of_supply = float(section.frostbite_out_of_supply)
        self.loss = int(section.frostbite_loss)
        self.climate = np.array([[_probs(getattr(z.climate, m)) for m in MONTHS]
                                 for z in section.zones.values()])          # (zones, 12, 6)
        self.periods = [[(dt.date.fromisoformat(p.from_), dt.date.fromisoformat(p.to), _probs(p.chances))
                         for p in z.periods] for z in section.zones.values()]
        self._layer_codes: np.ndarray | None = None

    def chances(self, zone: int, date: dt.date) -> np.ndarray:
        """(6,) chances of each condition in ``zone`` on ``date``: a special period's, or the month's."""
        for start, end, probs in self.periods[zone]:
            if start <= date <= end:
                return probs
        return self.climate[zone, date.month - 1]

    def roll(self, state) -> dict:
        """One condition per zone for the turn, drawn with the game's generator."""
        date = state.date
        cum = np.cumsum([self.chances(z, date) for z in range(len(self.zones))], axis=1)
        draws = state.rng.random(len(self.zones)) * cum[:, -1]
        picks = [int(np.searchsorted(cum[z], draws[z], side="right")) for z in range(len(self.zones))]
        return {name: WEATHER[min(i, len(WEATHER) - 1)] for name, i in zip(self.zones, picks, strict=False)}

    def codes(self, state) -> np.ndarray:
        """(zones,) condition codes now in force (as published in rules_state)."""
        zones = state.rules_state.get(KEY, {}).get("zones", {})
        return np.array([CODE[zones.get(z, "clear")] for z in self.zones], dtype=int)

    def hex_codes(self, state, hexes) -> np.ndarray:
        """Condition code at each of ``hexes`` (-1 where a hex is in no zone)."""
        z = self.zone_of_hex[np.asarray(hexes)]
        return np.where(z >= 0, self.codes(state)[np.maximum(z, 0)], -1)

    def rail_differs(self) -> bool:
        """Does some condition slow supply along the railways otherwise than elsewhere?"""
        return bool((self.rail != self.move).any())

    def rail_layer(self, state) -> np.ndarray:
        """(n,) the conditions' multiplier on supply along a railway in each hex."""
        return self._per_hex(self.rail, self.codes(state))

    def _per_hex(self, by_condition: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """(n,) each hex's value of ``by_condition`` under its zone's condition (1 outside the zones)."""
        z = self.zone_of_hex
        return np.where(z >= 0, by_condition[codes][np.maximum(z, 0)], 1.0)

    def apply_layer(self, game) -> None:
        """Set the movement layer from the conditions in force (only when they changed)."""
        codes = self.codes(game.state)
        if self._layer_codes is not None and np.array_equal(codes, self._layer_codes):
            return
        game.movement.set_layer(KEY, self._per_hex(self.move, codes))
        self._layer_codes = codes



def _probs(chances) -> np.ndarray:
    return np.array([getattr(chances, c) for c in WEATHER], dtype=float)


def zone_of_hex(section: Section, mapdata) -> np.ndarray:
    """Int (n,): index of each hex's zone (the first whose criteria it meets), -1 for none."""
    out = np.full(mapdata.n, -1, dtype=np.int16)
    lat = mapdata.grid.lat
    for i, zone in enumerate(section.zones.values()):
        meets = out < 0
        if zone.lat_min is not None:
            meets &= lat >= zone.lat_min
        if zone.lat_max is not None:
            meets &= lat < zone.lat_max
        if zone.regions:
            meets &= np.isin(mapdata.region, [REGION[r] for r in zone.regions])
        out[meets] = i
    return out


# ------------------------------------------------------------------------------ the module

class WeatherRules(RuleModule):
    """Rolls each zone's weather at the start of the turn and applies its effects."""

    name = KEY
    STATE = WeatherState

    @classmethod
    def applies(cls, scenario) -> bool:
        section = scenario.config.weather
        return section is not None and bool(section.zones)

    def __init__(self, game):
        super().__init__(game)
        self.model = WeatherModel(game.state.scenario.config.weather, game.state.map)

    def setup(self) -> None:
        if KEY in self.state.rules_state:                # a loaded game: restore what is derived
            self.model.apply_layer(self.game)

    def turn_start(self) -> None:
        start_turn(self.game)

    def reinforcements(self, side: int) -> None:
        # Again at each side's start: a card that fired after the roll takes hold before anyone moves.
        publish(self.game)

    def turn_end(self) -> None:
        frostbite(self.game)

    def attack_shift(self, ctx: AttackContext) -> int:
        return attack_shift(self.game, ctx.side, ctx.rows, ctx.target)


def weather_model(game) -> WeatherModel | None:
    """The game's weather model (None when the scenario has no weather rules)."""
    rules = game.rule(WeatherRules)
    return rules.model if rules is not None else None


# ------------------------------------------------------------------------------ turn hooks

def start_turn(game, side=None) -> None:
    st = game.state
    model = weather_model(game)
    override = st.weather_override
    if override and int(override.get("turns", 0)) > 0:
        override["turns"] = int(override["turns"]) - 1
        if override["turns"] <= 0:
            st.weather_override = {}
    ws = st.rules_state.setdefault(KEY, {})
    assert model is not None            # these hooks run only where the weather module is installed
    ws["rolled"] = model.roll(st)
    ws["main_zone"] = _front_zone(st, model)
    publish(game)


def publish(game) -> None:
    """Effective conditions (override or rolled) into rules_state, state.weather and the layer."""
    st = game.state
    model = weather_model(game)
    ws = st.rules_state[KEY]
    override = st.weather_override
    assert model is not None
    if override and int(override.get("turns", 0)) > 0:
        zones = {z: str(override["condition"]) for z in model.zones}
    else:
        zones = dict(ws["rolled"])
    changed = zones != ws.get("zones")
    ws["zones"] = zones
    ws["air"] = {z: float(model.air[CODE[c]]) for z, c in zones.items()}
    ws["air_main"] = ws["air"][ws["main_zone"]]
    st.weather = zones[ws["main_zone"]]
    if changed:
        st.say("Weather: " + ", ".join(f"{z} {c.replace('_', ' ')}" for z, c in zones.items()))
    model.apply_layer(game)


def _front_zone(st, model) -> str:
    """The zone with the most front hexes (units in an enemy zone of control); main_zone if none."""
    u, m = st.units, st.map
    front = np.zeros(m.n, dtype=bool)
    for s in SIDES:
        rows = u.rows_on_map(s)
        engaged = rows[zone_of_control(m, u, enemy_of(s))[u.hex[rows]]]
        front[u.hex[engaged]] = True
    z = model.zone_of_hex[front]
    counts = np.bincount(z[z >= 0], minlength=len(model.zones))
    if counts.max(initial=0) == 0:
        return model.main_zone
    return model.zones[int(np.argmax(counts))]


def attack_shift(game, side, rows, target) -> int:
    model = weather_model(game)
    if KEY not in game.state.rules_state:
        return 0
    assert model is not None
    code = int(model.hex_codes(game.state, [int(target)])[0])
    return int(model.shift[code]) if code >= 0 else 0


def frostbite(game, side=None) -> None:
    """Units on frostbite ground in a zone whose condition bites may lose strength points."""
    st = game.state
    model = weather_model(game)
    if KEY not in st.rules_state:
        return
    assert model is not None
    u = st.units
    rows = u.rows_on_map()
    hexes = u.hex[rows]
    codes = model.hex_codes(st, hexes)
    chance = np.where((codes >= 0) & model.frost_ground[hexes], model.frostbite[np.maximum(codes, 0)], 0.0)
    chance = np.minimum(1.0, chance * np.where(u.supply[rows] > 0, model.out_of_supply, 1.0))
    at_risk = np.nonzero(chance > 0)[0]
    if at_risk.size == 0:
        return
    hit = rows[at_risk[st.rng.random(at_risk.size) < chance[at_risk]]]
    if hit.size == 0:
        return
    lost = np.minimum(u.strength[hit], model.loss).astype(u.strength.dtype)
    u.strength[hit] -= lost
    for s in SIDES:
        points = int(lost[u.side[hit] == s].sum())
        if points:
            st.sides[s]["losses"] += points
            who = "the UN Command" if s == UN else "the Communists"
            st.say(f"Frostbite: {who} lose{'s' if s == UN else ''} {points} strength point{'s' if points != 1 else ''}")
    for r in hit[u.strength[hit] <= 0]:
        eliminate(st, int(r))
    game.movement.invalidate()


# ------------------------------------------------------------------------------ for other rules

def air_factor_at(game, hexes) -> np.ndarray:
    """Share of air missions that can fly over each of ``hexes`` now (1 without weather rules)."""
    model = weather_model(game)
    hexes = np.atleast_1d(np.asarray(hexes))
    if model is None or KEY not in game.state.rules_state:
        return np.ones(hexes.shape)
    codes = model.hex_codes(game.state, hexes)
    return np.where(codes >= 0, model.air[np.maximum(codes, 0)], 1.0)


def zone_at(game, h: int) -> str | None:
    """Name of the weather zone of hex ``h`` (None without weather rules or outside every zone)."""
    model = weather_model(game)
    if model is None:
        return None
    z = int(model.zone_of_hex[int(h)])
    return model.zones[z] if z >= 0 else None


__all__ = ["KEY", "WeatherModel", "WeatherRules", "air_factor_at", "attack_shift", "frostbite", "publish",
           "start_turn", "weather_model", "zone_at", "zone_of_hex"]
