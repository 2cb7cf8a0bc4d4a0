"""`validate`: output format, exit codes, and no traceback for any bad file."""

import re
import subprocess
import sys
from pathlib import Path

from game.scenario import loader
from game.scenario.validate_cli import cli_validate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "scenarios"
LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")


def run(paths, capsys):
    code = cli_validate([str(p) for p in paths])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_valid_files_print_ok_and_exit_0(capsys):
    paths = [DATA / "base.yaml", DATA / "cards" / "good_deck.yaml",
             ROOT / "scenarios" / "examples" / "tiny_example.yaml"]
    code, lines, err = run(paths, capsys)
    assert code == 0 and err == ""
    assert lines == [f"OK {p}" for p in paths]


def test_bad_files_print_path_line_col_message_and_exit_1(capsys):
    paths = [DATA / "bad_date.yaml", DATA / "base.yaml", DATA / "cards" / "bad_deck.yaml"]
    code, lines, _ = run(paths, capsys)
    assert code == 1
    assert lines[0] == f"{DATA / 'bad_date.yaml'}:2:8: start: '1950-06-31' is not a real date (June has 30 days)"
    assert f"OK {DATA / 'base.yaml'}" in lines
    problem_lines = [ln for ln in lines if not ln.startswith("OK ")]
    assert len(problem_lines) >= 11
    for ln in problem_lines:
        m = LINE.match(ln)
        assert m and int(m["line"]) >= 1 and int(m["col"]) >= 1, ln


def test_relative_paths_are_printed_as_given(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, lines, _ = run(["tests/data/scenarios/bad_unknown_key.yaml"], capsys)
    assert code == 1
    assert lines == ["tests/data/scenarios/bad_unknown_key.yaml:2:1: unknown key 'reinforcments': "
                     "did you mean 'reinforcements'?"]


def test_any_bad_input_is_a_problem_line_not_a_traceback(tmp_path, capsys):
    files = {
        "binary.yaml": b"\x00\x01\x02\xff\xfe",
        "empty.yaml": b"",
        "list.yaml": b"- 1\n- 2\n",
        "scalar.yaml": b"just text\n",
        "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "nulls.yaml": b"id: ~\ntitle: ~\nunits: ~\nmap: ~\n",
        "weird.yaml": b"{1: 2, [a]: b}\n",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    paths = [tmp_path / n for n in files] + [tmp_path / "missing.yaml", tmp_path]
    code, lines, err = run(paths, capsys)
    assert code == 1 and "Traceback" not in err
    for ln in lines:
        assert LINE.match(ln), ln
    assert len({LINE.match(ln)["path"] for ln in lines}) == len(paths)


def test_internal_errors_are_caught(monkeypatch, capsys):
    def boom(*a, **k):
        raise RuntimeError("unexpected")
    monkeypatch.setattr(loader, "_load_scenario", boom)
    code, lines, _ = run([DATA / "base.yaml"], capsys)
    assert code == 1
    assert lines == [f"{DATA / 'base.yaml'}:1:1: internal error while checking this file: RuntimeError: unexpected"]


def test_no_paths_is_a_failure(capsys):
    assert cli_validate([]) == 1


def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "game.scenario.validate_cli",
                           "tests/data/scenarios/bad_strength.yaml", "tests/data/scenarios/base.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr == ""
    assert proc.stdout.splitlines() == [
        "tests/data/scenarios/bad_strength.yaml:3:27: units.0.strength: must be >= 1, not -2",
        "OK tests/data/scenarios/base.yaml"]


def test_unknown_terrain_conditions_and_effects_list_the_valid_names(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("extends: tiny_example.yaml\nid: s\ntitle: S\nterrain:\n  swamp: {move: 2, defense: 1}\n")
    for name in ("tiny_example.yaml", "tiny_example_cards.yaml"):
        (tmp_path / name).write_text((ROOT / "scenarios" / "examples" / name).read_text())
    deck = tmp_path / "d.yaml"
    deck.write_text("deck: d\ncards:\n  - id: a\n    title: A\n    window: [1950-07-01, 1950-07-02]\n"
                    "    when: {holds: {side: un, place: X}}\n    text: T\n    source: S\n    historical: false\n"
                    "    effects: [{victory_points: {side: un, points: 1}}]\n")
    code, lines, _ = run([scenario, deck], capsys)
    assert code == 1
    assert f"{scenario}:5:3: terrain: unknown terrain class 'swamp' (one of sea, clear, rough, mountain, marsh, " \
           "lake, urban)" in lines
    conditions = [ln for ln in lines if "unknown condition 'holds'" in ln][0]
    assert conditions.startswith(f"{deck}:6:12:") and "(the conditions: flag, controls, unit_near," in conditions
    effects = [ln for ln in lines if "unknown effect 'victory_points'" in ln][0]
    assert effects.startswith(f"{deck}:10:16:") and "(the effects: set_flag, clear_flag," in effects
    assert "trigger)" in effects
