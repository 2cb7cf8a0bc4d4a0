"""Names shared by every layer: written once here, at the bottom of the stack.

Sides and unit statuses live with the unit table (:mod:`game.engine.units`), terrain classes
and 1950 regions with the map (:mod:`game.engine.mapdata`); this module holds the rest of the
closed vocabularies that scenarios, rules, cards and the window all speak.
"""

from __future__ import annotations

from .mapdata import REGION_NAMES, TERRAIN_NAMES

# Weather conditions, mildest first (the weather rule rolls one per zone and turn; cards can
# force one). Their effects are rules data (the scenario's ``weather.conditions``).
WEATHER_CONDITIONS = ("clear", "rain", "monsoon", "snow", "severe_cold", "mud")

# What cards allow or forbid a side (``allow`` / ``forbid`` effects).
ACTIONS = ("cross_38th", "strike_north_of_yalu", "amphibious_landing", "offensive", "withdrawal")

# Talks effects, and the state of the armistice talks each one leaves (``resume`` goes back to
# where the talks were when they were suspended).
TALKS_EFFECTS = ("open", "suspend", "resume", "move_to_panmunjom", "agree_line")
TALKS_STATE = {"open": "open", "suspend": "suspended", "move_to_panmunjom": "panmunjom",
               "agree_line": "line_agreed"}

# Who a card or a rule may declare the winner ("score": decided on victory points).
WINNERS = ("un", "communist", "draw", "score")

# Unit types: the size and the NATO symbol a counter shows.
UNIT_SIZES = ("division", "brigade", "regiment", "battalion", "corps")
UNIT_SYMBOLS = ("infantry", "armor", "marine", "airborne", "hq", "artillery")
PLACE_KINDS = ("capital", "city", "town", "village", "port")

# One letter a hex in an inline (hand-drawn) scenario map.
TERRAIN_LETTERS = {".": "sea", "c": "clear", "r": "rough", "m": "mountain", "w": "marsh", "l": "lake",
                   "u": "urban"}
REGION_LETTERS = {".": "none", "s": "south", "n": "north", "c": "china", "u": "ussr"}

__all__ = ["ACTIONS", "PLACE_KINDS", "REGION_LETTERS", "REGION_NAMES", "TALKS_EFFECTS", "TALKS_STATE",
           "TERRAIN_LETTERS", "TERRAIN_NAMES", "UNIT_SIZES", "UNIT_SYMBOLS", "WEATHER_CONDITIONS", "WINNERS"]
