"""The note of the last combat: where it was, the odds, the die and the losses. It fades after
a few seconds of play and when the player's turn begins."""

from __future__ import annotations

from ...render.chrome import ACCENT, fit, font, panel, px, text
from ...rules.placement import where_is

SHOWN_SECONDS = 6.0


def combat_note(state, report: dict, clock: float) -> dict:
    """What the note says, from a combat report, stamped with the window's clock."""
    m = state.map
    h = int(report["target"])
    return {"hex": h, "where": where_is(m, h), "clock": clock,
            "head": f"Combat {where_is(m, h)}: {report['odds']}, die {report['die']} -> {report['result']}",
            "losses": f"attacker lost {report['attacker_lost']}, defender lost {report['defender_lost']}"}


def note_shown(note: dict | None, clock: float) -> bool:
    return note is not None and clock - note["clock"] < SHOWN_SECONDS


def draw_combat_panel(gs, s, rect) -> int:
    note = gs.combat_note
    if not note_shown(note, gs.clock) or rect.h < px(58):
        return rect.y
    box = panel(s, (rect.x, rect.y, rect.w, px(58)))
    text(s, fit(note["head"], font(19, True), box.w - px(20)), (box.x + px(10), box.y + px(8)), 19, ACCENT, True)
    text(s, note["losses"], (box.x + px(10), box.y + px(32)), 18)
    return box.bottom
