"""Checks that need the map run in `validate` and in every load, with line and column."""

import subprocess
import sys

BAD = """\
extends: korea_1950_1953
id: bad_one
title: "A broken what-if"
units:
  - {id: kpa_1_div, at: {lat: 37.0, lon: 124.2}}
reinforcements:
  - {id: us_24_div, at: Pusann}
ai:
  un: {hold: [{places: [Hamhung, Hungnm]}]}
control:
  uncovered: [{side: communist, steps: 2, areas: [{place: Taegoo, radius: 2}]}]
"""


def test_unknown_place_and_sea_hex_are_reported_with_line_and_column(tmp_path, repo_root):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    proc = subprocess.run([sys.executable, str(repo_root / "main.py"), "validate", str(path)],
                          capture_output=True, text=True, cwd=repo_root, timeout=60)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert f"{path}:5:25: units.3.at: kpa_1_div is placed on a sea hex (36.97 N, 124.17 E): move it onto land" in lines
    assert any(line_.startswith(f"{path}:7:25: ") and "unknown place 'Pusann': did you mean 'Pusan'?" in line_
               for line_ in lines)
    assert any(line_.startswith(f"{path}:9:34: ") and "ai.un.hold.0.places.1: unknown place 'Hungnm': did you mean "
               "'Hungnam'?" in line_ for line_ in lines), lines
    assert any(line_.startswith(f"{path}:11:59: ") and "control.uncovered.0.areas.0.place: unknown place 'Taegoo': "
               "did you mean 'Taegu'?" in line_ for line_ in lines), lines
    assert "Traceback" not in proc.stderr


def test_loading_the_bad_scenario_raises_the_same_problems(tmp_path):
    import pytest

    from game.scenario.loader import ScenarioError
    from game.sim.session import new_game
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(ScenarioError) as err:
        new_game(path)
    assert "sea hex" in str(err.value) and "Pusann" in str(err.value)
