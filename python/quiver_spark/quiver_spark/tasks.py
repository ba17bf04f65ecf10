"""What runs inside Spark's `mapInArrow`: a module step over the record batches of one partition.

Each task is a picklable callable that Spark ships to the executors. It compiles its module once
per executor process (wasm_host.compiled), runs one instance per partition, and counts what it
did in accumulators: record batches pushed (module invocations), rows written, and milliseconds
spent inside the module. A module's failure becomes a StepFailed naming the step, which fails the
Spark job; the driver finds the marker in the job's error and reports it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from pyspark.accumulators import AccumulatorParam

from . import wasm_host
from .arrow_io import (
    END_OF_STREAM,
    OutputDecoder,
    batch_message,
    conform,
    schema_message,
)

#: Prefix of a step failure in a Spark job's error, found by the driver (runner.step_failure).
FAILURE_MARKER = "[quiver]"
#: Bytes of a file pushed per call to a `bytes` input (CSV_CHUNK_BYTES in the JS host).
CHUNK_BYTES = 4 * 1024 * 1024


class StepFailed(Exception):
    """A step failed on an executor: `[quiver] step "<id>" failed: <module's message>`."""


@dataclass
class Metrics:
    """Accumulators of one step (Spark accumulators, summed over every task): record batches
    or chunks pushed (module invocations), rows written, ms inside the module, instances (one
    per partition), compilations (at most one per Python worker process and module) and the
    worker processes."""

    calls: Any
    rows: Any
    busy_ms: Any
    instances: Any
    compiles: Any
    #: Process ids of the Python workers that ran the step (a PidSet accumulator).
    processes: Any


class PidSet(AccumulatorParam):
    """An accumulator of process ids: the union of the sets added."""

    def zero(self, value: frozenset) -> frozenset:
        return frozenset()

    def addInPlace(self, value1: frozenset, value2: frozenset) -> frozenset:
        return frozenset(value1) | frozenset(value2)


@dataclass
class ModuleTask:
    """One module step, as Spark runs it on each partition.

    `mode` is "stream" (a streamable module: a push per record batch), "whole" (the module gets
    every batch of the partition, then finish) or "bytes" (a `bytes` input: the batches' rows
    name parts of files, `path`, `head`, `start`, `end`, whose bytes are pushed in chunks; see
    _file_chunks).
    """

    step_id: str
    abi: int
    wasm: Any  # a Spark Broadcast of the module's bytes
    params: dict
    limits: dict
    permissions: dict
    input_schema: pa.Schema | None
    output_schema: pa.Schema
    mode: str
    metrics: Metrics
    #: The input's column names by position: Spark hands mapInArrow columns renamed to
    #: plain names (see runner.map_in_arrow), since a dot in a name (`avg.count`) breaks it.
    input_names: list[str] | None = None
    #: The input port's name: an ABI 1 command reads /in/<port>.arrow or /in/<port>.bytes.
    input_port: str = "in"

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        if self.input_names is not None:
            batches = (b.rename_columns(self.input_names) for b in batches)
        limits = wasm_host.Limits.of(self.limits)
        budget = wasm_host.Budget(limits.timeout_ms)
        compiles_before = wasm_host.compile_count
        self.metrics.instances.add(1)
        self.metrics.processes.add(frozenset([os.getpid()]))
        try:
            if self.abi == 2:
                yield from self._reactor(batches, limits, budget)
            else:
                yield from self._command(batches, limits, budget)
        except (wasm_host.ModuleFailure, ValueError) as failure:
            raise StepFailed(f'{FAILURE_MARKER} step "{self.step_id}" failed: {failure}') from None
        finally:
            self.metrics.busy_ms.add(budget.used_ms)
            self.metrics.compiles.add(wasm_host.compile_count - compiles_before)

    def _emit(self, decoder: OutputDecoder, data: bytes) -> Iterator[pa.RecordBatch]:
        for batch in decoder.feed(data):
            self.metrics.rows.add(batch.num_rows)
            yield conform(batch, self.output_schema)

    def _reactor(self, batches, limits, budget) -> Iterator[pa.RecordBatch]:
        instance = wasm_host.Reactor(self.wasm.value, limits, self.permissions, 1, budget)
        decoder = OutputDecoder("out")
        for _, data in instance.begin(json.dumps(self.params).encode()):
            yield from self._emit(decoder, data)
        done = False
        if self.mode == "bytes":
            for chunk in _file_chunks(batches):
                if done:
                    break
                done, outputs = instance.push(0, chunk)
                self.metrics.calls.add(1)
                for _, data in outputs:
                    yield from self._emit(decoder, data)
        else:
            done, outputs = instance.push(0, schema_message(self.input_schema))
            for _, data in outputs:
                yield from self._emit(decoder, data)
            for batch in batches:
                if done:
                    break
                message = batch_message(conform(batch, self.input_schema))
                done, outputs = instance.push(0, message)
                self.metrics.calls.add(1)
                for _, data in outputs:
                    yield from self._emit(decoder, data)
        for _, data in instance.finish():
            yield from self._emit(decoder, data)

    def _command(self, batches, limits, budget) -> Iterator[pa.RecordBatch]:
        """ABI 1: one run per record batch (stream), or one over the whole partition."""
        params = json.dumps(self.params).encode()
        run = lambda files: wasm_host.run_command(  # noqa: E731
            self.wasm.value, limits, self.permissions, budget, files, ["out"]
        )
        if self.mode == "bytes":
            data = b"".join(_file_chunks(batches))
            self.metrics.calls.add(1)
            outputs = [run({"/params.json": params, f"/in/{self.input_port}.bytes": data})]
        elif self.mode == "stream":
            outputs = (self._command_batch(run, params, b) for b in batches)
        else:
            body = b"".join(batch_message(conform(b, self.input_schema)) for b in batches)
            self.metrics.calls.add(1)
            stream = schema_message(self.input_schema) + body + END_OF_STREAM
            outputs = [run({"/params.json": params, f"/in/{self.input_port}.arrow": stream})]
        for output in outputs:
            yield from self._emit(OutputDecoder("out"), output["out"])

    def _command_batch(self, run, params: bytes, batch: pa.RecordBatch) -> dict:
        self.metrics.calls.add(1)
        message = batch_message(conform(batch, self.input_schema))
        stream = schema_message(self.input_schema) + message + END_OF_STREAM
        return run({"/params.json": params, f"/in/{self.input_port}.arrow": stream})


def _file_chunks(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """The bytes of each row's file part, in CHUNK_BYTES chunks: its first `head` bytes (a
    CSV's header), then bytes [start, end) (end -1: to the end of the file)."""
    for batch in batches:
        for row in batch.to_pylist():
            with open(row["path"], "rb") as handle:
                if row["head"] > 0:
                    yield handle.read(row["head"])
                handle.seek(row["start"])
                left = row["end"] - row["start"] if row["end"] >= 0 else -1
                while left != 0 and (chunk := handle.read(CHUNK_BYTES if left < 0 else min(left, CHUNK_BYTES))):
                    left -= len(chunk) if left > 0 else 0
                    yield chunk


@dataclass
class ArrowFileTask:
    """Reads rows [first, last) of an Arrow IPC file per row of (first, last), as slices of
    its record batches (zero-copy from the memory map); last = -1 with a stream: every row."""

    path: str
    schema: pa.Schema

    def __call__(self, ranges: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        with pa.memory_map(self.path) as source:
            for r in ranges:
                for first, last in zip(r.column(0).to_pylist(), r.column(1).to_pylist()):
                    for batch in _batches_in(source, first, last):
                        yield conform(batch, self.schema)


def _batches_in(source, first: int, last: int) -> Iterator[pa.RecordBatch]:
    if last < 0:
        yield from pa.ipc.open_stream(source)
        return
    reader = pa.ipc.open_file(source)
    offset = 0
    for i in range(reader.num_record_batches):
        batch = reader.get_batch(i)
        start, end = max(first, offset), min(last, offset + batch.num_rows)
        if start < end:
            yield batch.slice(start - offset, end - start)
        offset += batch.num_rows
        if offset >= last:
            return
