"""A CSV file split into record-aligned byte ranges, parsed by the csv module in parallel.

The driver cuts the file into about `parts` ranges, each starting at the beginning of a record:
the first line break at or after the nominal cut that lies outside quotes. Whether a line break
lies inside a quoted field follows from the parity of the quote characters before it (RFC 4180:
a quote opens or closes a quoted field, and a doubled quote inside one counts twice), so quoted
line breaks never cut a record. Each task pushes the header's bytes, then its range, to the csv
module with every column's type forced (`columnTypes`) to the type the module inferred from the
file's head when the plan was made (src/cli/spark-schemas.ts), so every split parses to the
types of a run over the whole file.

Limits, where the runner falls back to one task with a warning: an escape character other than
the quote itself (`\\"` breaks the parity count), and a column type `columnTypes` cannot name.
A quote character inside an unquoted field (`5'10"`), which the module keeps as text, also
breaks the parity count: such a file must be read with `quote: ""` or it may be cut inside a
record (a row error naming the line, or wrong rows). Line numbers in a split's row errors count
from the start of its range, not of the file. A file with CR-only line ends has no `\\n` to cut
at and is read in one task.
"""

from __future__ import annotations

import mmap
import os

import pyarrow as pa

#: Smallest range worth a task of its own (tasks cost more than parsing a small range).
MIN_SPLIT_BYTES = 64 * 1024
#: Largest range of one task (Spark's spark.sql.files.maxPartitionBytes default).
MAX_SPLIT_BYTES = 128 * 1024 * 1024
#: Bytes counted at a time while finding the quote parity at each cut.
COUNT_BLOCK = 16 * 1024 * 1024


class CannotSplit(Exception):
    """The file must be parsed in one task; the message says why."""


def forced_types(params: dict, schema: pa.Schema) -> dict:
    """`params` with `columnTypes` naming the type of every column of `schema` (the csv module's
    output). Raises CannotSplit for a type the module cannot be forced to."""
    types = {}
    for field in schema:
        t = field.type
        if pa.types.is_int64(t):
            name = "int64"
        elif pa.types.is_float64(t):
            name = "float64"
        elif pa.types.is_boolean(t):
            name = "bool"
        elif pa.types.is_date32(t):
            name = "date32"
        elif pa.types.is_timestamp(t):
            name = "timestamp"
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            name = "utf8"
        else:
            raise CannotSplit(f"column {field.name!r} has type {t}, which columnTypes cannot force")
        types[field.name] = name
    return {**params, "columnTypes": {**types, **(params.get("columnTypes") or {})}}


def split_count(size: int, parallelism: int) -> int:
    """Ranges for a file of `size` bytes: two per core, none under MIN_SPLIT_BYTES, none over
    MAX_SPLIT_BYTES."""
    wanted = min(2 * parallelism, -(-size // MIN_SPLIT_BYTES))
    return max(1, wanted, -(-size // MAX_SPLIT_BYTES))


def csv_ranges(path: str, params: dict, parts: int) -> tuple[int, list[tuple[int, int]]]:
    """The header's length in bytes (0 without a header) and the record-aligned ranges
    [start, end) of the data, in file order. Raises CannotSplit with an escape character other
    than the quote."""
    quote = params.get("quote", '"').encode()
    escape = params.get("escape", "").encode()
    if escape and escape != quote:
        raise CannotSplit(f"the escape character {escape.decode()!r} is not the quote character")
    size = os.path.getsize(path)
    if size == 0:
        return 0, [(0, 0)]
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        cutter = _Cutter(data, quote)
        head = cutter.record_start(0) if params.get("header", True) else 0
        cuts = [head]
        for i in range(1, parts):
            nominal = head + (size - head) * i // parts
            cuts.append(cutter.record_start(max(nominal, cuts[-1])))
        cuts.append(size)
    ranges = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    return head, ranges or [(head, size)]


class _Cutter:
    """Finds record starts in increasing order, keeping the quote count before `at`."""

    def __init__(self, data: mmap.mmap, quote: bytes):
        self.data = data
        self.quote = quote
        self.at = 0
        self.odd = False

    def _count(self, end: int) -> None:
        """Counts the quotes in [at, end) into the parity and moves `at` to `end`."""
        while self.quote and self.at < end:
            stop = min(end, self.at + COUNT_BLOCK)
            self.odd ^= self.data[self.at : stop].count(self.quote) % 2 == 1
            self.at = stop
        self.at = max(self.at, end)

    def record_start(self, position: int) -> int:
        """The first offset ≥ `position` just after a line break outside quotes (the file's
        size if there is none). Positions must not decrease from call to call."""
        # A line break just before `position` makes `position` itself a record start.
        self._count(max(position - 1, 0))
        while True:
            newline = self.data.find(b"\n", self.at)
            if newline < 0:
                return len(self.data)
            self._count(newline + 1)
            if not self.odd:
                return newline + 1
