"""include / extends composition, removal, cycles and path-escape protection."""

import os
from pathlib import Path

import pytest

from game.scenario import loader
from game.scenario.loader import ScenarioError, load_scenario_dict

DATA = Path(__file__).parent / "data" / "scenarios"
EXT = DATA / "extends"


def errors_of(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario_dict(path)
    return info.value.problems


def units_by_id(data, key="units"):
    return {u["id"]: u for u in data[key]}


def test_child_merges_over_parent_by_id():
    parent, _ = load_scenario_dict(EXT / "parent.yaml")
    child, source = load_scenario_dict(EXT / "child.yaml")
    assert child["id"] == "child" and child["title"] == "Child"
    units = units_by_id(child)
    # same id: deep-merged; the parent's other keys stay
    assert units["red_1"]["strength"] == 7 and units["red_1"]["at"] == "Northtown"
    # {id: X, remove: true} removed X; a new id is appended, in order
    assert [u["id"] for u in child["units"]] == ["red_1", "red_2", "blue_2"]
    # remove: [reinforcements.blue_mar, ai.un]
    assert [u["id"] for u in child["reinforcements"]] == ["blue_us"]
    assert child["ai"] == {"communist": {"aggression": 0.8, "attack_odds": 1.0}}
    # a mapping merges key by key, deep
    assert child["combat"]["river_shift"] == {"minor": 0, "major": -2}
    assert child["combat"]["odds"] == parent["combat"]["odds"]
    # a list without ids is replaced whole
    assert child["calendar"] == [{"from": "1950-06-25", "days": 7}]
    # map.places merge by name
    places = {p["name"]: p for p in child["map"]["places"]}
    assert places["Southtown"] == {"name": "Southtown", "at": [4, 3], "kind": "city", "vp": 5, "port": True}
    assert places["Midtown"]["at"] == [3, 3] and len(places) == 3
    # nothing of the composition keys is left
    assert not {"extends", "include", "remove"} & set(child)


def test_locations_follow_each_value_to_its_file():
    _, source = load_scenario_dict(EXT / "child.yaml")
    child_text = (EXT / "child.yaml").read_text().splitlines()
    parent_text = (EXT / "parent.yaml").read_text().splitlines()
    path, line, col = source.locate(("units", 0, "strength"))
    assert path.endswith("child.yaml") and "strength: 7" in child_text[line - 1]
    path, line, col = source.locate(("units", 0, "at"))
    assert path.endswith("parent.yaml") and parent_text[line - 1][col - 1:].startswith("Northtown")
    path, line, _ = source.locate(("combat", "river_shift", "major"))
    assert path.endswith("scenarios/rules/standard.yaml")


def test_grandchild_chains_extends():
    data, _ = load_scenario_dict(EXT / "grandchild.yaml")
    red_1 = units_by_id(data)["red_1"]
    assert (red_1["strength"], red_1["efficiency"]) == (7, 90)
    assert data["id"] == "grandchild" and data["title"] == "Child"


def test_cycles_are_detected():
    probs = errors_of(EXT / "cycle_a.yaml")
    assert len(probs) == 1
    p = probs[0]
    assert p.path.endswith("cycle_b.yaml") and (p.line, p.col) == (1, 10)
    assert "a cycle of extends/include" in p.message and "cycle_a.yaml -> " in p.message


def test_self_include_is_a_cycle(tmp_path):
    f = tmp_path / "me.yaml"
    f.write_text("include: [me.yaml]\nid: me\n")
    p = errors_of(f)[0]
    assert (p.line, p.col) == (1, 11) and "cycle" in p.message


def test_bad_remove_paths(tmp_path):
    probs = errors_of(EXT / "bad_remove.yaml")
    assert [(p.line, p.col) for p in probs] == [(2, 10), (4, 5)]
    assert probs[0].message == ("remove: 'reinforcements.blue_marines': no item with id 'blue_marines' in "
                                "reinforcements: did you mean 'blue_mar'?")
    assert probs[1].message == "units: nothing to remove: no id 'red_9' in the parent: did you mean 'red_2'?"
    f = tmp_path / "r.yaml"
    f.write_text("remove: [ai.un]\nid: r\n")
    assert "nothing to remove from" in errors_of(f)[0].message


def test_include_merges_under_and_own_keys_win(tmp_path):
    (tmp_path / "extra.yaml").write_text("movement: {stack_limit: 9}\ncombat: {loss_step: 2}\n")
    text = (DATA / "base.yaml").read_text().replace(
        "include: [rules/standard.yaml]", "include: [rules/standard.yaml, extra.yaml]\ncombat: {loss_step: 3}")
    (tmp_path / "s.yaml").write_text(text)
    data, source = load_scenario_dict(tmp_path / "s.yaml")
    assert data["movement"]["stack_limit"] == 9 and data["movement"]["road_main"] == 0.5
    assert data["combat"]["loss_step"] == 3
    assert source.locate(("movement", "stack_limit"))[0].endswith("extra.yaml")


def test_extends_by_bare_name_uses_the_shipped_folder(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    (shipped / "rules").mkdir(parents=True)
    for f in (loader.SCENARIOS_DIR / "rules").glob("*.yaml"):   # standard.yaml and its includes
        (shipped / "rules" / f.name).write_text(f.read_text())
    (shipped / "campaign.yaml").write_text((EXT / "parent.yaml").read_text())
    monkeypatch.setattr(loader, "SCENARIOS_DIR", shipped)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "what_if.yaml").write_text("extends: campaign\nid: what_if\nunits:\n  - {id: red_1, strength: 1}\n")
    data, _ = load_scenario_dict(mine / "what_if.yaml")
    assert units_by_id(data)["red_1"]["strength"] == 1 and data["title"] == "Parent"
    (mine / "typo.yaml").write_text("extends: campain\nid: typo\n")
    p = errors_of(mine / "typo.yaml")[0]
    assert p.message == ("extends: no shipped scenario 'campain' (looked for scenarios/campain.yaml): "
                         "did you mean 'campaign'?")
    assert (p.line, p.col) == (1, 10)


@pytest.mark.parametrize("ref, words", [
    ("../../etc/passwd", "points outside the scenario's folder"),
    ("../outside.yaml", "points outside the scenario's folder"),
    ("/etc/passwd", "is an absolute path"),
    ("~/secret.yaml", "is an absolute path"),
    ("C:/Windows/win.ini", "is an absolute path"),
    ("..\\..\\etc\\passwd", "write paths with '/'"),
    ("rules/standrd.yaml", "file not found: 'rules/standrd.yaml': did you mean 'standard.yaml'?"),
])
def test_references_must_stay_inside(tmp_path, ref, words):
    (tmp_path / "outside.yaml").write_text("id: outside\n")
    tree = tmp_path / "tree"
    (tree / "rules").mkdir(parents=True)
    (tree / "rules" / "standard.yaml").write_text("control: {radius: 2}\n")
    f = tree / "s.yaml"
    f.write_text(f"id: s\ninclude:\n  - {ref}\n")
    probs = errors_of(f)
    assert len(probs) == 1 and (probs[0].line, probs[0].col) == (3, 5)
    assert words in probs[0].message, probs[0]


def test_symlink_escape_is_refused(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(secret, tree / "link.yaml")
    f = tree / "s.yaml"
    f.write_text("id: s\nextends: link.yaml\n")
    p = errors_of(f)[0]
    assert (p.line, p.col) == (2, 10) and "points outside" in p.message


def test_deck_and_asset_paths_are_checked(tmp_path):
    text = (DATA / "base.yaml").read_text()
    f = tmp_path / "s.yaml"
    f.write_text(text.replace("units:\n", "decks: [../../etc/cards.yaml, missing.yaml]\nunits:\n", 1))
    probs = errors_of(f)
    assert [p.message.split(":")[0] for p in probs] == ["decks", "decks"]
    assert "points outside" in probs[0].message and "file not found" in probs[1].message
    f.write_text("id: s\nmap: {asset: /etc/map.npz}\n")
    assert "absolute path" in errors_of(f)[0].message
    f.write_text("id: s\nmap: {asset: no_such_map}\n")
    assert "no map asset 'no_such_map'" in errors_of(f)[0].message


def test_shipped_scenarios_folder_is_a_second_root(tmp_path):
    # tests/scenarios/small_front.yaml includes ../../scenarios/rules/standard.yaml
    data, _ = load_scenario_dict(Path(__file__).parent / "scenarios" / "small_front.yaml")
    assert data["id"] == "small_front"
