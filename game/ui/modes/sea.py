"""What the landing and shipping modes share: the unit in a port it would sail from (with the
rules' reason when there is none), the shaded targets, and sending the order for a click."""

from __future__ import annotations

from ...rules.naval import NavalRules
from .base import InputMode


def naval(game) -> NavalRules | None:
    return game.rule(NavalRules)


def embarking(gs):
    """(naval rules, row, port) of the selected unit, or the reason it cannot sail (words)."""
    if not gs.can_order():
        return "not your turn"
    nav = naval(gs.game)
    if nav is None:
        return "no naval rules in this scenario"
    if not gs.selected:
        return "select a unit in a port first"
    st = gs.game.state
    found = nav.embarking(st.active_side, st.units.ids[gs.selected[0]])
    if isinstance(found, str):
        return found
    return (nav, *found)


class SeaMode(InputMode):
    """A mode whose click sends ``order(side, unit=, to=)`` for the selected unit; the hexes it
    may go to come from ``find(gs)`` -> (bool mask, reason if none)."""

    label = ""
    order = None
    what = ""

    @staticmethod
    def find(gs) -> tuple:
        raise NotImplementedError

    def __init__(self, gs) -> None:
        super().__init__(gs)
        self.row = gs.selected[0]
        self.mask = self.find(gs)[0]

    def click(self, h: int, shift: bool = False) -> None:
        gs = self.gs
        res = gs.game.apply(self.order(gs.side_name, unit=gs.game.state.units.ids[self.row], to=int(h)))
        if not res.ok:
            gs.say(f"{self.label}: {res.reason}")
            return
        gs.say(f"{self.label}: done" + (f" ({res.reason})" if res.reason else ""))
        gs.invalidate()
        gs.leave_mode()

    def escape(self) -> bool:
        self.gs.leave_mode()
        return True

    def targets(self):
        return self.mask

    def draw_under(self, s) -> None:
        if self.mask is not None:
            self.gs.board.draw_hex_mask(s, self.gs.cam, self.mask, (120, 200, 255, 60), (150, 220, 255, 200),
                                        key="support")

    def hint(self) -> str:
        return f"{self.label}: click {self.what} (Esc to stop)"
