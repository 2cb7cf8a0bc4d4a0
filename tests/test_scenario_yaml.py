"""The safe YAML layer: YAML 1.2-style scalars, duplicate keys, marks, friendly syntax errors."""

import time

import pytest

from game.scenario import yamlsafe
from game.scenario.errors import Problem, ScenarioError
from game.scenario.yamlsafe import MDict, MList, parse_text


def problems(text, name="t.yaml"):
    with pytest.raises(ScenarioError) as info:
        parse_text(text, name)
    return info.value.problems


def one(text):
    probs = problems(text)
    assert len(probs) == 1, probs
    return probs[0]


def test_yes_no_on_off_stay_strings_and_only_true_false_are_booleans():
    data = parse_text("a: yes\nb: no\nc: on\nd: off\ne: Yes\nf: true\ng: false\nh: TRUE\ni: n\n", "t")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": "Yes",
                    "f": True, "g": False, "h": True, "i": "n"}


def test_dates_stay_strings_even_invalid_ones():
    data = parse_text("start: 1950-06-25\nbad: 1950-06-31\nts: 1950-06-25 10:00:00\n", "t")
    assert data == {"start": "1950-06-25", "bad": "1950-06-31", "ts": "1950-06-25 10:00:00"}


def test_yaml_12_numbers():
    data = parse_text("a: 1:30\nb: 010\nc: 0x1f\nd: 0o17\ne: 1.5\nf: -2\ng: 1e3\nh: 1_000\ni: ~\nj:\nk: .5\n", "t")
    assert data == {"a": "1:30", "b": 10, "c": 31, "d": 15, "e": 1.5, "f": -2, "g": 1000.0,
                    "h": "1_000", "i": None, "j": None, "k": 0.5}
    assert isinstance(data["b"], int) and isinstance(data["g"], float)


def test_quoted_values_are_strings():
    assert parse_text("a: '12'\nb: \"true\"\nc: !!str 5\n", "t") == {"a": "12", "b": "true", "c": "5"}


def test_marks_of_keys_values_and_items():
    text = "top:\n  key: value\n  list:\n    - 1\n    - {x: 2}\n"
    data = parse_text(text, "m.yaml")
    assert isinstance(data, MDict) and isinstance(data["top"]["list"], MList)
    top = data["top"]
    assert top.klocs["key"] == ("m.yaml", 2, 3)
    assert top.vlocs["key"] == ("m.yaml", 2, 8)
    assert top["list"].vlocs == [("m.yaml", 4, 7), ("m.yaml", 5, 7)]
    assert top["list"][1].vlocs["x"] == ("m.yaml", 5, 11)


def test_duplicate_key_reported_at_second_key():
    p = one("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n")
    assert (p.line, p.col) == (5, 3)
    assert "duplicate key 'c'" in p.message and "line 3" in p.message


def test_all_duplicate_keys_are_reported():
    probs = problems("a: 1\na: 2\nb: 1\nb: 2\n")
    assert [(p.line, p.col) for p in probs] == [(2, 1), (4, 1)]


@pytest.mark.parametrize("text, line, col, words", [
    ("a:\n  b: 1\n   c: 2\n", 3, 4, "bad indentation"),
    # indented too far, the line became more text of b's value: found only at the ':' a line
    # later, reported where the indentation went wrong
    ("a:\n  b: 1\n    c\n    d: 2\n", 3, 5, "so YAML reads it as more of that key's value"),
    ("units:\n  - id: a\n    name: x\n      side\n      nation: US\n", 4, 7, "bad indentation"),
    ("a:\n  b: 1\n c: 2\n", 3, 2, "bad indentation"),
    ("a:\n  - 1\n  b: 2\n", 3, 3, "bad indentation"),
    ("a:\n\tb: 1\n", 2, 1, "tab"),
    ('a: "hello\nb: 2\n', 1, 4, "unclosed quote"),
    ("a: 'hello\nb: 2\n", 1, 4, "unclosed quote"),
    ("a: [1, 2\nb: 3\n", 1, 4, "not closed"),
    ("a: {b: 1\n", 1, 4, "not closed"),
    ("a: 1\nb\nc: 2\n", 2, 1, "without ':'"),
    ("title: A: B\n", 1, 9, "quotes"),
    ("a: @x\n", 1, 4, "quotes"),
    ("a: *nope\n", 1, 4, "unknown alias '*nope'"),
    ("a: 1\n---\nb: 2\n", 2, 1, "one YAML document"),
    ("a: \x01\n", 1, 4, "control character"),
    ('a: "C:\\path"\n', 1, 7, "escape"),
])
def test_syntax_errors_have_line_col_and_a_sentence(text, line, col, words):
    p = one(text)
    assert (p.line, p.col) == (line, col), p
    assert words in p.message, p
    assert str(p) == f"t.yaml:{line}:{col}: {p.message}"


@pytest.mark.parametrize("text", ["a: !!python/object/apply:os.system ['true']\n",
                                  "a: !!python/name:os.system\n", "a: !foo 1\n",
                                  "a: !!timestamp 1950-01-01\n", "a: !!set {x, y}\n", "a: !!binary aGk=\n"])
def test_tags_are_refused(text):
    p = one(text)
    assert "not supported" in p.message and (p.line, p.col) == (1, 4)


def test_merge_keys_work_and_explicit_keys_win():
    data = parse_text("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", "t")
    assert data["d"] == {"x": 1, "y": 3}
    data["d"]["x"] = 5
    assert data["base"]["x"] == 1          # aliases become independent copies


def test_exponential_aliases_are_capped_quickly():
    rows = ["a: &a [x,x,x,x,x,x,x,x,x,x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    t = time.perf_counter()
    p = one("\n".join(rows) + "\n")
    assert "too many values" in p.message
    assert time.perf_counter() - t < 3


def test_recursive_alias_is_an_error():
    assert "loop" in one("a: &a [1, *a]\n").message


def test_empty_and_scalar_documents():
    assert parse_text("", "t") is None
    assert parse_text("# only a comment\n", "t") is None
    assert parse_text("- 1\n- 2\n", "t") == [1, 2]


def test_file_size_cap(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(ScenarioError) as info:
        yamlsafe.load_file(f, "big.yaml", max_bytes=1000)
    assert "file too big" in str(info.value) and str(info.value).startswith("big.yaml:1:1:")


def test_default_size_cap_is_5_mb():
    assert yamlsafe.MAX_BYTES == 5 * 1024 * 1024


def test_not_utf8_and_missing_file(tmp_path):
    f = tmp_path / "latin.yaml"
    f.write_bytes(b"a: 1\nname: Caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        yamlsafe.load_file(f, "latin.yaml")
    p = info.value.problems[0]
    assert (p.line, p.col) == (2, 10) and "UTF-8" in p.message
    with pytest.raises(ScenarioError) as info:
        yamlsafe.load_file(tmp_path / "none.yaml", "none.yaml")
    assert str(info.value) == "none.yaml:1:1: file not found"


def test_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.yaml"
    f.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert yamlsafe.load_file(f) == {"a": 1}


def test_problem_and_error_formatting():
    p = Problem("x.yaml", 3, 7, "boom")
    assert str(p) == "x.yaml:3:7: boom"
    err = ScenarioError([p, Problem("y.yaml", 1, 1, "bang")])
    assert str(err) == "x.yaml:3:7: boom\ny.yaml:1:1: bang"
    assert err.problems[1].path == "y.yaml"


def test_scenario_error_pickles():
    import pickle
    err = ScenarioError([Problem("x.yaml", 3, 7, "boom")])
    back = pickle.loads(pickle.dumps(err))
    assert back.problems == err.problems and str(back) == "x.yaml:3:7: boom"


def test_pure_python_loader_fallback(monkeypatch):
    import yaml
    slow = type("SlowLoader", (yaml.SafeLoader,), {"resolve": yamlsafe._Loader.resolve})
    monkeypatch.setattr(yamlsafe, "_Loader", slow)
    assert parse_text("a: yes\nb: 1950-06-25\nc: [1, 2.5, true, ~]\n", "t") == \
        {"a": "yes", "b": "1950-06-25", "c": [1, 2.5, True, None]}
    p = one("a: 1\na: 2\n")
    assert (p.line, p.col) == (2, 1)
    p = one("a:\n  b: 1\n c: 2\n")
    assert (p.line, p.col) == (3, 2) and "bad indentation" in p.message
