"""The driver: turns a plan into Spark DataFrames, step by step, and runs the results.

- Sources: Parquet through Spark's reader; an Arrow IPC file as ranges of its record batches,
  read on the executors; a CSV file as its path, parsed by the csv module over record-aligned
  splits of the file, every split with the types the module inferred for the plan
  (csv_split.py).
- Streamable modules: `mapInArrow`, one instance per partition, one push per record batch.
- A module whose manifest declares partialMerge (aggregate): partial per partition, a shuffle
  by its group keys (partials kept in partition order within a group), final per partition
  (modules/sdk/ABI.md §13). If the module refuses its params in partial mode (count_distinct),
  it runs on a single partition like any other non-streamable module, with a warning.
- The built-in sort and limit: Spark's own orderBy (with the module's null placement, made
  stable by a row id taken before the sort) and limit/offset.
- The built-in join and union: Spark's own join and union, with the modules' columns and
  semantics (combine.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import pyarrow as pa
from pyspark import SparkFiles, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

from . import wasm_host
from .arrow_io import OutputDecoder, schema_message
from .combine import SPARK_HOW, join_frame, union_frame
from .csv_split import CannotSplit, csv_ranges, forced_types, split_count
from .plan import Plan, PlanStep
from .tasks import ArrowFileTask, Metrics, ModuleTask, PidSet

#: Column holding the partition a partial aggregate row came from (dropped by the final task).
PART_COLUMN = "__quiver_part"
#: Column holding the row order before a sort, for a stable sort.
ORDER_COLUMN = "__quiver_order"


@dataclass
class StepReport:
    """What a step did, summed over its tasks; filled from accumulators after the job."""

    step_id: str
    module_id: str
    how: str
    metrics: dict[str, Metrics] = field(default_factory=dict)
    rows: int | None = None


class Runner:
    """Builds the DataFrames of a plan in one SparkSession."""

    def __init__(self, spark: SparkSession, plan: Plan, modules_dir: str | None, log=print):
        self.spark = spark
        self.plan = plan
        self.modules_dir = modules_dir
        self.log = log
        self.frames: dict[tuple[str, str], DataFrame] = {}
        self.files: dict[tuple[str, str], str] = {}
        self.reports: dict[str, StepReport] = {}
        #: Step id → why its module refused partial mode (it then runs on one partition).
        self.partial_refusals: dict[str, str] = {}
        self.parallelism = spark.sparkContext.defaultParallelism

    def build(self) -> None:
        """Builds every step's DataFrame (nothing runs until a result is collected)."""
        for step in self.plan.steps:
            if step.kind == "source":
                self._source(step)
            elif step.module_id == "sort" and step.module.get("abi"):
                self._sort(step)
            elif step.module_id == "limit" and step.module.get("abi"):
                self._limit(step)
            elif step.module_id in ("join", "union") and step.module.get("abi"):
                self._combine(step)
            else:
                self._module(step)

    def result(self, step_id: str, port: str) -> DataFrame:
        return self.frames[(step_id, port)]

    # --- sources -----------------------------------------------------------------------

    def _source(self, step: PlanStep) -> None:
        source = step.raw["source"]
        path, fmt = source["path"], source["format"]
        self.reports[step.id] = StepReport(step.id, step.module_id, f"Spark {fmt} reader")
        if fmt == "csv":
            self.files[(step.id, "bytes")] = path
            return
        schema = step.schema("out")
        if fmt == "parquet":
            frame = self.spark.read.parquet(path)
        else:
            frame = self._arrow_file(path, schema)
        self.frames[(step.id, "out")] = frame

    def _arrow_file(self, path: str, schema: pa.Schema) -> DataFrame:
        """An Arrow IPC file as row ranges, one per partition (2 per core), read in file order
        on the executors from the memory-mapped file; a stream is read in one task."""
        with pa.memory_map(path) as source:
            try:
                reader = pa.ipc.open_file(source)
                rows = sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))
                parts = max(1, min(self.parallelism * 2, rows))
            except pa.ArrowInvalid:
                rows, parts = -1, 1
        bounds = [rows * i // parts for i in range(parts + 1)]
        # One range per slice, so partition i reads range i: the file's order is kept.
        ranges = [(bounds[i], bounds[i + 1]) for i in range(parts)]
        ordered = self.spark.sparkContext.parallelize(ranges, parts).toDF(["first", "last"])
        return ordered.mapInArrow(ArrowFileTask(path, schema), from_arrow_schema(schema))

    # --- modules -----------------------------------------------------------------------

    def _metrics(self) -> Metrics:
        sc = self.spark.sparkContext
        return Metrics(*(sc.accumulator(0) for _ in range(5)), sc.accumulator(frozenset(), PidSet()))

    def _wasm(self, module_id: str):
        """The module's bytes, broadcast to the executors (compiled there once per process)."""
        name = f"{module_id}.wasm"
        candidates = [os.path.join(self.modules_dir, name)] if self.modules_dir else []
        candidates += [SparkFiles.get(name), os.path.abspath(name)]
        for path in candidates:
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    return self.spark.sparkContext.broadcast(handle.read())
        raise FileNotFoundError(f"module {name} not found (looked in {', '.join(candidates)})")

    def _task(self, step: PlanStep, mode: str, metrics: Metrics, params=None, input_schema=None, output_schema=None) -> ModuleTask:
        return ModuleTask(
            step_id=step.id,
            abi=step.module["abi"],
            wasm=self._wasm(step.module_id),
            params=step.params if params is None else params,
            limits=step.raw["limits"],
            permissions=step.raw["permissions"],
            input_schema=input_schema,
            output_schema=output_schema if output_schema is not None else step.schema("out"),
            mode=mode,
            metrics=metrics,
            input_port=step.module["inputs"][0]["name"],
        )

    def _module(self, step: PlanStep) -> None:
        module = step.module
        outputs = module["outputs"]
        if len(outputs) != 1:
            raise NotImplementedError(f'step "{step.id}": modules with {len(outputs)} outputs do not run on Spark yet')
        inputs = module["inputs"]
        if len(inputs) != 1:
            raise NotImplementedError(f'step "{step.id}": modules with {len(inputs)} inputs do not run on Spark yet')
        port = outputs[0]
        out_schema = step.schema(port)
        report = StepReport(step.id, step.module_id, "")
        self.reports[step.id] = report
        if inputs[0]["type"] == "bytes":
            self.frames[(step.id, port)] = self._file_module(step, self.files[step.input(inputs[0]["name"])], report)
            return
        upstream = self.frames[step.input(inputs[0]["name"])]
        in_schema = self._input_schema(step, inputs[0]["name"])
        if module["streamable"]:
            metrics = report.metrics.setdefault("", self._metrics())
            report.how = "mapInArrow per record batch"
            frame = map_in_arrow(upstream, self._task(step, "stream", metrics, input_schema=in_schema), out_schema)
        elif module.get("partialMerge") and (partial := self._partial_schema(step, in_schema)) is not None:
            frame = self._partial_final(step, upstream, in_schema, partial, report)
        else:
            refusal = self.partial_refusals.get(step.id)
            why = f"its partial mode refused its params: {refusal}" if refusal else "it is not streamable and has no partial/merge mode"
            self.log(f'warning: step "{step.id}" ({step.module_id}) runs on a single partition: {why}')
            metrics = report.metrics.setdefault("", self._metrics())
            report.how = "one partition (not streamable)"
            frame = map_in_arrow(upstream.coalesce(1), self._task(step, "whole", metrics, input_schema=in_schema), out_schema)
        self.frames[(step.id, port)] = frame

    def _file_module(self, step: PlanStep, path: str, report: StepReport) -> DataFrame:
        """A module reading a file's bytes: the built-in csv over record-aligned splits of the
        file, one task each, with the types inferred for the plan (csv_split.py); any other, or
        a CSV that cannot be split, in one task over the whole file (with a warning)."""
        metrics = report.metrics.setdefault("", self._metrics())
        params, parts = step.params, [(path, 0, 0, -1)]
        if step.module_id == "csv" and step.module.get("abi"):
            try:
                params = forced_types(step.params, step.schema("out"))
                count = split_count(os.path.getsize(path), self.parallelism)
                head, ranges = csv_ranges(path, step.params, count)
                parts = [(path, head, start, end) for start, end in ranges]
            except (CannotSplit, OSError) as why:
                self.log(f'warning: step "{step.id}" (csv) reads {path} in one task: {why}')
                params = step.params
        report.how = f"{len(parts)} split(s) of the file, one task each" if len(parts) > 1 else "one task over the file"
        rows = self.spark.sparkContext.parallelize(parts, len(parts))
        frame = rows.toDF("path string, head long, start long, end long")
        task = self._task(step, "bytes", metrics, params)
        return frame.mapInArrow(task, from_arrow_schema(step.schema("out")))

    def _input_schema(self, step: PlanStep, port: str) -> pa.Schema:
        from_step, from_port = step.input(port)
        return self.plan.step(from_step).schema(from_port)

    def _partial_schema(self, step: PlanStep, in_schema: pa.Schema) -> pa.Schema | None:
        """The module's output schema in partial mode, found on the driver by running it on the
        input schema alone; None when it refuses its params in partial mode (the reason is kept
        in partial_refusals)."""
        params = {**step.params, "mode": "partial"}
        limits = wasm_host.Limits.of(step.raw["limits"])
        budget = wasm_host.Budget(limits.timeout_ms)
        with open(self._wasm_path(step.module_id), "rb") as handle:
            wasm = handle.read()
        try:
            if step.module["abi"] != 2:
                raise wasm_host.ModuleFailure("partial mode needs ABI 2 on Spark")
            instance = wasm_host.Reactor(wasm, limits, step.raw["permissions"], 1, budget)
            outputs = instance.begin(json.dumps(params).encode())
            outputs += instance.push(0, schema_message(in_schema))[1]
            outputs += instance.finish()
        except wasm_host.ModuleFailure as failure:
            self.partial_refusals[step.id] = str(failure)
            return None
        decoder = OutputDecoder("out")
        for _, data in outputs:
            list(decoder.feed(data))
        return decoder.schema

    def _wasm_path(self, module_id: str) -> str:
        name = f"{module_id}.wasm"
        for path in ([os.path.join(self.modules_dir, name)] if self.modules_dir else []) + [SparkFiles.get(name), name]:
            if os.path.isfile(path):
                return path
        raise FileNotFoundError(name)

    def _partial_final(self, step, upstream, in_schema, partial, report) -> DataFrame:
        keys = [F.col(f"`{k}`") for k in step.params.get("groupBy") or []]
        p_metrics = report.metrics.setdefault("partial", self._metrics())
        f_metrics = report.metrics.setdefault("final", self._metrics())
        report.how = "partial per partition → shuffle by keys → final"
        partial_task = self._task(step, "whole", p_metrics, {**step.params, "mode": "partial"}, in_schema, partial)
        partials = map_in_arrow(upstream, partial_task, partial)
        partials = partials.withColumn(PART_COLUMN, F.spark_partition_id())
        shuffled = partials.repartition(self.parallelism, *keys) if keys else partials.coalesce(1)
        shuffled = shuffled.sortWithinPartitions(PART_COLUMN)
        final_task = self._task(step, "whole", f_metrics, {**step.params, "mode": "final"}, partial)
        return map_in_arrow(shuffled, final_task, step.schema("out"))

    # --- sort and limit ----------------------------------------------------------------

    def _sort(self, step: PlanStep) -> None:
        """The sort module's order (ABI of sort.json): per key ascending or descending, nulls
        last unless `nulls` says first, ties kept in input order (stable)."""
        self.reports[step.id] = StepReport(step.id, step.module_id, "Spark orderBy (stable)")
        # Persisted: orderBy samples its input in a job of its own first, which would otherwise
        # run the steps before it twice (and count their accumulators twice).
        upstream = self.frames[step.input("in")].persist(StorageLevel.MEMORY_AND_DISK)
        frame = upstream.withColumn(ORDER_COLUMN, F.monotonically_increasing_id())
        order = []
        for key in step.params["keys"]:
            column = F.col(f"`{key['column']}`")
            nulls_first = key.get("nulls", "last") == "first"
            if key.get("descending", False):
                order.append(column.desc_nulls_first() if nulls_first else column.desc_nulls_last())
            else:
                order.append(column.asc_nulls_first() if nulls_first else column.asc_nulls_last())
        order.append(F.col(ORDER_COLUMN))
        self.frames[(step.id, "out")] = frame.orderBy(*order).drop(ORDER_COLUMN)

    def _combine(self, step: PlanStep) -> None:
        """The built-in join or union as Spark's own (combine.py), on its two inputs."""
        ports = [p["name"] for p in step.module["inputs"]]
        frames = [self.frames[step.input(p)] for p in ports]
        schemas = tuple(self._input_schema(step, p) for p in ports)
        if step.module_id == "join":
            how = f"Spark join ({SPARK_HOW[step.params.get('how', 'inner')]})"
            frame = join_frame(*frames, step.params, schemas, step.schema("out"))
        else:
            how = "Spark union (by " + step.params.get("by", "name") + ")"
            frame = union_frame(*frames, step.params, schemas, step.schema("out"))
        self.reports[step.id] = StepReport(step.id, step.module_id, how)
        self.frames[(step.id, "out")] = frame

    def _limit(self, step: PlanStep) -> None:
        self.reports[step.id] = StepReport(step.id, step.module_id, "Spark limit")
        frame = self.frames[step.input("in")]
        offset = int(step.params.get("offset") or 0)
        if offset:
            frame = frame.offset(offset)
        self.frames[(step.id, "out")] = frame.limit(int(step.params["count"]))


def map_in_arrow(frame: DataFrame, task: ModuleTask, schema: pa.Schema) -> DataFrame:
    """`frame.mapInArrow(task)`, its columns renamed `_0`, `_1`... for the call (PySpark
    resolves each column by name, and a dot in a name reads as a field access); the task
    renames them back."""
    task.input_names = list(frame.columns)
    plain = frame.toDF(*[f"_{i}" for i in range(len(frame.columns))])
    return plain.mapInArrow(task, from_arrow_schema(schema))
