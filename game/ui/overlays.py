"""The map overlays a player turns on (S supply, Z enemy zones of control, T enemy threat; C
control is the board's own) and the fog of war, as layers of the board's ground tiles. Each is
computed once per state of the game (``GameScreen.cached``) from the rules' own queries."""

from __future__ import annotations

import numpy as np

from ..engine.units import enemy_of
from ..render.board import Layer
from ..rules.combat import defense_strength, threat
from ..rules.movement import zone_of_control
from ..rules.supply import supply_distance

SUPPLY_RGBA = (250, 230, 60, 55)
ZOC_RGBA = (255, 40, 160, 60)
FOG_RGBA = (10, 14, 24, 90)
THREAT_RGBA = [(255, 170, 0, 35), (255, 120, 0, 55), (255, 60, 0, 80), (230, 0, 0, 105)]
THREAT_WORDS = ("some", "real", "serious", "overwhelming")


def mask_layer(key: str, mask: np.ndarray, rgba, outline: bool = False) -> Layer:
    colours = np.zeros((mask.size, 4), dtype=np.uint8)
    colours[mask] = rgba
    return Layer(key, colours, hash(colours.tobytes()), outline)


class Overlays:
    def __init__(self) -> None:
        self.supply = False
        self.zoc = False
        self.threat = False

    def layers(self, gs) -> list:
        """The layers to draw now (the fog first when there is fog)."""
        out = []
        if gs.fog_side() is not None:
            out.append(gs.cached("fog_layer", lambda: mask_layer("fog", ~gs.visible(), FOG_RGBA)))
        if self.supply:
            out.append(gs.cached("supply_layer", lambda: mask_layer("supply", self.supply_mask(gs), SUPPLY_RGBA)))
        if self.zoc:
            out.append(gs.cached("zoc_layer", lambda: mask_layer("zoc", self.zoc_mask(gs), ZOC_RGBA, True)))
        if self.threat:
            out.append(gs.cached("threat_layer", lambda: self._threat_layer(gs)))
        return out

    # --- the masks --------------------------------------------------------------------------
    @staticmethod
    def supply_distance(gs) -> np.ndarray:
        st, vs = gs.game.state, gs.view_side()
        return gs.cached("supply_dist", lambda: supply_distance(st, vs, gs.game.movement.edge_cost(vs)))

    def supply_mask(self, gs) -> np.ndarray:
        return np.isfinite(self.supply_distance(gs)) & gs.game.state.map.land

    @staticmethod
    def zoc_mask(gs) -> np.ndarray:
        """Enemy zones of control; under fog only those of the enemy units the player sees."""
        st = gs.game.state
        vs = gs.view_side()
        zoc = zone_of_control(st.map, st.units, enemy_of(vs))
        if gs.fog_side() is None:
            return zoc
        rows = gs.seen_rows(st.units.rows_on_map(enemy_of(vs)))
        near = np.zeros(st.map.n, dtype=bool)
        near[st.units.hex[rows]] = True
        nbs = st.map.grid.neighbors[near].ravel()
        near[nbs[nbs >= 0]] = True
        return zoc & near

    @staticmethod
    def enemy_threat(gs) -> np.ndarray:
        """Attack strength the enemy units the player sees could bring against each hex on
        their next turn (game.rules.combat.threat)."""
        def compute():
            game = gs.game
            rows = gs.seen_rows(game.state.units.rows_on_map(enemy_of(gs.view_side())))
            return threat(game.state, game.movement, rows, game.full_allowance(rows))
        return gs.cached("threat", compute)

    @staticmethod
    def typical_defence(gs) -> float:
        """The mean defence strength of the player's units where they stand: the yardstick
        of the threat's bands."""
        st = gs.game.state
        rows = st.units.rows_on_map(gs.view_side())
        if rows.size == 0:
            return 1.0
        return max(1.0, float(defense_strength(st, rows).mean()))

    def danger_band(self, gs, h: int) -> int:
        """0 (none) to 4: how the threat to hex ``h`` compares with a typical defence."""
        th = float(self.enemy_threat(gs)[h])
        if th <= 0:
            return 0
        ratio = th / gs.cached("typical_defence", lambda: self.typical_defence(gs))
        return 1 + int(np.searchsorted([1.0, 2.0, 3.0], ratio, side="right"))

    def _threat_layer(self, gs) -> Layer:
        th = self.enemy_threat(gs)
        st = gs.game.state
        colours = np.zeros((th.size, 4), dtype=np.uint8)
        ratio = th / gs.cached("typical_defence", lambda: self.typical_defence(gs))
        band = np.searchsorted([1.0, 2.0, 3.0], ratio, side="right")
        hit = (th > 0) & st.map.land
        colours[hit] = np.asarray(THREAT_RGBA, dtype=np.uint8)[band[hit]]
        return Layer("threat", colours, hash(colours.tobytes()), True)
