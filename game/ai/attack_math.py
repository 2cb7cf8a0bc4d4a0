"""What an attack is worth, read from the combat results table: the odds column a force of a
given strength gets, the steps each side expects to lose there, and the chance that the
defenders leave the hex. The numbers come from the scenario's rules data, so a scenario with
another table gets an AI that reads that table."""

from __future__ import annotations

import numpy as np

from ..engine.units import enemy_of
from ..rules.combat import attack_doctrine, defence_doctrine
from ..rules.module import AttackContext


class CombatTable:
    """The scenario's odds columns and results as arrays (die rolls x columns)."""

    def __init__(self, state):
        rules = state.rules
        crt = rules.crt
        self.odds = np.asarray(rules.odds, dtype=float)
        self.top = len(self.odds) - 1
        self.step = float(rules.combat.loss_step)
        self.attacker_loss = np.array([[r.attacker_loss for r in row] for row in crt], dtype=float) * self.step
        self.defender_loss = np.array([[r.defender_loss for r in row] for row in crt], dtype=float) * self.step
        self.retreat = np.array([[r.retreat for r in row] for row in crt], dtype=float)

    def columns(self, ratios, shift=0) -> np.ndarray:
        """Odds columns of attack:defence ``ratios`` after ``shift`` columns (as combat.compute_odds)."""
        base = np.maximum(np.searchsorted(self.odds, np.asarray(ratios, dtype=float) + 1e-9, side="right") - 1, 0)
        return np.clip(base + np.asarray(shift), 0, self.top)

    def column_of(self, ratio: float) -> int:
        """The column of odds ``ratio`` (a posture's ``attack_odds``, say) before shifts."""
        return int(self.columns(ratio))

    def gain(self, defenders: float) -> np.ndarray:
        """(columns,) steps the defenders (``defenders`` strength points) are expected to lose,
        retreats counting half a step each, minus the attacker's expected loss."""
        lost = np.minimum(self.defender_loss, defenders)
        return (lost + 0.5 * self.retreat - self.attacker_loss).mean(axis=0)

    def clear(self, defenders: float) -> np.ndarray:
        """(columns,) the chance the defenders leave the hex: they retreat or lose all they have."""
        return ((self.retreat > 0) | (self.defender_loss >= defenders)).mean(axis=0)

    def sure_retreat_column(self) -> int:
        """The lowest column where the defenders retreat on every roll of the die (the top
        column if none)."""
        hits = np.nonzero((self.retreat > 0).all(axis=0))[0]
        return int(hits[0]) if hits.size else self.top


def module_shift(game, side: int, target: int) -> int:
    """Columns the rules give ``side``'s attack on ``target`` now, rivers aside: terrain, the
    nations' own columns (the defenders' exactly; the attackers' the fewest of any of the side's
    units, as a force not yet chosen may gain no more), and every rule module's shift (air
    support flown, gunfire at hand, weather, dug-in works), as the odds preview adds them (a
    preview spends nothing)."""
    st = game.state
    ctx = AttackContext(side, (), int(target), preview=True)
    doctrine = (attack_doctrine(st, st.units.rows_on_map(side))
                - defence_doctrine(st, st.units.at_hex(int(target), enemy_of(side))))
    return int(st.rules.terrain_shift[st.map.terrain[target]]) + doctrine + game.attack_shift(ctx)


def river_shift_of(state, level: int) -> int:
    """Columns lost when every attacker crosses a river of ``level`` (0 none, 1 minor, 2 major)."""
    shifts = state.rules.combat.river_shift
    return {0: 0, 1: int(shifts.minor), 2: int(shifts.major)}[int(level)]
