"""The scenarios a player can start from the menu, and who plays which side."""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.paths import REPO_ROOT, SCENARIOS_DIR
from ..engine.units import COMMUNIST, UN

SIDE_CHOICES = (("un", "UN Command"), ("communist", "Communists"), ("both", "Both (hot seat)"),
                ("none", "None (watch AI)"))


def scenario_title(path: Path) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r'^title:\s*"?(.*?)"?\s*$', line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return path.stem


def shipped_scenarios() -> list:
    """Scenario files a player can start: scenarios/*.yaml (the campaign first), then the
    engine's small test scenario."""
    out = sorted(SCENARIOS_DIR.glob("*.yaml"))
    camp = SCENARIOS_DIR / "korea_1950_1953.yaml"
    if camp in out:
        out.remove(camp)
        out.insert(0, camp)
    test = REPO_ROOT / "tests" / "scenarios" / "small_front.yaml"
    if test.exists():
        out.append(test)
    return out


def default_scenario() -> Path:
    found = shipped_scenarios()
    return found[0] if found else REPO_ROOT / "tests" / "scenarios" / "small_front.yaml"


def sides_for(choice: str | None) -> set:
    """The human sides of a ``--side`` choice (un, communist, both, none)."""
    return {"un": {UN}, "communist": {COMMUNIST}, "both": {UN, COMMUNIST}, "none": set()}.get(choice or "un", {UN})
