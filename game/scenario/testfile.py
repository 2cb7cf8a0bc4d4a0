"""Scenario test files (``python main.py test FILE``, docs/testing.md): their schema and loader.

A test file names a scenario, the seeds to play it with and what must come out, each with the
share of seeds it must hold in::

    scenario: korea_1950_1953          # a shipped name, or a path from this file's folder
    seeds: "1-8"                        # or [1, 2, 3]
    expect:
      - {date: 1950-09-30, side: un, holds: Seoul, in_at_least: 0.5}
      - {card: inchon_landing, fired_by: 1950-09-20}

It is read with the safe YAML loader and checked like a scenario: every problem comes back as
``file:line:col: message``, first against the schema below, then against the scenario itself
(its dates, places, cards, units and objectives). The runner is game/sim/scenario_tests.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from ..engine.paths import resolve_scenario
from ..engine.vocabulary import WINNERS
from .build import BuildError, build_scenario, locate
from .errors import Problem, ScenarioError, did_you_mean
from .loader import SourceMap, load_scenario_dict
from .schema import validate_part
from .types import Date, Id, Issue, Number, SideName, Strict, Text, dotted, to_date
from .yamlsafe import MDict, load_file

MAX_SEEDS = 1000
_SEED_RANGE = re.compile(r"^(\d+)-(\d+)$")
Share = Annotated[float, Field(ge=0, le=1)]
LEVELS = ("decisive", "marginal", "draw")
VALUES = ("vp", "will", "losses", "strength")


class Fire(Strict):
    card: Id
    date: Date


class Expectation(Strict):
    """One thing to check; which one is said by its subject key (see KINDS)."""
    date: Date | None = None
    side: SideName | None = None
    holds: Text | None = None
    controls_share_of: Literal["south", "north"] | None = None
    card: Id | None = None
    fired_by: Date | None = None
    winner: Literal[tuple(w for w in WINNERS if w != "score")] | None = None
    result_level: Literal[LEVELS] | None = None
    unit: Id | None = None
    eliminated_by: Date | None = None
    exited_by: Date | None = None
    objective: Id | None = None
    met: bool | None = None
    flag: Text | None = None
    var: Id | None = None
    value: Literal[VALUES] | None = None
    at_least: Number | None = None
    at_most: Number | None = None
    in_at_least: Share | None = None
    in_at_most: Share | None = None
    note: str | None = None


class ScenarioTestFile(Strict):
    scenario: Text
    description: str | None = None
    seeds: Annotated[list[Annotated[int, Field(ge=0, lt=2**63)]], Field(min_length=1, max_length=MAX_SEEDS)] | Text
    until: Date | None = None                # stop the runs after the turn containing this day
    ai: dict[SideName, Text] | None = None   # the AI of a side (names of game/ai/registry.py)
    fire: list[Fire] = []                    # cards forced to fire, as simulate --fire
    expect: list[Expectation] = Field(min_length=1)


# kind -> (its subject key, keys it needs, keys it may have besides in_at_least, in_at_most, note)
KINDS = {
    "holds": ("holds", ("date", "side"), ()),
    "share": ("controls_share_of", ("date", "side"), ("at_least", "at_most")),
    "card": ("card", ("fired_by",), ()),
    "result_level": ("result_level", (), ("winner", "date")),
    "winner": ("winner", (), ("date",)),
    "unit": ("unit", (), ("eliminated_by", "exited_by")),
    "objective": ("objective", (), ("met",)),
    "flag": ("flag", ("date",), ()),
    "var": ("var", ("date",), ("at_least", "at_most")),
    "value": ("value", ("date", "side"), ("at_least", "at_most")),
}
SUBJECTS = [subject for subject, _, _ in KINDS.values()]
COMMON = ("in_at_least", "in_at_most", "note")
BOUNDED = ("share", "var", "value")


def expectation_kind(item: dict) -> str | None:
    """Which kind an expectation is (``result_level`` may come with a ``winner``)."""
    if "result_level" in item:
        return "result_level"
    found = [kind for kind, (subject, _, _) in KINDS.items() if subject in item]
    return found[0] if len(found) == 1 else None


def _expectation_issues(item, path) -> list[Issue]:
    """The keys an expectation's kind needs and allows (the schema has checked the types)."""
    where = dotted(path)
    subjects = [s for s in SUBJECTS if s in item and not (s == "winner" and "result_level" in item)]
    if len(subjects) != 1:
        what = f"names {len(subjects)} ({', '.join(subjects)})" if subjects else "names none"
        return [Issue(path, f"{where}: an expectation names one thing to check, one of {', '.join(SUBJECTS)}; "
                            f"this one {what}")]
    kind = expectation_kind(item)
    subject, needs, may = KINDS[kind]
    out = [Issue(path, f"{where}: {subject!r} needs {key!r}") for key in needs if key not in item]
    for key in item:
        if key not in (subject, *needs, *may, *COMMON):
            out.append(Issue(path + (key,), f"{where}: {key!r} is not used with {subject!r}"
                                             f"{did_you_mean(key, [*needs, *may])}", key=True))
    if kind in BOUNDED and "at_least" not in item and "at_most" not in item:
        out.append(Issue(path, f"{where}: {subject!r} needs at_least, at_most or both"))
    if kind == "unit" and ("eliminated_by" in item) == ("exited_by" in item):
        out.append(Issue(path, f"{where}: 'unit' needs one of eliminated_by and exited_by"))
    if kind == "share":
        for key in ("at_least", "at_most"):
            if key in item and not 0 <= item[key] <= 1:
                out.append(Issue(path + (key,), f"{where}.{key}: a share is from 0 to 1, not {item[key]}"))
    lo, hi = item.get("in_at_least"), item.get("in_at_most")
    if lo is not None and hi is not None and lo > hi:
        out.append(Issue(path + ("in_at_most",), f"{where}: in_at_most ({hi}) is below in_at_least ({lo})"))
    return out


def seed_list(seeds) -> list[int]:
    """The seeds a test file gives: a list, or ``"A-B"`` for A to B inclusive."""
    if isinstance(seeds, list):
        return list(seeds)
    m = _SEED_RANGE.match(seeds.strip())
    return list(range(int(m.group(1)), int(m.group(2)) + 1)) if m else []


def _seed_issues(seeds) -> list[Issue]:
    if isinstance(seeds, list):
        return []
    m = _SEED_RANGE.match(seeds.strip())
    if not m:
        return [Issue(("seeds",), f"seeds: write a list [1, 2, 3] or a range \"1-8\", not {seeds!r}")]
    first, last = int(m.group(1)), int(m.group(2))
    if last < first:
        return [Issue(("seeds",), f"seeds: the range {seeds!r} ends before it starts")]
    if last - first + 1 > MAX_SEEDS:
        return [Issue(("seeds",), f"seeds: {last - first + 1} seeds; at most {MAX_SEEDS}")]
    return []


def validate_test(data) -> list[Issue]:
    """Schema and internal consistency of a test file (no scenario needed)."""
    issues = validate_part(ScenarioTestFile, data, ())
    if not isinstance(data, dict):
        return issues
    if isinstance(data.get("seeds"), str):
        issues += _seed_issues(data["seeds"])
    for i, item in enumerate(data.get("expect") or []):
        if isinstance(item, dict):
            issues += _expectation_issues(item, ("expect", i))
    return issues


def is_test_file(raw) -> bool:
    return isinstance(raw, dict) and "scenario" in raw and "expect" in raw


def scenario_path(value: str, test_path: Path) -> Path:
    """The scenario a test file names: a path from the test file's folder, else a shipped name."""
    near = test_path.parent / value
    return near if near.is_file() else resolve_scenario(value)


# ------------------------------------------------------------------------------ with the scenario

def _against_scenario(data: dict, scenario) -> list[Issue]:
    """Dates inside the scenario (and the runs), places on its map, its cards, units and objectives."""
    out: list[Issue] = []
    cal = scenario.calendar
    first, last = cal.turn_start(0), cal.end
    until = to_date(data["until"]) if data.get("until") else None
    if until is not None and not first <= until <= last:
        out.append(Issue(("until",), f"until: {data['until']} is outside the scenario ({first} to {last})"))
        until = None
    cards = {c["id"] for deck in scenario.decks for c in deck.get("cards") or []}
    units = {u["id"] for key in ("units", "reinforcements") for u in scenario.data.get(key) or []}
    objectives = [o.id for o in scenario.config.victory.objectives]

    def day(path, value):
        d = to_date(value)
        if not first <= d <= last:
            out.append(Issue(path, f"{dotted(path)}: {value} is outside the scenario ({first} to {last})"))
        elif until is not None and d > until:
            out.append(Issue(path, f"{dotted(path)}: {value} is after 'until' ({until}): the runs stop before it"))

    def known(path, value, names, what):
        if value not in names:
            out.append(Issue(path, f"{dotted(path)}: no {what} {value!r} in {scenario.id}{did_you_mean(value, names)}"))

    for i, f in enumerate(data.get("fire") or []):
        known(("fire", i, "card"), f["card"], cards, "card")
        day(("fire", i, "date"), f["date"])
    for i, item in enumerate(data["expect"]):
        path = ("expect", i)
        for key in ("date", "fired_by", "eliminated_by", "exited_by"):
            if item.get(key) is not None:
                day(path + (key,), item[key])
        if "holds" in item:
            try:
                locate(scenario.map, item["holds"], path + ("holds",))
            except BuildError as exc:
                out.append(Issue(path + ("holds",), f"{dotted(path)}.holds: {exc.message}"))
        if "card" in item:
            known(path + ("card",), item["card"], cards, "card")
        if "unit" in item:
            known(path + ("unit",), item["unit"], units, "unit")
        if "objective" in item:
            known(path + ("objective",), item["objective"], objectives, "objective")
    return out


def load_test_file(path) -> tuple[dict, SourceMap, Path]:
    """Load and check a scenario test file: ``(data, source map, scenario path)``; every problem
    (its own or against its scenario) raises ScenarioError with file:line:col."""
    path = Path(path)
    display = os.fspath(path)
    raw = load_file(path, display)
    if not isinstance(raw, MDict):
        raise ScenarioError([Problem(display, 1, 1, "a scenario test is a mapping with 'scenario:', 'seeds:' "
                                                    "and 'expect:' (docs/testing.md)")])
    source = SourceMap(display)
    source._values[()] = raw.loc
    data = source._record(raw)
    issues = validate_test(data)
    if issues:
        raise ScenarioError(sorted(source.problem(i.path, i.message, key=i.key) for i in issues))
    target = scenario_path(data["scenario"], path)
    try:
        scenario_data, scenario_source = load_scenario_dict(target)
        scenario = build_scenario(scenario_data, target, [deck for _, deck, _ in scenario_source.decks])
    except ScenarioError as exc:
        first = source.problem(("scenario",), f"scenario: {data['scenario']!r} does not load:")
        raise ScenarioError([first, *exc.problems]) from None
    except BuildError as exc:
        raise ScenarioError([source.problem(("scenario",), f"scenario: {data['scenario']!r} does not build: "
                                                           f"{exc.message}")]) from None
    issues = _against_scenario(data, scenario)
    if issues:
        raise ScenarioError(sorted(source.problem(i.path, i.message, key=i.key) for i in issues))
    return data, source, target


def validate_test_file(path) -> list[Problem]:
    """Every problem of a scenario test file (empty if it is valid); never raises."""
    try:
        load_test_file(path)
    except ScenarioError as exc:
        return exc.problems
    except Exception as exc:   # never a traceback for a bad file
        return [Problem(os.fspath(path), 1, 1, f"internal error while checking this file: {type(exc).__name__}: {exc}")]
    return []
