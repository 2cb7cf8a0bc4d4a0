"""The turn review's panel: which turn is shown, the ground and strength each side had at its
end, the cards that fired and the combats fought in it, and the buttons to step and play."""

from __future__ import annotations

import datetime as dt

from ...render.chrome import ACCENT, DIM, SIDE_TEXT, TEXT, fit, font, panel, plural, px, text
from ..history import turn_cards, turn_combats
from ..widgets import button


def draw_review_panel(mode, s, rect) -> int:
    gs = mode.gs
    st = gs.game.state
    rec = st.history[mode.index]
    turn = mode.turn
    cards = turn_cards(st, turn)
    combats = turn_combats(st, turn)
    f = font(17)
    line_h = px(19)
    listed = [(f"Card: {c.get('title', c.get('id'))}", ACCENT) for c in cards]
    listed += [(line or "attack", TEXT) for _, line in combats]
    room = max(0, (rect.h - px(190)) // line_h)
    more = len(listed) - room
    if more > 0:
        listed = listed[: max(0, room - 1)] + [(f"... and {more + 1} more", DIM)]
    h = px(190) + line_h * len(listed)
    if h > rect.h:
        return rect.y
    box = panel(s, (rect.x, rect.y, rect.w, h))
    x = box.x + px(10)
    date = dt.date.fromisoformat(rec["date"]).strftime("%d %B %Y").lstrip("0")
    text(s, f"Turn review: turn {turn + 1} of {len(st.scenario.calendar)}", (x, box.y + px(8)), 20, ACCENT, True)
    text(s, fit(f"{date}, as the turn ended ({mode.index + 1} of {mode.count} played)", f, box.w - px(20)),
         (x, box.y + px(32)), 17, DIM)
    text(s, f"UN: {rec['un_hexes']} hexes, strength {rec['un_strength']}", (x, box.y + px(54)), 18, SIDE_TEXT[1])
    text(s, f"Communists: {rec['communist_hexes']} hexes, strength {rec['communist_strength']}",
         (x, box.y + px(74)), 18, SIDE_TEXT[2])
    if gs.game.unit_history[mode.index] is None:
        text(s, "(positions of this turn were not recorded)", (x, box.y + px(94)), 16, DIM)
    text(s, f"{plural(len(cards), 'card')}, {plural(len(combats), 'combat')}", (x, box.y + px(112)), 18, TEXT, True)
    y = box.y + px(134)
    for line, colour in listed:
        text(s, fit(line, f, box.w - px(20)), (x, y), 17, colour)
        y += line_h
    third = (box.w - px(28)) // 3
    by = box.bottom - px(44)
    button(gs.app, (x, by, third, px(34)), "< Earlier", lambda: mode.step(-1), 17, active=mode.index > 0)
    button(gs.app, (x + third + px(4), by, third, px(34)), "Pause" if mode.playing else "Play", mode.toggle_play, 17)
    button(gs.app, (x + 2 * third + px(8), by, third, px(34)),
           "Later >" if mode.index + 1 < mode.count else "Now >", lambda: mode.step(1), 17)
    return box.bottom
