"""The engine runs with pygame unavailable: only game/render and game/ui may import it."""

import subprocess
import sys

BLOCK_PYGAME = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "pygame" or name.startswith("pygame."):
            raise ImportError("pygame is blocked in this test")
sys.meta_path.insert(0, Block())
sys.path.insert(0, {root!r})
from game.sim.session import new_game
from game.sim import simulate
g = new_game({small!r}, seed=1)
simulate.run(g)
assert g.state.over
assert not any(m == "pygame" or m.startswith("pygame.") for m in sys.modules)
print("headless ok")
"""


def test_engine_runs_without_pygame(repo_root, small_front):
    code = BLOCK_PYGAME.format(root=str(repo_root), small=str(small_front))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "headless ok" in proc.stdout


def test_only_render_and_ui_import_pygame(repo_root):
    offenders = []
    for path in (repo_root / "game").rglob("*.py"):
        rel = path.relative_to(repo_root).as_posix()
        if rel.startswith(("game/render/", "game/ui/")):
            continue
        for line in path.read_text().splitlines():
            s = line.strip()
            if s.startswith(("import pygame", "from pygame")):
                offenders.append(rel)
    assert offenders == []
