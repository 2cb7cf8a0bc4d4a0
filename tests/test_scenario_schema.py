"""Schema and cross-checks of scenarios: each kind of error with its exact line and column."""

from pathlib import Path

import pytest

from game.scenario import loader
from game.scenario.loader import ScenarioError, load_scenario_dict, register_check, unregister_check

DATA = Path(__file__).parent / "data" / "scenarios"
BASE = (DATA / "base.yaml").read_text()


def errors_of(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario_dict(path)
    return info.value.problems


def only(path):
    probs = errors_of(path)
    assert len(probs) == 1, "\n".join(map(str, probs))
    return probs[0]


def write(tmp_path, text, name="s.yaml"):
    f = tmp_path / name
    f.write_text(text)
    return f


def variant(tmp_path, old, new, count=1):
    assert BASE.count(old) >= 1, old
    return write(tmp_path, BASE.replace(old, new, count))


def line_of(text, needle):
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


# ------------------------------------------------------------------ the sample files

def test_base_is_valid_and_plain():
    data, source = load_scenario_dict(DATA / "base.yaml")
    assert type(data) is dict and type(data["units"]) is list and type(data["units"][0]) is dict
    assert data["id"] == "test_base" and data["start"] == "1950-06-25"
    assert data["unit_types"]["infantry_division"]["movement"] == 6      # from the include
    assert "include" not in data and "extends" not in data
    assert data["side_order"] == ["communist", "un"]                     # default filled in


@pytest.mark.parametrize("name, line, col, message", [
    ("bad_unknown_key", 2, 1, "unknown key 'reinforcments': did you mean 'reinforcements'?"),
    ("bad_date", 2, 8, "start: '1950-06-31' is not a real date (June has 30 days)"),
    ("bad_date_outside", 3, 27, "reinforcements.0.arrive: arrival date 1950-09-15 is outside the scenario "
                                "(1950-06-25 to 1950-08-31): change the date or drop the unit "
                                "(remove: [reinforcements.blue_us])"),
    ("bad_unit_type", 7, 11, "units.3.type: unknown unit type 'infantry_divison': did you mean 'infantry_division'?"),
    ("bad_duplicate_id", 3, 10, "reinforcements.1.id: duplicate unit id 'red_9' (already used by units.3)"),
    ("bad_withdrawal", 4, 12, "withdrawals.1.unit: no unit 'blue_uss' to withdraw: did you mean 'blue_us'?"),
    ("bad_strength", 3, 27, "units.0.strength: must be >= 1, not -2"),
    ("bad_duplicate_key", 5, 3, "duplicate key 'un' (first given at line 4, column 3)"),
    ("bad_yes_no", 4, 14, "movement.zoc_stops: must be true or false (yes/no/on/off are text here), not 'yes'"),
    ("bad_include_absolute", 2, 11, "include: '/etc/passwd' is an absolute path: write a path relative to this file"),
])
def test_sample_bad_files(name, line, col, message):
    p = only(DATA / f"{name}.yaml")
    assert p.path.endswith(f"{name}.yaml")
    assert (p.line, p.col, p.message) == (line, col, message)


def test_sample_bad_indent():
    p = only(DATA / "bad_indent.yaml")
    assert (p.line, p.col) == (6, 6)
    assert p.message.startswith("bad indentation") and "lines up with the keys above it" in p.message


def test_sample_bad_crt_code_says_row_and_column():
    p = only(DATA / "bad_crt.yaml")
    assert (p.line, p.col) == (4, 36)
    assert p.message.startswith("combat.table.3.4: bad result code 'A1 X1 R1' (die roll 3, odds column 5 (3:1)): "
                                "'X1' is not a result")


def test_sample_include_escape():
    p = only(DATA / "bad_include_escape.yaml")
    assert (p.line, p.col) == (4, 5)
    assert "'../../etc/passwd' points outside the scenario's folder" in p.message


def test_yes_no_values_stay_text(tmp_path):
    data, _ = load_scenario_dict(variant(tmp_path, 'title: "Loader test base"', "title: no"))
    assert data["title"] == "no"


# ------------------------------------------------------------------ schema errors

@pytest.mark.parametrize("old, new, needle, message", [
    ("strength: 10, at: Northtown", "strenght: 10, at: Northtown", "strenght",
     "units.0: unknown key 'strenght': did you mean 'strength'?"),
    ("  un: {aggression: 0.3", "  un: {agression: 0.3", "agression",
     "ai.un: unknown key 'agression': did you mean 'aggression'?"),
    ('title: "Loader test base"', 'title: "Loader test base"\ndescriptoin: x', "descriptoin",
     "unknown key 'descriptoin': did you mean 'description'?"),
    ("include: [rules/standard.yaml]", "includes: [rules/standard.yaml]", "includes",
     "unknown key 'includes': did you mean 'include'?"),
])
def test_unknown_keys_point_at_the_key(tmp_path, old, new, needle, message):
    f = variant(tmp_path, old, new)
    probs = errors_of(f)
    hit = [p for p in probs if p.message == message]
    assert hit, probs
    assert (hit[0].line, hit[0].col) == line_of(f.read_text(), needle)


@pytest.mark.parametrize("old, new, needle, message", [
    ("strength: 8, at: Southtown", "strength: '8', at: Southtown", "'8'",
     "units.2.strength: must be a whole number, not '8'"),
    ("strength: 8, at: Southtown", "strength: 8.5, at: Southtown", "8.5",
     "units.2.strength: must be a whole number, not 8.5"),
    ("side: un, nation: ROK", "side: UN, nation: ROK", "UN, nation",
     "units.2.side: must be one of un, communist, not 'UN': did you mean 'un'?"),
    ('color: "#3060c0"', "color: blue", "blue",
     'sides.un.color: must be a colour written "#rrggbb" (in quotes), not \'blue\''),
    ("end: 1950-08-31", "end: 1951-02-29", "1951-02-29",
     "end: '1951-02-29' is not a real date (February 1951 has 28 days)"),
    ("end: 1950-08-31", "end: 1950-13-01", "1950-13-01", "end: '1950-13-01' is not a real date (there is no month 13)"),
    ("end: 1950-08-31", "end: 1950-8-31", "1950-8-31",
     "end: '1950-8-31' is not a date: write it YYYY-MM-DD (e.g. 1950-06-25)"),
    ("end: 1950-08-31", "end: 19500831", "19500831", "end: must be a date written YYYY-MM-DD, not 19500831"),
    ("id: test_base", "id: Test-Base", "Test-Base",
     "id: 'Test-Base' is not a valid id: use only lowercase letters, digits and '_'"),
    ("at: [1, 4]}", "at: {lat: 38.1, lng: 127}}", "{lat: 38.1",
     "units.1.at: unknown key 'lng' in a location: did you mean 'lon'?"),
    ("at: [1, 4]}", "at: [1, -4]}", "[1, -4]",
     "units.1.at: must be a place name, {lat: .., lon: ..}, {row: .., col: ..} or [row, col]; a list must be "
     "[row, col] with two whole numbers >= 0"),
    ("  - {from: 1950-06-25, days: 3}", "  - {from: 1950-06-25, days: 0}", "0}",
     "calendar.0.days: must be >= 1, not 0"),
    ("  communist: {aggression: 0.8", "  communist: {aggression: 1.8", "1.8",
     "ai.communist.aggression: must be <= 1, not 1.8"),
    ("units:\n", "player: everyone\nunits:\n", "everyone",
     "player: must be one of un, communist, both, none, not 'everyone'"),
])
def test_value_errors_have_plain_messages(tmp_path, old, new, needle, message):
    f = variant(tmp_path, old, new)
    probs = errors_of(f)
    assert [p.message for p in probs] == [message]
    assert (probs[0].line, probs[0].col) == line_of(f.read_text(), needle)


def test_missing_required_key_and_missing_rules_hint(tmp_path):
    f = variant(tmp_path, 'title: "Loader test base"\n', "")
    assert [p.message for p in errors_of(f)] == ["missing required key 'title'"]
    f = variant(tmp_path, "include: [rules/standard.yaml]\n", "")
    msgs = [p.message for p in errors_of(f)]
    assert "missing required key 'combat' (add `include: [rules/standard.yaml]` to use the standard rules)" in msgs
    missing = [p for p in errors_of(f) if "combat" in p.message][0]
    assert (missing.line, missing.col) == (2, 1)        # the top mapping


def test_units_need_all_fields(tmp_path):
    f = variant(tmp_path, 'name: "Red 1st Division", ', "")
    p = only(f)
    assert p.message == "units.0: missing required key 'name'"
    assert (p.line, p.col) == line_of(f.read_text(), "{id: red_1")


# ------------------------------------------------------------------ cross-checks

def test_stragglers_must_name_the_scenarios_nations(tmp_path):
    f = write(tmp_path, BASE + 'replacements:\n  stragglers: [{nations: [ROK, ROKK], share: 0.5}]\n')
    p = only(f)
    assert p.message == "replacements.stragglers.0.nations.1: unknown nation 'ROKK': did you mean 'ROK'?"
    assert (p.line, p.col) == line_of(f.read_text(), "ROKK")


def test_air_exposure_must_name_the_scenarios_nations(tmp_path):
    f = write(tmp_path, BASE + 'air:\n  interdiction: {attrition: {un: 0.2}, exposure: {KPAA: 0.5}}\n')
    p = only(f)
    assert p.message == "air.interdiction.exposure.KPAA: unknown nation 'KPAA': did you mean 'KPA'?"
    assert (p.line, p.col) == line_of(f.read_text(), "0.5}}")     # the nation's entry


def test_uncovered_dates_must_be_in_order(tmp_path):
    entry = '{side: communist, steps: 3, from: "1950-07-15", until: "1950-07-01"}'
    f = write(tmp_path, BASE + f"control:\n  uncovered: [{entry}]\n")
    p = only(f)
    assert p.message == ("control.uncovered.0: 'from' (1950-07-15) is after 'until' (1950-07-01): "
                         "the entry would never apply; swap them")
    assert (p.line, p.col) == line_of(f.read_text(), "{side: communist, steps: 3")


def test_unknown_nation_and_side_mismatch(tmp_path):
    f = variant(tmp_path, "nation: KPA, type: infantry_division, strength: 10, at: Northtown",
                "nation: KPAA, type: infantry_division, strength: 10, at: Northtown")
    assert only(f).message == "units.0.nation: unknown nation 'KPAA': did you mean 'KPA'?"
    f = variant(tmp_path, "side: un, nation: ROK", "side: communist, nation: ROK")
    p = only(f)
    assert p.message == "units.2.side: blue_1 is communist but its nation ROK fights for un"
    assert (p.line, p.col) == line_of(f.read_text(), "communist, nation: ROK")


def test_calendar_rules(tmp_path):
    f = variant(tmp_path, "  - {from: 1950-06-25, days: 3}", "  - {from: 1950-06-26, days: 3}")
    p = only(f)
    assert p.message == "calendar.0.from: the first period must start on the start date 1950-06-25, not 1950-06-26"
    assert (p.line, p.col) == line_of(f.read_text(), "1950-06-26")
    f = variant(tmp_path, "  - {from: 1950-07-10, days: 7}", "  - {from: 1950-06-20, days: 7}")
    assert "must come after the period before it" in only(f).message
    f = variant(tmp_path, "  - {from: 1950-07-10, days: 7}", "  - {from: 1950-09-10, days: 7}")
    p = only(f)
    assert p.message == ("calendar.1.from: date 1950-09-10 is outside the scenario (1950-06-25 to 1950-08-31): "
                         "give the scenario a calendar of its own that fits its dates")
    f = variant(tmp_path, "end: 1950-08-31", "end: 1950-06-01")
    assert "end: 1950-06-01 must be after start (1950-06-25)" in [p.message for p in errors_of(f)]


def test_withdrawal_dates(tmp_path):
    f = variant(tmp_path, "  - {unit: red_2, date: 1950-08-01}", "  - {unit: red_2, date: 1950-09-01}")
    p = only(f)
    assert p.message == ("withdrawals.0.date: withdrawal date 1950-09-01 is outside the scenario "
                         "(1950-06-25 to 1950-08-31): change the date or leave it out (a scenario's "
                         "withdrawals list replaces its parent's whole)")
    assert (p.line, p.col) == line_of(f.read_text(), "1950-09-01")
    f = variant(tmp_path, "  - {unit: red_2, date: 1950-08-01}", "  - {unit: blue_us, date: 1950-06-28}")
    assert only(f).message == "withdrawals.0.date: blue_us would leave on 1950-06-28, before it arrives on 1950-07-01"


def test_require_sources(tmp_path):
    f = variant(tmp_path, "units:\n", "require_sources: true\nunits:\n")
    msgs = [p.message for p in errors_of(f)]
    assert "units.0: red_1 needs a 'source:' (this scenario sets require_sources)" in msgs
    assert len(msgs) == 5       # 3 units, 1 reinforcement, 1 withdrawal


def test_combat_table_shape(tmp_path):
    text = BASE.replace("ai:\n",
                        "combat:\n  odds: [1.0, 2.0, 1.5]\n  labels: ['1:1', '2:1']\n  table: {7: ['-']}\nai:\n")
    f = write(tmp_path, text)
    msgs = [p.message for p in errors_of(f)]
    assert "combat.odds.2: the odds must increase left to right (1.5 comes after 2)" in msgs
    assert "combat.labels: 2 labels for 3 odds columns" in msgs
    assert "combat.table: 7 is not a die roll (use 1 to 6)" in msgs


def test_crt_code_grammar():
    from game.scenario.checks import crt_code_problem
    for good in ["-", "A1", "D2 R1", "A1 D1 R1", " D9 "]:
        assert crt_code_problem(good) is None, good
    for bad in ["", "A0", "D10", "X1", "A1 A2", "- D1", "a1", "D1,R1"]:
        assert crt_code_problem(bad), bad


def test_inline_map_checks(tmp_path):
    f = variant(tmp_path, '    - "..cccrrm"', '    - "..cccrm"')
    p = only(f)
    assert p.message == "map.terrain.2: 7 letters, but grid.cols is 8"
    assert (p.line, p.col) == line_of(f.read_text(), '"..cccrm"')
    f = variant(tmp_path, '    - "..cccrrm"', '    - "..cxcrrm"')
    assert only(f).message.startswith("map.terrain.2: unknown letter 'x' at column 3")
    f = variant(tmp_path, "    - {name: Southtown, at: [4, 3]", "    - {name: Southtown, at: [4, 9]")
    assert only(f).message == "map.places.1.at: hex [4, 9] is outside the 6 x 8 map (rows 0-5, cols 0-7)"
    f = variant(tmp_path, "  places:\n",
                "  rivers:\n    - {name: R, edges: [[[1, 1], [1, 2]], [[1, 1], [3, 1]]]}\n  places:\n")
    p = only(f)
    assert p.message == "map.rivers.0.edges.1: [1, 1] and [3, 1] are not neighbouring hexes"
    f = variant(tmp_path, "  places:\n", "  roads:\n    - {hexes: [[0, 2], [1, 2], [3, 2]]}\n  places:\n")
    assert only(f).message.startswith("map.roads.0.hexes.2: [3, 2] does not touch the hex before it [1, 2]")
    f = variant(tmp_path, "at: Northtown}", "at: Nothtown}")
    assert only(f).message == "units.0.at: unknown place 'Nothtown': did you mean 'Northtown'?"
    f = variant(tmp_path, "  grid: {rows: 6", "  asset: korea_10km\n  grid: {rows: 6")
    assert "not used with a map asset" in errors_of(f)[0].message


def test_neighbours_match_the_engine_grid():
    from game.engine.hexgrid import GridSpec, HexGrid
    from game.scenario.checks import adjacent
    grid = HexGrid(GridSpec(rows=7, cols=7))
    for r in range(7):
        for c in range(7):
            for r2 in range(7):
                for c2 in range(7):
                    engine = grid.direction_to(int(grid.index(r, c)), int(grid.index(r2, c2))) >= 0
                    assert adjacent((r, c), (r2, c2)) == engine, (r, c, r2, c2)


# ------------------------------------------------------------------ source map and registered checks

def test_source_map_locates_values_in_the_file_they_came_from():
    data, source = load_scenario_dict(DATA / "base.yaml")
    line, _ = line_of(BASE, "{id: red_1,")
    assert source.locate(("units", 0, "at")) == (str(DATA / "base.yaml"), line,
                                                 BASE.splitlines()[line - 1].index("Northtown") + 1)
    path, line, col = source.locate(("combat", "table", 3, 2))
    assert path.endswith("scenarios/rules/standard.yaml") and line > 1
    assert source.locate("units.0.at") == source.locate(("units", 0, "at"))
    assert source.locate(("units", 0, "no_such_key", 5)) == source.locate(("units", 0))
    assert source.locate_key(("units",)) == (str(DATA / "base.yaml"), *line_of(BASE, "units:"))
    assert source.problem(("units", 1, "at"), "on a sea hex").message == "on a sea hex"
    red_2 = line_of(BASE, "{id: red_2,")[0]
    assert str(source.problem(("units", 1, "at"), "x")).startswith(f"{DATA / 'base.yaml'}:{red_2}:")


def test_registered_checks_run_after_the_schema(tmp_path):
    seen = []

    def no_red_2(data, source):
        seen.append(data["id"])
        return [source.problem(("units", i, "id"), "red_2 is not allowed")
                for i, u in enumerate(data["units"]) if u["id"] == "red_2"]

    register_check(no_red_2)
    register_check(no_red_2)            # idempotent
    try:
        p = only(DATA / "base.yaml")
        assert p.message == "red_2 is not allowed" and (p.line, p.col) == line_of(BASE, "red_2, name")
        assert seen == ["test_base"]
        assert loader.validate_paths([DATA / "base.yaml"])[0].message == "red_2 is not allowed"
        # a schema error stops before the registered checks
        seen.clear()
        errors_of(DATA / "bad_date.yaml")
        assert seen == []
    finally:
        unregister_check(no_red_2)
    load_scenario_dict(DATA / "base.yaml")


def test_a_crashing_check_becomes_a_problem():
    def broken(data, source):
        raise KeyError("boom")

    register_check(broken)
    try:
        p = only(DATA / "base.yaml")
        assert "internal error in check" in p.message and "KeyError" in p.message
    finally:
        unregister_check(broken)


def test_shipped_rules_load_as_an_include(tmp_path):
    data, source = load_scenario_dict(DATA / "base.yaml")
    import yaml
    raw = yaml.safe_load((loader.SCENARIOS_DIR / "rules" / "standard.yaml").read_text())
    for key in ("unit_types", "nations", "terrain", "movement", "combat", "supply", "control"):
        assert data[key] == raw[key], key
    assert loader.validate_paths([loader.SCENARIOS_DIR / "rules" / "standard.yaml"]) == []


def test_tiny_example_validates_and_builds():
    path = loader.SCENARIOS_DIR / "examples" / "tiny_example.yaml"
    data, source = load_scenario_dict(path)
    assert data["id"] == "tiny_example" and len(data["units"]) == 6
    assert source.resolved(("decks", 0)) == (path.parent / "tiny_example_cards.yaml").resolve()
    assert source.decks and source.decks[0][1]["deck"] == "tiny_example"
    from game.scenario.build import build_scenario, new_state
    new_state(build_scenario(data, path), seed=1)


def test_held_until_flag_entries(tmp_path):
    f = variant(tmp_path, "units:\n", "held_until_flag: {reds_come: [red_, blue_us, gren_*]}\nunits:\n")
    p = only(f)
    assert p.message == "held_until_flag.reds_come.2: 'gren_*' is not a unit id nor the start of one"
    assert (p.line, p.col) == line_of(f.read_text(), "gren_*")


def test_a_dated_supply_source_is_valid_and_a_bad_date_points_at_it(tmp_path):
    good = variant(tmp_path, "  communist: [Northtown]",
                   "  communist:\n    - Northtown\n    - {at: Southtown, from: 1950-07-01, until: 1950-12-31}")
    load_scenario_dict(good)
    bad_text = BASE.replace("  communist: [Northtown]",
                            "  communist:\n    - Northtown\n    - {at: Southtown, until: 1950-13-31}")
    p = only(write(tmp_path, bad_text, "bad.yaml"))
    assert (p.line, p.col) == line_of(bad_text, "1950-13-31")
    assert "until" in str(p)
