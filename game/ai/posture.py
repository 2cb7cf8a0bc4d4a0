"""A side's posture: on the offensive, on the defensive, or withdrawing, as the cards order it.

Scenario ``ai:`` settings (``game.scenario.schema.AISide``): with ``offensive_days`` set, the side
attacks with ``aggression``/``attack_odds`` for that many days after a card orders an offensive
(``allow: {action: offensive}``) and otherwise stands on the defensive: less eager, attacking
only at ``defensive_attack_odds``, and falling back from hexes where the enemy's attack would
beat its defence by ``withdraw_ratio`` or more. With ``positional_hold``, once the war of
positions has begun the side attacks only while an ordered offensive lasts.
"""

from __future__ import annotations

from datetime import date as _date

from ..rules.politics import offensive_cost
from ..rules.positions import positional_war

# An ordered withdrawal (game design): how long it lasts when the card gives no days.
WITHDRAWAL_DAYS = 14


def ordered(game, side: int, action: str, default_days, always: bool = True) -> bool:
    """Is the order to ``action`` in force: allowed by a card within its days (the card's own
    ``days``, else ``default_days``; with neither, ``always``)?"""
    st = game.state
    sd = st.sides[side]
    days = sd.get("lasts", {}).get(action, default_days)
    if days is None:
        return always
    since = sd.get("changed", {}).get(action)
    if action in sd["forbidden"] or action not in sd["allowed"] or since is None:
        return False
    return (st.date - _date.fromisoformat(since)).days <= int(days)


def on_offensive(game, side: int, settings) -> bool:
    """Is an ordered offensive under way? It lasts the days the ordering card gave, or else
    ``offensive_days``; without either the side is always on the offensive."""
    return ordered(game, side, "offensive", settings.offensive_days)


def withdrawing(game, side: int, settings) -> bool:
    """Has a card ordered a general withdrawal (``allow: {action: withdrawal, days}``) that still
    runs, with no offensive ordered since? Eighth Army's retreats of December 1950 and January
    1951 were ordered, not forced hex by hex."""
    if not ordered(game, side, "withdrawal", WITHDRAWAL_DAYS, always=False):
        return False
    changed = game.state.sides[side].get("changed", {})
    return not (on_offensive(game, side, settings) and changed.get("offensive", "") > changed.get("withdrawal", ""))


def attacks_cost_will(game, side: int) -> bool:
    """Do attacks cost political will now (game/rules/politics.py, while the talks go on)?"""
    return game.state.scenario.config.politics is not None and offensive_cost(game, side) > 0


def posture(game, side: int, settings) -> dict:
    """{aggression, attack_odds, withdraw_ratio} for this turn."""
    s = settings
    if withdrawing(game, side, s):
        # An ordered withdrawal: no attacks; the ground scores draw units away from the enemy.
        agg = s.defensive_aggression
        return {"aggression": float(s.aggression) * 0.5 if agg is None else float(agg),
                "attack_odds": float("inf"), "withdraw_ratio": None}
    if on_offensive(game, side, s):
        # Even on the offensive a unit about to be overwhelmed pulls back (at twice the ratio).
        hold = s.withdraw_ratio is None or positional_war(game.state)
        return {"aggression": float(s.aggression), "attack_odds": float(s.attack_odds),
                "withdraw_ratio": None if hold else 2.0 * float(s.withdraw_ratio)}
    withdraw = s.withdraw_ratio
    if withdraw is not None and positional_war(game.state):
        withdraw = None    # the war of positions: hold the dug-in line, no trading of ground
    agg = s.defensive_aggression
    odds = float(s.attack_odds) * 1.5 if s.defensive_attack_odds is None else float(s.defensive_attack_odds)
    if attacks_cost_will(game, side):
        odds *= 1.5        # while the talks go on every attack costs will: only sure ones
    if s.positional_hold and positional_war(game.state):
        odds = float("inf")
    return {"aggression": float(s.aggression) * 0.5 if agg is None else float(agg),
            "attack_odds": odds, "withdraw_ratio": withdraw}
