"""Hex corners, the vertex graph of hex edges, and polylines turned into chains of edges.

Build-time geometry for :mod:`game.tools.build_map` (pure numpy/scipy, no pygame).

Corners of a pointy-top hex, in map kilometres (``x`` east, ``y`` south, as in
:mod:`game.engine.hexgrid`), are numbered clockwise from the upper right:
0 upper-right, 1 lower-right, 2 bottom, 3 lower-left, 4 upper-left, 5 top.
The edge a hex shares with its neighbour in direction ``d`` (E, NE, NW, W, SW, SE) runs
between corners :data:`DIR_CORNERS` ``[d]``. Corners shared by up to three hexes get one
vertex id, so a river drawn on edges is a path in the graph whose nodes are vertices and
whose links are hex edges.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from game.engine.hexgrid import HexGrid

# Corner pairs of the edge towards each direction E, NE, NW, W, SW, SE.
DIR_CORNERS = np.array([(0, 1), (5, 0), (4, 5), (3, 4), (2, 3), (1, 2)], dtype=np.int64)
_CORNER_ANGLES = np.radians(60.0 * np.arange(6) - 30.0)


def hex_corners(grid: HexGrid, h=None):
    """Corner coordinates ``(..., 6, 2)`` in km of hexes ``h`` (all hexes by default)."""
    if h is None:
        h = np.arange(grid.n)
    h = np.asarray(h, dtype=np.int64)
    rad = grid.corner_km
    cx = grid.x_km[h][..., None] + rad * np.cos(_CORNER_ANGLES)
    cy = grid.y_km[h][..., None] + rad * np.sin(_CORNER_ANGLES)
    return np.stack([cx, cy], axis=-1)


class EdgeGraph:
    """The vertex graph of a hex grid.

    Attributes: ``vid`` (n, 6) vertex id of each hex corner; ``vxy`` (V, 2) vertex
    coordinates in km; ``edge_hex``/``edge_dir`` (m,) one (hex, direction) owning each unique
    edge; ``edge_v`` (m, 2) its two vertices; ``edge_of`` (n, 6) the unique edge id of each
    hex side.
    """

    def __init__(self, grid: HexGrid):
        self.grid = grid
        n = grid.n
        corners = hex_corners(grid)                                   # (n, 6, 2)
        kx = np.rint(corners[..., 0] * 2.0 / grid.spec.hex_km).astype(np.int64)
        ky = np.rint(corners[..., 1] * 2.0 / grid.corner_km).astype(np.int64)
        key = (kx + 4) * (1 << 32) + (ky + 4)
        uniq, inv = np.unique(key.ravel(), return_inverse=True)
        self.vid = inv.reshape(n, 6)
        self.n_vertices = uniq.size
        self.vxy = np.zeros((uniq.size, 2))
        self.vxy[self.vid.ravel()] = corners.reshape(-1, 2)
        # Unique edges: each hex side, keyed by its vertex pair.
        va = self.vid[:, DIR_CORNERS[:, 0]]                            # (n, 6)
        vb = self.vid[:, DIR_CORNERS[:, 1]]
        lo, hi = np.minimum(va, vb), np.maximum(va, vb)
        ekey = lo.astype(np.int64) * self.n_vertices + hi
        ukey, first, einv = np.unique(ekey.ravel(), return_index=True, return_inverse=True)
        self.edge_of = einv.reshape(n, 6)
        self.edge_hex = first // 6
        self.edge_dir = first % 6
        self.edge_v = np.stack([ukey // self.n_vertices, ukey % self.n_vertices], axis=1)
        self.n_edges = ukey.size
        self.edge_mid = self.vxy[self.edge_v].mean(axis=1)
        # Vertex pair -> edge id + 1 (sparse, symmetric).
        ev = self.edge_v
        data = np.arange(1, self.n_edges + 1)
        self._pair = csr_matrix((np.concatenate([data, data]),
                                 (np.concatenate([ev[:, 0], ev[:, 1]]),
                                  np.concatenate([ev[:, 1], ev[:, 0]]))),
                                shape=(self.n_vertices, self.n_vertices))
        self._vtree = cKDTree(self.vxy)

    # --- lookups -----------------------------------------------------------------------
    def edge_between_vertices(self, a, b):
        """Unique edge ids of vertex pairs (``-1`` where not an edge)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        out = np.asarray(self._pair[a, b]).ravel().astype(np.int64) - 1
        return out.reshape(a.shape)

    def nearest_vertex(self, xy):
        return self._vtree.query(np.asarray(xy, dtype=np.float64))[1]

    def edge_sides(self, e):
        """Both (hex, direction) sides of edges ``e``: arrays h1, d1, h2, d2 (h2 = -1 off map)."""
        e = np.asarray(e, dtype=np.int64)
        h1, d1 = self.edge_hex[e], self.edge_dir[e]
        h2 = self.grid.neighbors[h1, d1]
        d2 = (d1 + 3) % 6
        return h1, d1, h2, d2

    def edges_of_array(self, flags):
        """Unique edge ids where a ``(n, 6)`` edge array is non-zero."""
        return np.unique(self.edge_of[np.asarray(flags) != 0])

    def write(self, array, edges, value):
        """Write ``value`` on both sides of edges (``np.maximum`` with what is there)."""
        h1, d1, h2, d2 = self.edge_sides(edges)
        np.maximum.at(array, (h1, d1), value)
        ok = h2 >= 0
        np.maximum.at(array, (h2[ok], d2[ok]), value)

    def set(self, array, edges, value):
        """Overwrite ``value`` on both sides of edges."""
        h1, d1, h2, d2 = self.edge_sides(edges)
        array[h1, d1] = value
        ok = h2 >= 0
        array[h2[ok], d2[ok]] = value

    def components(self, edges):
        """Connected pieces (via shared vertices) of a set of edges: list of edge-id arrays."""
        edges = np.unique(np.asarray(edges, dtype=np.int64))
        if edges.size == 0:
            return []
        ev = self.edge_v[edges]
        verts, inv = np.unique(ev.ravel(), return_inverse=True)
        inv = inv.reshape(-1, 2)
        g = csr_matrix((np.ones(len(edges)), (inv[:, 0], inv[:, 1])),
                       shape=(verts.size, verts.size))
        _, lab = connected_components(g, directed=False)
        elab = lab[inv[:, 0]]
        return [edges[elab == k] for k in np.unique(elab)]

    # --- routing -----------------------------------------------------------------------
    def weighted_graph(self, edge_cost):
        ev = self.edge_v
        return csr_matrix((np.concatenate([edge_cost, edge_cost]),
                           (np.concatenate([ev[:, 0], ev[:, 1]]),
                            np.concatenate([ev[:, 1], ev[:, 0]]))),
                          shape=(self.n_vertices, self.n_vertices))

    def vertex_path(self, graph, src: int, dst: int, limit=np.inf):
        """Cheapest vertex path from ``src`` to ``dst`` (inclusive); ``None`` if unreachable."""
        if src == dst:
            return [int(src)]
        dist, pred = dijkstra(graph, directed=False, indices=int(src), return_predecessors=True,
                              limit=limit)
        if not np.isfinite(dist[dst]):
            return None
        path = [int(dst)]
        while path[-1] != src:
            path.append(int(pred[path[-1]]))
        return path[::-1]

    def path_edges(self, vpath):
        """Edge ids along a vertex path."""
        if len(vpath) < 2:
            return np.zeros(0, dtype=np.int64)
        v = np.asarray(vpath, dtype=np.int64)
        e = self.edge_between_vertices(v[:-1], v[1:])
        if (e < 0).any():
            raise ValueError("vertex path steps over a non-edge")
        return e

    def polyline_to_edges(self, xy, step_hexes: float = 2.0, offset_penalty: float = 6.0):
        """Edge ids of a connected chain of hex edges that follows a polyline.

        ``xy`` is (k, 2) map km. The line is densified; waypoints every ``step_hexes`` hexes
        along it are snapped to their nearest vertex, and consecutive waypoints are joined by
        the cheapest path in the vertex graph where an edge costs its length times
        ``1 + offset_penalty * (d / r)**2`` (``d`` the distance of the edge's midpoint from
        the line, ``r`` the hex corner radius). Loops are cut, so the chain is a simple path.
        """
        xy = np.asarray(xy, dtype=np.float64)
        if len(xy) < 2:
            return np.zeros(0, dtype=np.int64)
        rad = self.grid.corner_km
        dense = densify(xy, rad / 4.0)
        tree = cKDTree(dense)
        far = 8.0 * rad
        lo, hi = dense.min(axis=0) - far, dense.max(axis=0) + far
        near = np.nonzero(((self.edge_mid >= lo) & (self.edge_mid <= hi)).all(axis=1))[0]
        dist = np.full(self.n_edges, far)
        d_near, _ = tree.query(self.edge_mid[near], distance_upper_bound=far)
        dist[near] = np.minimum(d_near, far)
        cost = rad * (1.0 + offset_penalty * (dist / rad) ** 2)
        graph = self.weighted_graph(cost)
        seg = np.hypot(*np.diff(dense, axis=0).T)
        arc = np.concatenate([[0.0], np.cumsum(seg)])
        step = step_hexes * self.grid.spec.hex_km
        marks = np.arange(0.0, arc[-1], step)
        marks = np.append(marks, arc[-1]) if arc[-1] - marks[-1] > 1e-9 else marks
        if len(marks) >= 2 and arc[-1] - marks[-2] < 0.3 * step:
            marks = np.delete(marks, -2)
        pts = np.stack([np.interp(marks, arc, dense[:, 0]), np.interp(marks, arc, dense[:, 1])],
                       axis=1)
        wv = self.nearest_vertex(pts)
        vpath = [int(wv[0])]
        for a, b in zip(wv[:-1], wv[1:], strict=False):
            if a == b:
                continue
            # Search only as far as a detour could be worth it, then everywhere if need be.
            bound = 4.0 * (float(np.hypot(*(self.vxy[a] - self.vxy[b]))) + 2.0 * rad)
            p = self.vertex_path(graph, int(a), int(b), limit=bound)
            if p is None:
                p = self.vertex_path(graph, int(a), int(b))
            if p is None:
                continue
            vpath.extend(p[1:])
        vpath = remove_loops(vpath)
        return self.path_edges(vpath)

    def chain_order(self, edges):
        """Order the edges of a simple chain as a vertex sequence (for drawing)."""
        edges = np.asarray(edges, dtype=np.int64)
        if edges.size == 0:
            return []
        ev = self.edge_v[edges]
        adj = {}
        for a, b in ev:
            adj.setdefault(int(a), []).append(int(b))
            adj.setdefault(int(b), []).append(int(a))
        ends = [v for v, nb in adj.items() if len(nb) == 1]
        start = ends[0] if ends else int(ev[0, 0])
        seq, _prev = [start], None
        seen = {start}
        while True:
            nxt = [v for v in adj[seq[-1]] if v not in seen]
            if not nxt:
                break
            seq.append(nxt[0])
            seen.add(nxt[0])
        return seq


def densify(xy, max_step):
    """Insert points so that no segment of the polyline is longer than ``max_step``."""
    xy = np.asarray(xy, dtype=np.float64)
    out = [xy[:1]]
    for a, b in zip(xy[:-1], xy[1:], strict=False):
        k = max(1, int(math.ceil(math.hypot(*(b - a)) / max_step)))
        t = np.arange(1, k + 1)[:, None] / k
        out.append(a + (b - a) * t)
    return np.concatenate(out)


def remove_loops(vpath):
    """Cut every loop out of a vertex sequence, leaving a simple path."""
    out, pos = [], {}
    for v in vpath:
        if v in pos:
            cut = pos[v]
            for w in out[cut + 1:]:
                del pos[w]
            out = out[:cut + 1]
        else:
            pos[v] = len(out)
            out.append(v)
    return out


def point_in_polygon(px, py, rings):
    """Even-odd test of points against a polygon given as a list of (k, 2) rings (x, y)."""
    px = np.asarray(px, dtype=np.float64)
    py = np.asarray(py, dtype=np.float64)
    inside = np.zeros(px.shape, dtype=bool)
    for ring in rings:
        ring = np.asarray(ring, dtype=np.float64)
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        for a, b, c, d in zip(x1, y1, x2, y2, strict=False):
            if b == d:
                continue
            crosses = (b > py) != (d > py)
            xint = a + (py - b) * (c - a) / (d - b)
            inside ^= crosses & (px < xint)
    return inside
