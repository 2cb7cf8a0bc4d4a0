"""What a batch runs: its scenarios (loaded once in the parent, so a bad name or file is a
one-line error before any worker starts), its seeds and its AI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..events.deck import scenario_decks
from ..sim.session import load_scenario
from .errors import BatchError
from .rows import Task


@dataclass(frozen=True)
class ScenarioInfo:
    id: str
    title: str
    source: str          # a shipped scenario's name, or a file's absolute path
    start: dt.date
    end: dt.date
    cards: dict          # {card id: title}, in deck order: every card that could fire
    benchmark: str = "history"   # what its margin is measured against (victory.benchmark.name)


@dataclass(frozen=True)
class Plan:
    scenarios: tuple     # of ScenarioInfo; the first is the base of the what-ifs
    seeds: range
    ai: dict             # {side name: AI name}

    def tasks(self):
        """Every run, seed by seed (all scenarios of a seed together: an interrupted batch
        leaves every scenario with about as many runs)."""
        for seed in self.seeds:
            for sc in self.scenarios:
                yield Task(sc.id, sc.source, seed, self.ai)

    def __len__(self) -> int:
        return len(self.seeds) * len(self.scenarios)

    def covers(self, scenario: str, seed: int) -> bool:
        return seed in self.seeds and any(sc.id == scenario for sc in self.scenarios)


def make_plan(names, runs: int, first_seed: int, ai: dict) -> Plan:
    if runs < 1:
        raise BatchError(f"--runs {runs}: give at least 1")
    if first_seed < 0:
        raise BatchError(f"--first-seed {first_seed}: seeds are 0 or more")
    infos = tuple(scenario_info(n) for n in names)
    ids = [sc.id for sc in infos]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BatchError(f"scenario id {twice[0]!r} is given twice: each scenario once")
    return Plan(infos, range(first_seed, first_seed + runs), ai)


def scenario_info(name: str) -> ScenarioInfo:
    scenario = load_scenario(name)
    cards = {c["id"]: c.get("title", c["id"]) for d in scenario_decks(scenario) for c in d.get("cards") or []}
    # Workers open a shipped scenario by name (it is where the game is installed, also on
    # another machine of a cluster) and anything else by its absolute path.
    path = Path(name)
    source = str(path.resolve()) if path.exists() else name
    cal = scenario.calendar
    bench = scenario.config.victory.benchmark
    named = getattr(bench, "name", None) or "history"
    return ScenarioInfo(scenario.id, scenario.title, source, cal.turn_start(0), cal.end, cards, named)
