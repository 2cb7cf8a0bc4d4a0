"""Saved games: one JSON file (arrays as base64 of their raw bytes), written atomically.

A save names its scenario (a shipped one by name, another by path) and the scenario's digest;
it holds every changing part of the state, so a game loaded in the middle goes on exactly as it
would have (same final hash). Saves are untrusted input: nothing is pickled or eval'd; the file
must be a regular file of bounded size and nesting; a checksum over the whole document catches
damage; every field is typed and bounded (game/sim/save_format.py) before a game is rebuilt; and
the rebuilt state must match the state hash it was saved with. Anything wrong is a SaveError
that says why in one sentence.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.errors import GameError
from ..engine.paths import SCENARIOS_DIR, FileRefused, check_regular_file, shipped_scenario
from ..engine.state import GameState, rng_from_state
from ..engine.units import SIDE_CODES, SIDE_NAMES, UnitTable
from ..rules.turn import Game
from ..scenario.build import new_state
from ..scenario.loader import ScenarioError
from ..scenario.schema import MAX_STRENGTH
from . import save_format
from .session import RULE_MODULES, _open

MAX_SAVE_BYTES = 64 * 1024 * 1024
SCENARIO_SUFFIXES = (".yaml", ".yml")


class SaveError(GameError, ValueError):
    """A save file that cannot be loaded or written, with the reason in words."""


# ------------------------------------------------------------------------------ writing

def write_atomic(path, content: str | bytes) -> None:
    """Write a file (text or bytes) so that a crash leaves either the old file or the new one,
    and a failed write leaves no temporary file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())            # mkstemp makes it private; a file is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_writable(path) -> None:
    """Make sure a file can be written at ``path`` (its folder made if need be), before a long
    run rather than after it; SaveError with the reason if not."""
    path = Path(path)
    if path.is_dir():
        raise SaveError(f"{path}: is a folder: give a file name to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
    except (OSError, ValueError) as exc:
        raise SaveError(f"{path}: cannot write here ({getattr(exc, 'strerror', None) or exc})") from None


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.int8).tobytes()).decode("ascii")


def _owner_array(text: str, n: int, what: str) -> np.ndarray:
    try:
        a = np.frombuffer(base64.b64decode(text, validate=True), dtype=np.int8).copy()
    except (binascii.Error, ValueError):
        raise ValueError(f"{what}: not base64 data") from None
    if a.shape != (n,):
        raise ValueError(f"{what}: {a.size} hexes, the map has {n}")
    if a.size and (a.min() < 0 or a.max() > 2):
        raise ValueError(f"{what}: a hex belongs to side {int(a.max())}; only 0, 1 and 2 exist")
    return a


def _pack(a: np.ndarray, dtype) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _unit_array(text: str, dtype, n: int, bounds: tuple[int, int], what: str) -> np.ndarray:
    """A recorded per-unit array; it may be shorter than the unit table (cards add units)."""
    try:
        a = np.frombuffer(base64.b64decode(text, validate=True), dtype=dtype).copy()
    except (binascii.Error, ValueError):
        raise ValueError(f"{what}: not base64 data of {np.dtype(dtype).name} values") from None
    if a.size > n:
        raise ValueError(f"{what}: {a.size} units, the game has {n}")
    if a.size and (a.min() < bounds[0] or a.max() > bounds[1]):
        raise ValueError(f"{what}: values must lie between {bounds[0]} and {bounds[1]}")
    return a


def _unit_history(game: Game) -> list:
    """Where each unit stood and its strength at the end of each recorded turn (None for the
    turns a game loaded from an older save did not record)."""
    return [None if rec is None else {"hex": _pack(rec["hex"], np.int32), "strength": _pack(rec["strength"], np.int16)}
            for rec in game.unit_history]


def _restored_unit_history(records: list, n_units: int, n_hexes: int, turns: int) -> list:
    """The recorded positions, one per turn of the owner history (None where a save has none)."""
    out = [None if rec is None else
           {"hex": _unit_array(rec.hex, np.int32, n_units, (-1, n_hexes - 1), f"unit_history.{i}.hex"),
            "strength": _unit_array(rec.strength, np.int16, n_units, (0, MAX_STRENGTH), f"unit_history.{i}.strength")}
           for i, rec in enumerate(records)]
    out = out[max(0, len(out) - turns):] if turns else []
    return [None] * (turns - len(out)) + out


def _side_to_move(st: GameState) -> str | None:
    """The name of the side whose turn it is (None once the game is over)."""
    order = st.scenario.side_order
    return SIDE_NAMES[order[st.side_index]] if not st.over and 0 <= st.side_index < len(order) else None


def _scenario_ref(scenario_path: str, save_path: Path) -> dict[str, str]:
    """A shipped scenario by name; another by its path relative to the save's folder where it
    lies inside it, else by its absolute path."""
    p = Path(scenario_path).resolve()
    if p.parent == SCENARIOS_DIR.resolve() and shipped_scenario(p.stem) is not None:
        return {"shipped": p.stem}
    folder = save_path.resolve().parent
    return {"path": p.relative_to(folder).as_posix() if p.is_relative_to(folder) else str(p)}


def _checksum(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def save_game(game: Game, path, session: dict | None = None) -> None:
    """Write the game to ``path`` (atomically). ``session``: plain JSON data of whoever plays it
    (the window keeps which sides are human there), given back by :func:`load_session`."""
    st = game.state
    path = Path(path)
    doc = {
        "format": save_format.FORMAT,
        "version": save_format.VERSION,
        "scenario": _scenario_ref(st.scenario.path, path),
        "scenario_id": st.scenario.id,
        "scenario_digest": st.scenario.digest,
        "title": st.scenario.title,
        "date": st.date.isoformat(),
        "state": st.dynamic_dict(),
        "owner": _b64(st.owner),
        "units": st.units.to_dict(),
        "log": st.log,
        "orders": st.orders,
        "history": st.history,
        "owner_history": [_b64(o) for o in game.owner_history],
        "unit_history": _unit_history(game),
        "side": _side_to_move(st),
        "start_hexes": None if game.start_hexes is None else game.start_hexes.tolist(),
        "session": dict(session or {}),
        "hash": st.hash(),
    }
    doc = json.loads(json.dumps(doc))          # plain JSON types, as a load will see them
    doc["checksum"] = _checksum(doc)
    write_atomic(path, json.dumps(doc, separators=(",", ":")))


# ------------------------------------------------------------------------------ reading

def _read(path: Path) -> dict[str, Any]:
    """The save file's JSON document, checked to be a whole save of this version; SaveError."""
    try:
        check_regular_file(path, "save file", MAX_SAVE_BYTES)
        text = path.read_text(encoding="utf-8")
    except FileRefused as exc:
        raise SaveError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(f"{path}: not a readable save file ({exc})") from None
    if save_format.nesting_depth(text) > save_format.MAX_NESTING:
        raise SaveError(f"{path}: not a save file of this game (nested more than "
                        f"{save_format.MAX_NESTING} deep)")
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise SaveError(f"{path}: not a readable save file ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("format", "")).startswith(save_format.FORMAT):
        raise SaveError(f"{path}: not a save file of this game")
    version = doc.get("version", 1)
    if version != save_format.VERSION:
        older = isinstance(version, int) and version < save_format.VERSION
        raise SaveError(f"{path}: saved by {'an older' if older else 'a newer'} version of the game (save "
                        f"format {version}; this version reads format {save_format.VERSION}): "
                        "start the scenario again")
    if doc.get("checksum") != _checksum(doc):
        raise SaveError(f"{path}: the save file is damaged (its checksum does not match its contents)")
    return doc


def save_info(path) -> dict:
    """What a save browser shows, without rebuilding the game: {path, title, scenario, date,
    turn, side_index, side (the side to move; None when over or not recorded), over, winner,
    session, mtime}. SaveError if it is not a save of this game."""
    path = Path(path)
    try:
        doc = save_format.parse(_read(path))
    except ValueError as exc:
        if isinstance(exc, SaveError):
            raise
        raise SaveError(f"{path}: the save file is damaged ({exc})") from None
    result = doc.state.result
    return {"path": str(path), "title": doc.title, "scenario": doc.scenario_id, "date": doc.date,
            "turn": doc.state.turn + 1, "side_index": doc.state.side_index, "side": doc.side,
            "over": result is not None,
            "winner": result.winner if result is not None else None, "session": doc.session,
            "mtime": path.stat().st_mtime}


def _scenario_path(ref: save_format.ScenarioRef, save_path: Path) -> Path:
    """The scenario file a save names: a shipped scenario, a path inside the save's folder, or
    an absolute path to a regular .yaml file (read through the scenario loader's limits)."""
    if ref.shipped is not None:
        found = shipped_scenario(ref.shipped)
        if found is None:
            raise SaveError(f"{save_path}: its scenario {ref.shipped!r} is not a shipped scenario")
        return found
    if not ref.path:
        raise SaveError(f"{save_path}: the save file names no scenario")
    p = Path(ref.path)
    if p.suffix not in SCENARIO_SUFFIXES:
        raise SaveError(f"{save_path}: its scenario {ref.path!r} is not a .yaml file")
    if not p.is_absolute():
        folder = save_path.resolve().parent
        p = (folder / p).resolve()
        if not p.is_relative_to(folder):
            raise SaveError(f"{save_path}: its scenario {ref.path!r} points outside the save's folder")
    return p


def load_game(path) -> Game:
    """Rebuild a game from a save file; SaveError with the reason if it cannot be."""
    return load_session(path)[0]


def load_session(path) -> tuple[Game, dict]:
    """The game of a save file and the session data it was saved with (see save_game)."""
    path = Path(path)
    raw = _read(path)
    try:
        doc = save_format.parse(raw)
    except ValueError as exc:
        raise SaveError(f"{path}: the save file is damaged ({exc})") from None
    scen_path = _scenario_path(doc.scenario, path)
    try:
        scenario, _ = _open(scen_path)
    except ScenarioError as exc:
        raise SaveError(f"{path}: its scenario {scen_path} does not load:\n{exc}") from None
    if scenario.digest != doc.scenario_digest:
        raise SaveError(f"{path}: the scenario {scen_path} has changed since this game was saved")
    try:
        save_format.check_against(doc, scenario.map.n, len(scenario.calendar), scenario.rules.unit_types.names)
        st = new_state(scenario, doc.state.seed)
        _restore(st, raw)
        game = Game(st, RULE_MODULES)
        game.owner_history = [_owner_array(o, scenario.map.n, f"owner_history.{i}")
                              for i, o in enumerate(raw["owner_history"])]
        game.unit_history = _restored_unit_history(doc.unit_history, len(st.units.ids), scenario.map.n,
                                                   len(game.owner_history))
        if doc.start_hexes is not None:
            game.start_hexes = np.asarray(doc.start_hexes, dtype=np.int32)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
        raise SaveError(f"{path}: the save file is damaged ({exc})") from None
    if st.hash() != doc.hash:
        raise SaveError(f"{path}: the save file is damaged (its state does not match its state hash)")
    return game, dict(doc.session)


def _restore(st: GameState, doc: dict) -> None:
    """Put the saved dynamic state (already checked by save_format) into a fresh state."""
    d = doc["state"]
    st.units = UnitTable.from_dict(doc["units"])
    st.owner = _owner_array(doc["owner"], st.map.n, "owner")
    st.rng = rng_from_state(d["rng"])
    st.turn, st.side_index, st.phase = int(d["turn"]), int(d["side_index"]), str(d["phase"])
    st.flags = set(d["flags"])
    st.sides = {SIDE_CODES[k]: v for k, v in d["sides"].items()}
    st.weather, st.weather_override, st.talks = d["weather"], d["weather_override"], d["talks"]
    st.fired, st.card_state, st.result = d["fired"], d["card_state"], d["result"]
    st.rules_state = dict(d.get("rules_state", {}))
    st.log, st.orders, st.history = list(doc["log"]), list(doc["orders"]), list(doc["history"])
