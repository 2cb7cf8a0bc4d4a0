"""The attack preview: the attackers, the strengths, the odds column and the six results."""

from __future__ import annotations

from ...engine.mapdata import TERRAIN_NAMES
from ...render.chrome import ACCENT, DIM, panel, px, text
from ..widgets import button


def draw_odds_panel(mode, s, rect) -> int:
    gs = mode.gs
    st = gs.game.state
    u = st.units
    od = mode.odds()
    shown = mode.attackers[:6]
    h = px(250) + px(20) * len(shown)
    if h > rect.h:
        return rect.y
    box = panel(s, (rect.x, rect.y, rect.w, h))
    x = box.x + px(12)
    text(s, "Attack", (x, box.y + px(10)), 26, (255, 120, 100), True)
    place = st.map.place_at[mode.target]
    where = st.map.places[place].name if place >= 0 else TERRAIN_NAMES[st.map.terrain[mode.target]]
    text(s, f"on {where}", (box.x + px(100), box.y + px(14)), 20, DIM)
    yy = box.y + px(40)
    for r in shown:
        text(s, f"- {u.names[r]} ({int(u.strength[r])})", (x, yy), 18)
        yy += px(20)
    text(s, f"Strength {od.attack:.1f} : {od.defense:.1f}   ratio {od.ratio:.2f}", (x, yy + px(4)), 20)
    shift = f"  shift {od.shift:+d}" if od.shift else ""
    text(s, f"Odds column {od.label}{shift}", (x, yy + px(28)), 24, ACCENT, True)
    yy += px(58)
    col_w = (box.w - px(24)) // 3
    for die, res in enumerate(od.outcomes, 1):
        good = res.defender_loss or res.retreat
        col = (255, 140, 120) if res.attacker_loss > res.defender_loss else (150, 230, 150) if good else (232, 232, 225)
        text(s, f"{die}: {res.code}", (x + (die - 1) % 3 * col_w, yy + (die - 1) // 3 * px(22)), 20, col)
    yy += px(52)
    text(s, "Shift+click a neighbouring stack to add it", (x, yy), 17, DIM)
    half = (box.w - px(36)) // 2
    button(gs.app, (x, box.bottom - px(46), half, px(36)), "Attack (A)", mode.confirm, 20)
    button(gs.app, (box.right - px(12) - half, box.bottom - px(46), half, px(36)), "Cancel", mode.escape, 20)
    return box.bottom
