"""docs/scenarios.md stays true: its complete example is the shipped file and validates,
and its what-if example composes over it."""

import re
import shutil
from pathlib import Path

from game.scenario.loader import load_scenario_dict, validate_paths

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "scenarios.md").read_text()
EXAMPLES = ROOT / "scenarios" / "examples"


def yaml_blocks():
    return re.findall(r"```yaml\n(.*?)```", DOC, re.S)


def test_doc_example_is_the_shipped_example():
    blocks = yaml_blocks()
    assert (EXAMPLES / "tiny_example.yaml").read_text() in blocks
    assert (EXAMPLES / "tiny_example_cards.yaml").read_text() in blocks


def test_shipped_example_and_campaign_validate():
    paths = [EXAMPLES / "tiny_example.yaml", EXAMPLES / "tiny_example_cards.yaml",
             ROOT / "scenarios" / "rules" / "standard.yaml"]
    campaign = ROOT / "scenarios" / "korea_1950_1953.yaml"
    if campaign.exists() and (ROOT / "assets" / "maps" / "korea_10km.npz").exists():
        paths.append(campaign)
    assert validate_paths(paths) == []


def test_doc_what_if_example(tmp_path):
    what_if = [b for b in yaml_blocks() if b.startswith("extends: tiny_example.yaml")][0]
    for name in ("tiny_example.yaml", "tiny_example_cards.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "what_if.yaml").write_text(what_if)
    data, source = load_scenario_dict(tmp_path / "what_if.yaml")
    assert data["id"] == "tiny_what_if" and data["reinforcements"] == [] and data["decks"] == []
    rok_1 = [u for u in data["units"] if u["id"] == "rok_1_div"][0]
    assert rok_1["strength"] == 11 and rok_1["at"] == "Munsan"
    assert data["combat"]["river_shift"] == {"minor": -1, "major": -3}
    assert source.locate(("units", 0, "at"))[0].endswith("tiny_example.yaml")
