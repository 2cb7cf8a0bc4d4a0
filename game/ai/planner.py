"""The shape of an AI's turn: an ordered list of planners, each a step of the operations phase.

Like Wesnoth's candidate actions and OpenRA's bot modules, each planner looks at the game and
issues orders through the same Order API a player uses (``game.apply``); it never changes the
state itself. The AI runs its planners in order once its choice cards are answered and ends the
phase after the last. A planner that does not apply to a scenario (no air rules, no sea rules)
is skipped.
"""

from __future__ import annotations

import numpy as np


class Planner:
    """One step of an AI's operations phase."""

    name = ""

    def applies(self, game) -> bool:
        """Whether the scenario has what this planner works with (its rules)."""
        return True

    def run(self, game, ai) -> None:
        """Issue this step's orders for ``ai.side`` (``ai``: the AI whose turn it is)."""
        raise NotImplementedError


def placed(ai, rows) -> np.ndarray:
    """(rows,) bool: the units a planner has already placed this turn (``ai.placed``), looked
    up in the set one by one (a few dozen rows: quicker than ``np.isin``)."""
    done = ai.placed
    return np.fromiter((int(r) in done for r in rows), dtype=bool, count=len(rows))


def our_operations(game, side: int) -> bool:
    """Is it ``side``'s operations phase, with the game still going?"""
    st = game.state
    return not st.over and st.phase == "operations" and st.active_side == side


def free_to_move(ai, units, rows) -> np.ndarray:
    """(rows,) bool: the units that can still move this turn and that no planner has placed
    (movement left, not stopped, not attacked yet)."""
    return (units.mp[rows] > 0) & ~units.stopped[rows] & ~units.attacked[rows] & ~placed(ai, rows)
