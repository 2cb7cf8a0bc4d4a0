"""Support orders in the game window: air missions (close air support, interdiction), amphibious
landings and sea moves. The rules live in game/rules/air.py and naval.py; this module only
turns keys and clicks into AirMission / Land / Ship orders and draws what is in force.

Keys: F close air support, I interdiction, L land the selected unit, P ship it to a port.
In a mode, a click on a hex sends the order (air modes stay on for the next mission); Esc or a
right click leaves the mode.
"""

from __future__ import annotations

import numpy as np
import pygame

from ..engine.orders import AirMission, Land, Ship
from ..engine.units import SIDE_NAMES, enemy_of
from ..render.chrome import ACCENT, DIM, TEXT, panel, text
from ..rules import air as air_rules
from ..rules.air import AirRules
from ..rules.naval import NavalRules

MODES = {
    "cas": ("Close air support", "click an enemy hex to support an attack on it, or one of your hexes to "
                                 "cover it against attack"),
    "interdiction": ("Interdiction", "click a hex: enemy movement and supply around it cost more until "
                                     "your next turn"),
    "land": ("Amphibious landing", "click a beach the selected unit can reach by sea"),
    "ship": ("Sea transport", "click a port of yours the selected unit can sail to"),
}
KEYS = {pygame.K_f: "cas", pygame.K_i: "interdiction", pygame.K_l: "land", pygame.K_p: "ship"}
MISSION_COLOUR = {"cas": (255, 220, 60), "interdiction": (255, 120, 40)}


class SupportOrders:
    def __init__(self, app):
        self.app = app
        self.mode = None

    # --- what the rules offer ---------------------------------------------------------------
    @property
    def game(self):
        return self.app.game

    def air(self):
        """game/rules/air.py if this scenario has air rules, else None."""
        return air_rules if self.game.rule(AirRules) is not None else None

    def naval(self) -> NavalRules | None:
        return self.game.rule(NavalRules)

    def available(self, mode: str) -> str:
        """Empty if the mode can be used now, else why not (in words)."""
        st = self.game.state
        side = st.active_side
        if not self.app.can_order():
            return "not your turn"
        if mode in ("cas", "interdiction"):
            air = self.air()
            if air is None:
                return "no air rules in this scenario"
            return "" if air.missions_left(st, side) > 0 else "no air missions left this turn"
        nav = self.naval()
        if nav is None:
            return "no naval rules in this scenario"
        if not self.app.selected:
            return "select a unit in a port first"
        found = nav.embarking(side, st.units.ids[self.app.selected[0]])
        return found if isinstance(found, str) else ""

    def targets(self) -> np.ndarray | None:
        """Bool (n,): the hexes worth clicking in the current mode (None: no hint)."""
        st = self.game.state
        m = st.map
        side = st.active_side
        if self.mode == "cas":
            u = st.units
            mask = np.zeros(m.n, dtype=bool)
            mask[u.hex[u.on_map()]] = True
            return mask & self.app.visible()
        if self.mode == "interdiction":
            return None
        nav = self.naval()
        if nav is None or not self.app.selected:
            return None
        found = nav.embarking(side, st.units.ids[self.app.selected[0]])
        if isinstance(found, str):
            return None
        _, port = found
        reach = nav.sea.reachable_from(port)
        if self.mode == "land":
            return reach & ~np.isin(np.arange(m.n), st.units.hex[st.units.on_map(enemy_of(side))])
        ports = np.zeros(m.n, dtype=bool)
        ports[nav.sea.ports] = True
        return reach & ports & (st.owner == side) & (np.arange(m.n) != port)

    # --- input ------------------------------------------------------------------------------
    def key(self, k) -> bool:
        """Handle a key; True if it was one of ours."""
        mode = KEYS.get(k)
        if mode is None:
            return False
        self.toggle(mode)
        return True

    def toggle(self, mode: str) -> None:
        if self.mode == mode:
            self.mode = None
            return
        why = self.available(mode)
        if why:
            self.app.say(f"{MODES[mode][0]}: {why}")
            return
        self.mode = mode
        self.app.attack_target, self.app.attackers = -1, []
        self.app.say(f"{MODES[mode][0]}: {MODES[mode][1]} (Esc to stop)")

    def click(self, h: int) -> bool:
        """Send the mode's order for hex ``h``; True if a mode was on (the click is used)."""
        if self.mode is None:
            return False
        st = self.game.state
        name = SIDE_NAMES[st.active_side]
        if self.mode in ("cas", "interdiction"):
            order = AirMission(name, mission=self.mode, target=int(h))
        else:
            uid = st.units.ids[self.app.selected[0]]
            order = (Land if self.mode == "land" else Ship)(name, unit=uid, to=int(h))
        label = MODES[self.mode][0]
        res = self.game.apply(order)
        if not res.ok:
            self.app.say(f"{label}: {res.reason}")
            return True
        self.app.say(f"{label}: done" + (f" ({res.reason})" if res.reason else ""))
        self.app._cache = {}
        if self.mode in ("land", "ship") or self.available(self.mode):
            self.mode = None
        return True

    def cancel(self) -> bool:
        was = self.mode is not None
        self.mode = None
        return was

    # --- drawing ----------------------------------------------------------------------------
    def status_lines(self) -> list:
        st = self.game.state
        side = self.app.view_side()
        out = []
        air = self.air()
        if air is not None:
            out.append(f"Air missions: {air.missions_left(st, side)} left of {air.capacity(st, side)}")
        nav = self.naval()
        if nav is not None:
            out.append(f"Naval gunfire: {nav.gunfire_left(side)}   sea lift: {nav.lift_left(side):g}")
        return out

    def draw_board(self, s, board, cam) -> None:
        """Missions in force, and the targets of the current mode."""
        air = self.air()
        if air is not None:
            for mis in air.air_state(self.game.state)["missions"]:
                x, y = board.hex_centre(cam, int(mis["target"]))
                col = MISSION_COLOUR.get(mis["mission"], ACCENT)
                r = max(6, int(cam.zoom * 4))
                if mis["mission"] == "interdiction":
                    pygame.draw.circle(s, col, (x, y), r * 3, 2)
                pygame.draw.polygon(s, col, [(x, y - r), (x + r, y), (x, y + r), (x - r, y)], 2)
        if self.mode is None:
            return
        mask = self.targets()
        if mask is not None:
            board.draw_hex_mask(s, cam, mask, (120, 200, 255, 60), (150, 220, 255, 200), key="support")
        label, hint = MODES[self.mode]
        box = panel(s, (cam.viewport.x + 10, cam.viewport.y + 8, min(760, cam.viewport.w - 20), 28))
        text(s, f"{label}: {hint}", (box.x + 10, box.y + 6), 18, ACCENT)

    def draw_panel(self, s, x, y) -> int:
        """The support panel: what is left, and a button a mode. Returns its bottom."""
        lines = self.status_lines()
        if not lines:
            return y
        box = panel(s, (x, y, 330, 34 + 20 * len(lines) + 40))
        text(s, "Support", (box.x + 10, box.y + 8), 20, TEXT, True)
        yy = box.y + 30
        for line in lines:
            text(s, line, (box.x + 10, yy), 18, DIM)
            yy += 20
        bx = box.x + 8
        for mode, label, wd in (("cas", "CAS (F)", 70), ("interdiction", "Interdict (I)", 94),
                                ("land", "Land (L)", 72), ("ship", "Ship (P)", 70)):
            self.app.button((bx, yy + 4, wd, 28), label, lambda m=mode: self.toggle(m), 17,
                            active=not self.available(mode) or self.mode == mode, selected=self.mode == mode)
            bx += wd + 3
        return box.bottom
