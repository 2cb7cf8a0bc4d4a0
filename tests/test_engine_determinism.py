"""Same scenario + seed => same game, across runs and across a save/load in the middle."""

import json
import subprocess
import sys

import numpy as np
import pytest

from game.sim import simulate
from game.sim.saves import SaveError, load_game, save_game
from game.sim.session import new_game


def play_out(game):
    simulate.run(game)
    return game.state.hash()


def test_same_seed_same_final_hash(small_front):
    a = play_out(new_game(small_front, seed=3))
    b = play_out(new_game(small_front, seed=3))
    assert a == b


def test_different_seeds_give_different_games(small_front):
    hashes = {play_out(new_game(small_front, seed=s)) for s in range(4)}
    assert len(hashes) > 1


def test_game_plays_from_first_to_last_turn(small_front):
    g = new_game(small_front, seed=1)
    simulate.run(g)
    st = g.state
    assert st.over and st.result["winner"] in ("un", "communist", "draw")
    assert len(st.history) == len(st.scenario.calendar) or st.result["reason"] != "the scenario's last turn ended"
    assert st.orders and any(o["type"] == "attack" for o in st.orders)


def test_save_load_mid_game_keeps_the_same_future(tmp_path, small_front):
    g = new_game(small_front, seed=5)
    simulate.run(g, until="1950-07-02")
    path = tmp_path / "mid.json"
    save_game(g, path)
    loaded = load_game(path)
    assert loaded.state.hash() == g.state.hash()
    assert play_out(loaded) == play_out(g)


def test_save_is_plain_json_written_atomically(tmp_path, small_front):
    g = new_game(small_front, seed=5)
    path = tmp_path / "s.json"
    save_game(g, path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "korea-war-save" and doc["version"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


@pytest.mark.parametrize("content, words", [
    ("not json at all", "not a readable save"),
    ('{"format": "something-else"}', "not a save file"),
    ('{"format": "korea-war-save/1", "scenario": "tests/scenarios/small_front.yaml"}', "older version"),
    ('{"format": "korea-war-save", "version": 2, "scenario": {"shipped": "pusan_perimeter"}}', "damaged"),
])
def test_corrupt_or_foreign_saves_give_clear_errors(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SaveError) as err:
        load_game(path)
    assert words in str(err.value)


def test_tampered_save_is_detected(tmp_path, small_front):
    g = new_game(small_front, seed=5)
    path = tmp_path / "s.json"
    save_game(g, path)
    doc = json.loads(path.read_text())
    doc["units"]["arrays"]["strength"][0] += 5
    path.write_text(json.dumps(doc))
    with pytest.raises(SaveError, match="checksum"):
        load_game(path)


def test_simulate_command_outputs(tmp_path, repo_root, small_front):
    out_json, out_npz, out_save = tmp_path / "r.json", tmp_path / "h.npz", tmp_path / "s.json"
    cmd = [sys.executable, str(repo_root / "main.py"), "simulate", str(small_front), "--seed", "2",
           "--json", str(out_json), "--history", str(out_npz), "--save", str(out_save)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=repo_root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line_ for line_ in proc.stdout.splitlines() if line_.startswith("turn")]
    res = json.loads(out_json.read_text())
    assert len(lines) == res["turns"] > 0
    assert set(res) >= {"scenario", "seed", "start", "end", "turns", "result", "events", "losses", "final_hash"}
    assert res["seed"] == 2 and res["start"] == "1950-06-25"
    # The scenario's last day, or the last day of the turn in which a side won outright.
    saved = load_game(out_save).state
    assert "1950-06-25" < res["end"] <= "1950-07-24"
    assert res["end"] == saved.scenario.calendar.turn_end(saved.turn).isoformat()
    assert set(res["result"]) >= {"winner", "reason", "vp"}
    h = np.load(out_npz)
    T, H = h["owner"].shape
    assert T == res["turns"] and h["dates"].shape == (T,) and h["owner"].dtype == np.int8
    assert h["lat"].shape == h["lon"].shape == h["land"].shape == h["terrain"].shape == (H,)
    assert set(np.unique(h["owner"])) <= {0, 1, 2}
    assert load_game(out_save).state.hash() == res["final_hash"]
    subprocess.run(cmd, capture_output=True, text=True, cwd=repo_root, timeout=120)
    assert json.loads(out_json.read_text())["final_hash"] == res["final_hash"]


def test_simulate_until_stops_early(tmp_path, small_front):
    g = new_game(small_front, seed=2)
    simulate.run(g, until="1950-07-01")
    assert not g.state.over
    assert g.state.date <= __import__("datetime").date(1950, 7, 4)
