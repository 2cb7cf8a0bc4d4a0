"""Where the game's own files are: the shipped scenarios and the built maps.

The one place that knows the layout of the checkout; every other module asks here.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = REPO_ROOT / "scenarios"
ASSETS_DIR = REPO_ROOT / "assets"
MAPS_DIR = ASSETS_DIR / "maps"
