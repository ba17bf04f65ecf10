"""`python -m quiver_spark <plan.json>`, or `spark-submit ... quiver_spark/__main__.py <plan.json>`.

Runs a plan (written by `npx quiver run --engine spark`, see src/cli/spark-plan.ts) on Spark,
prints the first rows of each result and a line per step (rows, module invocations, ms inside
the module), writes the first result to --output, and a JSON report to --report. Exit status:
0 when every step finished, 1 when a step failed (`step "<id>" failed: <message>` on stderr),
2 on a usage or plan error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

if __package__ in (None, ""):  # run as a file by spark-submit: the package is on --py-files
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "quiver_spark"  # noqa: A001

from quiver_spark.plan import PlanError, load_plan  # noqa: E402
from quiver_spark.report import print_result, step_failure, summary, write_output  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="quiver_spark", description=__doc__.splitlines()[0])
    parser.add_argument("plan", help="the plan JSON (npx quiver run --engine spark --plan FILE)")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--modules", help="folder of the .wasm modules (default: --files, cwd)")
    parser.add_argument("--output", help="write the first result: .csv, or .arrow/.arrows (IPC stream)")
    parser.add_argument("--report", help="write per-step rows, invocations and ms as JSON")
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="STEP=URI",
        help="read source STEP from URI instead of the plan's path (e.g. an s3a:// Parquet file "
        "on a cluster; Arrow and CSV files must be paths every executor can open)",
    )
    parser.add_argument("--rows", type=int, default=20, help="rows of each result printed")
    parser.add_argument("--driver-memory", default="1g", help="spark.driver.memory (local runs)")
    return parser.parse_args(argv)


def session(args: argparse.Namespace):
    """A SparkSession: modest memory, no UI, Arrow without 64-bit string offsets."""
    from pyspark.sql import SparkSession

    # Local executors run this interpreter (its venv has pyarrow and wasmtime); on a cluster,
    # spark-submit's environment says which Python the executors run.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Local executors import this package from where the driver found it (a cluster's get it
    # through --py-files).
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if package_parent not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([package_parent, *paths])
    builder = SparkSession.builder.appName("quiver")
    if args.master:
        builder = builder.master(args.master)
    conf = {
        "spark.driver.memory": args.driver_memory,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.useLargeVarTypes": "false",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        # Parquet files split into about two partitions per core (whole row groups each).
        "spark.sql.files.minPartitionNum": str(2 * _cores(args.master)),
        "spark.python.worker.reuse": "true",
    }
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    # A failed step is reported by the driver as `step "<id>" failed: ...`; Spark's own log of
    # the task's exception (a long Java and Python trace) would only bury it.
    spark.sparkContext.setLogLevel("FATAL")
    return spark


def _cores(master: str | None) -> int:
    """Cores of a local[N] / local[*] master; 2 otherwise (a cluster's own settings rule)."""
    if master and master.startswith("local["):
        n = master[len("local[") : -1]
        return (os.cpu_count() or 2) if n == "*" else max(1, int(n))
    return 2


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        plan = load_plan(args.plan)
        for spec in args.source:
            step_id, _, uri = spec.partition("=")
            step = next((s for s in plan.steps if s.id == step_id and s.kind == "source"), None)
            if step is None or not uri:
                raise PlanError(f"--source {spec}: expected <source step>=<uri>")
            step.raw["source"]["path"] = uri
    except (OSError, ValueError, PlanError) as error:
        print(f"quiver_spark: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    spark = session(args)
    startup_ms = (time.perf_counter() - started) * 1000
    from quiver_spark.runner import Runner

    runner = Runner(spark, plan, args.modules, log=lambda text: print(text, file=sys.stderr))
    ok = True
    try:
        runner.build()
        run_started = time.perf_counter()
        results = {ref: runner.result(*ref).toArrow() for ref in plan.results}
        run_ms = (time.perf_counter() - run_started) * 1000
    except Exception as error:  # noqa: BLE001 - a failed job is reported, not raised
        failure = step_failure(error)
        if failure is None:
            raise
        print(failure, file=sys.stderr)
        ok, results, run_ms = False, {}, (time.perf_counter() - started) * 1000 - startup_ms
    for (step_id, port), table in results.items():
        print_result(step_id, table, args.rows)
    print(summary(runner, results, startup_ms, run_ms, args.report))
    if ok and args.output and not plan.results:
        print("quiver_spark: no result to write (no step's output is a table)", file=sys.stderr)
        ok = False
    elif ok and args.output:
        first = results[plan.results[0]]
        size = write_output(first, args.output)
        print(f"Wrote {args.output} ({size} bytes)")
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    status = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Without the interpreter's teardown: Wasmtime's WASI threads may panic (and abort the
    # process) when Python finalizes under them.
    os._exit(status)
