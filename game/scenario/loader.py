"""Load a scenario file: safe YAML, ``include``/``extends`` composition, schema and checks.

    data, source = load_scenario_dict("scenarios/korea_1950_1953.yaml")
    source.locate(("units", 3, "at"))        # -> ("scenarios/oob/...yaml", 120, 9)

``data`` is a plain, fully merged and validated dict; ``source`` (a :class:`SourceMap`) says
where each value came from, so the engine can report its own later errors as
``file:line:col: message``. Any problem raises :class:`ScenarioError` with all problems found.

Composition (see docs/scenarios.md):

* ``include: [a.yaml, ...]`` merges each file *under* this one (this file's keys win);
* ``extends: NAME`` or ``extends: path.yaml`` loads a parent scenario and merges this one
  *over* it: mappings merge key by key, lists of mappings with ``id`` merge by id (``units``,
  ``reinforcements``; ``map.places`` by ``name``), other lists are replaced whole;
  ``{id: X, remove: true}`` in such a list deletes X; ``remove: [dotted.path, ...]`` deletes keys
  or list items (by id) of what is inherited;
* layers, lowest first: the parent (extends), then each include in order, then ``remove``,
  then the file's own keys;
* every file a scenario names (includes, parents, decks, a map asset given as a path) must lie
  inside the top scenario's folder tree or the shipped ``scenarios/`` folder; absolute paths
  and ``..`` escapes (symlinks resolved) are refused.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..engine.paths import MAPS_DIR, REFERENCE_LINES, SCENARIOS_DIR, shipped_scenario
from . import cards as _cards
from . import checks as _checks
from . import reference as _reference
from . import schema as _schema
from . import yamlsafe
from .build import BuildError, build_scenario, map_problems, new_state
from .errors import Problem, ScenarioError, did_you_mean
from .yamlsafe import MDict, MList

__all__ = ["load_scenario_dict", "load_deck_dict", "load_reference", "validate_paths", "register_check",
           "unregister_check", "ScenarioError", "Problem", "SourceMap", "is_deck_file"]

ASSET_MAPS_DIR = MAPS_DIR
MAX_LAYERS = 16                   # extends/include nesting
MAX_FILES = 64                    # files read through extends/include for one scenario
MAX_TOTAL_BYTES = 16 * 1024 * 1024   # their text, all together

ID_LISTS = {("units",): "id", ("reinforcements",): "id", ("map", "places"): "name"}
# Keys written into the loaded data when a file leaves them out, with the schema's defaults (the
# data is hashed into the scenario's digest, so these are part of what a save is tied to).
DEFAULTS = {key: _schema.Scenario.model_fields[key].get_default(call_default_factory=True)
            for key in ("side_order", "player", "require_sources", "units", "reinforcements", "withdrawals",
                        "decks")}

# Checks that need more than the schema: the map (place names, units on land). They run on every
# load and every ``validate``, after the schema passed; ``register_check`` adds more.
BUILT_IN_CHECKS = (map_problems,)
_CHECKS: list = []


def register_check(fn):
    """Add ``fn(data, source) -> list[Problem]``, run after the built-in checks (load and validate)."""
    if fn not in _CHECKS:
        _CHECKS.append(fn)
    return fn


def unregister_check(fn) -> None:
    if fn in _CHECKS:
        _CHECKS.remove(fn)


# ------------------------------------------------------------------------------ source map

def _norm_path(keypath) -> tuple:
    if isinstance(keypath, str):
        return tuple(int(p) if p.lstrip("-").isdigit() else p for p in keypath.split(".") if p != "")
    return tuple(keypath)


class SourceMap:
    """Where each value of a loaded dict came from: ``(path, line, col)`` by key path."""

    def __init__(self, file: str):
        self.file = file                       # the top file, as the caller named it
        self.files: list[str] = [file]         # every file read, top first (display paths)
        self.decks: list = []                  # [(Path, deck dict, SourceMap)] for scenario decks
        self._values: dict = {(): (file, 1, 1)}
        self._keys: dict = {}
        self._resolved: dict = {}

    def locate(self, keypath) -> tuple[str, int, int]:
        """Location of the value at ``keypath`` (e.g. ``("units", 3, "at")`` or ``"units.3.at"``),
        or of its nearest located ancestor."""
        path = _norm_path(keypath)
        values = self._values
        while path not in values:
            path = path[:-1]
        return values[path]

    def locate_key(self, keypath) -> tuple[str, int, int]:
        """Location of the *key* at ``keypath`` (falls back to :meth:`locate`)."""
        path = _norm_path(keypath)
        return self._keys.get(path) or self.locate(path)

    def problem(self, keypath, message: str, key: bool = False) -> Problem:
        """A Problem at ``keypath``: ``source.problem(("units", 3, "at"), "unknown place 'X'")``."""
        return Problem(*(self.locate_key(keypath) if key else self.locate(keypath)), message)

    def resolved(self, keypath):
        """The checked absolute Path of a file-valued key (``("decks", 0)``, ``("map", "asset")``)."""
        return self._resolved.get(_norm_path(keypath))

    def __contains__(self, keypath) -> bool:
        return _norm_path(keypath) in self._values

    def _issue(self, issue) -> Problem:
        return self.problem(issue.path, issue.message, key=issue.key)

    def _record(self, node, path=()):
        """Convert a marked tree to plain values, recording the locations of everything."""
        values, keys = self._values, self._keys
        if isinstance(node, MDict):
            out = {}
            for k, v in node.items():
                p = path + (k,)
                values[p] = node.vlocs.get(k) or node.loc
                keys[p] = node.klocs.get(k) or node.loc
                out[k] = self._record(v, p) if isinstance(v, (MDict, MList, _PathStr)) else v
            return out
        if isinstance(node, MList):
            out = []
            for i, v in enumerate(node):
                p = path + (i,)
                values[p] = node.vlocs[i] if i < len(node.vlocs) else node.loc
                out.append(self._record(v, p) if isinstance(v, (MDict, MList, _PathStr)) else v)
            return out
        if isinstance(node, _PathStr):
            self._resolved[path] = node.resolved
            return str.__str__(node)
        return node


class _PathStr(str):
    """A file reference that has been checked; ``resolved`` is its absolute path."""

    resolved: Path


def _path_str(value: str, resolved: Path) -> _PathStr:
    s = _PathStr(value)
    s.resolved = resolved
    return s


# ------------------------------------------------------------------------------ composition

def _display(path: Path) -> str:
    try:
        return str(Path(os.path.relpath(path, Path.cwd()))) if path.is_relative_to(Path.cwd().resolve()) else str(path)
    except (ValueError, OSError):
        return str(path)


def _loc_problem(loc, message) -> Problem:
    return Problem(loc[0], loc[1], loc[2], message)


class _Composer:
    def __init__(self, top: Path, display: str):
        self.top_real = top.resolve()
        self.top_display = display
        self.tree = self.top_real.parent
        self.roots = [self.tree, SCENARIOS_DIR.resolve()]
        self.problems: list[Problem] = []
        self.stack: list[Path] = []
        self.files: list[str] = []
        self.reads = 0                         # files read so far (includes read twice count twice)
        self.bytes = 0

    def display(self, real: Path) -> str:
        return self.top_display if real == self.top_real else _display(real)

    # -- file references ---------------------------------------------------------------------
    def ref(self, value, loc, from_file: Path, kind: str):
        """Check a file reference; the resolved Path, or None after recording a problem."""
        what = {"include": "include", "extends": "extends", "deck": "decks", "asset": "map.asset"}[kind]
        if not isinstance(value, str) or not value.strip():
            self.problems.append(_loc_problem(
                loc, f"{what}: must be a file path (text), not {_schema.describe(value)}"))
            return None
        if "\\" in value:
            self.problems.append(_loc_problem(loc, f"{what}: {value!r}: write paths with '/', not '\\'"))
            return None
        if (value.startswith("~") or PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()
                or PureWindowsPath(value).drive):
            self.problems.append(_loc_problem(loc, f"{what}: {value!r} is an absolute path: write a path "
                                                   "relative to this file"))
            return None
        bare = "/" not in value and not value.endswith((".yaml", ".yml", ".npz"))
        if kind == "extends" and bare:
            candidates, roots = [SCENARIOS_DIR / f"{value}.yaml"], [SCENARIOS_DIR.resolve()]
        elif kind == "asset" and bare:
            candidates, roots = [ASSET_MAPS_DIR / f"{value}.npz"], [ASSET_MAPS_DIR.resolve()]
        else:
            candidates, roots = [from_file.parent / value, SCENARIOS_DIR / value], self.roots
        for n, cand in enumerate(candidates):
            try:
                real = cand.resolve()
            except (OSError, RuntimeError):
                self.problems.append(_loc_problem(loc, f"{what}: {value!r} cannot be resolved (a symlink loop?)"))
                return None
            inside = any(real.is_relative_to(r) for r in roots)
            if not inside and n == 0:
                self.problems.append(_loc_problem(
                    loc, f"{what}: {value!r} points outside the scenario's folder ({_display(self.tree)}) and "
                         f"the shipped scenarios folder: files a scenario uses must be inside them"))
                return None
            if inside and real.is_file():
                return real
        if kind == "extends" and bare:
            names = sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))
            msg = (f"{what}: no shipped scenario {value!r} (looked for scenarios/{value}.yaml)"
                   f"{did_you_mean(value, names)}")
        elif kind == "asset" and bare:
            names = sorted(p.stem for p in ASSET_MAPS_DIR.glob("*.npz"))
            msg = (f"{what}: no map asset {value!r} (looked for assets/maps/{value}.npz; build it with "
                   f"'python -m game.tools.build_map'){did_you_mean(value, names)}")
        else:
            folder = candidates[0].parent
            siblings = [p.name for p in folder.glob("*")] if folder.is_dir() else []
            msg = f"{what}: file not found: {value!r}{did_you_mean(Path(value).name, siblings)}"
        self.problems.append(_loc_problem(loc, msg))
        return None

    # -- layers ------------------------------------------------------------------------------
    def load_layer(self, path: Path, via=None, preparsed=None):
        """Load one file with its parents and includes merged in; None if it could not be read."""
        real = path.resolve()
        display = self.display(real)
        if real in self.stack:
            chain = " -> ".join(_display(p) for p in self.stack[self.stack.index(real):] + [real])
            self.problems.append(_loc_problem(via, f"a cycle of extends/include: {chain}"))
            return None
        if len(self.stack) >= MAX_LAYERS:
            self.problems.append(_loc_problem(via, f"extends/include nested more than {MAX_LAYERS} deep"))
            return None
        self.reads += 1
        if self.reads > MAX_FILES:
            if self.reads == MAX_FILES + 1:
                self.problems.append(_loc_problem(via, f"extends/include read more than {MAX_FILES} files: "
                                                       "include each file once, not through many paths"))
            return None
        if preparsed is None:
            try:
                self.bytes += real.stat().st_size
            except OSError:
                pass                                   # load_file says why it cannot be read
            if self.bytes > MAX_TOTAL_BYTES:
                self.problems.append(_loc_problem(via, "extends/include read more than "
                                                       f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB of files"))
                return None
        self.stack.append(real)
        try:
            if preparsed is not None:
                raw = preparsed
            else:
                try:
                    raw = yamlsafe.load_file(real, display)
                except ScenarioError as exc:
                    self.problems.extend(exc.problems)
                    return None
            if display not in self.files:
                self.files.append(display)
            if raw is None:
                self.problems.append(Problem(display, 1, 1, "the file is empty: a scenario is a mapping of keys "
                                                            "(id: ..., title: ..., ...)"))
                return None
            if not isinstance(raw, MDict):
                self.problems.append(_loc_problem(raw.loc if isinstance(raw, MList) else (display, 1, 1),
                                                  "the top level must be a mapping of keys (id: ..., title: ...), "
                                                  f"not {_schema.describe(yamlsafe.to_plain(raw))}"))
                return None
            return self._compose(raw, real)
        finally:
            self.stack.pop()

    def _compose(self, raw: MDict, real: Path):
        layers = {}
        for key in ("extends", "include", "remove"):
            if key in raw:
                layers[key] = (raw.pop(key), raw.vlocs.pop(key), raw.klocs.pop(key))
        self._resolve_files(raw, real)
        base = None
        if "extends" in layers:
            value, loc, _ = layers["extends"]
            parent = self.ref(value, loc, real, "extends")
            if parent is not None:
                base = self.load_layer(parent, via=loc)
        if "include" in layers:
            value, loc, _ = layers["include"]
            if isinstance(value, str):
                items, locs = [value], [loc]
            elif isinstance(value, MList):
                items, locs = list(value), value.vlocs
            else:
                self.problems.append(_loc_problem(loc, "include: must be a list of file paths"))
                items, locs = [], []
            for item, iloc in zip(items, locs, strict=False):
                p = self.ref(item, iloc, real, "include")
                if p is None:
                    continue
                layer = self.load_layer(p, via=iloc)
                if layer is not None:
                    base = layer if base is None else self.merge(base, layer, ())
        if "remove" in layers:
            value, loc, _ = layers["remove"]
            if isinstance(value, str):
                value = MList([value], loc=loc)
                value.vlocs = [loc]
            if not isinstance(value, MList):
                self.problems.append(_loc_problem(loc, "remove: must be a list of dotted key paths, "
                                                       "e.g. [reinforcements.us_1_mar_div, ai.un]"))
            else:
                for item, iloc in zip(value, value.vlocs, strict=False):
                    base = self.remove(base, item, iloc)
        return raw if base is None else self.merge(base, raw, ())

    def _resolve_files(self, raw: MDict, real: Path):
        decks = raw.get("decks")
        if isinstance(decks, MList):
            for i, v in enumerate(decks):
                p = self.ref(v, decks.vlocs[i], real, "deck")
                if p is not None:
                    decks[i] = _path_str(v, p)
        m = raw.get("map")
        if isinstance(m, MDict) and "asset" in m:
            p = self.ref(m["asset"], m.vlocs["asset"], real, "asset")
            if p is not None:
                m["asset"] = _path_str(m["asset"], p)

    # -- merging -----------------------------------------------------------------------------
    def merge(self, base, over, path):
        """``over`` merged over ``base`` (new containers; inputs are not changed)."""
        if isinstance(base, MDict) and isinstance(over, MDict):
            out = MDict(base, loc=over.loc)
            out.klocs, out.vlocs = dict(base.klocs), dict(base.vlocs)
            for k, v in over.items():
                out[k] = self.merge(base[k], v, path + (k,)) if k in base else v
                out.klocs[k] = over.klocs.get(k, over.loc)
                out.vlocs[k] = over.vlocs.get(k, over.loc)
            return out
        if isinstance(base, MList) and isinstance(over, MList):
            key = ID_LISTS.get(path)
            if key is None and base and over and all(isinstance(x, MDict) and "id" in x for x in (*base, *over)):
                key = "id"
            if key is not None:
                return self._merge_by(base, over, key, path)
        return over

    def _merge_by(self, base: MList, over: MList, key: str, path):
        entries = [[item, loc] for item, loc in zip(base, base.vlocs, strict=False)]
        index = {item[key]: n for n, (item, _) in enumerate(entries)
                 if isinstance(item, MDict) and isinstance(item.get(key), (str, int))}
        for item, loc in zip(over, over.vlocs, strict=False):
            ident = item.get(key) if isinstance(item, MDict) else None
            if isinstance(ident, (str, int)) and item.get("remove") is True:
                n = index.pop(ident, None)
                if n is None:
                    self.problems.append(_loc_problem(loc, f"{_schema.dotted(path)}: nothing to remove: no "
                                                           f"{key} {ident!r} in the parent"
                                                           f"{did_you_mean(ident, list(index))}"))
                else:
                    entries[n][0] = None
                continue
            if isinstance(ident, (str, int)) and ident in index:
                n = index[ident]
                entries[n] = [self.merge(entries[n][0], item, path + (n,)), loc]
            else:
                if isinstance(ident, (str, int)):
                    index[ident] = len(entries)
                entries.append([item, loc])
        out = MList(loc=over.loc)
        for item, loc in entries:
            if item is not None:
                out.append(item)
                out.vlocs.append(loc)
        return out

    def remove(self, base, dotted_path, loc):
        """Delete the key or list item at ``dotted_path`` from ``base`` (a new tree is returned)."""
        if not isinstance(dotted_path, str) or not dotted_path.strip():
            self.problems.append(_loc_problem(
                loc, "remove: each item must be a dotted key path such as "
                     f"'reinforcements.us_1_mar_div', not {_schema.describe(dotted_path)}"))
            return base
        parts = dotted_path.split(".")
        if base is None:
            self.problems.append(_loc_problem(loc, f"remove: {dotted_path!r}: there is nothing to remove from "
                                                   "(no extends or include)"))
            return base
        return self._remove_in(base, parts, (), dotted_path, loc)

    def _remove_in(self, node, parts, path, full, loc):
        head, rest = parts[0], parts[1:]
        if isinstance(node, MDict):
            k = head if head in node else (int(head) if head.lstrip("-").isdigit() and int(head) in node else None)
            if k is None:
                where = f" in {_schema.dotted(path)}" if path else ""
                self.problems.append(_loc_problem(loc, f"remove: {full!r}: no key {head!r}{where}"
                                                       f"{did_you_mean(head, [str(x) for x in node])}"))
                return node
            out = MDict(node, loc=node.loc)
            out.klocs, out.vlocs = dict(node.klocs), dict(node.vlocs)
            if rest:
                out[k] = self._remove_in(node[k], rest, path + (k,), full, loc)
            else:
                del out[k]
                out.klocs.pop(k, None)
                out.vlocs.pop(k, None)
            return out
        if isinstance(node, MList):
            key = ID_LISTS.get(path, "id")
            match = [n for n, item in enumerate(node) if isinstance(item, MDict) and str(item.get(key)) == head]
            if not match and head.isdigit() and int(head) < len(node):
                match = [int(head)]
            if not match:
                ids = [str(item.get(key)) for item in node if isinstance(item, MDict) and key in item]
                self.problems.append(_loc_problem(loc, f"remove: {full!r}: no item with {key} {head!r} in "
                                                       f"{_schema.dotted(path)}{did_you_mean(head, ids)}"))
                return node
            n = match[0]
            out = MList(node, loc=node.loc)
            out.vlocs = list(node.vlocs)
            if rest:
                out[n] = self._remove_in(node[n], rest, path + (n,), full, loc)
            else:
                del out[n]
                del out.vlocs[n]
            return out
        self.problems.append(_loc_problem(loc, f"remove: {full!r}: {_schema.dotted(path)} has no keys to remove"))
        return node


# ------------------------------------------------------------------------------ public API

def _sorted(problems, top: str) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return sorted(out, key=lambda p: (p.path != top, p.path, p.line, p.col))


def _run_registered(data, source) -> list[Problem]:
    out = []
    for fn in BUILT_IN_CHECKS + tuple(_CHECKS):
        try:
            out.extend(fn(data, source) or [])
        except ScenarioError as exc:
            out.extend(exc.problems)
        except Exception as exc:   # a broken check must not hide the file's real problems
            name = getattr(fn, "__qualname__", repr(fn))
            out.append(Problem(source.file, 1, 1, f"internal error in check {name}: {type(exc).__name__}: {exc}"))
    return out


def _load_scenario(path: Path, display: str, preparsed=None):
    comp = _Composer(path, display)
    merged = comp.load_layer(path, via=(display, 1, 1), preparsed=preparsed)
    if comp.problems or merged is None:
        raise ScenarioError(_sorted(comp.problems, display))
    source = SourceMap(display)
    source.files = comp.files
    source._values[()] = merged.loc if merged.loc else (display, 1, 1)
    data = source._record(merged)
    problems = [source._issue(i) for i in _schema.validate_scenario(data)]
    if not problems:
        problems += [source._issue(i) for i in _checks.run_scenario_checks(data)]
        problems += _load_scenario_decks(data, source)
        problems += _run_registered(data, source)
    if problems:
        raise ScenarioError(_sorted(problems, display))
    for key, value in DEFAULTS.items():
        if key not in data:
            data[key] = list(value) if isinstance(value, list) else value
    return data, source


def _load_scenario_decks(data, source) -> list[Problem]:
    problems, loaded = [], []
    for i, _ in enumerate(data.get("decks") or []):
        real = source.resolved(("decks", i))
        if real is None:
            continue
        try:
            deck, deck_source = load_deck_dict(real, display=_display(real))
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        loaded.append((real, deck, deck_source))
    added = set()
    first_deck: dict = {}
    for _, deck, deck_source in loaded:
        added |= _cards.added_unit_ids(deck)
        for j, card in enumerate(deck.get("cards") or []):
            cid = card.get("id") if isinstance(card, dict) else None
            if not isinstance(cid, str):
                continue
            if cid in first_deck and first_deck[cid] != deck_source.file:
                problems.append(deck_source.problem(("cards", j, "id"), f"cards.{j}.id: card id {cid!r} is also "
                                                    f"used in {first_deck[cid]}: ids must be unique across "
                                                    "a scenario's decks"))
            first_deck.setdefault(cid, deck_source.file)
    card_ids = set(first_deck)
    variables = set(data.get("variables") or {}).union(*(_cards.set_variables(deck) for _, deck, _ in loaded))
    for _, deck, deck_source in loaded:
        problems += [deck_source._issue(i) for i in _cards.check_deck_against_scenario(
            deck, data, added, card_ids=card_ids, variables=variables)]
    politics = data.get("politics")
    start = (politics.get("start_flags") or []) if isinstance(politics, dict) else []
    flags = set(start).union(*(_cards.set_flags(deck) for _, deck, _ in loaded))
    problems += [source._issue(i) for i in _cards.check_sudden_death_flags(data, flags)]
    source.decks = loaded
    return problems


def load_scenario_dict(path):
    """Load, compose and validate a scenario: ``(data, source)``; raises ScenarioError."""
    return _load_scenario(Path(path), os.fspath(path))


def _load_deck(path: Path, display: str, raw):
    source = SourceMap(display)
    if raw is None:
        raise ScenarioError([Problem(display, 1, 1, "the file is empty: a deck has 'deck: NAME' and 'cards: [...]'")])
    if not isinstance(raw, MDict):
        raise ScenarioError([Problem(display, 1, 1, "the top level must be a mapping with 'deck:' and 'cards:'")])
    source._values[()] = raw.loc
    data = source._record(raw)
    problems = [source._issue(i) for i in _cards.validate_deck(data)]
    if problems:
        raise ScenarioError(_sorted(problems, display))
    return data, source


def load_deck_dict(path, display: str | None = None):
    """Load and validate a card deck file on its own: ``(data, source)``; raises ScenarioError."""
    path = Path(path)
    display = os.fspath(path) if display is None else display
    return _load_deck(path, display, yamlsafe.load_file(path, display))


def is_deck_file(raw) -> bool:
    return isinstance(raw, dict) and "deck" in raw and "cards" in raw


def _load_reference(path: Path, display: str, raw):
    """A reference file's typed content (see game/scenario/reference.py); ScenarioError with
    every problem, located."""
    if not isinstance(raw, MDict):
        raise ScenarioError([Problem(display, 1, 1, "the top level must be a mapping with 'front_lines:'")])
    source = SourceMap(display)
    source._values[()] = raw.loc
    data = source._record(raw)
    problems = [source._issue(i) for i in _reference.validate_reference(data)]
    benchmarks = {}
    for i, line in enumerate([] if problems else data["front_lines"]):
        name = line.get("benchmark_of")
        if name is None or name in benchmarks:
            continue
        where = ("front_lines", i, "benchmark_of")
        scenario = shipped_scenario(name)
        if scenario is None:
            problems.append(source.problem(where, f"{_schema.dotted(where)}: no shipped scenario {name!r}"))
            continue
        try:
            benchmarks[name] = load_scenario_dict(scenario)[0]["victory"]["benchmark"]
        except ScenarioError as exc:
            problems.extend(exc.problems)
        except (KeyError, TypeError):
            problems.append(source.problem(where, f"{_schema.dotted(where)}: {name} has no victory.benchmark"))
    if problems:
        raise ScenarioError(_sorted(problems, display))
    return _reference.build_reference(data, benchmarks)


def load_reference(path=None) -> _reference.Reference:
    """Read a reference file (the shipped one by default): its front lines and city checks."""
    path = Path(REFERENCE_LINES if path is None else path)
    display = os.fspath(path)
    return _load_reference(path, display, yamlsafe.load_file(path, display))


FRAGMENT_MARKERS = ("id", "title", "start", "end", "extends")


def is_fragment(raw) -> bool:
    """An include file (rules, order of battle...): a mapping without the keys of a scenario."""
    return (isinstance(raw, dict) and not is_deck_file(raw) and not _reference.is_reference_file(raw)
            and not any(k in raw for k in FRAGMENT_MARKERS))


def _load_fragment(path: Path, display: str, raw):
    """Validate an include file on its own: the keys it has, checked as in a scenario."""
    comp = _Composer(path, display)
    merged = comp.load_layer(path, via=(display, 1, 1), preparsed=raw)
    if comp.problems or merged is None:
        raise ScenarioError(_sorted(comp.problems, display))
    source = SourceMap(display)
    source._values[()] = merged.loc
    data = source._record(merged)
    issues = _schema.validate_fragment(data)
    if not issues and "combat" in data:
        issues = _checks.check_combat(data)
    if issues:
        raise ScenarioError(_sorted([source._issue(i) for i in issues], display))
    return data, source


def validate_file(path) -> list[Problem]:
    """Every problem of one scenario, deck or include file (empty if valid); never raises.

    A file with ``deck:`` and ``cards:`` is checked as a card deck; one with ``front_lines:`` as a
    reference file (game/scenario/reference.py); a mapping with none of ``id``, ``title``,
    ``start``, ``end``, ``extends`` as an include fragment (each key it has is checked as in a
    scenario); anything else as a scenario."""
    display = os.fspath(path)
    try:
        p = Path(path)
        raw = yamlsafe.load_file(p, display)
        if is_deck_file(raw):
            _load_deck(p, display, raw)
        elif _reference.is_reference_file(raw):
            _load_reference(p, display, raw)
        elif is_fragment(raw):
            _load_fragment(p, display, raw)
        else:
            data, source = _load_scenario(p, display, preparsed=raw)
            _build_like_the_game(data, source, p)
    except ScenarioError as exc:
        return exc.problems
    except RecursionError:
        return [Problem(display, 1, 1, "nested too deeply to check")]
    except Exception as exc:   # never a traceback for a bad file
        return [Problem(display, 1, 1, f"internal error while checking this file: {type(exc).__name__}: {exc}")]
    return []


def _build_like_the_game(data: dict, source: SourceMap, path: Path) -> None:
    """Build the scenario and its starting state as a new game does, so that whatever
    ``validate`` accepts also starts; a problem found comes back located."""
    try:
        scenario = build_scenario(data, path, [deck for _, deck, _ in source.decks])
        new_state(scenario, 0)
    except BuildError as exc:
        raise ScenarioError([source.problem(exc.where, f"{_schema.dotted(exc.where)}: {exc.message}")]) from None


def validate_paths(paths) -> list[Problem]:
    """Problems of every file in ``paths`` (scenarios or card decks), in order."""
    out = []
    for p in paths:
        out.extend(validate_file(p))
    return out
