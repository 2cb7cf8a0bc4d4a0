"""Problems found in scenario and card files, each with the file, line and column it is about."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..engine.errors import GameError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file. ``line`` and ``col`` are 1-based."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ScenarioError(GameError):
    """Raised by the loaders with every problem found (at least one)."""

    def __init__(self, problems):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):                    # picklable (batch runs in worker processes)
        return (type(self), (self.problems,))


def did_you_mean(word, choices, cutoff: float = 0.6) -> str:
    """``": did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    if not isinstance(word, str):
        return ""
    names = [c for c in choices if isinstance(c, str)]
    close = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
    if not close:
        lowered = {c.lower(): c for c in names}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f": did you mean {close[0]!r}?" if close else ""


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
