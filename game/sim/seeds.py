"""Seeds on the command line: ``A-B`` (A to B) or ``1,2,5``, for every command that plays several."""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor


def seeds(text: str) -> list[int]:
    """Seeds written ``A-B`` (A to B) or ``1,2,5`` (an argparse type: a bad list is an argparse error)."""
    first, sep, last = text.partition("-")
    try:
        values = list(range(int(first), int(last) + 1)) if sep else [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write seeds as 1-8 or 1,2,5") from None
    if not values or min(values) < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: no seeds (a seed is a whole number from 0)")
    return values


def play_all(play, jobs, workers: int = 1) -> list:
    """``[play(job) for job in jobs]``, in order, on ``workers`` processes when more than one
    (``play`` a module-level function, so a worker can import it)."""
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(play, jobs))
    return [play(j) for j in jobs]
