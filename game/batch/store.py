"""A batch's rows on disk: ``DIR/runs.parquet`` with one row per run, and ``DIR/parts/``.

Rows are kept in memory only until a chunk is full (``chunk_rows`` or ``chunk_seconds``);
each chunk becomes one part file, written whole and renamed into place, so a part on disk is
always a valid Parquet file. :meth:`RunStore.merge` streams ``runs.parquet`` and the parts,
one row group at a time, into a new ``runs.parquet`` (renamed into place, then the parts are
removed): memory does not grow with the number of runs. A row replaces an older row of the
same (scenario, seed). A batch killed outright leaves its last chunks in ``parts/``; the next
batch with the same directory merges them first.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..sim.arc import REFERENCE, war_reference
from ..sim.front import MERIDIAN_EDGES
from .errors import BatchError

# /2 added the distance from the war as it was (front_km ... city_right), /3 the result's level
# (decisive, marginal, draw: game/rules/victory.py). A directory written by
# another format, or measured against other reference lines or city checks, is refused with
# the reason: its rows could not be merged or compared with new ones (use another --out).
FORMAT = "korea-war-batch/3"
_date_list = pa.list_(pa.date32())
_float_list = pa.list_(pa.float32())
_WAR = war_reference()

SCHEMA = pa.schema([
    ("scenario", pa.string()),          # the scenario's id
    ("seed", pa.int64()),
    ("ai", pa.string()),                # "un=baseline,communist=baseline"
    ("status", pa.string()),            # "ok" or "error"
    ("error", pa.string()),             # the exception and where, for status "error"
    ("winner", pa.string()),            # "un", "communist" or "draw"
    ("level", pa.string()),             # "decisive", "marginal" or "draw" (null: not over)
    ("reason", pa.string()),
    ("end", pa.date32()),               # the game's last day
    ("turns", pa.int32()),
    ("vp_un", pa.float64()),
    ("vp_communist", pa.float64()),
    ("margin_vs_history", pa.float64()),
    ("losses_un", pa.int64()),          # steps lost
    ("losses_communist", pa.int64()),
    ("final_hash", pa.string()),        # GameState.hash() at the end, as simulate prints it
    ("cards", pa.list_(pa.string())),   # ids of the cards fired, in order
    ("card_dates", _date_list),         # the date each fired
    ("front_dates", _date_list),        # the first turn of each month
    ("front_lat", pa.list_(_float_list)),   # per front date, per meridian bin; NaN: no front
    ("front_mean_lat", _float_list),    # per front date: mean over the bins with a front
    ("arc_south", _float_list),         # per arc reference date: Communist share of the South
    ("arc_north", _float_list),         # ... UN share of the North (null: outside the scenario)
    ("arc_error", pa.float64()),        # mean distance from the reference arc
    ("front_km", _float_list),          # per reference line: median distance (km) on its date (null: outside)
    ("front_km_mean", pa.float64()),    # their mean
    ("front_month_km", _float_list),    # per front date: distance from the line standing then (null: none)
    ("city_checks", pa.list_(pa.bool_())),  # per city check: the city held by the side on record (null: outside)
    ("city_right", pa.float64()),       # share of the city checks made that were right
    ("run_seconds", pa.float64()),      # wall time of the run (the only column that varies)
], metadata={
    "format": FORMAT,
    "front_lon_edges": json.dumps([float(e) for e in MERIDIAN_EDGES]),
    "arc_reference_dates": json.dumps([d for d, _, _ in REFERENCE]),
    "front_reference": json.dumps([[line.date.isoformat(), line.name] for line in _WAR.front_lines]),
    "city_checks": json.dumps([[_WAR.cities[c.city].name, c.date.isoformat(), c.side] for c in _WAR.city_checks()]),
})
_MEASURED_AGAINST = (b"front_reference", b"city_checks")

KEY = ("scenario", "seed")


class RunStore:
    def __init__(self, out_dir, chunk_rows: int = 32, chunk_seconds: float = 30.0):
        self.dir = Path(out_dir)
        self.path = self.dir / "runs.parquet"
        self.parts = self.dir / "parts"
        self.chunk_rows, self.chunk_seconds = chunk_rows, chunk_seconds
        self._rows, self._since = [], time.monotonic()
        self._seq = 0
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BatchError(f"cannot write to {self.dir}: {exc.strerror}") from None
        for f in self._files():
            _check_schema(f)

    # --- what is there -----------------------------------------------------------------
    def existing(self) -> dict:
        """{(scenario, seed): (status, ai)} of every run stored (merged or in parts)."""
        out = {}
        for f in self._files():
            t = pq.read_table(f, columns=[*KEY, "status", "ai"])
            for sc, seed, status, ai in zip(*(t.column(c).to_pylist() for c in (*KEY, "status", "ai")), strict=True):
                out[(sc, seed)] = (status, ai)
        return out

    def _files(self) -> list:
        return ([self.path] if self.path.exists() else []) + self._part_files()

    def _part_files(self) -> list:
        return sorted(self.parts.glob("part-*.parquet"))

    # --- writing -------------------------------------------------------------------------
    def add(self, row: dict) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.chunk_rows or time.monotonic() - self._since >= self.chunk_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far as one part file (whole, or not at all)."""
        if self._rows:
            self._seq += 1
            name = f"part-{time.time_ns():020d}-{os.getpid()}-{self._seq:06d}.parquet"
            _write_atomic(self.parts / name, [pa.Table.from_pylist(self._rows, schema=SCHEMA)])
            self._rows = []
        self._since = time.monotonic()

    def merge(self) -> None:
        """Fold the parts into runs.parquet, streaming (see the module's doc)."""
        self.flush()
        parts = self._part_files()
        if not parts:
            if not self.path.exists():          # a batch with no run finished yet: no rows
                _write_atomic(self.path, [])
            return
        last = {}                       # key -> index of the newest part that has it
        for i, f in enumerate(parts):
            t = pq.read_table(f, columns=list(KEY))
            for key in zip(*(t.column(c).to_pylist() for c in KEY), strict=True):
                last[key] = i
        sources = [(self.path, lambda key: key not in last)] if self.path.exists() else []
        sources += [(f, lambda key, i=i: last[key] == i) for i, f in enumerate(parts)]
        _write_atomic(self.path, _filtered_batches(sources))
        for f in parts:
            f.unlink()

    def read(self, columns=None) -> pa.Table:
        """The merged rows (call :meth:`merge` first), only ``columns`` if given."""
        return pq.read_table(self.path, columns=columns) if self.path.exists() else SCHEMA.empty_table()


def _filtered_batches(sources):
    """Record batches of each file in turn, keeping the rows whose key ``keep`` accepts."""
    for path, keep in sources:
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches():
            keys = zip(*(batch.column(c).to_pylist() for c in KEY), strict=True)
            mask = pa.array([keep(k) for k in keys], type=pa.bool_())
            batch = batch.filter(mask)
            if batch.num_rows:
                yield batch


def _write_atomic(path: Path, tables_or_batches) -> None:
    """Write a Parquet file beside ``path`` and rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with pq.ParquetWriter(tmp, SCHEMA) as writer:
            for t in tables_or_batches:
                if isinstance(t, pa.Table):
                    writer.write_table(t)
                else:
                    writer.write_batch(t)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _check_schema(path: Path) -> None:
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise BatchError(f"{path}: not a Parquet file ({exc})") from None
    meta = schema.metadata or {}
    if not schema.equals(SCHEMA, check_metadata=False) or meta.get(b"format") != FORMAT.encode():
        found = meta.get(b"format", b"no format").decode(errors="replace")
        raise BatchError(f"{path}: written by another version of the batch tool ({found}, not {FORMAT}: "
                         f"its columns differ): use another --out")
    if any(meta.get(key) != SCHEMA.metadata[key] for key in _MEASURED_AGAINST):
        raise BatchError(f"{path}: measured against other reference lines or city checks "
                         f"(scenarios/reference/ has changed since): use another --out")
