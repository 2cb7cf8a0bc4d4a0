"""Drive a batch: keep the backend busy with a bounded number of runs in flight (the parent
holds no more than that, whatever the batch's size) and hand each row on as it comes."""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, wait

from .backends import Backend
from .errors import BatchError
from .rows import error_row, play_run

IN_FLIGHT_PER_SLOT = 2       # one running, one waiting: no slot idles between runs


def play_all(backend: Backend, tasks, on_row) -> None:
    """Play every task on the backend; ``on_row(row)`` for each, in the order they finish."""
    tasks = iter(tasks)
    running = {}

    def top_up():
        while len(running) < IN_FLIGHT_PER_SLOT * backend.slots:
            task = next(tasks, None)
            if task is None:
                return
            running[backend.executor.submit(play_run, task)] = task

    top_up()
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            on_row(_row(future, running.pop(future)))
        top_up()


def _row(future, task) -> dict:
    try:
        return future.result()
    except BrokenExecutor as exc:
        raise BatchError(f"a worker process died ({exc}); the runs finished are saved: "
                         f"run the same command again to go on") from None
    except Exception as exc:    # the run never gave a row: its Dask worker was lost, say
        return error_row(task, exc)
