"""The end of a game, explained: who won and how decisively, why (the margin in victory points
against the historical benchmark, by category), how the ground held and the strength of each
side went turn by turn, and the cards that fired. Every number is the result's
(``state.result``, game/rules/victory.py)."""

from __future__ import annotations

import datetime as dt

import pygame

from ...engine.units import COMMUNIST, UN
from ...render.chrome import ACCENT, DIM, SIDE_TEXT, TEXT, fit, font, panel, px, text, wrap
from ...rules.victory import PARTS, benchmark_name
from ..widgets import Scroll, button
from .menu import backdrop

WINNER_WORDS = {"un": "UN victory", "communist": "Communist victory"}
SIDE_WORDS = {"un": "the UN", "communist": "the Communists"}
GRID = (50, 54, 62)


def headline(result: dict) -> str:
    """'Decisive UN victory', 'Communist victory', 'Draw'..."""
    winner = result.get("winner")
    head = WINNER_WORDS.get(winner, "Draw" if winner in (None, "draw") else str(winner))
    level = result.get("level")
    if level and level != "draw" and winner in WINNER_WORDS:
        return f"{str(level).capitalize()} {head}"
    return head


def subtitle(result: dict) -> str:
    """The line under the headline: the result in words with its margin against history ("UN
    marginal victory: 12 VP better than history"), and why the game ended."""
    reason = str(result.get("reason", "") or "")
    summary = result.get("summary")
    if not summary:
        return reason
    if result.get("margin_vs_history") is None or not reason:     # the summary carries the reason
        return str(summary)
    return f"{summary} ({reason})"


def _lead(margin: float) -> str:
    if abs(margin) < 0.05:
        return "the two sides ended level"
    who = "the UN" if margin > 0 else "the Communists"
    return f"{who} ended {abs(margin):g} VP ahead"


def explain(result: dict, draw_margin: float | None = None, decisive_margin: float | None = None) -> list[str]:
    """Sentences that say why the result is what it is, from the result's own numbers (and the
    scenario's margins for a draw and for a decisive victory)."""
    vp = result.get("vp") or {}
    un, com = float(vp.get("un", 0)), float(vp.get("communist", 0))
    out = [f"Victory points: UN {un:g}, Communists {com:g}: {_lead(un - com)}."]
    bench = result.get("benchmark") or {}
    vs = result.get("margin_vs_history")
    if vs is None:
        out.append(f"The game ended before its last turn: {result.get('reason', '')}.")
        return out
    hist = float(bench.get("margin", 0))
    where = bench.get("source") or "the scenario"
    name = benchmark_name(result)
    if name == "history":
        out.append(f"History's benchmark (where history stood at the scenario's end: {where}): "
                   f"{_lead(hist).replace('ended', 'would end')}.")
    else:
        out.append(f"The benchmark is {name} ({where}): {_lead(hist).replace('ended', 'would end')}.")
    better = "better" if vs > 0 else "worse"
    winner = result.get("winner")
    if winner in WINNER_WORDS:
        against = f"the UN did {abs(vs):g} VP {better} than {name}"
        limit = f", more than the {draw_margin:g} VP a draw allows" if draw_margin is not None else ""
        if decisive_margin is not None:
            limit += (f" and the {decisive_margin:g} VP a decisive victory needs" if abs(vs) > decisive_margin
                      else f" but not the {decisive_margin:g} VP a decisive victory needs")
        out.append(f"Against the benchmark {against}{limit}. Result: {headline(result)}.")
    else:
        within = f" within the {draw_margin:g} VP a draw allows" if draw_margin is not None else ""
        out.append(f"Against the benchmark the UN did {abs(vs):g} VP {better} than {name},{within}. Result: a draw.")
    return out


def vp_table(result: dict) -> list[list[str]]:
    """Rows of the VP table: category, UN, Communists, margin, and history's margin."""
    parts = result.get("vp_breakdown") or {}
    bench = result.get("benchmark") or {}
    rows = [["", "UN", "Communists", "Margin", "History" if benchmark_name(result) == "history" else "Benchmark"]]
    for part in (*PARTS, "total"):
        un = parts.get("un", {}).get(part)
        com = parts.get("communist", {}).get(part)
        hist = None
        if "un" in bench and "communist" in bench:
            hist = float(bench["un"][part]) - float(bench["communist"][part])
        elif part == "total":
            hist = float(bench.get("margin", 0))
        rows.append([part.title(), _num(un), _num(com),
                     _num(None if un is None or com is None else float(un) - float(com), sign=True),
                     _num(hist, sign=True)])
    return rows


def _num(v, sign: bool = False) -> str:
    if v is None:
        return "-"
    v = round(float(v), 1)
    return f"{v:+g}" if sign else f"{v:g}"


def chart(s, rect, title: str, history: list, series: list) -> dict:
    """A line chart of ``series`` [(key, label, colour)] over the turns of ``history`` on its
    own scale from 0, its legend in a row above the plot. Returns the geometry drawn."""
    box = panel(s, rect)
    text(s, title, (box.x + px(12), box.y + px(8)), 19, TEXT, True)
    legend, x = [], box.x + px(12)
    for _key, label, colour in series:
        pygame.draw.line(s, colour, (x, box.y + px(42)), (x + px(22), box.y + px(42)), 3)
        legend.append(text(s, label, (x + px(28), box.y + px(34)), 17, colour, True).union(
            pygame.Rect(x, box.y + px(40), px(22), 4)))
        x = legend[-1].right + px(18)
    plot = pygame.Rect(box.x + px(56), box.y + px(60), box.w - px(76), box.h - px(60) - px(30))
    pygame.draw.rect(s, (60, 64, 74), plot, 1)
    points: dict = {}
    if not history:
        text(s, "No turn was completed.", plot.center, 20, DIM, False, "center")
        return {"plot": plot, "legend": legend, "points": points}
    top = max(1, max(max(h.get(k, 0) for h in history) for k, _, _ in series))
    for frac in (0.25, 0.5, 0.75, 1.0):
        y = plot.bottom - frac * plot.h
        pygame.draw.line(s, GRID, (plot.x, y), (plot.right, y))
        text(s, f"{top * frac:.0f}", (plot.x - px(6), y), 15, DIM, False, "midright")
    n = len(history)
    for key, _label, colour in series:
        pts = [(plot.x + (i / max(1, n - 1)) * plot.w, plot.bottom - h.get(key, 0) / top * plot.h)
               for i, h in enumerate(history)]
        points[key] = pts
        if len(pts) == 1:
            pygame.draw.circle(s, colour, pts[0], 3)
        else:
            pygame.draw.lines(s, colour, False, pts, 3)
    text(s, _short_date(history[0].get("date", "")), (plot.x, plot.bottom + px(4)), 15, DIM)
    text(s, _short_date(history[-1].get("date", "")), (plot.right, plot.bottom + px(4)), 15, DIM, False, "topright")
    return {"plot": plot, "legend": legend, "points": points}


def _short_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%b %Y")
    except ValueError:
        return iso


class EndScreen:
    name = "end"

    def __init__(self, app) -> None:
        self.app = app
        self.cards = Scroll()
        self.cards_rect = pygame.Rect(0, 0, 0, 0)
        self.cards_rows = 1
        self.geometry: dict = {}
        self.subtitle = ""

    def handle_event(self, ev) -> None:
        if ev.type == pygame.KEYDOWN and ev.key in (pygame.K_ESCAPE, pygame.K_RETURN):
            self.app.to_menu()
        elif ev.type == pygame.MOUSEWHEEL and self.cards_rect.collidepoint(self.app.mouse):
            self.cards.by(-ev.y, len(self.app.game.state.fired), self.cards_rows)

    def update(self, dt: float) -> None:
        pass

    def draw(self, s) -> None:
        app = self.app
        st = app.game.state
        res = st.result or {}
        w, h = s.get_size()
        backdrop(s)
        text(s, headline(res), (w // 2, px(50)), 56, ACCENT, True, "center")
        self.subtitle = subtitle(res)
        text(s, fit(self.subtitle, font(22), w - px(40)), (w // 2, px(92)), 22, TEXT, False, "center")
        cfg = st.scenario.config.victory
        decisive = cfg.decisive_margin
        left = pygame.Rect(px(20), px(118), (w - px(60)) // 2, h - px(118) - px(96))
        right = pygame.Rect(left.right + px(20), left.y, left.w, left.h)
        y = self._draw_explanation(s, left, explain(res, float(cfg.draw_margin),
                                                    None if decisive is None else float(decisive)))
        y = self._draw_table(s, pygame.Rect(left.x, y + px(8), left.w, 0), vp_table(res))
        self._draw_cards(s, pygame.Rect(left.x, y + px(10), left.w, left.bottom - y - px(10)), st.fired)
        half = (right.h - px(10)) // 2
        hist = st.history
        self.geometry = {
            "ground": chart(s, pygame.Rect(right.x, right.y, right.w, half), "Ground held (hexes)", hist,
                            [("un_hexes", "UN", SIDE_TEXT[UN]),
                             ("communist_hexes", "Communists", SIDE_TEXT[COMMUNIST])]),
            "strength": chart(s, pygame.Rect(right.x, right.y + half + px(10), right.w, half),
                              "Strength on the map (points)", hist,
                              [("un_strength", "UN", SIDE_TEXT[UN]),
                               ("communist_strength", "Communists", SIDE_TEXT[COMMUNIST])]),
        }
        by = h - px(82)
        button(app, (w // 2 - px(230), by, px(220), px(46)), "Review the turns", app.review_from_end,
               active=bool(app.game.owner_history))
        button(app, (w // 2 + px(10), by, px(220), px(46)), "Main menu", app.to_menu)

    def _draw_explanation(self, s, rect, lines) -> int:
        f = font(19)
        wrapped = [w for line in lines for w in wrap(line, f, rect.w - px(24))]
        box = panel(s, (rect.x, rect.y, rect.w, px(16) + px(22) * len(wrapped)))
        y = box.y + px(8)
        for line in wrapped:
            text(s, line, (box.x + px(12), y), 19)
            y += px(22)
        return box.bottom

    def _draw_table(self, s, rect, rows) -> int:
        row_h = px(24)
        box = panel(s, (rect.x, rect.y, rect.w, px(12) + row_h * len(rows)))
        col_w = (box.w - px(130)) // 4
        if font(19, True).size(rows[0][2])[0] > col_w - px(10):
            rows[0] = ["", "UN", "COM", "Margin", "History"]
        for i, row in enumerate(rows):
            y = box.y + px(6) + i * row_h
            bold = i == 0 or row[0] == "Total"
            text(s, row[0], (box.x + px(12), y), 19, ACCENT if i == 0 else TEXT, bold)
            for j, cell in enumerate(row[1:]):
                colour = ACCENT if i == 0 else [SIDE_TEXT[UN], SIDE_TEXT[COMMUNIST], TEXT, DIM][j]
                text(s, cell, (box.x + px(130) + (j + 1) * col_w - px(10), y), 19, colour, bold, "topright")
        return box.bottom

    def _draw_cards(self, s, rect, fired) -> None:
        if rect.h < px(60):
            return
        box = panel(s, rect)
        text(s, f"The cards that fired ({len(fired)})", (box.x + px(12), box.y + px(8)), 19, ACCENT, True)
        self.cards_rect = pygame.Rect(box.x + px(12), box.y + px(34), box.w - px(24), box.h - px(40))
        self.cards_rows = max(1, self.cards_rect.h // px(20))
        y = self.cards_rect.y
        f = font(17)
        for card in self.cards.window(list(fired), self.cards_rows):
            line = f"{card.get('date', '')}  {card.get('title', card.get('id', ''))}"
            text(s, fit(line, f, self.cards_rect.w - px(12)), (self.cards_rect.x, y), 17)
            y += px(20)
        self.cards.draw_bar(s, self.cards_rect, len(fired), self.cards_rows)
