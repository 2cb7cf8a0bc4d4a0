"""Saved games: one JSON file (arrays as base64 of their raw bytes), written atomically.

A save names its scenario and the scenario's digest; it holds every changing part of the
state, so a game loaded in the middle goes on exactly as it would have (same final hash).
Nothing is pickled or eval'd; a corrupt or foreign file gives a SaveError that says why.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np

from ..engine.errors import GameError
from ..engine.paths import REPO_ROOT
from ..engine.state import GameState, rng_from_state
from ..engine.units import SIDE_CODES, UnitTable
from ..rules.turn import Game
from ..scenario.build import new_state
from ..scenario.loader import ScenarioError
from .session import RULE_MODULES, _open

SAVE_FORMAT = "korea-war-save/1"
MAX_SAVE_BYTES = 64 * 1024 * 1024


class SaveError(GameError, ValueError):
    """A save file that cannot be loaded or written, with the reason in words."""


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=np.int8).tobytes()).decode("ascii")


def _unb64(text: str, n: int) -> np.ndarray:
    a = np.frombuffer(base64.b64decode(text, validate=True), dtype=np.int8).copy()
    if a.shape != (n,):
        raise SaveError(f"an owner array has {a.size} hexes, the map has {n}")
    return a


def _scenario_ref(path: str) -> str:
    p = Path(path).resolve()
    try:
        return p.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(p)


def write_atomic(path, text: str) -> None:
    """Write a text file so that a crash leaves either the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_game(game: Game, path, session: dict | None = None) -> None:
    """Write the game to ``path`` (atomically). ``session``: plain JSON data of whoever plays it
    (the window keeps which sides are human there), given back by :func:`load_session`."""
    st = game.state
    doc = {
        "format": SAVE_FORMAT,
        "scenario": _scenario_ref(st.scenario.path),
        "scenario_id": st.scenario.id,
        "scenario_digest": st.scenario.digest,
        "state": st.dynamic_dict(),
        "owner": _b64(st.owner),
        "units": st.units.to_dict(),
        "log": st.log,
        "orders": st.orders,
        "history": st.history,
        "owner_history": [_b64(o) for o in game.owner_history],
        "start_hexes": None if game.start_hexes is None else game.start_hexes.tolist(),
        "hash": st.hash(),
        "session": dict(session or {}),
        "title": st.scenario.title,
        "date": st.date.isoformat(),
    }
    write_atomic(path, json.dumps(doc, separators=(",", ":")))


def _read(path: Path) -> dict:
    """The save file's JSON document, checked to be one of ours; SaveError otherwise."""
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: too large to be a save file")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SaveError(f"{path}: not a readable save file ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path}: not a save file of this game (format {SAVE_FORMAT})")
    return doc


def save_info(path) -> dict:
    """What a save browser shows, without rebuilding the game: {path, title, scenario, date,
    turn, side, over, winner, session, mtime}. SaveError if it is not a save of this game."""
    path = Path(path)
    doc = _read(path)
    try:
        st = doc["state"]
        result = st.get("result") or {}
        return {"path": str(path), "title": str(doc.get("title") or doc["scenario_id"]),
                "scenario": str(doc["scenario_id"]), "date": str(doc.get("date", "")),
                "turn": int(st["turn"]) + 1, "side_index": int(st["side_index"]), "over": bool(result),
                "winner": result.get("winner"), "session": doc.get("session") or {},
                "mtime": path.stat().st_mtime}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SaveError(f"{path}: the save file is damaged ({type(exc).__name__}: {exc})") from None


def load_game(path) -> Game:
    """Rebuild a game from a save file; SaveError with the reason if it cannot be."""
    return load_session(path)[0]


def load_session(path) -> tuple[Game, dict]:
    """The game of a save file and the session data it was saved with (see save_game)."""
    path = Path(path)
    doc = _read(path)
    try:
        ref = Path(doc["scenario"])
        scen_path = ref if ref.is_absolute() else REPO_ROOT / ref
        try:
            scenario, _ = _open(scen_path)
        except ScenarioError as exc:
            raise SaveError(f"{path}: its scenario {doc['scenario']} does not load:\n{exc}") from None
        if scenario.digest != doc["scenario_digest"]:
            raise SaveError(f"{path}: the scenario {doc['scenario']} has changed since this game was saved")
        st = new_state(scenario, int(doc["state"]["seed"]))
        _restore(st, doc)
        game = Game(st, RULE_MODULES)
        game.owner_history = [_unb64(o, scenario.map.n) for o in doc["owner_history"]]
        if doc.get("start_hexes") is not None:
            game.start_hexes = np.asarray(doc["start_hexes"], dtype=np.int32)
    except SaveError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SaveError(f"{path}: the save file is damaged ({type(exc).__name__}: {exc})") from None
    if st.hash() != doc.get("hash"):
        raise SaveError(f"{path}: the save file is damaged (its state does not match its checksum)")
    session = doc.get("session")
    return game, session if isinstance(session, dict) else {}


def _restore(st: GameState, doc: dict) -> None:
    d = doc["state"]
    st.units = UnitTable.from_dict(doc["units"])
    st.owner = _unb64(doc["owner"], st.map.n)
    st.rng = rng_from_state(d["rng"])
    st.turn, st.side_index, st.phase = int(d["turn"]), int(d["side_index"]), str(d["phase"])
    st.flags = set(d["flags"])
    st.sides = {SIDE_CODES[k]: v for k, v in d["sides"].items()}
    st.weather, st.weather_override, st.talks = d["weather"], d["weather_override"], d["talks"]
    st.fired, st.card_state, st.result = d["fired"], d["card_state"], d["result"]
    st.rules_state = dict(d.get("rules_state", {}))
    st.log, st.orders, st.history = list(doc["log"]), list(doc["orders"]), list(doc["history"])
