"""Loading and validating a ~300-unit scenario with the rules include stays well under 300 ms."""

import time

from game.scenario.loader import load_scenario_dict


def synthetic(tmp_path, n_units=200, n_reinf=100, n_cards=100):
    rows, cols = 40, 30
    lines = ["id: perf", "title: Perf", "start: 1950-06-25", "end: 1953-07-27",
             "calendar:", "  - {from: 1950-06-25, days: 3}", "  - {from: 1951-07-01, days: 14}",
             "sides:", '  un: {name: UN, color: "#3060c0"}', '  communist: {name: Reds, color: "#c03030"}',
             "include: [rules/standard.yaml]", "decks: [perf_cards.yaml]", "map:",
             f"  grid: {{rows: {rows}, cols: {cols}}}", "  terrain:"]
    lines += [f'    - "{("c" * cols)}"' for _ in range(rows)]
    lines += ["  places:"] + [f"    - {{name: P{i}, at: [{i}, 1], kind: town}}" for i in range(rows)]
    lines.append("units:")
    for i in range(n_units):
        side, nation = ("un", "US") if i % 2 else ("communist", "CPV")
        at = f"P{(i // 2) % rows}" if side == "communist" else f"[{i % rows}, {20 + (i // rows) % 5}]"
        lines += [f"  - id: u{i}", f'    name: "Unit {i}"', f"    side: {side}", f"    nation: {nation}",
                  "    type: infantry_division", f"    strength: {1 + i % 12}", f"    at: {at}",
                  '    source: "synthetic"']
    lines.append("reinforcements:")
    for i in range(n_reinf):
        lines.append(f"  - {{id: r{i}, name: R{i}, side: un, nation: ROK, type: infantry_brigade, strength: 3, "
                     f"at: {{row: {i % rows}, col: 3}}, arrive: 1951-0{1 + i % 9}-1{i % 9}, source: s}}")
    lines.append("withdrawals:")
    lines += [f"  - {{unit: r{i}, date: 1952-0{1 + i % 9}-20}}" for i in range(0, n_reinf, 3)]
    (tmp_path / "perf.yaml").write_text("\n".join(lines) + "\n")
    cards = ["deck: perf", "cards:"]
    for i in range(n_cards):
        cards += [f"  - id: c{i}", f"    title: Card {i}", "    window: [1950-07-01, 1953-07-01]",
                  f"    when: {{all: [{{flag: f{i}}}, {{not: {{on_map: u{i}}}}}]}}", "    text: x",
                  "    source: s", "    historical: true", "    effects:",
                  f"      - release_units: [r{i % n_reinf}]", f"      - vp: {{side: un, points: {i % 5}}}"]
    (tmp_path / "perf_cards.yaml").write_text("\n".join(cards) + "\n")
    return tmp_path / "perf.yaml"


def test_300_units_load_fast(tmp_path):
    path = synthetic(tmp_path)
    data, source = load_scenario_dict(path)           # warm-up (imports, pydantic schemas)
    assert len(data["units"]) + len(data["reinforcements"]) == 300
    best = min(_timed(path) for _ in range(3))
    assert best < 0.3, f"{best * 1000:.0f} ms"


def _timed(path):
    t = time.perf_counter()
    load_scenario_dict(path)
    return time.perf_counter() - t
