"""Whatever ``validate`` accepts, the game plays; everything else ends in one clean message.

The hostile cases a new user or an attacker tried (issue 13): scenarios that validated and then
failed in play, inputs that exhausted memory or hung, tampered saves, bad command lines."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from game.scenario.loader import ScenarioError, validate_file
from game.sim import simulate
from game.sim.saves import SaveError, _checksum, load_game, save_game
from game.sim.session import new_game

SMALL_HEAD = "include: [../../scenarios/rules/standard.yaml]"


@pytest.fixture
def variant(tmp_path, small_front, repo_root):
    """``variant(old, new, extra="")``: the small front in tmp_path with ``old`` replaced by
    ``new`` and ``extra`` appended; returns its path."""
    shutil.copytree(repo_root / "scenarios" / "rules", tmp_path / "rules")
    base = small_front.read_text().replace(SMALL_HEAD, "include: [rules/standard.yaml]")

    def make(old="", new="", extra="", name="v.yaml"):
        text = base.replace(old, new) if old else base
        assert not old or old in base, old
        path = tmp_path / name
        path.write_text(text + extra)
        return path
    return make


def only_problems(path):
    problems = validate_file(path)
    assert problems, f"{path} validated"
    for p in problems:
        assert p.line >= 1 and "internal error" not in p.message, p
    return " ".join(str(p) for p in problems)


# --- scenarios that validated, then failed in play -------------------------------------------------
def test_a_strength_the_state_cannot_store_is_refused(variant):
    path = variant("type: infantry_division, strength: 8, at: [7, 4]",
                   "type: infantry_division, strength: 32768, at: [7, 4]")
    assert "units." in only_problems(path) and "must be <= 999" in only_problems(path)


def test_a_card_adding_an_impossible_unit_is_refused(tmp_path, variant):
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ncards:\n  - id: add\n    title: T\n    date: 1950-06-28\n    text: x\n"
                    "    source: s\n    historical: false\n    effects:\n      - add_units:\n"
                    "          - {id: giant, name: Giant, side: un, nation: US, type: infantry_division,\n"
                    "             strength: 40000, at: Southtown}\n")
    path = variant(extra="decks: [deck.yaml]\n")
    assert "deck.yaml:" in only_problems(path) and "must be <= 999" in only_problems(path)


@pytest.mark.parametrize("old,new,extra,words", [
    ("un: {aggression: 0.3, attack_odds: 2.0}", "un: {aggression: 0.3, attack_odds: null}", "",
     "attack_odds: must be a number"),
    ("", "", "supply:\n", "supply: must be a mapping"),
])
def test_nulls_where_numbers_or_sections_are_due_are_refused(variant, old, new, extra, words):
    path = variant(old, new, extra)
    assert words in only_problems(path)


def test_a_null_in_the_replacements_schedule_keeps_the_last_value_and_plays(variant):
    path = variant(extra="replacements:\n  schedule:\n    - {from: 1950-06-25, un: 2, communist: 1}\n"
                         "    - {from: 1950-07-01, un: null, communist: 3}\n")
    assert validate_file(path) == []
    game = new_game(path, seed=1)
    simulate.run(game)
    assert game.state.over


def test_two_decks_sharing_a_card_id_are_refused(tmp_path, variant):
    card = ("  - id: same\n    title: T\n    date: 1950-06-28\n    text: x\n    source: s\n"
            "    historical: false\n    effects: [{set_flag: f}]\n")
    (tmp_path / "a.yaml").write_text("deck: a\ncards:\n" + card)
    (tmp_path / "b.yaml").write_text("deck: b\ncards:\n" + card)
    path = variant(extra="decks: [a.yaml, b.yaml]\n")
    text = only_problems(path)
    assert "b.yaml:" in text and "unique across" in text


def test_enemy_units_in_one_hex_at_the_start_are_refused(variant):
    path = variant("type: infantry_division, strength: 10, at: [4, 4]}",
                   "type: infantry_division, strength: 10, at: [7, 4]}")
    assert "same hex as the enemy" in only_problems(path)


def test_no_shipped_scenario_starts_with_enemies_in_one_hex(repo_root):
    for path in sorted((repo_root / "scenarios").glob("*.yaml")):
        assert validate_file(path) == [], path


def test_an_authors_what_if_outside_the_scenarios_folder_plays(tmp_path):
    path = tmp_path / "elsewhere" / "my_whatif.yaml"
    path.parent.mkdir()
    path.write_text('extends: korea_1950_1953\nid: my_whatif\ntitle: "My what-if"\n')
    assert validate_file(path) == []
    game = new_game(path, seed=1)
    simulate.run(game, until="1950-07-20")
    assert game.state.fired and game.state.fired[0]["id"]       # the shipped deck plays too


# --- memory and time ------------------------------------------------------------------------------
def test_one_long_text_repeated_through_aliases_is_refused_quickly(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text('big: &b "' + "x" * 1_000_000 + '"\nmany: [' + ", ".join(["*b"] * 50) + "]\n")
    assert "too much text" in only_problems(path)


@pytest.mark.parametrize("fanout,levels", [(2, 16), (4, 10)])
def test_includes_fanning_out_are_capped(tmp_path, fanout, levels):
    for i in range(levels):
        inc = ", ".join([f"l{i + 1}.yaml"] * fanout) if i + 1 < levels else ""
        (tmp_path / f"l{i}.yaml").write_text(f"include: [{inc}]\n" if inc else "control: {radius: 2}\n")
    top = tmp_path / "top.yaml"
    top.write_text("id: x\ntitle: t\ninclude: [l0.yaml]\n")
    assert "read more than" in only_problems(top)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_as_a_scenario_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    assert "not a regular file" in only_problems(pipe)


# --- saves are untrusted input ------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path, small_front):
    game = new_game(small_front, seed=3)
    simulate.run(game, until="1950-07-01")
    path = tmp_path / "game.json"
    save_game(game, path)
    return game, path


def tamper(path, change, recompute=True):
    doc = json.loads(path.read_text())
    change(doc)
    if recompute:
        doc["checksum"] = _checksum(doc)
    path.write_text(json.dumps(doc))


def test_a_saved_game_loads_as_it_was(saved):
    game, path = saved
    assert load_game(path).state.hash() == game.state.hash()


@pytest.mark.parametrize("change,words", [
    (lambda d: d["state"].update(phase="bogus"), "state.phase"),
    (lambda d: d["units"]["arrays"]["strength"].__setitem__(0, 40000), "strength"),
    (lambda d: d["units"]["arrays"]["hex"].__setitem__(0, 10**6), "hex"),
    (lambda d: d["state"].update(turn=10**6), "turn"),
    (lambda d: d["state"]["rules_state"].update(naval={"bogus": 1}), "naval"),
    (lambda d: d["history"].append({"turn": "x"}), "history"),
    (lambda d: d.update(scenario={"path": "/dev/zero.yaml"}), "does not load"),
    (lambda d: d.update(scenario={"path": "../../outside.yaml"}), "outside the save's folder"),
    (lambda d: d.update(scenario={"shipped": "../etc"}), "not a shipped scenario"),
])
def test_a_tampered_save_with_a_recomputed_checksum_is_refused(saved, change, words):
    _, path = saved
    tamper(path, change)
    with pytest.raises(SaveError) as exc:
        load_game(path)
    assert words in str(exc.value) and "\n" not in str(exc.value).split(":", 1)[1].strip()[:1]


@pytest.mark.parametrize("field", ["history", "log", "orders", "owner_history", "start_hexes"])
def test_every_field_is_under_the_checksum(saved, field):
    _, path = saved
    tamper(path, lambda d: d.__setitem__(field, d[field][:-1] if d[field] else None), recompute=False)
    with pytest.raises(SaveError, match="checksum"):
        load_game(path)


def test_json_nested_deep_is_refused_without_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "korea-war-save", "x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(SaveError, match="nested more than"):
        load_game(path)


def test_a_save_of_an_older_version_says_so(saved):
    _, path = saved
    tamper(path, lambda d: d.update(format="korea-war-save/1", version=1))
    with pytest.raises(SaveError, match="older version"):
        load_game(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_as_a_save_is_refused_at_once(tmp_path):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    with pytest.raises(SaveError, match="not a regular file"):
        load_game(pipe)


def test_a_failed_write_leaves_no_temporary_file(saved, monkeypatch):
    game, path = saved
    folder = path.parent
    before = set(folder.iterdir())

    def broken(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr("game.sim.saves.os.replace", broken)
    with pytest.raises(OSError):
        save_game(game.state and game, folder / "again.json")
    assert set(folder.iterdir()) == before


# --- the command line --------------------------------------------------------------------------------
def cli(repo_root, *args):
    proc = subprocess.run([sys.executable, "main.py", *args], cwd=repo_root, capture_output=True, text=True,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("args,words", [
    (("--until", "notadate"), "not a date"),
    (("--until", "1950-02-30"), "February 1950 has 28 days"),
    (("--seed", "-1"), "a seed is a whole number from 0"),
    (("--ai", "nobody"), "no AI named 'nobody'"),
])
def test_bad_arguments_give_one_line(repo_root, args, words):
    code, out, err = cli(repo_root, "simulate", "pusan_perimeter", *args)
    assert code in (1, 2) and words in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_an_unwritable_output_fails_before_the_run(repo_root, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    code, out, err = cli(repo_root, "simulate", "korea_1950_1953", "--save", str(blocked / "out.json"))
    assert code == 1 and "cannot write here" in err and "turn" not in out


def test_validate_finds_shipped_scenarios_by_name(repo_root):
    code, out, err = cli(repo_root, "validate", "pusan_perimeter")
    assert code == 0 and out.strip() == "OK pusan_perimeter"


def test_a_bad_scenario_in_simulate_is_one_clean_message(variant):
    path = variant("type: infantry_division, strength: 8, at: [7, 4]",
                   "type: infantry_division, strength: -3, at: [7, 4]")
    with pytest.raises(ScenarioError) as exc:
        new_game(path)
    assert "must be >= 1" in str(exc.value)
