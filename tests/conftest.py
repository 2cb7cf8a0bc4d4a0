"""Test setup: headless SDL for any test that touches the renderer, and shared fixtures."""

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

SMALL = ROOT / "tests" / "scenarios" / "small_front.yaml"


@pytest.fixture
def small_game():
    from game.sim.session import new_game
    return new_game(SMALL, seed=7)
