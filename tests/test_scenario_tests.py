"""Scenario tests (python main.py test, docs/testing.md): the runner, its messages, and every
shipped scenario's own test file (the long ones are slow)."""

import io
from pathlib import Path

import pytest

from game.cli import main
from game.scenario.testfile import load_test_file, validate_test_file
from game.sim.scenario_tests import play_all, run_test_file

ROOT = Path(__file__).resolve().parents[1]
TESTS = sorted((ROOT / "scenarios" / "tests").glob("*.yaml"))


def test_every_shipped_scenario_has_a_test_file():
    scenarios = {p.stem for p in (ROOT / "scenarios").glob("*.yaml")} | {"tiny_example"}
    assert scenarios <= {p.stem for p in TESTS}


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.slow) for p in TESTS],
                         ids=lambda p: p.stem)
def test_shipped_scenario_tests_pass(path):
    out = io.StringIO()
    assert run_test_file(path, workers=2, out=out), out.getvalue()


def _write(tmp_path, text, name="t.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_failed_expectation_is_located_and_counted(tmp_path, capsys):
    path = _write(tmp_path, "scenario: chosin_reservoir\nseeds: [1, 2]\nexpect:\n"
                            "  - {card: ninth_army_group_strikes, fired_by: 1950-11-27}\n"
                            "  - {date: 1950-11-28, side: communist, holds: Hamhung}\n"
                            "  - {winner: un, in_at_least: 0.5, in_at_most: 0.5}\n")
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:5:5: expectation failed: communist holds Hamhung on 1950-11-28 (0 of 2 seeds; " \
           "needs at least 100%)" in out
    assert "4:5:" not in out
    assert f"{path}: 1 of 3 expectations met over 2 seeds of chosin_reservoir" in out or \
           f"{path}: 2 of 3 expectations met over 2 seeds of chosin_reservoir" in out


def test_passing_tests_exit_0_and_verbose_lists_every_expectation(tmp_path, capsys):
    path = _write(tmp_path, "scenario: chosin_reservoir\nseeds: \"1-2\"\nexpect:\n"
                            "  - {card: ninth_army_group_strikes, fired_by: 1950-11-27}\n"
                            "  - {date: 1950-11-28, side: communist, holds: Hamhung, in_at_most: 0}\n")
    assert main(["test", str(path), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert f"{path}:4:5: ok: card ninth_army_group_strikes fired by 1950-11-27 (2 of 2 seeds; needs at least 100%)" \
        in out
    assert f"{path}:5:5: ok: communist holds Hamhung on 1950-11-28 (0 of 2 seeds; at most 0%)" in out


@pytest.mark.slow
def test_workers_give_the_same_games(tmp_path):
    data, _, scenario = load_test_file(ROOT / "scenarios" / "tests" / "chosin_reservoir.yaml")
    tasks = [{"scenario": str(scenario), "seed": s, "until": "1950-12-03", "fire": [], "ai": {},
              "expect": data["expect"]} for s in (1, 2, 3)]
    assert play_all(tasks, 1) == play_all(tasks, 2)


@pytest.mark.parametrize("text, where, message", [
    ("scenario: chosin_reservoir\nseeds: \"8-1\"\nexpect:\n  - {winner: un}\n",
     (2, 8), "seeds: the range '8-1' ends before it starts"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {winner: comunist}\n",
     (4, 14), "expect.0.winner: must be one of un, communist, draw, not 'comunist': did you mean 'communist'?"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {date: 1950-12-01, side: un, holds: Koto-ri, card: x}\n",
     (4, 5), "expect.0: an expectation names one thing to check"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {date: 1950-12-01, side: un, holds: Koto-ri, by: 1}\n",
     (4, 50), "expect.0: unknown key 'by'"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {side: un, holds: Koto-ri}\n",
     (4, 5), "expect.0: 'holds' needs 'date'"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {date: 1950-12-01, side: un, controls_share_of: north}\n",
     (4, 5), "expect.0: 'controls_share_of' needs at_least, at_most or both"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {winner: un, fired_by: 1950-12-01}\n",
     (4, 18), "expect.0: 'fired_by' is not used with 'winner'"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {date: 1950-12-01, side: un, holds: Kotori}\n",
     (4, 41), "expect.0.holds: unknown place 'Kotori': did you mean 'Koto-ri'?"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {date: 1950-12-01, side: un, holds: Pusan}\n",
     (4, 41), "expect.0.holds: 'Pusan' lies outside the map's crop"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {card: bridge_blow, fired_by: 1950-12-04}\n",
     (4, 12), "expect.0.card: no card 'bridge_blow' in chosin_reservoir: did you mean 'bridge_blown'?"),
    ("scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {unit: us_rct_31, eliminated_by: 1951-01-01}\n",
     (4, 38), "expect.0.eliminated_by: 1951-01-01 is outside the scenario (1950-11-27 to 1950-12-15)"),
    ("scenario: chosin_reservoir\nseeds: [1]\nuntil: 1950-12-01\nexpect:\n  - {objective: hold_hagaru}\n",
     (5, 17), "expect.0.objective: no objective 'hold_hagaru' in chosin_reservoir: did you mean 'hold_hagaru_ri'?"),
    ("scenario: chosin_reservoir\nseeds: [1]\nuntil: 1950-12-01\nexpect:\n"
     "  - {date: 1950-12-05, side: un, holds: Koto-ri}\n",
     (5, 12), "expect.0.date: 1950-12-05 is after 'until' (1950-12-01): the runs stop before it"),
    ("scenario: nowhere\nseeds: [1]\nexpect:\n  - {winner: un}\n",
     (1, 11), "scenario: 'nowhere' does not load:"),
])
def test_bad_test_files_get_located_errors(tmp_path, text, where, message):
    problems = validate_test_file(_write(tmp_path, text))
    got = {(p.line, p.col): p.message for p in problems}
    assert any(m.startswith(message) and loc == where for loc, m in got.items()), got


def test_validate_recognises_a_test_file(tmp_path, capsys):
    good = ROOT / "scenarios" / "tests" / "chosin_reservoir.yaml"
    bad = _write(tmp_path, "scenario: chosin_reservoir\nseeds: [1]\nexpect:\n  - {winner: nobody}\n")
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"OK {good}" in out and f"{bad}:4:14: expect.0.winner: must be one of" in out


def test_a_run_that_fails_is_reported_with_its_seed(tmp_path, monkeypatch, capsys):
    from game.sim import scenario_tests

    def boom(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(scenario_tests.simulate, "run", boom)
    path = _write(tmp_path, "scenario: chosin_reservoir\nseeds: [3]\nexpect:\n  - {winner: un, in_at_least: 0}\n")
    assert main(["test", str(path)]) == 1
    assert f"{path}: seed 3: the run failed: RuntimeError: boom" in capsys.readouterr().out


def test_an_unknown_ai_is_located(tmp_path, capsys):
    path = _write(tmp_path, "scenario: chosin_reservoir\nseeds: [1]\nai: {un: clever}\nexpect:\n  - {winner: un}\n")
    assert main(["test", str(path)]) == 1
    assert f"{path}:3:5: ai: no AI named 'clever'" in capsys.readouterr().out
