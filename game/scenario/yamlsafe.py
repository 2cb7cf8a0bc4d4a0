"""Safe YAML for files written by strangers, with every value's line and column.

PyYAML's defaults have traps for scenario authors; this module closes them:

* only plain data: mappings, lists, strings, numbers, ``true``/``false`` and ``null``.
  No Python objects, no ``eval``, no custom tags (``!!python/...``, ``!foo`` are errors);
* dates stay strings (``1950-06-31`` no longer fails without a line number: the schema checks
  that a date is real and says where it is);
* YAML 1.2-style scalars: ``yes``/``no``/``on``/``off`` are strings, only ``true``/``false``
  are booleans; ``1:30`` is a string, not the sexagesimal number 90; ``010`` is 10;
* a duplicate key is an error at the second key, never a silent overwrite;
* aliases are expanded into fresh copies, with caps on the number of values and on the
  characters of text so that an "exponential alias" file (or one long text repeated through
  aliases) cannot exhaust memory; ``<<`` merge keys work;
* only regular files are read: a named pipe or a device is refused before it is opened;
* every mapping and list remembers where it and each of its keys and values start
  (:class:`MDict`, :class:`MList`), so later errors point at a ``file:line:col``;
* syntax errors become :class:`~game.scenario.errors.Problem` lines with a plain sentence
  (bad indentation, a tab, an unclosed quote or bracket, ...).

It uses libyaml (``CSafeLoader``) to parse and compose when available (about 5x faster than
pure Python) and builds the Python values itself.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Problem, ScenarioError

MAX_BYTES = 5 * 1024 * 1024          # refuse bigger files: bulk map data belongs in .npz
MAX_DEPTH = 100                      # nesting of lists/mappings
_BASE_VALUE_BUDGET = 250_000         # values an alias expansion may add beyond the text's own
_BASE_CHAR_BUDGET = 4_000_000        # characters of text aliases may add beyond the file's own

_T = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
SEQ, MAP, MERGE = _T + "seq", _T + "map", _T + "merge"

_Base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


PLAIN = "?plain"                     # a plain scalar, resolved by _Builder.scalar
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
                         |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", re.X)
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class _Loader(_Base):
    """libyaml parser + composer; plain scalars are resolved later with YAML 1.2-core rules
    (no dates, no yes/no booleans, no sexagesimal numbers)."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return PLAIN if implicit[0] else STR
        return SEQ if kind is SequenceNode else MAP


def resolve_plain(value: str) -> str:
    """The YAML 1.2-core tag of a plain (unquoted) scalar."""
    if not value:
        return NULL
    c = value[0]
    if c in "0123456789+-.":
        if _INT_RE.match(value):
            return INT
        if _FLOAT_RE.match(value):
            return FLOAT
        return STR
    if c in "tTfF" and (value in _TRUE or value in _FALSE):
        return BOOL
    if value in _NULLS:
        return NULL
    if value == "<<":
        return MERGE
    return STR


# Characters YAML forbids (libyaml would fail without a line number on some of them).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class MDict(dict):
    """A mapping from YAML; ``loc`` is where it starts, ``klocs``/``vlocs`` its keys and values."""

    __slots__ = ("loc", "klocs", "vlocs")

    def __init__(self, *args, loc=None, **kw):
        super().__init__(*args, **kw)
        self.loc = loc
        self.klocs = {}
        self.vlocs = {}


class MList(list):
    """A list from YAML; ``loc`` is where it starts, ``vlocs[i]`` where item ``i`` starts."""

    __slots__ = ("loc", "vlocs")

    def __init__(self, *args, loc=None):
        super().__init__(*args)
        self.loc = loc
        self.vlocs = []


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` in ``text``."""
    pos = max(0, min(pos, len(text)))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def tag_name(tag: str) -> str:
    return "!!" + tag[len(_T):] if tag.startswith(_T) else tag


# ------------------------------------------------------------------------------- reading

def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or a ScenarioError that says why not (missing, not a regular file, too
    big, not UTF-8). Pipes and devices are refused before they are opened: reading one could
    wait for ever."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError([Problem(display, 1, 1, "file not found")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(display, 1, 1, f"cannot read the file: {exc.strerror or exc}")]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError([Problem(display, 1, 1, "this is a folder, not a YAML file")])
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError([Problem(display, 1, 1, "not a regular file (a pipe or a device?): "
                                                    "scenarios and decks must be ordinary files")])
    size = info.st_size
    if size > max_bytes:
        raise ScenarioError([Problem(display, 1, 1,
                                     f"file too big: {size / 1e6:.1f} MB (the limit is {max_bytes / 1e6:.0f} MB); "
                                     "keep bulk map data in an .npz map asset")])
    try:
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise ScenarioError([Problem(display, 1, 1, f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > max_bytes:
        raise ScenarioError([Problem(display, 1, 1, f"file too big (the limit is {max_bytes / 1e6:.0f} MB)")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file as UTF-8"
        raise ScenarioError([Problem(display, line, col, msg)]) from None


# ------------------------------------------------------------------------------- errors

def _char_at(text: str, line0: int, col0: int) -> str:
    lines = text.split("\n")
    if 0 <= line0 < len(lines) and 0 <= col0 < len(lines[line0]):
        return lines[line0][col0]
    return ""


def _continued_from(text: str, mark) -> int | None:
    """The 0-based line where the plain text that runs into the ':' at ``mark`` began, when it
    began on an earlier line (a line indented too far continues the value above it); else None."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Base):
            if token.start_mark.line > mark.line or (token.start_mark.line == mark.line
                                                     and token.start_mark.column >= mark.column):
                break
            last = token
    except yaml.YAMLError:
        pass
    if isinstance(last, yaml.ScalarToken) and last.plain and last.start_mark.line < mark.line:
        return int(last.start_mark.line)
    return None


def explain_yaml_error(exc: Exception, text: str, display: str) -> Problem:
    """A YAML syntax error as a Problem with a sentence a scenario author can act on."""
    problem = (getattr(exc, "problem", None) or str(exc) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    pmark = getattr(exc, "problem_mark", None)
    cmark = getattr(exc, "context_mark", None)
    if pmark is None and hasattr(exc, "position"):          # ReaderError: only a position
        line, col = line_col(text, int(exc.position))
        return Problem(display, line, col, f"a character YAML does not allow here ({getattr(exc, 'reason', '')})")
    mark = pmark or cmark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def at(m):
        return (m.line + 1, m.column + 1) if m is not None else (line, col)

    if "cannot start any token" in problem:
        ch = _char_at(text, mark.line, mark.column) if mark is not None else ""
        if ch == "\t":
            msg = "a tab character: YAML indents with spaces only (replace the tab with spaces)"
        elif ch:
            msg = f"{ch!r} cannot start a plain value: put the value in quotes"
        else:
            msg = "a character that cannot start a value here: put the value in quotes"
    elif "tab" in problem:
        msg = "a tab character: YAML indents with spaces only (replace the tab with spaces)"
    elif "mapping values are not allowed" in problem:
        lines = text.split("\n")
        this = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        indent = len(this) - len(this.lstrip(" "))
        before = this[:mark.column] if mark is not None else ""
        prev = next((ln for ln in reversed(lines[:mark.line] if mark is not None else [])
                     if ln.strip() and not ln.lstrip().startswith("#")), "")
        prev_indent = len(prev) - len(prev.lstrip(" "))
        first = _continued_from(text, mark) if mark is not None else None
        if first is not None:
            # A line indented too far became more text of the value above it, and the error shows
            # only where that text meets a ':': point at the line that went wrong.
            line = first + 2
            wrong = lines[first + 1] if first + 1 < len(lines) else ""
            col = len(wrong) - len(wrong.lstrip(" ")) + 1
            msg = ("bad indentation: this line is indented more than the key above it, so YAML reads it "
                   "as more of that key's value; check that it lines up with the keys above it")
        elif ": " not in before.strip() and indent > prev_indent and not prev.rstrip().endswith(":"):
            line, col = mark.line + 1, indent + 1
            msg = ("bad indentation: this line is indented more than the line above it; "
                   "check that it lines up with the keys above it")
        else:
            msg = ("unexpected ':': a value that contains ': ' must be put in quotes "
                   "(or check that this line lines up with the keys above it)")
    elif "did not find expected key" in problem:
        msg = "bad indentation: check that this line lines up with the keys above it"
    elif "expected '-' indicator" in problem or "expected <block end>" in problem:
        msg = "bad indentation: check that this line lines up with the items or keys above it"
    elif "could not find expected ':'" in problem:
        line, col = at(cmark)
        msg = "a key without ':': add ': ' after the key, or indent this line as part of the value above"
    elif "quoted scalar" in context:
        line, col = at(cmark)
        if "end of stream" in problem or "document" in problem:
            msg = "unclosed quote: this quoted text has no closing quote"
        elif "escape" in problem:
            line, col = at(pmark)
            msg = ("unknown escape sequence in double quotes: write '\\\\' for a backslash, "
                   "or use single quotes")
        else:
            msg = f"bad quoted text: {problem}"
    elif "flow sequence" in context:
        line, col = at(cmark)
        msg = "this '[' list is not closed: end it with ']' (and separate the items with commas)"
    elif "flow mapping" in context:
        line, col = at(cmark)
        msg = "this '{' mapping is not closed: end it with '}' (and separate the entries with commas)"
    elif "undefined alias" in problem:
        name = ""
        if mark is not None:
            lines = text.split("\n")
            rest = lines[mark.line][mark.column:] if mark.line < len(lines) else ""
            m = re.match(r"\*([^\s,\]\}]+)", rest)
            name = m.group(1) if m else ""
        msg = f"unknown alias '*{name}': define it first with '&{name}'" if name else "unknown alias"
    elif "single document" in context or "another document" in problem:
        msg = "only one YAML document per file: remove this '---' line and what follows, or merge it"
    elif "anchor" in problem and "alias" in context:
        msg = f"bad alias: {problem}"
    else:
        msg = "YAML syntax error: " + (f"{problem} ({context})" if context else problem)
    return Problem(display, line, col, msg)


# ------------------------------------------------------------------------------- building

class _Builder:
    def __init__(self, display: str, text_len: int):
        self.display = display
        self.problems: list[Problem] = []
        self.budget = _BASE_VALUE_BUDGET + text_len // 2
        self.count = 0
        self.char_budget = _BASE_CHAR_BUDGET + text_len
        self.chars = 0
        self.active: set[int] = set()

    def loc(self, node):
        m = node.start_mark
        return (self.display, m.line + 1, m.column + 1)

    def problem(self, node, message):
        _, line, col = self.loc(node)
        self.problems.append(Problem(self.display, line, col, message))

    def build(self, node, depth=0):
        self.count += 1
        if self.count > self.budget:
            raise ScenarioError([Problem(self.display, *self.loc(node)[1:],
                                         "too many values: aliases ('*name') expand to more than "
                                         f"{self.budget:,} values")])
        if depth > MAX_DEPTH:
            raise ScenarioError([Problem(self.display, *self.loc(node)[1:],
                                         f"lists and mappings nested more than {MAX_DEPTH} deep")])
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        key = id(node)
        if key in self.active:
            self.problem(node, "an alias refers to the list or mapping that contains it (a loop)")
            return None
        self.active.add(key)
        try:
            if isinstance(node, SequenceNode):
                if node.tag != SEQ:
                    self.problem(node, f"tag {tag_name(node.tag)!r} is not supported: use a plain list")
                out = MList(loc=self.loc(node))
                for item in node.value:
                    out.append(self.build(item, depth + 1))
                    out.vlocs.append(self.loc(item))
                return out
            return self.mapping(node, depth)
        finally:
            self.active.discard(key)

    def scalar(self, node):
        tag, v = node.tag, node.value
        self.chars += len(v)
        if self.chars > self.char_budget:
            raise ScenarioError([Problem(self.display, *self.loc(node)[1:],
                                         "too much text: aliases ('*name') expand to more than "
                                         f"{self.char_budget:,} characters")])
        if tag == PLAIN:
            tag = resolve_plain(v)
        if tag == STR:
            return v
        if tag == INT:
            try:
                sign = -1 if v.startswith("-") else 1
                body = v.lstrip("+-")
                if body.startswith("0x"):
                    return sign * int(body[2:], 16)
                if body.startswith("0o"):
                    return sign * int(body[2:], 8)
                return sign * int(body, 10)
            except ValueError:
                self.problem(node, f"{v!r} is not a whole number")
                return v
        if tag == FLOAT:
            low = v.lower()
            if low in (".inf", "+.inf"):
                return float("inf")
            if low == "-.inf":
                return float("-inf")
            if low == ".nan":
                return float("nan")
            try:
                return float(v)
            except ValueError:
                self.problem(node, f"{v!r} is not a number")
                return v
        if tag == BOOL:
            if v in _TRUE:
                return True
            if v in _FALSE:
                return False
            self.problem(node, f"{v!r} is not true or false")
            return v
        if tag == NULL:
            return None
        if tag == MERGE:
            return v
        hint = ": write dates as plain YYYY-MM-DD" if tag.endswith(":timestamp") else ""
        self.problem(node, f"tag {tag_name(tag)!r} is not supported{hint}")
        return v

    def mapping(self, node, depth):
        if node.tag != MAP:
            self.problem(node, f"tag {tag_name(node.tag)!r} is not supported: use a plain mapping")
        out = MDict(loc=self.loc(node))
        merges = []
        for knode, vnode in node.value:
            if isinstance(knode, ScalarNode) and knode.value == "<<" and knode.tag in (PLAIN, MERGE):
                merges.append(vnode)
                continue
            if not isinstance(knode, ScalarNode):
                self.problem(knode, "a key must be a plain word or number, not a list or mapping")
                continue
            key = self.scalar(knode)
            if key is None:
                self.problem(knode, "empty key: write a name before the ':'")
                continue
            if key in out:
                _, l0, c0 = out.klocs[key]
                self.problem(knode, f"duplicate key {key!r} (first given at line {l0}, column {c0})")
                continue
            out[key] = self.build(vnode, depth + 1)
            out.klocs[key] = self.loc(knode)
            out.vlocs[key] = self.loc(vnode)
        for vnode in merges:                  # '<<: *base' or '<<: [*a, *b]': explicit keys win
            sources = vnode.value if isinstance(vnode, SequenceNode) else [vnode]
            for src in sources:
                if not isinstance(src, MappingNode):
                    self.problem(src, "'<<' merges mappings only: write '<<: *name' for an anchored mapping")
                    continue
                merged = self.build(src, depth + 1)
                if not isinstance(merged, MDict):
                    continue
                for k, v in merged.items():
                    if k not in out:
                        out[k] = v
                        out.klocs[k] = merged.klocs.get(k, merged.loc)
                        out.vlocs[k] = merged.vlocs.get(k, merged.loc)
        return out


def parse_text(text: str, display: str):
    """Parse YAML text into MDict/MList/plain values; None for an empty document.

    Raises ScenarioError with every problem found (syntax errors stop at the first)."""
    bad = _BAD_CHARS.search(text)
    if bad:
        line, col = line_col(text, bad.start())
        msg = f"a control character (U+{ord(bad.group()):04X}) is not allowed in YAML: delete it"
        raise ScenarioError([Problem(display, line, col, msg)])
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise ScenarioError([explain_yaml_error(exc, text, display)]) from None
        finally:
            loader.dispose()
        if node is None:
            return None
        builder = _Builder(display, len(text))
        try:
            value = builder.build(node)
        except RecursionError:
            raise ScenarioError([Problem(display, 1, 1, "lists and mappings nested too deeply")]) from None
        if builder.problems:
            raise ScenarioError(builder.problems)
        return value
    finally:
        if gc_was_on:
            gc.enable()


def load_file(path, display: str | None = None, max_bytes: int = MAX_BYTES):
    """Read and parse one YAML file (see :func:`parse_text`)."""
    display = str(path) if display is None else display
    return parse_text(read_text(Path(path), display, max_bytes), display)


def to_plain(value):
    """A deep copy as plain dicts and lists (no marks)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
