"""Property: any mutation of a valid scenario or deck gives a valid dict or a ScenarioError
whose problems all have a real location - never another exception, never an internal error."""

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.scenario.loader import ScenarioError, load_deck_dict, load_scenario_dict, validate_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "examples" / "tiny_example.yaml"
DECK = ROOT / "scenarios" / "examples" / "tiny_example_cards.yaml"
SCENARIO_TEXT = EXAMPLE.read_text()
DECK_TEXT = DECK.read_text()
CHARS = list(":- \t\"'[]{}#&*!|>%@`,?x0\n.é\\") + ["\x00", "yes", "1950-02-30", "- ", ": "]
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("mutants")
    shutil.copy(DECK, d / DECK.name)
    return d


@st.composite
def mutated(draw, text):
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "char", "swap", "indent"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "indent":
        lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
    elif kind == "char":
        line = lines[i]
        pos = draw(st.integers(0, len(line)))
        new = draw(st.sampled_from(CHARS))
        lines[i] = line[:pos] + new + line[pos + 1:]
    else:
        pairs = [n for n, ln in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+: \S", ln)]
        a, b = draw(st.sampled_from(pairs)), draw(st.sampled_from(pairs))
        va, vb = lines[a].split(": ", 1), lines[b].split(": ", 1)
        lines[a], lines[b] = va[0] + ": " + vb[1], vb[0] + ": " + va[1]
    return "\n".join(lines)


def check(path, loader_fn):
    try:
        data, source = loader_fn(path)
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.line >= 1 and p.col >= 1 and p.message, p
            assert "internal error" not in p.message, p
        return
    assert isinstance(data, dict) and isinstance(source.locate(()), tuple)


@SETTINGS
@given(text=mutated(SCENARIO_TEXT))
def test_mutated_scenarios_never_crash(workdir, text):
    f = workdir / "tiny_example.yaml"
    f.write_text(text, encoding="utf-8")
    check(f, load_scenario_dict)


@SETTINGS
@given(text=mutated(DECK_TEXT))
def test_mutated_decks_never_crash(workdir, text):
    f = workdir / "deck.yaml"
    f.write_text(text, encoding="utf-8")
    check(f, load_deck_dict)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(text=st.text(alphabet=st.sampled_from(list("ab: -[]{}\n\t'\"#&*!,1")), max_size=80))
def test_random_yaml_never_crashes(tmp_path_factory, text):
    f = tmp_path_factory.getbasetemp() / "random.yaml"
    f.write_text(text, encoding="utf-8")
    for p in validate_file(f):
        assert p.line >= 1 and p.col >= 1 and "internal error" not in p.message, p
