"""Where a CSV is cut (no Spark): every range starts at a record, never inside quotes."""

from __future__ import annotations

import os
import tempfile
import unittest

import pyarrow as pa

from quiver_spark.csv_split import CannotSplit, csv_ranges, forced_types


def write(text: str) -> str:
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        out.write(text.encode())
    return path


class Ranges(unittest.TestCase):
    def test_cuts_only_between_records_outside_quotes(self) -> None:
        records = [f'{i},"a\n""b"",\nc"\n' if i % 2 else f"{i},plain\n" for i in range(200)]
        text = "id,note\n" + "".join(records)
        path = write(text)
        head, ranges = csv_ranges(path, {}, 7)
        self.assertEqual(text[:head], "id,note\n")
        self.assertEqual(len(ranges), 7)
        self.assertEqual(ranges[0][0], head)
        self.assertEqual(ranges[-1][1], len(text))
        starts = {len("id,note\n") + len("".join(records[:i])) for i in range(len(records))}
        for (start, end), (following, _) in zip(ranges, ranges[1:]):
            self.assertEqual(end, following)
            self.assertIn(following, starts)

    def test_without_a_header_the_first_range_starts_at_zero(self) -> None:
        path = write("1,a\n2,b\n3,c\n4,d\n")
        head, ranges = csv_ranges(path, {"header": False}, 2)
        self.assertEqual((head, ranges), (0, [(0, 8), (8, 16)]))

    def test_no_line_break_to_cut_at_gives_one_range(self) -> None:
        path = write("a,b\r1,2\r3,4\r")
        self.assertEqual(csv_ranges(path, {}, 4), (12, [(12, 12)]))

    def test_a_backslash_escape_cannot_be_split(self) -> None:
        path = write('a\n"x\\"y"\n')
        with self.assertRaises(CannotSplit):
            csv_ranges(path, {"escape": "\\"}, 2)


class ForcedTypes(unittest.TestCase):
    def test_every_column_gets_its_inferred_type_and_given_types_stay(self) -> None:
        schema = pa.schema([("n", pa.int64()), ("t", pa.timestamp("us", "UTC")), ("s", pa.string())])
        params = forced_types({"columnTypes": {"s": "utf8"}, "delimiter": ";"}, schema)
        self.assertEqual(params["columnTypes"], {"n": "int64", "t": "timestamp", "s": "utf8"})
        self.assertEqual(params["delimiter"], ";")
        with self.assertRaises(CannotSplit):
            forced_types({}, pa.schema([("d", pa.decimal128(5, 2))]))
