"""Where a batch's runs are played: worker processes on this machine, or a running Dask
distributed cluster. Both come as a ``concurrent.futures`` executor, so the runner does not
care which."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from .errors import BatchError

try:
    import distributed  # the optional "cluster" extra
except ImportError:
    distributed = None


@dataclass
class Backend:
    executor: Executor
    slots: int                  # how many runs it plays at once
    label: str                  # for the summary and the report
    stop_now: Callable[[], None]   # on Ctrl-C: drop what has not started, end what has


@contextmanager
def local_workers(workers: int):
    """``workers`` processes on this machine. They are spawned (a fresh interpreter each, not
    a fork of a parent that runs a progress-bar thread) and leave Ctrl-C to the parent."""
    if workers < 1:
        raise BatchError(f"--workers {workers}: give at least 1")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_leave_ctrl_c_to_the_parent)
    try:
        yield Backend(pool, workers, f"{workers} local worker process{'es' if workers > 1 else ''}",
                      lambda: _end_pool(pool))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_cluster(address: str, timeout: float = 10.0):
    """A client of the Dask scheduler at ``address`` (``tcp://HOST:PORT``). Each worker
    process plays one run at a time (rows.play_run), so it counts one slot whatever its
    threads."""
    if distributed is None:
        raise BatchError("--scheduler needs Dask: python -m pip install -e '.[cluster]'")
    try:
        client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise BatchError(f"the Dask scheduler at {address} has no workers (start some with "
                             f"`dask worker {address}`)") from None
        workers = len(client.scheduler_info().get("workers", {}))
        executor = client.get_executor(pure=False)
        yield Backend(executor, workers, f"the Dask cluster at {address} ({workers} worker"
                      f"{'s' if workers > 1 else ''})", lambda: executor.shutdown(wait=False))
    finally:
        client.close()


def _leave_ctrl_c_to_the_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel the runs not started and end the worker processes now, without waiting for the
    runs in progress (their rows are lost; the next batch plays them again)."""
    if hasattr(pool, "terminate_workers"):          # Python 3.14+
        pool.terminate_workers()
        return
    processes = list((pool._processes or {}).values())   # no public way before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.terminate()
