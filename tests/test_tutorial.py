"""docs/tutorial.md stays true: the blocks of each file it builds, put together in order, make a
scenario, a deck and a test that validate, play and pass."""

import io
import re
from pathlib import Path

import pytest

from game.scenario.loader import validate_file
from game.scenario.testfile import validate_test_file
from game.sim import simulate
from game.sim.scenario_tests import run_test_file
from game.sim.session import new_game

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory) -> Path:
    """The tutorial's files, written into a folder of their own."""
    folder = tmp_path_factory.mktemp("my_scenarios")
    files: dict[str, list[str]] = {}
    for block in re.findall(r"```yaml\n(.*?)```", DOC, re.S):
        m = re.match(r"# file: (\S+)", block)
        assert m, f"a yaml block of the tutorial names no file:\n{block}"
        files.setdefault(m.group(1), []).append(block)
    assert set(files) == {"kapyong.yaml", "kapyong_cards.yaml", "kapyong_test.yaml"}
    for name, blocks in files.items():
        (folder / name).write_text("".join(blocks))
    return folder


def test_the_tutorials_files_validate(tutorial):
    assert validate_file(tutorial / "kapyong.yaml") == []
    assert validate_file(tutorial / "kapyong_cards.yaml") == []
    assert validate_test_file(tutorial / "kapyong_test.yaml") == []


def test_the_mistake_it_shows_is_reported_as_it_says(tutorial, tmp_path):
    shown = re.search(r"it says\n`(units\.0\.nation: [^`]+)`", DOC).group(1)
    for name in ("kapyong_cards.yaml", "kapyong_test.yaml"):
        (tmp_path / name).write_text((tutorial / name).read_text())
    bad = tmp_path / "kapyong.yaml"
    bad.write_text((tutorial / "kapyong.yaml").read_text().replace("nation: AUS,", "nation: AUST,", 1))
    assert shown in [p.message for p in validate_file(bad)]


def test_the_tutorials_scenario_plays_and_its_test_passes(tutorial):
    game = new_game(tutorial / "kapyong.yaml", seed=1)
    simulate.run(game)
    assert game.state.over and game.state.result["summary"]
    out = io.StringIO()
    assert run_test_file(tutorial / "kapyong_test.yaml", out=out), out.getvalue()
