"""Short animations of what the computer's side does: counters sliding along their paths,
a flash where a combat was fought. Space or Esc skips them."""

from __future__ import annotations

COMBAT_SECONDS = 0.45


class Animator:
    def __init__(self) -> None:
        self.queue: list[dict] = []      # {"kind": "move", "row", "path"} | {"kind": "combat", "hex", "text"}
        self.t = 0.0

    def __bool__(self) -> bool:
        return bool(self.queue)

    def add_move(self, row: int, path: list) -> None:
        self.queue.append({"kind": "move", "row": row, "path": path})

    def add_combat(self, h: int, text: str) -> None:
        self.queue.append({"kind": "combat", "hex": h, "text": text})

    def drop_row(self, row: int) -> None:
        self.queue = [a for a in self.queue if a.get("row") != row]

    def skip(self) -> None:
        self.queue = []
        self.t = 0.0

    def step(self, dt: float, per_hex: float) -> None:
        if not self.queue:
            return
        a = self.queue[0]
        self.t += dt
        total = per_hex * (len(a["path"]) - 1) if a["kind"] == "move" else COMBAT_SECONDS
        if self.t >= total:
            self.queue.pop(0)
            self.t = 0.0

    def flash(self) -> dict | None:
        """The combat being shown now, with its progress 0..1."""
        if not self.queue or self.queue[0]["kind"] != "combat":
            return None
        return {**self.queue[0], "t": self.t / COMBAT_SECONDS}

    def overrides(self, grid, per_hex: float) -> tuple:
        """Rows hidden from their hexes, and (row, x_km, y_km) to draw instead."""
        hidden, extra = [], []
        per_hex = max(per_hex, 1e-6)
        for k, a in enumerate(self.queue):
            if a["kind"] != "move":
                continue
            path = a["path"]
            if k == 0:
                f = min(self.t / per_hex, len(path) - 1.0001)
                i = int(f)
                t = f - i
                x = grid.x_km[path[i]] * (1 - t) + grid.x_km[path[i + 1]] * t
                y = grid.y_km[path[i]] * (1 - t) + grid.y_km[path[i + 1]] * t
            else:
                x, y = grid.x_km[path[0]], grid.y_km[path[0]]
            if a["row"] not in hidden:
                hidden.append(a["row"])
                extra.append((a["row"], float(x), float(y)))
        return hidden, extra
