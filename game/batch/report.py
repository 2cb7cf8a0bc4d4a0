"""``DIR/report.html``: one self-contained page (inline CSS, charts as base64 PNG) about the
runs of a plan: outcomes, victory points, the front over time, the cards, each what-if against
the first scenario, the arc table and the failed runs."""

from __future__ import annotations

import datetime as dt
import html
import math
import os
from collections import Counter
from pathlib import Path

import numpy as np

from ..sim.arc import REFERENCE, front_reference, war_reference
from . import charts
from .stats import mean_ci, mean_difference, share_difference, wilson

OUTCOMES = {"un": "UN win", "communist": "Communist win", "draw": "draw"}
COLUMNS = ["scenario", "seed", "status", "error", "winner", "level", "reason", "end", "turns", "vp_un",
           "vp_communist", "margin_vs_history", "losses_un", "losses_communist", "cards", "card_dates",
           "front_dates", "front_mean_lat", "arc_south", "arc_north", "arc_error", "front_km", "front_km_mean",
           "front_month_km", "city_checks", "city_right", "run_seconds"]
MAX_LISTED = 200             # rows in the per-seed and failure tables

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #3060c0;padding-bottom:.15em;margin-top:2em}
h3{margin-bottom:.3em}table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#eef2fa}td:not(:first-child){white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;display:block;margin:.5em 0}.muted{color:#666;font-size:.9em}
code{background:#f3f3f3;padding:0 .25em}details{margin:.5em 0}summary{cursor:pointer;color:#3060c0}
"""


def write_report(path, plan, rows: list, ran_on: str, command: str) -> None:
    """Write the report of ``rows`` (dicts with ``COLUMNS``: the plan's runs) atomically."""
    by_sc = {sc.id: [r for r in rows if r["scenario"] == sc.id] for sc in plan.scenarios}
    ok = {sid: [r for r in rs if r["status"] == "ok"] for sid, rs in by_sc.items()}
    parts = [_header(plan, by_sc, ok, ran_on, command), _outcomes(plan, ok), _vp(plan, ok),
             _front(plan, ok), _cards(plan, ok)]
    if len(plan.scenarios) > 1:
        parts.append(_whatifs(plan, ok))
    parts += [_war_lines(plan, ok), _arc(plan, ok), _failures(by_sc)]
    title = f"Batch report: {', '.join(sc.id for sc in plan.scenarios)}"
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_e(title)}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(p for p in parts if p) + "\n</body></html>\n")
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------------------ sections

def _header(plan, by_sc, ok, ran_on, command) -> str:
    n_all = sum(len(r) for r in by_sc.values())
    n_ok = sum(len(r) for r in ok.values())
    seconds = [r["run_seconds"] for rs in ok.values() for r in rs if r["run_seconds"] is not None]
    base_note = " <span class=muted>(the base of the what-ifs)</span>" if len(plan.scenarios) > 1 else ""
    scen = "".join(f"<li><b>{_e(sc.id)}</b>: {_e(sc.title)} ({sc.start} to {sc.end}){base_note if i == 0 else ''}</li>"
                   for i, sc in enumerate(plan.scenarios))
    s = plan.seeds
    facts = [
        ("Scenarios", f"<ul style='margin:0;padding-left:1.2em'>{scen}</ul>"),
        ("Runs", f"{len(s)} seeds of each scenario, {s.start} to {s.stop - 1}: {len(plan)} runs; "
                 f"{n_all} in this report, {n_ok} finished, {n_all - n_ok} failed"),
        ("AI", _e(", ".join(f"{side}: {name}" for side, name in plan.ai.items()))),
        ("Played on", _e(ran_on) + (f"; {np.mean(seconds):.1f} s a run on average" if seconds else "")),
        ("Made", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("Command", f"<code>{_e(command)}</code>"),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    return (f"<h1>Batch report</h1><p class=muted>AI against AI, seeded: each run's row in runs.parquet "
            f"equals <code>python main.py simulate SCENARIO --seed S</code>. Intervals are 95%.</p>"
            f"<table>{rows}</table>")


def _outcomes(plan, ok) -> str:
    outcomes = _present_outcomes(ok)
    wins = {sid: Counter(r["winner"] for r in rs) for sid, rs in ok.items()}
    shares = {sid: {OUTCOMES.get(o, o): wilson(wins[sid][o], len(rs)) for o in outcomes} for sid, rs in ok.items()}
    head = ["outcome"] + [sc.id for sc in plan.scenarios]
    body = [[OUTCOMES.get(o, o)] + [_share_of(wins[sc.id][o], len(ok[sc.id])) for sc in plan.scenarios]
            for o in outcomes]
    reasons = []
    for sc in plan.scenarios:
        counts = Counter((r["winner"], r["level"], r["reason"]) for r in ok[sc.id])
        for (w, level, why), k in counts.most_common():
            reasons.append([sc.id, OUTCOMES.get(w, str(w)), level or "", why, _share_of(k, len(ok[sc.id]))])
    chart = (charts.outcome_chart([sc.id for sc in plan.scenarios], [OUTCOMES.get(o, o) for o in outcomes], shares)
             if outcomes else "")
    return ("<h2>Outcomes</h2><p class=muted>Share of finished runs with each result, with its 95% Wilson "
            "score interval.</p>" + _table(head, body) + _img(chart, "outcome shares")
            + "<h3>By reason</h3>" + _table(["scenario", "winner", "level", "reason", "share of runs"], reasons))


def _vp(plan, ok) -> str:
    measures = [("vp_un", "UN victory points"), ("vp_communist", "Communist victory points"),
                ("margin_vs_history", "VP margin against {benchmark}"),
                ("losses_un", "UN steps lost"), ("losses_communist", "Communist steps lost"), ("turns", "turns played")]
    body = []
    for col, label in measures:
        for sc in plan.scenarios:
            x = np.array([r[col] for r in ok[sc.id] if r[col] is not None], dtype=float)
            if x.size:
                m, lo, hi = mean_ci(x)
                q = np.percentile(x, [10, 50, 90])
                body.append([label.format(benchmark=sc.benchmark), sc.id, _num(m, lo, hi), f"{q[1]:.1f}",
                             f"{q[0]:.1f} to {q[2]:.1f}"])
    vp = {sc.id: ([r["vp_un"] for r in ok[sc.id]], [r["vp_communist"] for r in ok[sc.id]]) for sc in plan.scenarios}
    chart = charts.vp_chart([sc.id for sc in plan.scenarios], vp) if any(ok.values()) else ""
    return ("<h2>Victory points and losses</h2>" + _img(chart, "victory point distributions")
            + "<p class=muted>The margin against history is UN minus Communist VP, less the margin a "
              "game that went as the war did would score (positive: better for the UN than history). A "
              "what-if scored against an outcome history never had names it instead: the margin against "
              "that outcome.</p>"
            + _table(["measure", "scenario", "mean [95% CI]", "median", "10% to 90% of runs"], body))


def _front(plan, ok) -> str:
    out = ["<h2>The front over time</h2><p class=muted>Each run's front on the first turn of each month, "
           "as its mean latitude over the meridians (0.25° bins, 124.5-130 E) where UN and Communist "
           "ground meet on the Korean mainland (game/sim/front.py). The shaded bands hold the middle 50% "
           "and 80% of runs; the dashed line is the real war's front measured the same way: the "
           "reference lines of scenarios/reference/ on the campaign map. Runs that ended early leave "
           "the fan after their end; the per-meridian latitudes are in runs.parquet "
           "(<code>front_lat</code>).</p>"]
    war_front = front_reference()
    for sc in plan.scenarios:
        per_date = {}
        for r in ok[sc.id]:
            for d, v in zip(r["front_dates"] or [], r["front_mean_lat"] or [], strict=True):
                if v is not None and math.isfinite(v):
                    per_date.setdefault(d, []).append(v)
        if not per_date:
            continue
        dates = sorted(per_date)
        q = np.array([np.percentile(per_date[d], [10, 25, 50, 75, 90]) for d in dates]).T
        ref = [(dt.date.fromisoformat(d), v) for d, v in war_front
               if sc.start.isoformat() <= d <= sc.end.isoformat()]
        out.append(_img(charts.fan_chart(dates, (q[0], q[1], q[3], q[4]), q[2], ref, len(ok[sc.id]),
                                         f"{sc.id}: mean latitude of the front"), f"front of {sc.id}"))
    return "".join(out)


def _cards(plan, ok) -> str:
    out = ["<h2>Event cards</h2><p class=muted>How often each card fired (share of finished runs, "
           "Wilson 95% interval) and when (its first firing in a run). Cards of the scenario's decks "
           "that never fired are listed last.</p>"]
    for sc in plan.scenarios:
        stats = _card_stats(sc, ok[sc.id])
        if not stats:
            continue
        fired = [c for c in stats if c["k"]]
        fired.sort(key=lambda c: np.median([d.toordinal() for d in c["dates"]]))
        never = [c for c in stats if not c["k"]]
        body = [[_e(c["title"]), f"<code>{_e(c['id'])}</code>", _share_of(c["k"], c["n"]), _dates(c["dates"])]
                for c in fired + never]
        # The chart shows the cards whose firing varied; the table has every card.
        varied = [c for c in fired if c["k"] < c["n"] or len(set(c["dates"])) > 1]
        chart = (charts.card_chart([_short(c["title"]) for c in varied], [c["dates"] for c in varied],
                                   [c["k"] / c["n"] for c in varied]) if varied else "")
        note = (f"{len(varied)} of the {len(fired)} cards that fired did so in some runs only or on "
                f"different dates (chart); {len(fired) - len(varied)} fired in every run on the same date.")
        table = _table(["card", "id", "fired in", "when (median; quartiles)"], body)
        out.append(f"<h3>{_e(sc.id)}</h3><p class=muted>{note}</p>" + _img(chart, f"cards of {sc.id}")
                   + _details(f"all {len(stats)} cards", table))
    return "".join(out)


def _whatifs(plan, ok) -> str:
    base = plan.scenarios[0]
    out = [f"<h2>What-ifs against {_e(base.id)}</h2><p class=muted>Each scenario minus the first: "
           "differences of shares (percentage points, Newcombe's interval from the two Wilson "
           "intervals) and of means (Welch's interval). ✱ marks a difference whose interval leaves out 0.</p>"]
    b = ok[base.id]
    for sc in plan.scenarios[1:]:
        w = ok[sc.id]
        share_rows = []
        for o in _present_outcomes({base.id: b, sc.id: w}):
            share_rows.append((OUTCOMES.get(o, o), *share_difference(sum(r["winner"] == o for r in b), len(b),
                                                                      sum(r["winner"] == o for r in w), len(w))))
        cards_b, cards_w = _card_stats(base, b), _card_stats(sc, w)
        shares_b = {c["id"]: (c["k"], c["n"]) for c in cards_b}
        titles = {c["id"]: c["title"] for c in cards_b + cards_w}
        card_rows = []
        for c in cards_w + [c for c in cards_b if c["id"] not in {x["id"] for x in cards_w}]:
            kb, nb = shares_b.get(c["id"], (0, len(b)))
            kw = next((x["k"] for x in cards_w if x["id"] == c["id"]), 0)
            if kb / max(nb, 1) != kw / max(len(w), 1):
                card_rows.append((f"card: {_short(titles[c['id']])}", *share_difference(kb, nb, kw, len(w))))
        card_rows.sort(key=lambda r: -abs(r[1]))
        mean_rows = [(label, *mean_difference([r[col] for r in b], [r[col] for r in w]))
                     for col, label in (("vp_un", "UN VP"), ("vp_communist", "Communist VP"),
                                        ("losses_un", "UN steps lost"), ("losses_communist", "Communist steps lost"),
                                        ("turns", "turns played"), ("arc_error", "arc error"),
                                        ("front_km_mean", "front distance from the war's lines (km)"),
                                        ("city_right", "share of city checks right"))]
        mean_rows.append(("front at the end (mean latitude, °)",
                          *mean_difference(_last_front(b), _last_front(w))))
        body = ([[label, _pp(d, lo, hi)] for label, d, lo, hi in share_rows + card_rows[:15]]
                + [[label, _num(d, lo, hi, mark=True)] for label, d, lo, hi in mean_rows if not math.isnan(d)])
        shares_chart = charts.difference_chart(
            [(label, 100 * d, 100 * lo, 100 * hi) for label, d, lo, hi in share_rows + card_rows[:12]],
            f"{sc.id} minus {base.id}: shares of runs (percentage points)")
        vp_chart = charts.difference_chart([r for r in mean_rows[:2]], f"{sc.id} minus {base.id}: victory points")
        out.append(f"<h3>{_e(sc.id)} against {_e(base.id)}</h3>"
                   f"<p class=muted>{len(w)} and {len(b)} finished runs.</p>"
                   + _table(["difference", "what-if minus base [95% CI]"], body)
                   + _img(shares_chart, "share differences") + _img(vp_chart, "VP differences"))
    return "".join(out)


def _war_lines(plan, ok) -> str:
    war = war_reference()
    out = ["<h2>The front against the war's lines</h2><p class=muted>On each reference date (within "
           "the scenario's span), how far the run's front lay from the war's front line along the "
           "meridians (median over the 0.25° meridians, km; game/sim/front_metric.py), over the runs: "
           "median and the middle 50% of runs. The lines and the city records, with their sources, "
           "are in scenarios/reference/korea_front_lines.yaml. City checks: the share of runs in which "
           "the city's hex was held by the side on record (U: UN, C: Communist).</p>"]
    for sc in plan.scenarios:
        runs = [r for r in ok[sc.id] if r.get("front_km") is not None]
        if not runs:
            continue
        body = []
        for j, line in enumerate(war.front_lines):
            km = [r["front_km"][j] for r in runs if r["front_km"][j] is not None]
            if km:
                q = np.percentile(km, [25, 50, 75])
                body.append([str(line.date), _e(line.name), str(len(km)), f"{q[1]:.0f}", f"{q[0]:.0f} to {q[2]:.0f}"])
        m, lo, hi = mean_ci([r["front_km_mean"] for r in runs])
        right = [r["city_right"] for r in runs if r["city_right"] is not None]
        summary = f"<p>Mean front distance <b>{_num(m, lo, hi, digits=0)}</b> km"
        if right:
            cm, clo, chi = mean_ci(right)
            summary += f"; city checks right <b>{_num(100 * cm, 100 * clo, 100 * chi, digits=0)}</b>%"
        out.append(f"<h3>{_e(sc.id)}</h3>"
                   + _table(["date", "reference line", "runs", "median km", "middle 50% of runs"], body)
                   + summary + f" over {len(runs)} runs.</p>"
                   + _details("monthly checkpoints (the line standing on the first turn of the month)",
                              _monthly_table(runs))
                   + _details("city checks", _city_table(war, runs)))
    return "".join(out)


def _monthly_table(runs) -> str:
    per_date: dict = {}
    for r in runs:
        for d, km in zip(r["front_dates"] or [], r["front_month_km"] or [], strict=True):
            if km is not None:
                per_date.setdefault(d, []).append(km)
    body = []
    for d in sorted(per_date):
        q = np.percentile(per_date[d], [25, 50, 75])
        body.append([str(d), str(len(per_date[d])), f"{q[1]:.0f}", f"{q[0]:.0f} to {q[2]:.0f}"])
    return _table(["first turn of the month", "runs", "median km", "middle 50% of runs"], body)


def _city_table(war, runs) -> str:
    checks = war.city_checks()
    dates = sorted({c.date for c in checks})
    cells = {(c.city, c.date): (j, c.side) for j, c in enumerate(checks)}
    body = []
    for i, city in enumerate(war.cities):
        row = [_e(city.name)]
        for d in dates:
            if (i, d) not in cells:
                row.append("")
                continue
            j, side = cells[(i, d)]
            made = [r["city_checks"][j] for r in runs if r["city_checks"] and r["city_checks"][j] is not None]
            row.append(f"{sum(made) / len(made):.0%} {side[0].upper()}" if made else "-")
        body.append(row)
    return _table(["city"] + [d.isoformat() for d in dates], body)


def _arc(plan, ok) -> str:
    out = ["<h2>The arc of the war</h2><p class=muted>On each reference date (within the scenario's "
           "span) the share of the 1950 South held by the Communists and of the North held by the UN, "
           "against rounded readings of the real war (game/sim/arc.py; for tuning the balance). The arc "
           "error of a run is its mean distance from the reference points (0 = the real arc).</p>"]
    any_arc = False
    for sc in plan.scenarios:
        runs = [r for r in ok[sc.id] if r["arc_error"] is not None]
        if not runs:
            continue
        any_arc = True
        body = []
        for j, (when, ref_s, ref_n) in enumerate(REFERENCE):
            got = [(r["arc_south"][j], r["arc_north"][j]) for r in runs if r["arc_south"][j] is not None]
            if got:
                s_, n_ = np.mean(got, axis=0)
                err = np.mean([(abs(a - ref_s) + abs(b - ref_n)) / 2 for a, b in got])
                body.append([when, f"{ref_s:.0%} / {ref_n:.0%}", f"{s_:.0%} / {n_:.0%}", f"{err:.3f}"])
        m, lo, hi = mean_ci([r["arc_error"] for r in runs])
        seeds = []
        for r in sorted(runs, key=lambda r: r["seed"])[:MAX_LISTED]:
            pairs = zip(r["arc_south"], r["arc_north"], strict=True)
            cells = " ".join("-" if a is None else f"{a:.0%}/{b:.0%}" for a, b in pairs)
            seeds.append([str(r["seed"]), cells, f"{r['arc_error']:.3f}",
                          _e(f"{r['winner']} ({r['reason']}, {r['end']})")])
        out.append(f"<h3>{_e(sc.id)}</h3>"
                   + _table(["date", "reference: Communists hold of the South / UN of the North",
                             "mean of the runs", "mean error"], body)
                   + f"<p>Mean arc error <b>{_num(m, lo, hi, digits=3)}</b> over {len(runs)} runs.</p>"
                   + _details(f"each run ({min(len(runs), MAX_LISTED)} of {len(runs)}, by seed)",
                              _table(["seed", " ".join(d[2:7] for d, _, _ in REFERENCE), "error", "result"], seeds)))
    return "".join(out) if any_arc else ""


def _failures(by_sc) -> str:
    failed = [r for rs in by_sc.values() for r in rs if r["status"] != "ok"]
    if not failed:
        return "<h2>Failed runs</h2><p>None.</p>"
    body = [[_e(r["scenario"]), str(r["seed"]), _e(r["error"] or "")] for r in failed[:MAX_LISTED]]
    return (f"<h2>Failed runs</h2><p>{len(failed)} runs failed (recorded in runs.parquet with status "
            f"<code>error</code>; <code>--retry-failed</code> plays them again).</p>"
            + _table(["scenario", "seed", "error"], body))


# ------------------------------------------------------------------------------ helpers

def _present_outcomes(ok) -> list:
    seen = {r["winner"] for rs in ok.values() for r in rs}
    return [o for o in OUTCOMES if o in seen] + sorted(str(o) for o in seen - set(OUTCOMES))


def _card_stats(sc, runs) -> list:
    """[{id, title, k (runs it fired in), n, dates (its first firing in each)}], deck order."""
    first = {}
    for r in runs:
        seen = set()
        for cid, d in zip(r["cards"] or [], r["card_dates"] or [], strict=True):
            if cid not in seen:
                seen.add(cid)
                first.setdefault(cid, []).append(d)
    ids = list(sc.cards) + [c for c in first if c not in sc.cards]
    return [{"id": c, "title": sc.cards.get(c, c), "k": len(first.get(c, [])), "n": len(runs),
             "dates": first.get(c, [])} for c in ids] if runs else []


def _last_front(runs) -> list:
    out = []
    for r in runs:
        vals = [v for v in (r["front_mean_lat"] or []) if v is not None and math.isfinite(v)]
        out.append(vals[-1] if vals else None)
    return out


def _e(text) -> str:
    return html.escape(str(text))


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(head, body) -> str:
    if not body:
        return "<p class=muted>(nothing to show)</p>"
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    tr = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{tr}</tbody></table>"


def _img(data: str, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}">' if data else ""


def _details(summary: str, inner: str) -> str:
    return f"<details><summary>{_e(summary)}</summary>{inner}</details>"


def _share_of(k: int, n: int) -> str:
    """k of n as a share with its Wilson interval."""
    p, lo, hi = wilson(k, n)
    if math.isnan(p):
        return "-"
    return f"{p:.0%} <span class=muted>[{lo:.0%}, {hi:.0%}] ({k}/{n})</span>"


def _pp(d, lo, hi) -> str:
    mark = " ✱" if lo > 0 or hi < 0 else ""
    return f"{100 * d:+.1f} pp <span class=muted>[{100 * lo:+.1f}, {100 * hi:+.1f}]</span>{mark}"


def _num(m, lo, hi, digits: int = 1, mark: bool = False) -> str:
    if math.isnan(lo):
        return f"{m:.{digits}f}"
    star = " ✱" if mark and (lo > 0 or hi < 0) else ""
    return f"{m:.{digits}f} <span class=muted>[{lo:.{digits}f}, {hi:.{digits}f}]</span>{star}"


def _dates(dates) -> str:
    if not dates:
        return "never"
    o = np.percentile([d.toordinal() for d in dates], [25, 50, 75])
    d25, d50, d75 = (dt.date.fromordinal(int(round(x))) for x in o)
    return f"{d50} <span class=muted>({d25} to {d75})</span>"
