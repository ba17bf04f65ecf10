"""What the Spark tests share, made once per `python -m tests`: one SparkSession on local[2],
the pipelines (the examples and ones written here), each one's Spark plan and the CLI's result
(`npx quiver run --output`), all from one Node process (scripts/spark-test-cli.ts), and the
comparison of a Spark result with the CLI's."""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest
from argparse import Namespace

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from quiver_spark.__main__ import session
from quiver_spark.plan import Plan, load_plan
from quiver_spark.runner import Runner

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = os.path.join(ROOT, "node_modules", "vega-datasets", "data")
EXAMPLES = ["flights-by-origin", "seattle-weather", "flights-delay-by-distance"]
#: Modules of seattle-weather also run in their ABI 1 build (a WASI command per run).
V1_MODULES = ["csv", "filter", "derive"]
#: The join module's join types, each a pipeline of its own (flights-airports-<how>).
HOWS = ["inner", "left", "right", "full", "semi", "anti"]
#: Rows of flights.csv: every 100th flight of flights-3m.parquet.
FLIGHTS_STRIDE = 100

_state: dict = {}


def state() -> dict:
    """The shared fixtures, made on first use: tmp, modules, v1, spark."""
    if "spark" not in _state:
        _setup()
    return _state


def _setup() -> None:
    if "failed" in _state:
        raise RuntimeError(f"the shared set-up failed before: {_state['failed']}")
    try:
        _make()
    except Exception as error:
        _state["failed"] = str(error)[-500:]
        raise


def _make() -> None:
    tmp = tempfile.mkdtemp(prefix="quiver-test-spark-")
    modules = os.path.join(tmp, "modules")
    shutil.copytree(os.path.join(ROOT, "public", "modules"), modules)
    subprocess.run(
        [
            "clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor",
            "-Wl,--strip-all", "-o", os.path.join(modules, "spin.wasm"),
            os.path.join(ROOT, "test-fixtures", "spark", "spin.c"),
        ],
        check=True,
    )
    v1 = os.path.join(tmp, "v1")
    shutil.copytree(modules, v1)
    _state.update(tmp=tmp, modules=modules, v1=v1)
    names = _write_pipelines(tmp)
    runs = []
    for name in names:
        doc = pipeline_path(name)
        runs.append(["run", doc, "--engine", "spark", "--plan", os.path.join(tmp, f"{name}.plan.json")])
        if name != "seattle-bypass":
            runs.append(["run", doc, "--output", os.path.join(tmp, f"{name}.arrow")])
    jobs = os.path.join(tmp, "jobs.json")
    with open(jobs, "w", encoding="utf-8") as handle:
        json.dump({"runs": runs, "v1": {"dir": v1, "modules": V1_MODULES}}, handle)
    done = subprocess.run(
        ["npx", "tsx", "scripts/spark-test-cli.ts", jobs], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/spark-test-cli.ts: {done.stderr[-3000:]}")
    _state["spark"] = session(Namespace(master="local[2]", driver_memory="1g"))


def teardown() -> None:
    if "spark" in _state:
        _state["spark"].stop()
    if "tmp" in _state:
        shutil.rmtree(_state["tmp"], ignore_errors=True)
    _state.clear()


def pipeline_path(name: str) -> str:
    path = os.path.join(ROOT, "examples", f"{name}.quiver.json")
    return path if os.path.exists(path) else os.path.join(_state["tmp"], f"{name}.quiver.json")


# --- pipelines ---------------------------------------------------------------------------


def _step(step_id: str, module_id: str, params: dict, **extra) -> dict:
    return {
        "id": step_id,
        "moduleId": module_id,
        "params": params,
        "permissions": {"storage": "none", "clock": "none", "random": "none"},
        "limits": {"timeoutMs": 120000, "maxMemoryMiB": 1024},
        "position": {"x": 0, "y": 0},
        **extra,
    }


def _edge(source: str, source_port: str, target: str, target_port: str) -> dict:
    return {
        "id": f"{source}-{target}-{target_port}",
        "from": {"step": source, "port": source_port},
        "to": {"step": target, "port": target_port},
    }


def _doc(name: str, steps: list[dict], edges: list[dict]) -> dict:
    return {"format": "quiver-pipeline", "version": 3, "id": name, "name": name, "steps": steps, "edges": edges}


def _csv_source(step_id: str, uri: str, **csv_params) -> tuple[list[dict], list[dict]]:
    """A source step `<id>` and its csv step `<id>Csv`."""
    steps = [_step(step_id, "source", {"uri": uri}), _step(f"{step_id}Csv", "csv", csv_params)]
    return steps, [_edge(step_id, "bytes", f"{step_id}Csv", "csv")]


def _write_data(tmp: str) -> dict[str, str]:
    """flights.csv (every 100th flight, strings quoted: RFC 4180 quotes to count) and
    notes.csv (quoted fields holding line breaks and doubled quotes), both large enough to be
    read in several splits."""
    flights = pq.read_table(os.path.join(DATA, "flights-3m.parquet"))
    sample = flights.take(pa.array(range(0, flights.num_rows, FLIGHTS_STRIDE)))
    paths = {"flights": os.path.join(tmp, "flights.csv"), "notes": os.path.join(tmp, "notes.csv")}
    pacsv.write_csv(sample, paths["flights"])
    with open(paths["notes"], "w", encoding="utf-8", newline="") as handle:
        handle.write("id,note,value\n")
        for i in range(6000):
            note = f'"line {i}\nsaid ""hi"", then\r\nleft"' if i % 3 == 0 else f"plain {i}"
            handle.write(f"{i},{note},{i * 0.5}\n")
    return paths


def _write_pipelines(tmp: str) -> list[str]:
    """Writes the pipelines made here; returns every pipeline's name (the examples too)."""
    data = _write_data(tmp)
    docs: dict[str, dict] = {}
    flights_steps, flights_edges = _csv_source("flights", data["flights"])
    # Airports: ORD read as null (a null key never matches); latitude also as `distance`, a
    # name the flights have too (both get a suffix).
    airports_steps, airports_edges = _csv_source("airports", "sample:airports.csv", nullTokens=["", "ORD"])
    airports_steps.append(_step("airportsDerive", "derive", {"column": "distance", "expression": "latitude"}))
    airports_edges.append(_edge("airportsCsv", "out", "airportsDerive", "in"))
    for how in HOWS:
        join = _step("join", "join", {"how": how, "keys": [{"left": "origin", "right": "iata"}]})
        docs[f"flights-airports-{how}"] = _doc(
            f"flights-airports-{how}",
            [*flights_steps, *airports_steps, join],
            [*flights_edges, *airports_edges, _edge("flightsCsv", "out", "join", "left"), _edge("airportsDerive", "out", "join", "right")],
        )
    # Two key pairs: origin = origin (one column, USING) and destination = dest.
    routes_steps, routes_edges = _csv_source("routes", "sample:flights-airport.csv")
    routes_steps.append(_step("routesRename", "select", {"rename": [{"name": "destination", "as": "dest"}]}))
    routes_edges.append(_edge("routesCsv", "out", "routesRename", "in"))
    keys = [{"left": "origin", "right": "origin"}, {"left": "destination", "right": "dest"}]
    docs["flights-routes-full"] = _doc(
        "flights-routes-full",
        [*flights_steps, *routes_steps, _step("join", "join", {"how": "full", "keys": keys, "leftSuffix": "_l"})],
        [*flights_edges, *routes_edges, _edge("flightsCsv", "out", "join", "left"), _edge("routesRename", "out", "join", "right")],
    )
    # Union by name: flights, then its long delays with a float column the first lacks.
    docs["flights-union"] = _doc(
        "flights-union",
        [
            *flights_steps,
            _step("late", "filter", {"expression": "delay > 300"}),
            _step("hours", "derive", {"column": "delay_h", "expression": "delay / 60"}),
            _step("union", "union", {"by": "name"}),
        ],
        [
            *flights_edges,
            _edge("flightsCsv", "out", "late", "in"),
            _edge("late", "out", "hours", "in"),
            _edge("flightsCsv", "out", "union", "first"),
            _edge("hours", "out", "union", "second"),
        ],
    )
    notes_steps, notes_edges = _csv_source("notes", data["notes"])
    docs["notes"] = _doc("notes", notes_steps, notes_edges)
    # seattle-weather with its filter bypassed (passes its input through).
    with open(os.path.join(ROOT, "examples", "seattle-weather.quiver.json"), encoding="utf-8") as handle:
        bypassed = json.load(handle)
    bypassed.update(version=3, id="seattle-bypass")
    next(s for s in bypassed["steps"] if s["id"] == "filter")["bypass"] = True
    docs["seattle-bypass"] = bypassed
    # The same without its filter, for the CLI's result: the CLI's run of a pipeline with a
    # bypassed step ends with status 1 and writes no --output (runtime/run.ts: a skipped step
    # makes the run not ok).
    without = copy.deepcopy(bypassed)
    without.update(id="seattle-nofilter", steps=[s for s in without["steps"] if s["id"] != "filter"])
    without["edges"] = [e for e in without["edges"] if e["from"]["step"] != "filter"]
    next(e for e in without["edges"] if e["to"]["step"] == "filter").update(to={"step": "derive", "port": "in"})
    docs["seattle-nofilter"] = without
    # seattle-weather with a count_distinct, which has no partial mode.
    with open(os.path.join(ROOT, "examples", "seattle-weather.quiver.json"), encoding="utf-8") as handle:
        distinct = json.load(handle)
    aggregate = next(s for s in distinct["steps"] if s["id"] == "aggregate")
    aggregate["params"]["aggregates"].append({"name": "winds", "op": "count_distinct", "column": "wind"})
    docs["seattle-distinct"] = distinct
    for name, doc in docs.items():
        with open(os.path.join(tmp, f"{name}.quiver.json"), "w", encoding="utf-8") as handle:
            json.dump(doc, handle)
    return [*EXAMPLES, *docs]


# --- runs and comparisons ----------------------------------------------------------------


def plan_of(name: str) -> Plan:
    return load_plan(os.path.join(state()["tmp"], f"{name}.plan.json"))


def run(plan: Plan, modules: str | None = None, log=lambda text: None) -> tuple[Runner, pa.Table]:
    """Runs `plan` in the shared session; its first result as a table."""
    runner = Runner(state()["spark"], plan, modules or state()["modules"], log=log)
    runner.build()
    step_id, port = plan.results[0]
    return runner, runner.result(step_id, port).toArrow()


def run_named(name: str) -> tuple[Runner, pa.Table]:
    """The run of a pipeline, done once and shared by the tests that look at it."""
    key = ("run", name)
    if key not in _state:
        _state[key] = run(plan_of(name))
    return _state[key]


def cli_table(name: str) -> pa.Table:
    with pa.OSFile(os.path.join(state()["tmp"], f"{name}.arrow")) as source:
        return pa.ipc.open_stream(source).read_all()


def assert_same_rows(test: unittest.TestCase, expected: pa.Table, actual: pa.Table, ordered: bool = True) -> None:
    """The same columns and rows: integers and strings equal, floats within 1e-9 relative.
    Unordered: both sorted by every column first (where the pipeline defines no order)."""
    test.assertEqual(expected.column_names, actual.column_names)
    test.assertEqual(expected.num_rows, actual.num_rows)
    actual = actual.cast(expected.schema)
    if not ordered:
        keys = [(name, "ascending") for name in expected.column_names]
        expected = expected.take(pc.sort_indices(expected, sort_keys=keys))
        actual = actual.take(pc.sort_indices(actual, sort_keys=keys))
    for name in expected.column_names:
        if expected[name].equals(actual[name]):
            continue
        for row, (e, a) in enumerate(zip(expected[name].to_pylist(), actual[name].to_pylist())):
            where = f"column {name!r} row {row}: CLI {e!r}, Spark {a!r}"
            if isinstance(e, float) and isinstance(a, float) and not (math.isnan(e) and math.isnan(a)):
                test.assertTrue(math.isclose(e, a, rel_tol=1e-9), where)
            else:
                test.assertEqual(e, a, where)
