"""`npm run test:spark`: the Spark runner against the CLI, on local[2], in one SparkSession.

- The three examples give the CLI's rows (`npx quiver run --output`): integers and strings
  equal, floats within 1e-9 relative, in the order the pipeline's last sort defines.
- A streamable module runs once per record batch, one instance per partition over at least 4
  partitions, compiled at most once per executor process (accumulators).
- The aggregate runs partial then final.
- A looping module (test-fixtures/spark/spin.c) fails its step with the CLI's message and the
  job fails cleanly naming the step.
- `npx quiver run --engine spark` end to end (its own Spark, in a child process).

The session, the plans and the CLI's results are shared with the other test files (shared.py).
"""

from __future__ import annotations

import copy
import math
import os
import subprocess
import unittest

import pyarrow as pa
from pyspark.sql import functions as F

from quiver_spark.plan import PlanStep
from quiver_spark.report import step_failure

from .shared import EXAMPLES, ROOT, V1_MODULES, assert_same_rows, cli_table, plan_of, run, run_named, state

#: Spark's rows per record batch handed to mapInArrow (spark.sql.execution.arrow.maxRecordsPerBatch).
BATCH_ROWS = 10_000


def npx_quiver(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["npx", "quiver", "run", *args], cwd=ROOT, capture_output=True, text=True, check=False)


class Examples(unittest.TestCase):
    """The examples give the same rows on Spark as with the CLI."""

    def test_examples_equal_the_cli(self) -> None:
        for name in EXAMPLES:
            with self.subTest(example=name):
                _, table = run_named(name)
                assert_same_rows(self, cli_table(name), table)

    def test_abi1_commands_give_the_same_rows(self) -> None:
        plan = plan_of("seattle-weather")
        for step in plan.steps:
            if step.module_id in V1_MODULES:
                step.raw["module"]["abi"] = 1
        runner, table = run(plan, state()["v1"])
        assert_same_rows(self, cli_table("seattle-weather"), table)
        self.assertEqual(runner.reports["filter"].metrics[""].calls.value, 1)


class Distribution(unittest.TestCase):
    """How steps spread over partitions and executors."""

    def test_streamable_module_runs_once_per_batch_across_partitions(self) -> None:
        runner, _ = run_named("flights-delay-by-distance")
        source = runner.frames[("source", "out")]
        per_partition = source.groupBy(F.spark_partition_id().alias("p")).count().collect()
        self.assertGreaterEqual(len(per_partition), 4)
        expected_calls = sum(math.ceil(r["count"] / BATCH_ROWS) for r in per_partition)
        metrics = runner.reports["filter"].metrics[""]
        self.assertEqual(metrics.calls.value, expected_calls)
        self.assertGreaterEqual(metrics.instances.value, 4)
        # Compiled at most once per Python worker process (a process reused by a later task
        # of the step finds the module compiled).
        self.assertGreaterEqual(metrics.compiles.value, 1)
        self.assertLessEqual(metrics.compiles.value, len(metrics.processes.value))

    def test_aggregate_runs_partial_then_final(self) -> None:
        runner, table = run_named("flights-by-origin")
        report = runner.reports["aggregate"]
        partial, final = report.metrics["partial"], report.metrics["final"]
        self.assertGreaterEqual(partial.instances.value, 4)
        self.assertGreater(partial.calls.value, 0)
        # Each partition's partial rows hold every origin it saw; the final has one per origin.
        self.assertGreater(partial.rows.value, final.rows.value)
        self.assertEqual(final.rows.value, 146)
        self.assertEqual(table.num_rows, 20)


    def test_aggregate_without_partial_mode_runs_on_one_partition_with_a_warning(self) -> None:
        warnings: list[str] = []
        runner, table = run(plan_of("seattle-distinct"), log=warnings.append)
        self.assertEqual(len(warnings), 1)
        self.assertIn('step "aggregate" (aggregate) runs on a single partition', warnings[0])
        self.assertIn("count_distinct has no partial mode", warnings[0])
        self.assertEqual(runner.reports["aggregate"].metrics[""].instances.value, 1)
        assert_same_rows(self, cli_table("seattle-distinct"), table)


class Limits(unittest.TestCase):
    """A step's limits hold per task, with the CLI's messages."""

    def test_looping_module_times_out_naming_the_step(self) -> None:
        raw = copy.deepcopy(plan_of("flights-delay-by-distance"))
        source = raw.step("source")
        filter_step = raw.step("filter")
        spin = copy.deepcopy(filter_step.raw)
        spin.update(id="spin", moduleId="spin", params={}, limits={"timeoutMs": 1000, "maxMemoryMiB": 64})
        spin["schemas"] = dict(source.raw["schemas"])
        filter_step.raw["inputs"]["in"] = {"step": "spin", "port": "out"}
        raw.steps.insert(1, PlanStep(spin))
        with self.assertRaises(Exception) as caught:
            run(raw)
        # The CLI says `step "<id>" failed: timed out after <timeoutMs> ms` (main.ts, supervisor.ts).
        self.assertEqual(step_failure(caught.exception), 'step "spin" failed: timed out after 1000 ms')


class CommandLine(unittest.TestCase):
    """`npx quiver run --engine spark` spawns the runner and reports each step."""

    def test_cli_runs_an_example_on_spark(self) -> None:
        output = os.path.join(state()["tmp"], "seattle-spark.arrow")
        done = npx_quiver(
            "examples/seattle-weather.quiver.json", "--engine", "spark", "--master", "local[1]",
            "--output", output,
        )
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
        self.assertIn('Result of step "sort"', done.stdout)
        self.assertRegex(done.stdout, r"aggregate\s+aggregate\s+4\s")
        with pa.OSFile(output) as source:
            assert_same_rows(self, cli_table("seattle-weather"), pa.ipc.open_stream(source).read_all())

