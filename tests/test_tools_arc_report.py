"""The arc report reads a simulate --history file and gives monthly shares of ground held."""

from pathlib import Path

import numpy as np

from game.engine.mapdata import REGION
from game.sim.session import new_game
from game.sim.simulate import run, write_history
from game.tools.arc_report import arc_rows, main


def test_monthly_shares_from_synthetic_history():
    region = np.array([REGION["south"]] * 4 + [REGION["north"]] * 2 + [REGION["none"]])
    land = np.array([True] * 6 + [False])
    owner = np.array([
        [1, 1, 1, 1, 2, 2, 0],      # 1950-06-25: the start
        [2, 1, 1, 1, 2, 2, 0],      # 1950-06-28: same month, skipped
        [2, 2, 2, 1, 2, 2, 0],      # 1950-07-01
        [1, 1, 1, 1, 1, 2, 0],      # 1950-10-02
    ], dtype=np.int8)
    h = {"dates": np.array(["1950-06-25", "1950-06-28", "1950-07-01", "1950-10-02"]),
         "owner": owner, "region": region, "land": land}
    assert arc_rows(h) == [("1950-06-25", 0.0, 0.0), ("1950-07-01", 0.75, 0.0), ("1950-10-02", 0.0, 0.5)]
    assert len(arc_rows(h, "turn")) == 4


def test_report_from_a_real_history_file(tmp_path, capsys):
    game = new_game(Path(__file__).parent / "scenarios" / "small_front.yaml", seed=3)
    run(game)
    write_history(game, tmp_path / "h.npz")
    assert main([str(tmp_path / "h.npz")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| date | Communists hold of South Korea | UN holds of North Korea | front from the war")
    assert "| 1950-07-04 | The Han line breached |" in out
    assert "| 1953-07-27 | The Military Demarcation Line | - |" in out           # after the scenario
    assert "City checks right: " in out and "| Seoul | communist |" in out


def test_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "x.npz"
    bad.write_text("not numpy")
    assert main([str(bad)]) == 1
    assert "not a history file" in capsys.readouterr().err
