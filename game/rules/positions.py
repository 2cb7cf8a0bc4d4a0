"""Entrenchment and the war of positions.

Each turn a unit neither moves nor attacks it digs one fortification level deeper, up to the
period's maximum (rules data: hasty positions in the war of movement, deep bunker lines from
the summer of 1951). Each level multiplies the unit's defence (``combat.entrench_bonus``, read
by game/rules/combat.py). Once the war of positions has begun (from a date, or as soon as the
armistice talks are open), attacking an entrenched hex also shifts the odds against the
attacker and costs the attacking units extra losses, by the defenders' level.

With no ``positions:`` section the old rule stands: the maximum is ``combat.entrench_max``
and nothing else changes.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from ..engine.units import enemy_of
from .combat import take_losses
from .module import AttackContext, RuleModule


def section(state):
    """The scenario's ``positions:`` section (None without one)."""
    return state.scenario.config.positions


def max_level(state) -> int:
    """The deepest fortification level units may dig to at the current date."""
    top = int(state.rules.combat.entrench_max)
    sec = section(state)
    for period in sec.max_level if sec else ():
        if date.fromisoformat(period.from_) <= state.date:
            top = int(period.level)
    return top


def entrench(game, side: int) -> None:
    """End of the side's operations: units that neither moved nor attacked dig in deeper."""
    st = game.state
    u = st.units
    rows = u.rows_on_map(side)
    stayed = rows[(u.hex[rows] == game.start_hexes[rows]) & ~u.attacked[rows]]
    top = max_level(st)
    u.entrench[stayed] = np.minimum(u.entrench[stayed] + 1, top)
    # A level above the period's maximum (dug later, kept by a scenario) is not lost.


def war_of_positions(state):
    """The section's ``war_of_positions`` rules (None when the scenario has none)."""
    sec = section(state)
    return sec.war_of_positions if sec else None


def positional_war(state) -> bool:
    """Whether the war of positions has begun: from its date, or while the talks are open."""
    wp = war_of_positions(state)
    if wp is None:
        return False
    if wp.when_talks_open and state.talks != "none":
        return True
    return wp.from_ is not None and date.fromisoformat(wp.from_) <= state.date


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
    return _by_level(war_of_positions(st).shift_by_level, defender_level(st, side, target))


class PositionsRules(RuleModule):
    """Units dig in at the end of their side's turn; in the war of positions, assaulting dug-in
    works shifts the odds and costs the attackers more."""

    name = "positions"

    def side_end(self, side: int) -> None:
        entrench(self.game, side)

    def attack_shift(self, ctx: AttackContext) -> int:
        if not positional_war(self.state):
            return 0
        ctx.notes["positions_level"] = defender_level(self.state, ctx.side, ctx.target)
        return attack_shift(self.game, ctx.side, ctx.rows, ctx.target)

    def after_attack(self, ctx: AttackContext, report: dict) -> None:
        st = self.state
        level = ctx.notes.get("positions_level", 0)
        if not level:
            return
        steps = _by_level(war_of_positions(st).attacker_loss_by_level, level)
        if steps <= 0:
            return
        rows = [r for r in ctx.rows if st.units.strength[r] > 0]
        lost = take_losses(st, rows, steps * int(st.rules.combat.loss_step))
        if lost:
            report["attacker_lost"] = int(report.get("attacker_lost", 0)) + lost
            report["positions_loss"] = lost
            st.say(f"Assaulting dug-in positions (level {level}) costs the attackers {lost} more")
