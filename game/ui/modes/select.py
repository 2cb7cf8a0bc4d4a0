"""Select and move (the default mode): click a unit to select it (again: the next unit of the
stack), a shaded hex to move there, an enemy to preview an attack. Hovering a hex shows the
path: this turn's cost in movement points, or, beyond this turn's reach, the way over the
next turns with the turn in which the unit gets there."""

from __future__ import annotations

import pygame

from ...engine.orders import Move
from ...engine.units import enemy_of
from ...render.chrome import font
from .base import InputMode

PATH_COLOURS = [(255, 230, 40), (255, 160, 60), (150, 220, 255), (200, 160, 255)]


def turns_words(turn: int) -> str:
    """When a unit gets somewhere, from the turn index of its last step (0: this turn)."""
    return "this turn" if turn == 0 else "next turn" if turn == 1 else f"in {turn} turns"


class SelectMode(InputMode):
    name = "select"
    preview: tuple | None = None          # (path, turn of each step, label) drawn last
    preview_rect: pygame.Rect | None = None   # where it was drawn (the tooltip keeps clear of it)


    def click(self, h: int, shift: bool = False) -> None:
        gs = self.gs
        st = gs.game.state
        u = st.units
        side = st.active_side
        mine = [int(r) for r in u.at_hex(h, side)]
        if len(gs.seen_rows(u.at_hex(h, enemy_of(side)))):   # hidden enemies: no attack offered
            gs.target(h)
            return
        if mine:
            if gs.selected and gs.selected[0] in mine:
                gs.selected = [mine[(mine.index(gs.selected[0]) + 1) % len(mine)]]
            else:
                gs.selected = [mine[0]]
            return
        if gs.selected:
            self.move(gs.selected[0], h)
            return
        gs.selected = []

    def move(self, row: int, h: int) -> None:
        gs = self.gs
        res = gs.game.apply(Move(gs.side_name, unit=gs.game.state.units.ids[row], to=int(h)))
        if res.ok:
            return
        plan = gs.plan(row, h)
        later = f" (by the cheapest way it gets there {turns_words(plan[1][-1])})" if plan and plan[1][-1] else ""
        gs.say(f"Cannot move: {res.reason}{later}")

    def escape(self) -> bool:
        if self.gs.selected:
            self.gs.selected = []
            return True
        return False

    def draw_under(self, s) -> None:
        self.preview = self.preview_rect = None
        gs = self.gs
        if not gs.selected or not gs.can_order():
            return
        b, cam = gs.board, gs.cam
        st = gs.game.state
        row = gs.selected[0]
        reach, dist = gs.cached(f"reach{row}", lambda: gs.reachable(row))
        b.draw_hex_mask(s, cam, reach, (255, 255, 255, 70), (255, 255, 255, 150), key="reach")
        pygame.draw.polygon(s, PATH_COLOURS[0], b.hex_polygon(cam, int(st.units.hex[row])), 3)
        h = gs.hover
        if not 0 <= h < st.map.n or h == int(st.units.hex[row]):
            return
        if reach[h]:
            path = gs.game.path(st.units.ids[row], h)
            if len(path) > 1:
                cost = float(dist[h])
                self._draw_path(s, path, [0] * len(path), f"{cost:g} MP ({float(st.units.mp[row]) - cost:g} left)")
            return
        plan = gs.plan(row, h)
        if plan:
            path, turns = plan
            self._draw_path(s, path, turns, f"arrives {turns_words(turns[-1])}")

    def _draw_path(self, s, path, turns, label: str) -> None:
        self.preview = (path, turns, label)
        b, cam = self.gs.board, self.gs.cam
        pts = [b.hex_centre(cam, p) for p in path]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        self.preview_rect = pygame.Rect(min(xs), min(ys) - 40, max(xs) - min(xs) + 1, max(ys) - min(ys) + 41)
        pygame.draw.lines(s, (20, 20, 20), False, pts, 6)
        for i in range(len(pts) - 1):
            pygame.draw.line(s, PATH_COLOURS[min(turns[i + 1], len(PATH_COLOURS) - 1)], pts[i], pts[i + 1], 3)
        f = font(16, True)
        for i, p in enumerate(pts[1:], start=1):
            ends_turn = i < len(turns) - 1 and turns[i + 1] > turns[i]
            colour = PATH_COLOURS[min(turns[i], len(PATH_COLOURS) - 1)]
            if ends_turn:
                # Where a turn's move ends: the number of the turn it ends.
                img = f.render(str(turns[i] + 1), True, (0, 0, 0))
                r = max(img.get_width(), img.get_height()) // 2 + 3
                pygame.draw.circle(s, colour, p, r)
                pygame.draw.circle(s, (0, 0, 0), p, r, 1)
                s.blit(img, img.get_rect(center=(p[0], p[1] + 1)))
            else:
                pygame.draw.circle(s, colour, p, 4)

    def draw_over(self, s) -> None:
        """The path's label, above the place names."""
        if self.preview is None:
            return
        path, _, label = self.preview
        lab = font(20, True).render(label, True, (0, 0, 0))
        x, y = self.gs.board.hex_centre(self.gs.cam, path[-1])
        r = lab.get_rect(midbottom=(x, y - 14)).inflate(8, 4)
        pygame.draw.rect(s, (255, 240, 170), r, border_radius=4)
        pygame.draw.rect(s, (0, 0, 0), r, 1, border_radius=4)
        s.blit(lab, lab.get_rect(center=r.center))
