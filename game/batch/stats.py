"""Confidence intervals for a batch's shares and means (95 % unless told)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import stdtrit

Z95 = 1.959963984540054
NAN3 = (math.nan, math.nan, math.nan)


def wilson(k: int, n: int, z: float = Z95) -> tuple:
    """(share, low, high): the Wilson score interval for k successes in n trials; it stays
    inside [0, 1] and is sound for shares near 0 or 1 and for small n."""
    if n <= 0:
        return NAN3
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def share_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple:
    """(p2 - p1, low, high): Newcombe's hybrid score interval (method 10, 1998) from the two
    Wilson intervals; the second sample minus the first."""
    p1, l1, u1 = wilson(k1, n1, z)
    p2, l2, u2 = wilson(k2, n2, z)
    if math.isnan(p1) or math.isnan(p2):
        return NAN3
    d = p2 - p1
    return d, d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def mean_ci(x, level: float = 0.95) -> tuple:
    """(mean, low, high) with Student's t; NaN bounds for fewer than two values."""
    x = _finite(x)
    if x.size == 0:
        return NAN3
    m = float(x.mean())
    if x.size < 2:
        return m, math.nan, math.nan
    half = stdtrit(x.size - 1, 0.5 + level / 2) * x.std(ddof=1) / math.sqrt(x.size)
    return m, m - half, m + half


def mean_difference(x1, x2, level: float = 0.95) -> tuple:
    """(mean(x2) - mean(x1), low, high): Welch's t interval (unequal variances)."""
    x1, x2 = _finite(x1), _finite(x2)
    if x1.size < 2 or x2.size < 2:
        return NAN3
    d = float(x2.mean() - x1.mean())
    v1, v2 = x1.var(ddof=1) / x1.size, x2.var(ddof=1) / x2.size
    se = math.sqrt(v1 + v2)
    if se == 0:
        return d, d, d
    df = (v1 + v2) ** 2 / (v1 ** 2 / (x1.size - 1) + v2 ** 2 / (x2.size - 1))
    half = stdtrit(df, 0.5 + level / 2) * se
    return d, d - half, d + half


def _finite(x) -> np.ndarray:
    x = np.asarray([np.nan if v is None else v for v in x], dtype=np.float64)
    return x[np.isfinite(x)]
