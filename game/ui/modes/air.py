"""Air missions (F close air support, I interdiction): a click on a hex flies one; the mode
stays on for the next while missions are left. Flying commits the moves made so far, so the
first mission after a move asks before it flies."""

from __future__ import annotations

import numpy as np
import pygame

from ...engine.orders import AirMission
from ...rules import air as air_rules
from ...rules.air import AirRules
from ..modals.message import ConfirmModal
from .base import InputMode

MISSIONS = {
    "cas": ("Close air support", "click an enemy hex to support an attack on it, or one of your hexes to "
                                 "cover it against attack"),
    "interdiction": ("Interdiction", "click a hex: enemy movement and supply around it cost more until "
                                     "your next turn"),
}
KEYS = {pygame.K_f: "cas", pygame.K_i: "interdiction"}
MISSION_COLOUR = {"cas": (255, 220, 60), "interdiction": (255, 120, 40)}


def has_air(game) -> bool:
    return game.rule(AirRules) is not None


def unavailable(gs, mission: str) -> str:
    """Empty if an air mission can be flown now, else why not (in words)."""
    if not gs.can_order():
        return "not your turn"
    if not has_air(gs.game):
        return "no air rules in this scenario"
    st = gs.game.state
    if air_rules.air_war_only(gs.game, st.active_side):
        return "your aircraft fight only for the air over MiG Alley"
    return "" if air_rules.missions_left(st, st.active_side) > 0 else "no air missions left this turn"


class AirMode(InputMode):
    def __init__(self, gs, mission: str) -> None:
        super().__init__(gs)
        self.name = mission

    def click(self, h: int, shift: bool = False) -> None:
        gs = self.gs
        if gs.game.can_undo(gs.side_name):
            label = MISSIONS[self.name][0]
            gs.app.modals.append(ConfirmModal(
                f"Fly {label.lower()}?",
                "Flying a mission commits the moves you made this turn: they can no longer be taken back.",
                "Fly", lambda: self.fly(h)))
            return
        self.fly(h)

    def fly(self, h: int) -> None:
        gs = self.gs
        label = MISSIONS[self.name][0]
        res = gs.game.apply(AirMission(gs.side_name, mission=self.name, target=int(h)))
        if not res.ok:
            gs.say(f"{label}: {res.reason}")
            return
        gs.say(f"{label}: done" + (f" ({res.reason})" if res.reason else ""))
        gs.invalidate()
        if unavailable(gs, self.name):
            gs.leave_mode()

    def key(self, k: int, mods: int) -> bool:
        return False

    def escape(self) -> bool:
        self.gs.leave_mode()
        return True

    def targets(self) -> np.ndarray | None:
        """Bool (n,): hexes worth clicking (None: any hex)."""
        if self.name != "cas":
            return None
        st = self.gs.game.state
        u = st.units
        mask = np.zeros(st.map.n, dtype=bool)
        mask[u.hex[u.on_map()]] = True
        return mask & self.gs.visible()

    def draw_under(self, s) -> None:
        mask = self.targets()
        if mask is not None:
            self.gs.board.draw_hex_mask(s, self.gs.cam, mask, (120, 200, 255, 60), (150, 220, 255, 200), key="support")

    def hint(self) -> str:
        label, what = MISSIONS[self.name]
        if self.name == "interdiction" and air_rules.takes_toll(self.gs.game, self.gs.game.state.active_side):
            what += "; enemy troops caught on the move there may lose strength"
        return f"{label}: {what} (Esc to stop)"


def draw_missions(gs, s) -> None:
    """The missions in force, on the board."""
    if not has_air(gs.game):
        return
    b, cam = gs.board, gs.cam
    for mis in air_rules.air_state(gs.game.state)["missions"]:
        x, y = b.hex_centre(cam, int(mis["target"]))
        col = MISSION_COLOUR.get(mis["mission"], (255, 255, 255))
        r = max(6, int(cam.zoom * 4))
        if mis["mission"] == "interdiction":
            pygame.draw.circle(s, col, (x, y), r * 3, 2)
        pygame.draw.polygon(s, col, [(x, y - r), (x + r, y), (x, y + r), (x - r, y)], 2)
