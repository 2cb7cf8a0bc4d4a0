"""The protocol every rule module follows: one base class with named hooks.

A game runs one explicit, ordered list of installed modules (``game.modules``; the standard list
is ``game.sim.session.RULE_MODULES``). At each step of the turn the game calls that hook on each
module that defines it, in list order:

* ``turn_start()``: the weather, then the event cards of the turn;
* for each side in turn: ``reinforcements(side)``, ``supply(side)``, ``air(side)``,
  ``naval(side)``; then the side's operations (orders); then ``side_end(side)``;
* ``turn_end()`` (the turn's history is written after it), then ``victory()``.

In combat, ``attack_shift(ctx)`` gives odds columns for an attack, both for a preview (the odds
a player or the AI looks at: ``ctx.preview`` is true) and for the attack itself; a module may note
in ``ctx.notes`` what the attack would use. ``after_attack(ctx, report)`` runs only after an attack
was resolved, so only a real attack ever spends anything (gunfire, losses of assaulting works).

A module handles orders of its own kinds through ``ORDERS`` (order kind -> method name); each
handler is ``fn(side, order) -> OrderResult``.

Modules keep everything that changes in ``state.rules_state`` (plain JSON, saved and hashed) and
derive the rest in ``__init__`` or ``setup()``, which run for new and loaded games alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from ..engine.state import GameState, Scenario

TURN_HOOKS = ("turn_start", "turn_end", "victory")
SIDE_HOOKS = ("reinforcements", "supply", "air", "naval", "side_end")
COMBAT_HOOKS = ("attack_shift", "after_attack")
HOOKS = TURN_HOOKS + SIDE_HOOKS + COMBAT_HOOKS


@dataclass
class AttackContext:
    """One attack, previewed or made: ``side``'s unit rows ``rows`` on hex ``target``."""

    side: int
    rows: tuple[int, ...]
    target: int
    preview: bool = False
    notes: dict[str, Any] = field(default_factory=dict)   # what modules noted for after_attack


class RuleModule:
    """Base class of the rule modules. Override the hooks the rule needs; the rest do nothing."""

    name: ClassVar[str] = ""                   # the module's key (e.g. its rules_state entry)
    ORDERS: ClassVar[dict[str, str]] = {}      # order kind -> name of the handler method
    STATE: ClassVar[type[BaseModel] | None] = None   # the shape of its rules_state entry

    def __init__(self, game: Any):
        self.game = game                       # the game.rules.turn.Game it is installed in

    @classmethod
    def applies(cls, scenario: Scenario) -> bool:
        """Whether a scenario uses this rule (most check for their section)."""
        return True

    @property
    def state(self) -> GameState:
        return self.game.state

    def setup(self) -> None:
        """Once the module is installed, in a new game (phase "setup") or a loaded one."""

    def check_state(self) -> None:
        """Check the module's saved data (a loaded game): ValueError if it has the wrong shape.
        Modules with hexes in their data check them against the map too."""
        data = self.state.rules_state.get(self.name)
        if self.STATE is not None and data is not None:
            try:
                self.STATE.model_validate(data)
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                where = ".".join(map(str, ("rules_state", self.name, *first["loc"])))
                raise ValueError(f"{where}: {first['msg']}") from None

    # --- turn-wide hooks ------------------------------------------------------------------
    def turn_start(self) -> None: ...
    def turn_end(self) -> None: ...
    def victory(self) -> None: ...

    # --- a side's phases ------------------------------------------------------------------
    def reinforcements(self, side: int) -> None: ...
    def supply(self, side: int) -> None: ...
    def air(self, side: int) -> None: ...
    def naval(self, side: int) -> None: ...
    def side_end(self, side: int) -> None: ...

    # --- combat -----------------------------------------------------------------------------
    def attack_shift(self, ctx: AttackContext) -> int:
        return 0

    def after_attack(self, ctx: AttackContext, report: dict) -> None: ...


def given(section) -> bool:
    """Whether a scenario section is there and says something: an empty one (``naval: {}``) is
    the same as none, and leaves that rule out."""
    return section is not None and bool(section.model_fields_set)


def overrides(module: RuleModule, hook: str) -> bool:
    """Whether ``module`` defines ``hook`` itself (so the game need not call it otherwise)."""
    return getattr(type(module), hook) is not getattr(RuleModule, hook)
