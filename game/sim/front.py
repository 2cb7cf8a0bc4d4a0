"""Where the front runs: its latitude along each meridian, from an owner array. Pure numpy.

The front along a meridian bin
------------------------------
The map is cut into meridian bins (``MERIDIAN_EDGES``: every 0.25 degree of longitude from
124.5 to 130.0 E, 22 bins); a hex is in bin ``b`` when ``edges[b] <= lon < edges[b + 1]``.
Only the Korean mainland counts: hexes in the ``korea`` mask (see :func:`mainland_korea`:
Korean land joined to the mainland, so an island held across the water does not make a front).
Owner 1 is UN, 2 Communist; ground held by nobody (0) is land but on neither side.

Within a bin the hexes are grouped by latitude (the hexes of one map row share it), south to
north. A *split* between two consecutive latitudes stands for the line "UN to the south,
Communists to the north"; its latitude is the midpoint of the two. The best splits are those
that leave the fewest hexes on the wrong side (UN hexes north of the split plus Communist hexes
south of it), counting the splits at both ends (the whole bin to one side) too. A best split
is a front only where it lies on land: between two adjacent map rows (latitudes less than
1.5 row spacings apart), not at an end and not across water. So:

* one clean boundary: the front is midway between the last UN row and the first Communist
  row along that meridian;
* several crossings (a pocket, a salient, a beachhead behind the lines): the line that fits
  the bin best, in hex counts; a pocket smaller than the ground on the other side of the main
  line does not move it. Where several splits on land fit equally well, the front is midway
  between the southernmost and the northernmost of them;
* ground held by nobody between the two sides: the front is midway across it;
* **NaN** where there is no front: the bin does not hold ground of both sides, the
  best fit puts the whole bin on one side (the other side's hexes there are only pockets), or
  the sides meet across water along that meridian (the east coast bins where South Korea's
  coast and the north-east's are both in the bin, with the sea between them).

:func:`mean_front_latitude` is the nan-mean over the bins that have a front: one number per
moment, for charts of the front over time (NaN when no bin has a front). :func:`front_spans`
says, for every bin with ground of either side, between which latitudes the front runs (one
latitude where there is a front; the far coast of a bin held by one side; the water between
sides that face each other across it): game/sim/front_metric.py measures games with it.
"""

from __future__ import annotations

import numpy as np

UN, COMMUNIST = 1, 2            # owner codes, as in game.engine.units
MERIDIAN_EDGES = np.round(np.arange(124.5, 130.0 + 1e-9, 0.25), 6)


def meridian_centres(edges=MERIDIAN_EDGES) -> np.ndarray:
    """The longitude in the middle of each bin."""
    edges = np.asarray(edges, dtype=np.float64)
    return (edges[:-1] + edges[1:]) / 2


def front_latitudes(owner, lat, lon, korea, edges=MERIDIAN_EDGES) -> np.ndarray:
    """The front's latitude in each meridian bin (float64, ``len(edges) - 1``), NaN where the
    bin has no front. ``owner`` (int per hex: 1 UN, 2 Communist, 0 nobody), ``lat``, ``lon``
    (degrees per hex) and ``korea`` (bool per hex) are arrays of the same length."""
    owner = np.asarray(owner)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.float64)
    korea = np.asarray(korea, dtype=bool)
    levels = np.unique(lat)
    row_step = np.diff(levels).min() if levels.size > 1 else np.inf
    bins = np.searchsorted(edges, lon, side="right") - 1
    out = np.full(len(edges) - 1, np.nan)
    for b in range(len(out)):
        here = korea & (bins == b)
        un, com = owner[here] == UN, owner[here] == COMMUNIST
        if un.any() and com.any():
            out[b] = _best_split(lat[here], un, com, 1.5 * row_step)
    return out


def front_spans(owner, lat, lon, korea, edges=MERIDIAN_EDGES) -> np.ndarray:
    """Where the front may run along each meridian bin: ``(n_bins, 2)`` latitudes (south,
    north), NaN where the bin holds no ground of either side.

    Where :func:`front_latitudes` finds a front the span is that one latitude. Elsewhere it is
    the stretch between the rows of the best splits (the same count of hexes on the wrong side,
    but every split allowed: across water, or at an end of the bin), an end standing for the
    bin's last row of land: a bin held wholly by the Communists spans its southernmost row
    (the front is at or beyond the south coast), one held wholly by the UN its northernmost;
    sides facing each other across water span the water; ground held by nobody at an end
    belongs to the span."""
    lat = np.asarray(lat, dtype=np.float64)
    owner, korea = np.asarray(owner), np.asarray(korea, dtype=bool)
    front = front_latitudes(owner, lat, lon, korea, edges)
    bins = np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(lon, dtype=np.float64), side="right") - 1
    out = np.column_stack([front, front])
    for b in np.flatnonzero(np.isnan(front)):
        here = korea & (bins == b)
        un, com = owner[here] == UN, owner[here] == COMMUNIST
        if un.any() or com.any():
            levels, wrong = _split_errors(lat[here], un, com)
            best = np.flatnonzero(wrong == wrong.min())
            out[b] = levels[max(best[0] - 1, 0)], levels[min(best[-1], len(levels) - 1)]
    return out


def _split_errors(lat: np.ndarray, is_un: np.ndarray, is_com: np.ndarray) -> tuple:
    """The bin's row latitudes (south to north) and, for each split k = 0..rows (k rows on the
    UN side), the hexes it leaves on the wrong side: Communists below plus UN above."""
    levels, row = np.unique(lat, return_inverse=True)
    un = np.bincount(row, weights=is_un, minlength=len(levels))
    com = np.bincount(row, weights=is_com, minlength=len(levels))
    wrong = np.concatenate(([0.0], np.cumsum(com))) + (un.sum() - np.concatenate(([0.0], np.cumsum(un))))
    return levels, wrong


def _best_split(lat: np.ndarray, is_un: np.ndarray, is_com: np.ndarray, max_gap: float) -> float:
    """The latitude of the best split on land of one bin's hexes (NaN if none)."""
    levels, wrong = _split_errors(lat, is_un, is_com)
    best = np.flatnonzero(wrong == wrong.min())
    best = best[(best > 0) & (best < len(levels))]
    best = best[np.diff(levels)[best - 1] < max_gap]
    if best.size == 0:
        return np.nan
    mids = (levels[best - 1] + levels[best]) / 2
    return float((mids[0] + mids[-1]) / 2)


def mean_front_latitude(front) -> float:
    """The mean of a :func:`front_latitudes` result over the bins with a front (NaN if none)."""
    front = np.asarray(front, dtype=np.float64)
    return float(front[~np.isnan(front)].mean()) if (~np.isnan(front)).any() else float("nan")


def mainland_korea(land, region, neighbors, korean_regions) -> np.ndarray:
    """Korean land joined to the largest piece of it by hex edges (islands left out).

    ``land`` (bool per hex), ``region`` (int per hex), ``korean_regions`` (the region codes of
    Korea: south and north), ``neighbors`` ((n, 6) hex indices, -1 off the map)."""
    korea = np.asarray(land, dtype=bool) & np.isin(region, korean_regions)
    n = korea.size
    nb = np.where(neighbors >= 0, neighbors, np.arange(n)[:, None])
    label = np.where(korea, np.arange(n), n)
    # Each Korean hex takes the smallest label among itself and its Korean neighbours until
    # nothing changes: every connected piece ends up with one label.
    while True:
        around = np.where(korea[nb], label[nb], n).min(axis=1)
        new = np.where(korea, np.minimum(label, around), n)
        if np.array_equal(new, label):
            break
        label = new
    if not korea.any():
        return korea
    biggest = np.bincount(label[korea]).argmax()
    return korea & (label == biggest)
