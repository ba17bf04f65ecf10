"""Arrow IPC between Spark's record batches and a module's messages (ABI.md §2, §11.2).

A module is given plain columns (Spark has no dictionary encoding), one encapsulated IPC message
per record batch; what it writes is split back into messages and decoded against its own Schema
message. Dictionary batches in a module's output are not supported on Spark: the modules given
plain columns write plain columns (every built-in module does).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pyarrow as pa

#: Arrow IPC end-of-stream marker: continuation 0xFFFFFFFF then a zero length.
END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


def decode_schema(b64: str) -> pa.Schema:
    """A schema from a plan's base64 IPC Schema message."""
    return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(b64)))


def plain_type(t: pa.DataType) -> pa.DataType:
    """`t` without dictionary encoding, and with the 32-bit offsets the modules read."""
    if pa.types.is_dictionary(t):
        return plain_type(t.value_type)
    if pa.types.is_large_string(t):
        return pa.string()
    if pa.types.is_large_binary(t):
        return pa.binary()
    return t


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """`schema` with every column plain (see plain_type), metadata dropped."""
    return pa.schema([pa.field(f.name, plain_type(f.type), f.nullable) for f in schema])


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """`batch` with the columns and types of `schema` (by name), cast where Spark's differ."""
    columns = []
    for f in schema:
        column = batch.column(batch.schema.get_field_index(f.name))
        columns.append(column if column.type == f.type else column.cast(f.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def batch_message(batch: pa.RecordBatch) -> bytes:
    """One encapsulated IPC RecordBatch message."""
    return batch.serialize().to_pybytes()


def schema_message(schema: pa.Schema) -> bytes:
    """One encapsulated IPC Schema message."""
    return schema.serialize().to_pybytes()


class OutputDecoder:
    """Decodes the messages of one output port, call after call, into record batches."""

    def __init__(self, port: str):
        self.port = port
        self.schema: pa.Schema | None = None

    def feed(self, data: bytes) -> Iterator[pa.RecordBatch]:
        reader = pa.BufferReader(pa.py_buffer(data))
        while reader.tell() < len(data):
            if data[reader.tell() : reader.tell() + 8] == END_OF_STREAM:
                return
            message = pa.ipc.read_message(reader)
            if message.type == "schema":
                if self.schema is None:
                    self.schema = pa.ipc.read_schema(message)
            elif message.type == "dictionary":
                raise ValueError(
                    f"output '{self.port}': dictionary-encoded output is not supported on Spark"
                )
            else:
                if self.schema is None:
                    raise ValueError(f"output '{self.port}': a record batch before its schema")
                yield pa.ipc.read_record_batch(message, self.schema)
