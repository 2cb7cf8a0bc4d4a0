"""The unit panel: the selected (or hovered) unit's counter, factors, movement, supply, and for
the player's own idle units the Skip and Next buttons."""

from __future__ import annotations

from ...engine.units import ON_MAP, STATUS_NAMES
from ...render.chrome import DIM, SIDE_TEXT, TEXT, fit, font, panel, px, text
from ...render.counters import factors
from ..widgets import button

WARN = (255, 200, 60)
SPENT = (255, 160, 120)


def unit_lines(state, row: int) -> list:
    """[(text, colour)] describing a unit."""
    u = state.units
    ut = state.rules.unit_types
    t = int(u.type[row])
    cut = int(u.supply[row])
    full = float(state.rules.unit_allowance(u, [row])[0])
    a, d, m = factors(state, row) if u.status[row] == ON_MAP else (0, 0, int(round(full)))
    lines = [
        (state.rules.nation_name(u.nations[row]), DIM),
        (f"{ut.names[t].replace('_', ' ')}  ({u.ids[row]})", DIM),
        (f"Strength {int(u.strength[row])} / {int(u.max_strength[row])}   attack {a}  defence {d}  move {m}", TEXT),
        (f"Movement left {float(u.mp[row]):g} of {round(full, 2):g}"
         + ("  (stopped by ZOC)" if u.stopped[row] else ""), TEXT),
        ("in supply", TEXT) if cut == 0 else (f"OUT of supply ({cut} turn{'s' if cut > 1 else ''})", WARN),
        (f"Efficiency {int(u.efficiency[row])}%   Dug in {int(u.entrench[row])}", TEXT),
    ]
    if u.parents[row]:
        lines.append((f"Part of {u.parents[row]}", DIM))
    if u.attacked[row]:
        lines.append(("Has attacked this turn", SPENT))
    if u.status[row] != ON_MAP:
        lines.append((STATUS_NAMES[u.status[row]], SPENT))
    return lines


def draw_unit_panel(gs, s, rect, row: int, own: bool) -> int:
    """``own``: the player's unit in their turn (Skip / Next buttons)."""
    st = gs.board.state
    u = st.units
    lines = unit_lines(st, row)
    line_h = px(21)
    h = px(46) + line_h * len(lines) + (px(40) if own else 0)
    if h > rect.h:
        lines = lines[: max(2, (rect.h - px(46) - (px(40) if own else 0)) // line_h)]
        h = px(46) + line_h * len(lines) + (px(40) if own else 0)
        if h > rect.h:
            return rect.y
    box = panel(s, (rect.x, rect.y, rect.w, h))
    s.blit(gs.board.counter(row, px(44)), (box.x + px(10), box.y + px(8)))
    name = fit(u.names[row], font(22, True), box.w - px(72))
    text(s, name, (box.x + px(62), box.y + px(8)), 22, SIDE_TEXT.get(int(u.side[row]), TEXT), True)
    yy = box.y + px(32)
    for i, (line, col) in enumerate(lines):
        line = fit(line, font(18), box.w - (px(72) if i == 0 else px(20)))
        text(s, line, (box.x + (px(62) if i == 0 else px(10)), yy), 18, col)
        yy += line_h if i else px(24)
    if own:
        half = (box.w - px(30)) // 2
        skipped = u.ids[row] in gs.skipped
        button(gs.app, (box.x + px(10), box.bottom - px(38), half, px(30)),
               "Unskip (Space)" if skipped else "Skip (Space)", gs.skip_unit, 17)
        button(gs.app, (box.right - px(10) - half, box.bottom - px(38), half, px(30)), "Next idle (N)",
               gs.select_next, 17)
    return box.bottom
