"""The batch's progress bar (rich, on stderr): runs done, failures, runs a minute, time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RunsPerMinute(ProgressColumn):
    """The batch's average pace so far (steadier than rich's recent speed)."""

    def render(self, task) -> Text:
        if not task.completed or not task.elapsed:
            return Text("-- runs/min", style="progress.data.speed")
        return Text(f"{task.completed * 60 / task.elapsed:.1f} runs/min", style="progress.data.speed")


class BatchProgress:
    def __init__(self, total: int, console: Console | None = None):
        self.failed = 0
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"),
            RunsPerMinute(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=console or Console(stderr=True))
        self._task = self._progress.add_task("batch", total=total)

    def __enter__(self):
        self._progress.start()
        return self

    def __exit__(self, *exc):
        self._progress.stop()

    def advance(self, row: dict) -> None:
        if row.get("status") != "ok":
            self.failed += 1
            self._progress.update(self._task, description=f"batch ([red]{self.failed} failed[/])")
        self._progress.advance(self._task)
