"""Attack: the enemy hex and the units attacking it, with the odds preview (a preview never
spends anything). A confirms, Shift+click adds or removes a neighbouring stack, Esc or a right
click goes back to the selection."""

from __future__ import annotations

import pygame

from ...engine.orders import Attack
from ...engine.units import ON_MAP
from ..panels.odds import draw_odds_panel
from .base import InputMode
from .select import SelectMode


class AttackMode(InputMode):
    name = "attack"

    def __init__(self, gs, target: int, attackers: list) -> None:
        super().__init__(gs)
        self.target = int(target)
        self.attackers = list(attackers)

    def odds(self):
        u = self.gs.game.state.units
        return self.gs.game.odds([u.ids[r] for r in self.attackers], self.target)

    def click(self, h: int, shift: bool = False) -> None:
        gs = self.gs
        mine = [int(r) for r in gs.game.state.units.at_hex(h, gs.game.state.active_side)]
        if shift and mine:
            self.toggle(mine)
            return
        gs.set_mode(SelectMode(gs))
        gs.input.click(h, shift)

    def toggle(self, rows) -> None:
        rows = self.gs.may_attack(rows, self.target)
        if not rows:
            self.gs.say("Those units cannot join this attack (not next to it, or spent).")
            return
        if all(r in self.attackers for r in rows):
            self.attackers = [r for r in self.attackers if r not in rows]
        else:
            self.attackers += [r for r in rows if r not in self.attackers]
        if not self.attackers:
            self.gs.set_mode(SelectMode(self.gs))

    def key(self, k: int, mods: int) -> bool:
        if k == pygame.K_a:
            self.confirm()
            return True
        return False

    def escape(self) -> bool:
        self.gs.set_mode(SelectMode(self.gs))
        return True

    def confirm(self) -> None:
        gs = self.gs
        if not gs.can_order():
            return
        u = gs.game.state.units
        res = gs.game.apply(Attack(gs.side_name, units=tuple(u.ids[r] for r in self.attackers), target=self.target))
        if res.ok:
            d = res.details
            gs.say(f"Attack at {d['odds']} (die {d['die']}): {d['result']} - you lost {d['attacker_lost']}, "
                   f"the enemy {d['defender_lost']}" + (f"; {d['advanced']} advances" if d.get("advanced") else ""))
        else:
            gs.say(f"Cannot attack: {res.reason}")
        gs.selected = [r for r in gs.selected if u.status[r] == ON_MAP]
        gs.set_mode(SelectMode(gs))

    def draw_over(self, s) -> None:
        b, cam = self.gs.board, self.gs.cam
        u = self.gs.game.state.units
        pygame.draw.polygon(s, (255, 40, 40), b.hex_polygon(cam, self.target), 4)
        tx, ty = b.hex_centre(cam, self.target)
        for r in self.attackers:
            x, y = b.hex_centre(cam, int(u.hex[r]))
            pygame.draw.line(s, (255, 60, 40), (x, y), (x + (tx - x) * 0.7, y + (ty - y) * 0.7), 5)
            pygame.draw.polygon(s, (255, 230, 40), b.hex_polygon(cam, int(u.hex[r])), 3)

    def panel(self, s, rect) -> int:
        return draw_odds_panel(self, s, rect)

    def hint(self) -> str:
        return "Attack: A to attack, Shift+click a neighbouring stack to add it, Esc to cancel"
