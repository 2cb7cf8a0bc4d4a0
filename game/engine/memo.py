"""Values worked out once from an object that never changes (a map, its grid, a scenario, a
route graph) and kept for the few such objects a process plays with.

Each entry keeps the object itself beside the value: an ``id()`` can be reused once an object is
gone, and a new object at an old address must not find the old value. Arrays handed out are
read-only, so no caller can change what the others read."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np


class PerObject:
    """``cache.get(obj, key, compute)``: ``compute()`` for (obj, key) the first time, the kept
    value after; at most ``size`` entries (all dropped when full: a game uses one or two)."""

    def __init__(self, size: int = 8):
        self.size = size
        self._entries: dict[tuple[int, Hashable], tuple[Any, Any]] = {}

    def get(self, obj: Any, key: Hashable, compute: Callable[[], Any]) -> Any:
        slot = (id(obj), key)
        hit = self._entries.get(slot)
        if hit is None or hit[0] is not obj:
            value = compute()
            for a in value if isinstance(value, tuple) else (value,):
                if isinstance(a, np.ndarray):
                    a.flags.writeable = False
            if len(self._entries) >= self.size:
                self._entries.clear()
            hit = self._entries[slot] = (obj, value)
        return hit[1]
