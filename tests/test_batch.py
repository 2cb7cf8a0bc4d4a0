"""The batch tool (python main.py batch): rows, parquet, resuming, failures, Ctrl-C, a local
Dask cluster, the report; and the front's latitude along each meridian (game/sim/front.py)."""

import datetime as dt
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from game.batch.backends import Backend, dask_cluster
from game.batch.errors import BatchError
from game.batch.plan import Plan, ScenarioInfo, scenario_info
from game.batch.players import ai_label, parse_ai
from game.batch.report import write_report
from game.batch.rows import Task, play_run
from game.batch.runner import play_all
from game.batch.stats import mean_ci, mean_difference, share_difference, wilson
from game.batch.store import SCHEMA, RunStore
from game.cli import main
from game.engine.errors import GameError
from game.sim.arc import REFERENCE, arc_error, point_errors, war_reference
from game.sim.front import front_latitudes, mainland_korea, mean_front_latitude

ROOT = Path(__file__).resolve().parents[1]
SMALL = str(ROOT / "tests" / "scenarios" / "small_front.yaml")
AI = {"un": "baseline", "communist": "baseline"}
VARYING = {"run_seconds"}          # the one column that may differ between two batches
NEW_SINCE_1 = {"front_km", "front_km_mean", "front_month_km", "city_checks", "city_right", "level"}


def _rows(path) -> list:
    """The rows of a runs.parquet by (scenario, seed), as JSON text (NaN equals NaN there)."""
    rows = sorted(pq.read_table(path).to_pylist(), key=lambda r: (r["scenario"], r["seed"]))
    return [json.dumps({k: v for k, v in r.items() if k not in VARYING}, default=str) for r in rows]


# ------------------------------------------------------------------------------ the front

def test_front_latitude_on_a_hand_built_owner_array(meridian_columns):
    U, C, sea = 1, 2, None
    cols = [
        [U, U, U, U, C, C, C],              # 0: one boundary, between 37.3 and 37.4
        [U, C, U, U, U, C, C, C, C],        # 1: a Communist pocket in the south does not move it
        [C, C, C, C],                       # 2: one side only: no front
        [sea, sea, sea],                    # 3: no Korean land
        [U, U, sea, sea, sea, C, C],        # 4: the sides meet across water: no front
        [U, C, C, U, U, C],                 # 5: two splits fit as well: midway between them
        [C, C, C, C, U],                    # 6: UN only in a pocket at the north end: no front
        [0, U, 0, C, 0],                    # 7: ground held by nobody is left out
    ]
    owner, lat, lon, korea = meridian_columns(cols)
    f = front_latitudes(owner, lat, lon, korea, edges=124.5 + 0.25 * np.arange(len(cols) + 1))
    assert f[0] == pytest.approx(37.35)
    assert f[1] == pytest.approx(37.45)
    assert np.isnan(f[2]) and np.isnan(f[3]) and np.isnan(f[4]) and np.isnan(f[6])
    assert f[5] == pytest.approx((37.05 + 37.45) / 2)
    assert f[7] == pytest.approx(37.2)
    assert mean_front_latitude(f) == pytest.approx(np.nanmean(f))
    assert math.isnan(mean_front_latitude([np.nan, np.nan]))


def test_front_along_default_meridians_and_a_hex_outside_them(meridian_columns):
    owner, lat, lon, korea = meridian_columns([[1, 1, 2, 2]])
    lon = lon + 10.0                                  # east of 130 E: in no bin
    f = front_latitudes(owner, lat, lon, korea)
    assert f.shape == (22,) and np.isnan(f).all()


def test_mainland_leaves_out_islands():
    # A strip of five hexes: 0-1-2 joined, 3 sea, 4 an island; 5 is Chinese land next to 2.
    neighbors = np.full((6, 6), -1)
    for a, b in ((0, 1), (1, 2), (2, 3), (3, 4), (2, 5)):
        neighbors[a, list(neighbors[a]).index(-1)] = b
        neighbors[b, list(neighbors[b]).index(-1)] = a
    land = np.array([1, 1, 1, 0, 1, 1], bool)
    region = np.array([1, 1, 2, 0, 1, 3])
    assert mainland_korea(land, region, neighbors, (1, 2)).tolist() == [True, True, True, False, False, False]


# ------------------------------------------------------------------------------ pieces

def test_confidence_intervals():
    p, lo, hi = wilson(0, 10)
    assert p == 0 and lo == 0 and hi == pytest.approx(0.2775, abs=1e-4)
    p, lo, hi = wilson(5, 10)
    assert (lo, hi) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    d, lo, hi = share_difference(10, 20, 15, 20)
    assert d == pytest.approx(0.25) and lo < 0 < hi < 0.6
    m, lo, hi = mean_ci([1.0, 2.0, 3.0])
    assert m == 2 and lo == pytest.approx(2 - 4.303 / math.sqrt(3), abs=1e-3)
    d, lo, hi = mean_difference([1, 2, 3, 4], [11, 12, 13, 14])
    assert d == 10 and 7 < lo < hi < 13
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_ai_choice():
    default = {"un": "operational", "communist": "operational"}     # the registry's default AI
    assert parse_ai(None) == default
    assert parse_ai(["default"]) == default
    assert parse_ai(["communist=baseline"]) == {"un": "operational", "communist": "baseline"}
    assert parse_ai(["baseline"]) == AI
    assert ai_label(AI) == "un=baseline,communist=baseline"
    with pytest.raises(GameError, match="no AI named 'clever'"):
        parse_ai(["clever"])
    with pytest.raises(GameError, match="not 'red'"):
        parse_ai(["red=baseline"])


def test_arc_error_counts_only_dates_measured():
    exact = [(s, n) for _, s, n in REFERENCE]
    assert arc_error(exact) == 0.0
    assert arc_error([None] * len(REFERENCE)) is None
    off = [(min(1.0, s + 0.1), n) for s, n in exact[:2]] + [None] * (len(REFERENCE) - 2)
    assert arc_error(off) == pytest.approx(0.05)
    assert point_errors(off)[2] is None


def test_a_failed_run_is_recorded_and_the_batch_goes_on(tmp_path):
    tasks = [Task("small_front", SMALL, 1, AI), Task("small_front", str(tmp_path / "gone.yaml"), 2, AI),
             Task("small_front", SMALL, 3, AI)]
    store = RunStore(tmp_path / "out")
    with ThreadPoolExecutor(1) as pool:
        play_all(Backend(pool, 1, "threads", lambda: None), tasks, store.add)
    store.merge()
    rows = {r["seed"]: r for r in store.read().to_pylist()}
    assert [rows[s]["status"] for s in (1, 2, 3)] == ["ok", "error", "ok"]
    assert "gone.yaml" in rows[2]["error"] and rows[2]["winner"] is None
    assert rows[1]["final_hash"] and rows[3]["final_hash"]


def test_each_chunk_is_a_valid_file_and_a_killed_batch_is_merged_next_time(tmp_path):
    row = play_run(Task("small_front", SMALL, 5, AI))
    store = RunStore(tmp_path, chunk_rows=2)
    for seed in (1, 2, 3):
        store.add({**row, "seed": seed})
    parts = list((tmp_path / "parts").glob("part-*.parquet"))
    assert len(parts) == 1 and pq.read_table(parts[0]).num_rows == 2   # the third is held in memory
    # Killed here: the next batch in the same directory merges what was written.
    again = RunStore(tmp_path)
    again.merge()
    assert sorted(again.read(["seed"]).column("seed").to_pylist()) == [1, 2]
    assert not list((tmp_path / "parts").glob("*"))
    # A newer row of the same run replaces the older one.
    again.add({**row, "seed": 2, "status": "error", "error": "boom"})
    again.merge()
    t = again.read().to_pylist()
    assert len(t) == 2 and {r["seed"]: r["status"] for r in t} == {1: "ok", 2: "error"}


@pytest.mark.slow
def test_report_of_two_scenarios(tmp_path):
    def info(sid):
        return ScenarioInfo(sid, f"title of {sid}", sid, dt.date(1950, 6, 25), dt.date(1953, 7, 27),
                            {"a": "Card A", "b": "Card B", "c": "Card C"},
                            "history" if sid == "base" else "Korea united")

    plan = Plan((info("base"), info("whatif")), range(1, 21), AI)
    rng = np.random.default_rng(0)
    war = war_reference()
    checks = war.city_checks()
    rows = []
    for sid, p_un in (("base", 0.3), ("whatif", 0.7)):
        for seed in plan.seeds:
            dates = [dt.date(1950 + m // 12, 1 + m % 12, 1) for m in range(6, 40)]
            rows.append({"scenario": sid, "seed": seed, "status": "ok", "error": None,
                         "winner": "un" if rng.random() < p_un else "communist", "level": "marginal",
                         "reason": "the end",
                         "end": dt.date(1953, 7, 27), "turns": 100, "vp_un": rng.normal(50, 10),
                         "vp_communist": rng.normal(60, 10), "margin_vs_history": rng.normal(0, 5),
                         "losses_un": 100, "losses_communist": 120, "cards": ["a", "b"] if seed % 2 else ["a"],
                         "card_dates": [dt.date(1950, 7, 1), dt.date(1950, 9, 1 + seed)][:1 + seed % 2],
                         "front_dates": dates, "front_mean_lat": list(38 + rng.normal(0, 1, len(dates))),
                         "arc_south": [0.8] + [0.1] * (len(REFERENCE) - 1), "arc_north": [0.0] * len(REFERENCE),
                         "arc_error": 0.1, "front_km": list(rng.gamma(2, 20, len(war.front_lines))),
                         "front_km_mean": 40.0, "front_month_km": [None] + [30.0] * (len(dates) - 1),
                         "city_checks": [bool(rng.random() < 0.8) for _ in checks], "city_right": 0.8,
                         "run_seconds": 1.0})
    rows.append({**rows[0], "seed": 21, "status": "error", "error": "ValueError: boom (x.py:1 in f)"})
    write_report(tmp_path / "report.html", plan, rows, "test", "python main.py batch base whatif")
    page = (tmp_path / "report.html").read_text()
    for heading in ("Outcomes", "Victory points", "The front over time", "Event cards",
                    "What-ifs against base", "The front against the war's lines", "The arc of the war", "Failed runs"):
        assert f"<h2>{heading}" in page
    assert "The Military Demarcation Line" in page and "front distance from the war" in page
    assert page.count("data:image/png;base64,") >= 8
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "ValueError: boom" in page and "Card C" in page
    # Each scenario's margin is named after its own benchmark.
    assert "VP margin against history</td><td>base" in page
    assert "VP margin against Korea united</td><td>whatif" in page


def test_a_plan_names_each_scenarios_benchmark():
    assert scenario_info("korea_1950_1953").benchmark == "history"
    assert scenario_info("whatif_china_stays_out").benchmark == "Korea united"


# ------------------------------------------------------------------------------ end to end

@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    rc = main(["batch", SMALL, "--runs", "3", "--first-seed", "2", "--workers", "2", "--out", str(out)])
    assert rc == 0
    return out


@pytest.mark.slow
def test_batch_writes_parquet_and_report(local_batch, capsys):
    t = pq.read_table(local_batch / "runs.parquet")
    assert t.schema.equals(SCHEMA, check_metadata=False) and t.num_rows == 3
    assert json.loads(t.schema.metadata[b"front_lon_edges"])[0] == 124.5
    rows = {r["seed"]: r for r in t.to_pylist()}
    assert set(rows) == {2, 3, 4}
    r = rows[3]
    assert r["status"] == "ok" and r["ai"] == "un=operational,communist=operational"
    assert len(r["front_dates"]) == len(r["front_lat"]) == len(r["front_mean_lat"]) >= 1
    assert len(r["front_lat"][0]) == 22 and len(r["arc_south"]) == len(REFERENCE)
    war = war_reference()
    assert len(r["front_km"]) == len(war.front_lines) and r["front_km"][0] is not None   # June-July 1950
    assert r["front_km"][-1] is None and r["front_km_mean"] == pytest.approx(r["front_km"][0])
    assert len(r["front_month_km"]) == len(r["front_dates"])
    assert len(r["city_checks"]) == len(war.city_checks()) and 0 <= r["city_right"] <= 1
    pd = pytest.importorskip("pandas")
    df = pd.read_parquet(local_batch / "runs.parquet")
    assert list(df.columns) == SCHEMA.names and len(df) == 3
    page = (local_batch / "report.html").read_text()
    assert "Batch report" in page and "data:image/png;base64," in page and "small_front" in page


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4])
def test_a_row_equals_simulate(local_batch, tmp_path, seed):
    out = tmp_path / "sim.json"
    subprocess.run([sys.executable, "main.py", "simulate", SMALL, "--seed", str(seed), "--quiet",
                    "--json", str(out)], cwd=ROOT, check=True, capture_output=True)
    sim = json.loads(out.read_text())
    row = next(r for r in pq.read_table(local_batch / "runs.parquet").to_pylist() if r["seed"] == seed)
    assert row["final_hash"] == sim["final_hash"]
    assert (row["winner"], row["level"], row["reason"], row["end"].isoformat(), row["turns"]) == \
        (sim["result"]["winner"], sim["result"]["level"], sim["result"]["reason"], sim["end"], sim["turns"])
    assert (row["vp_un"], row["vp_communist"]) == (sim["result"]["vp"]["un"], sim["result"]["vp"]["communist"])
    assert (row["losses_un"], row["losses_communist"]) == (sim["losses"]["un"], sim["losses"]["communist"])
    assert row["cards"] == [e["id"] for e in sim["events"]]


@pytest.mark.slow
def test_the_same_out_skips_runs_already_there(local_batch, capsys):
    before = _rows(local_batch / "runs.parquet")
    rc = main(["batch", SMALL, "--runs", "4", "--first-seed", "2", "--workers", "1", "--out", str(local_batch)])
    assert rc == 0
    assert "3 already in" in capsys.readouterr().out
    after = _rows(local_batch / "runs.parquet")
    assert len(after) == 4 and [r for r in after if '"seed": 5,' not in r] == before


def test_bad_input_is_one_line(tmp_path, capsys):
    for argv, words in ((["--runs", "1", "--ai", "clever"], "no AI named"), (["--runs", "0"], "at least 1"),
                        (["--runs", "1", "--workers", "0"], "at least 1")):
        rc = main(["batch", SMALL, "--out", str(tmp_path)] + argv)
        err = capsys.readouterr().err
        assert rc == 1 and words in err and err.count("\n") == 1, (argv, err)
    assert main(["batch", "no_such_scenario", "--runs", "1", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("error: ")
    other = tmp_path / "other"
    (other / "runs.parquet").parent.mkdir()
    (other / "runs.parquet").write_text("not parquet")
    assert main(["batch", SMALL, "--runs", "1", "--out", str(other)]) == 1
    assert "not a Parquet file" in capsys.readouterr().err


def test_a_directory_of_another_format_or_reference_is_refused(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    first = pa.schema([f for f in SCHEMA if f.name not in NEW_SINCE_1], metadata={"format": "korea-war-batch/1"})
    pq.write_table(first.empty_table(), old / "runs.parquet")
    with pytest.raises(BatchError, match="korea-war-batch/1, not korea-war-batch/3.*use another --out"):
        RunStore(old)
    moved = tmp_path / "moved"
    moved.mkdir()
    other_lines = {**SCHEMA.metadata, b"front_reference": b"[]"}
    pq.write_table(SCHEMA.with_metadata(other_lines).empty_table(), moved / "runs.parquet")
    with pytest.raises(BatchError, match="measured against other reference lines"):
        RunStore(moved)


@pytest.mark.slow
def test_ctrl_c_leaves_a_valid_parquet_and_the_batch_goes_on(tmp_path, capsys):
    argv = ["batch", SMALL, "--runs", "500", "--workers", "1", "--out", str(tmp_path)]
    # Python keeps SIGINT ignored when its parent ignored it (a shell's background job): undo that.
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from game.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert "to play on" in proc.stdout.readline()     # planned, workers starting: let some runs finish
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    done = pq.read_table(tmp_path / "runs.parquet").num_rows
    assert done < 500
    # The same directory goes on from there (here with a smaller batch, to stay quick).
    argv[3] = str(done + 1)
    assert main(argv) == 0
    assert f"{done} already in" in capsys.readouterr().out
    assert pq.read_table(tmp_path / "runs.parquet").num_rows == done + 1


# ------------------------------------------------------------------------------ Dask

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory):
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}          # the workers import this checkout's game
    logs = tmp_path_factory.mktemp("dask")
    commands = ([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--dashboard-address", ":0"],
                [sys.executable, "-m", "dask", "worker", address, "--nworkers", "1", "--nthreads", "1",
                 "--dashboard-address", ":0"])
    procs = []
    try:
        for name, cmd in zip(("scheduler", "worker"), commands, strict=True):
            with open(logs / f"{name}.log", "w") as log:
                procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log))
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.mark.slow
def test_a_local_dask_cluster_gives_the_same_rows(local_batch, dask_scheduler, tmp_path):
    rc = main(["batch", SMALL, "--runs", "3", "--first-seed", "2", "--scheduler", dask_scheduler,
               "--out", str(tmp_path)])
    assert rc == 0
    local = [r for r in _rows(local_batch / "runs.parquet") if '"seed": 5,' not in r]
    assert _rows(tmp_path / "runs.parquet") == local


def test_no_scheduler_is_one_line():
    pytest.importorskip("distributed")
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
        with dask_cluster(f"tcp://127.0.0.1:{_free_port()}", timeout=1):
            pass
