"""The log the player reads: the game's own lines as they come and the window's notes, in
one list in the order they happened, scrolled back with the wheel or Page Up / Down."""

from __future__ import annotations

KEEP = 500
CONTEXT = 30          # lines of an earlier log shown when a game is opened


class MessageLog:
    def __init__(self, state) -> None:
        self.state = state
        self.seen = max(0, len(state.log) - CONTEXT)
        self.lines: list[tuple[str, bool]] = []     # (text, said by the window)
        self.back = 0                              # lines scrolled back from the newest

    def sync(self) -> None:
        """Take in the game's new log lines."""
        log = self.state.log
        if len(log) > self.seen:
            new = log[self.seen:]
            self.seen = len(log)
            self._add([(line, False) for line in new])

    def say(self, text: str) -> None:
        self.sync()
        self._add([(text, True)])

    def _add(self, lines: list) -> None:
        if self.back:
            self.back += len(lines)             # keep the lines being read in place
        self.lines += lines
        del self.lines[:-KEEP]
        self.back = min(self.back, max(0, len(self.lines) - 1))

    def texts(self) -> list[str]:
        self.sync()
        return [t for t, _ in self.lines]

    def window(self, shown: int) -> list[tuple[str, bool]]:
        """The ``shown`` lines the panel shows now, oldest first."""
        self.sync()
        self.back = max(0, min(self.back, len(self.lines) - shown))
        end = len(self.lines) - self.back
        return self.lines[max(0, end - shown):end]

    def scroll(self, rows: int, shown: int) -> None:
        """``rows`` > 0 scrolls back to older lines."""
        self.back = max(0, min(self.back + rows, len(self.lines) - shown))
