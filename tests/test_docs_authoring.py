"""The authors' references stay true: the generated list of places is current, the example test
file of docs/testing.md validates, and docs/saves.md names every field of a save and of
simulate --json."""

import re
from pathlib import Path

from game.scenario.testfile import validate_test_file
from game.sim import save_format
from game.tools.place_list import main as place_list

ROOT = Path(__file__).resolve().parents[1]


def test_the_list_of_places_is_current(capsys):
    assert place_list(["--check"]) == 0, capsys.readouterr().err


def test_the_list_of_places_is_written_from_the_map(tmp_path):
    out = tmp_path / "places.md"
    assert place_list(["--out", str(out)]) == 0
    text = out.read_text()
    assert "| Hagaru-ri | Changjin-up, Changjin-ŭp, Chosin, Chosin area | 40.384 | 127.249 | village |  | 2 |" in text
    assert text == (ROOT / "docs" / "places.md").read_text(encoding="utf-8")


def test_the_example_test_file_of_the_docs_validates(tmp_path):
    doc = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    example = [b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if b.startswith("# an example")][0]
    path = tmp_path / "example.yaml"
    path.write_text(example)
    assert validate_test_file(path) == []


def test_the_save_format_page_names_every_field():
    doc = (ROOT / "docs" / "saves.md").read_text(encoding="utf-8")
    for model in (save_format.SaveDoc, save_format.State, save_format.CardState, save_format.SideData):
        for name in model.model_fields:
            assert f"`{name}`" in doc, f"docs/saves.md does not name {model.__name__}.{name}"
    for key in ("scenario", "seed", "start", "end", "turns", "result", "events", "losses", "final_hash",
                "dates", "owner", "lat", "lon", "land", "terrain", "region", "korea", "last_day"):
        assert f"`{key}`" in doc


def test_the_card_snippets_of_the_docs_are_valid_cards():
    from game.scenario import cards
    from game.scenario.yamlsafe import parse_text, to_plain

    doc = (ROOT / "docs" / "cards.md").read_text(encoding="utf-8")
    head = "deck: t\ncards:\n  - id: x\n    title: X\n    text: T\n    source: S\n    historical: false\n"
    checked = 0
    for block in re.findall(r"```yaml\n(.*?)```", doc, re.S):
        if block.lstrip().startswith("- id:"):
            text = "deck: t\ncards:\n" + block
        elif block.startswith("    when:"):
            text = head + "    window: [1950-01-01, 1950-01-02]\n" + block + "    effects: [{set_flag: f}]\n"
        elif block.startswith("    effects:"):
            text = head + "    date: 1950-01-01\n" + block
        else:
            continue
        assert cards.validate_deck(to_plain(parse_text(text, "cards.md"))) == [], block
        checked += 1
    assert checked >= 5
