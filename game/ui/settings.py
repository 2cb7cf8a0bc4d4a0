"""The window's settings (size, full screen, animation speed, UI scale, the end-turn warning),
kept in ``settings.json`` in the save folder the window is given."""

from __future__ import annotations

import json
from pathlib import Path

SIZES = [(1024, 640), (1280, 800), (1600, 1000), (1920, 1080)]
ANIM_SPEEDS = {"off": 0.0, "fast": 0.035, "normal": 0.07, "slow": 0.14}   # seconds per hex
UI_SCALES = (1.0, 1.25, 1.5, 2.0)
DEFAULTS = {"size": [1600, 1000], "fullscreen": False, "anim": "normal", "ui_scale": 1.0, "warn_end_turn": True}


class Settings(dict):
    """A dict of the settings with their defaults; ``save`` writes it where it was read from
    (nowhere when ``path`` is None)."""

    def __init__(self, path: Path | None, size=None):
        super().__init__(DEFAULTS)
        self["size"] = list(size) if size else list(DEFAULTS["size"])
        self.path = path
        self._read()

    def _read(self) -> None:
        if not self.path or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
            return
        if data.get("anim") in ANIM_SPEEDS:
            self["anim"] = data["anim"]
        for key in ("fullscreen", "warn_end_turn"):
            if isinstance(data.get(key), bool):
                self[key] = data[key]
        if data.get("ui_scale") in UI_SCALES:
            self["ui_scale"] = float(data["ui_scale"])
        sz = data.get("size")
        if isinstance(sz, list) and len(sz) == 2 and all(isinstance(v, int) and 640 <= v <= 8000 for v in sz):
            self["size"] = sz

    def save(self) -> None:
        if not self.path:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(dict(self)), encoding="utf-8")
        except OSError:
            pass
