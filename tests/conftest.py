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


# --- helpers for hand-built situations on a test map ----------------------------------------------
def hx(game, row, col) -> int:
    """The hex at offset ``row, col``."""
    return int(game.state.map.grid.index(row, col))


def put(game, uid, row, col):
    """Stand unit ``uid`` on hex ``row, col`` (ranges and caches are rebuilt)."""
    u = game.state.units
    u.hex[u.index_of(uid)] = hx(game, row, col)
    game.movement.invalidate()


def park(game, side):
    """Put ``side``'s units in the far north-east corner of the small front, out of the way."""
    st = game.state
    for k, r in enumerate(st.units.rows_on_map(side)):
        st.units.hex[r] = hx(game, 0, 10 + k % 4)
    game.movement.invalidate()
