"""Where the game's files are: the shipped scenarios and maps, the user's saves and settings,
and how a name or path a user gives is turned into a file. The one module that knows.

* Shipped data: in a checkout (or an editable install) the top-level ``scenarios/`` and
  ``assets/`` folders; in a regular install the copies packaged as ``game/data/``.
* The user's own files (saves, settings): the user's data folder (``platformdirs``), unless a
  path is given on the command line or in the window.
* A file named by a scenario (includes, decks, a parent it extends) resolves next to the file
  that names it, then in the shipped scenarios; a scenario named on the command line is a path,
  or the name of a shipped scenario.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from .errors import GameError

PACKAGE_DIR = Path(__file__).resolve().parents[1]        # the ``game`` package
REPO_ROOT = PACKAGE_DIR.parent                            # the checkout, when there is one


def _data_root() -> Path:
    """The folder holding ``scenarios/`` and ``assets/``."""
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "scenarios").is_dir():
        return REPO_ROOT
    return PACKAGE_DIR / "data"


DATA_ROOT = _data_root()
SCENARIOS_DIR = DATA_ROOT / "scenarios"
ASSETS_DIR = DATA_ROOT / "assets"
MAPS_DIR = ASSETS_DIR / "maps"
REFERENCE_LINES = SCENARIOS_DIR / "reference" / "korea_front_lines.yaml"   # the war as it was
APP_NAME = "korea-war"


class FileRefused(GameError):
    """A path that is not a regular file we may read (missing, a pipe, a device, too big)."""


def user_data_dir() -> Path:
    """The user's data folder for this game (saves, settings); ``KOREA_WAR_HOME`` overrides it."""
    override = os.environ.get("KOREA_WAR_HOME")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def saves_dir() -> Path:
    return user_data_dir() / "saves"


def settings_file() -> Path:
    return user_data_dir() / "settings.json"


def shipped_scenario(name: str) -> Path | None:
    """The shipped scenario called ``name`` (``korea_1950_1953``), or None."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = SCENARIOS_DIR / f"{name}.yaml"
    return path if path.is_file() else None


def shipped_scenarios() -> list[Path]:
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def resolve_scenario(name: str | os.PathLike[str]) -> Path:
    """A scenario a user names: an existing path as given, else a shipped scenario by name,
    else the path as given (the loader then says it is not found)."""
    path = Path(name)
    if path.exists():
        return path
    shipped = shipped_scenario(str(name))
    return shipped if shipped is not None else path


def check_regular_file(path: Path, what: str, max_bytes: int) -> int:
    """The size of ``path`` if it is a regular file of at most ``max_bytes``; else FileRefused
    with the reason (a named pipe or a device would hang or never end)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileRefused(f"{path}: no such {what}") from None
    except OSError as exc:
        raise FileRefused(f"{path}: cannot read this {what} ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device?)"
        raise FileRefused(f"{path}: {kind}: a {what} must be a regular file")
    if info.st_size > max_bytes:
        raise FileRefused(f"{path}: {info.st_size / 1e6:.1f} MB is too big for a {what} "
                          f"(at most {max_bytes / 1e6:.0f} MB)")
    return info.st_size
