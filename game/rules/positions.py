"""Entrenchment and the war of positions.

Each turn a unit neither moves nor attacks it digs one fortification level deeper, up to the
period's maximum (rules data: hasty positions in the war of movement, deep bunker lines from
the summer of 1951). Each level multiplies the unit's defence (``combat.entrench_bonus``, read
by game/rules/combat.py). Once the war of positions has begun (from a date, or as soon as the
armistice talks are open), attacking an entrenched hex also shifts the odds against the
attacker and costs the attacking units extra losses, by the defenders' level.

With no ``positions:`` section the old rule stands: the maximum is ``combat.entrench_max``
(default 2) and nothing else changes.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from ..engine.units import enemy_of


def section(state) -> dict:
    return state.scenario.data.get("positions") or {}


def max_level(state) -> int:
    """The deepest fortification level units may dig to at the current date."""
    top = int(state.rules.combat.get("entrench_max", 2))
    for period in section(state).get("max_level", []):
        if date.fromisoformat(period["from"]) <= state.date:
            top = int(period["level"])
    return top


def entrench(game, side: int) -> None:
    """End of the side's operations: units that neither moved nor attacked dig in deeper."""
    st = game.state
    u = st.units
    rows = u.rows_on_map(side)
    stayed = rows[(u.hex[rows] == game._start_hexes[rows]) & ~u.attacked[rows]]
    top = max_level(st)
    u.entrench[stayed] = np.minimum(u.entrench[stayed] + 1, top)
    # A level above the period's maximum (dug later, kept by a scenario) is not lost.


def positional_war(state) -> bool:
    """Whether the war of positions has begun: from its date, or while the talks are open."""
    wp = section(state).get("war_of_positions") or {}
    if not wp:
        return False
    if wp.get("when_talks_open", False) and state.talks != "none":
        return True
    start = wp.get("from")
    return start is not None and date.fromisoformat(start) <= state.date


def defender_level(state, side: int, target: int) -> int:
    """The deepest fortification level among the enemy units in ``target``."""
    d = state.units.at_hex(target, enemy_of(side))
    return int(state.units.entrench[d].max()) if len(d) else 0


def _by_level(table, level: int) -> int:
    return int(table[min(level, len(table) - 1)]) if table else 0


def attack_shift(game, side: int, rows, target: int) -> int:
    """Odds columns against an attack on an entrenched hex in the war of positions."""
    st = game.state
    if not positional_war(st):
        return 0
    return _by_level(section(st)["war_of_positions"].get("shift_by_level", []), defender_level(st, side, target))


def install(game) -> None:
    """Plug in the war of positions: the odds shift and the attacker's extra losses after
    each attack on an entrenched hex. Nothing to restore on a loaded game (no state of its own)."""
    if not (section(game.state).get("war_of_positions")):
        return
    game.shift_sources.append(attack_shift)
    pending = {}   # the last attack's defender level, seen by the shift before it is resolved

    def remember(g, side, rows, target):
        pending["key"] = (int(side), tuple(int(r) for r in rows), int(target))
        pending["level"] = defender_level(g.state, side, target) if positional_war(g.state) else 0
        return 0

    def after_combat(kind, report):
        if kind != "combat":
            return
        st = game.state
        order = st.orders[-1] if st.orders else {}
        level = pending.pop("level", 0)
        key = pending.pop("key", None)
        if not level or order.get("type") != "attack" or key is None or key[2] != int(report["target"]):
            return
        steps = _by_level(section(st)["war_of_positions"].get("attacker_loss_by_level", []), level)
        if steps <= 0:
            return
        from .combat import take_losses   # the combat rule's own way of taking losses
        rows = [r for r in key[1] if st.units.strength[r] > 0]
        lost = take_losses(st, rows, steps * int(st.rules.combat.get("loss_step", 1)))
        if lost:
            report["attacker_lost"] = int(report.get("attacker_lost", 0)) + lost
            report["positions_loss"] = lost
            st.say(f"Assaulting dug-in positions (level {level}) costs the attackers {lost} more")

    game.shift_sources.append(remember)
    game.listeners.insert(0, after_combat)
