"""Join, union, CSV splits and bypassed steps on Spark give the CLI's rows (shared.py makes the
pipelines: flights.csv, every 100th flight of flights-3m, joined with airports.csv and with
flights-airport.csv, and stacked with its own long delays).

- join: each join type, a null key (airports read ORD as null), clashing names suffixed, two
  key pairs (one of the same name, a single column, one of different names); compared sorted,
  since a join's row order is not defined on Spark.
- union by name: in order (the first's rows, then the second's), a column the first lacks null.
- CSV: read in at least 2 splits, in file order, with the CLI's types, quoted line breaks kept.
- bypass: a bypassed filter passes its input through.
"""

from __future__ import annotations

import unittest

from quiver_spark.combine import join_layout

from .shared import FLIGHTS_STRIDE, HOWS, assert_same_rows, cli_table, plan_of, run_named


def csv_instances(runner, step_id: str) -> int:
    """Tasks (module instances) that parsed the csv step's file."""
    return runner.reports[step_id].metrics[""].instances.value


class Join(unittest.TestCase):
    def test_each_join_type_equals_the_cli(self) -> None:
        for how in HOWS:
            with self.subTest(how=how):
                runner, table = run_named(f"flights-airports-{how}")
                self.assertIn("Spark join", runner.reports["join"].how)
                assert_same_rows(self, cli_table(f"flights-airports-{how}"), table, ordered=False)

    def test_clashing_names_get_suffixes_and_null_keys_never_match(self) -> None:
        inner = cli_table("flights-airports-inner")
        self.assertEqual(inner.column_names[:5], ["date", "delay", "distance_left", "origin", "destination"])
        self.assertEqual(inner.column_names[-1], "distance_right")
        _, anti = run_named("flights-airports-anti")
        self.assertIn("ORD", anti["origin"].to_pylist())  # ORD is null in airports: no match
        _, right = run_named("flights-airports-right")
        self.assertIn(None, right["iata"].to_pylist())  # the null-key airport is kept, unmatched

    def test_two_key_pairs_one_merged_equal_the_cli(self) -> None:
        runner, table = run_named("flights-routes-full")
        expected = cli_table("flights-routes-full")
        self.assertEqual(expected.column_names, ["date", "delay", "distance", "origin", "destination", "dest", "count"])
        assert_same_rows(self, expected, table, ordered=False)
        # The merged origin of a route no flight took comes from the right side.
        self.assertNotIn(None, table["origin"].to_pylist())

    def test_layout_is_checked_against_the_module(self) -> None:
        plan = plan_of("flights-routes-full")
        step = plan.step("join")
        left = plan.step("flightsCsv").schema("out")
        right = plan.step("routesRename").schema("out")
        names = [c.name for c in join_layout(step.params, left, right)]
        self.assertEqual(names, step.schema("out").names)


class Union(unittest.TestCase):
    def test_union_by_name_equals_the_cli_in_order(self) -> None:
        runner, table = run_named("flights-union")
        expected = cli_table("flights-union")
        self.assertEqual(expected.column_names[-1], "delay_h")
        assert_same_rows(self, expected, table)
        self.assertGreaterEqual(csv_instances(runner, "flightsCsv"), 2)


class CsvSplits(unittest.TestCase):
    def test_a_csv_read_in_splits_equals_the_cli(self) -> None:
        runner, _ = run_named("flights-union")
        self.assertIn("split(s) of the file", runner.reports["flightsCsv"].how)
        frame = runner.result("flightsCsv", "out")
        self.assertGreaterEqual(frame.rdd.getNumPartitions(), 2)
        # The union's first rows are the csv step's, in file order (the CLI's --output).
        union = cli_table("flights-union")
        actual = frame.toArrow()
        self.assertEqual(actual.num_rows, 3_000_000 // FLIGHTS_STRIDE)
        assert_same_rows(self, union.select(frame.columns).slice(0, actual.num_rows), actual)

    def test_quoted_line_breaks_never_cut_a_record(self) -> None:
        runner, table = run_named("notes")
        self.assertGreaterEqual(csv_instances(runner, "notesCsv"), 2)
        assert_same_rows(self, cli_table("notes"), table)
        self.assertEqual(table["note"][0].as_py(), 'line 0\nsaid "hi", then\r\nleft')
        self.assertEqual(table["id"].to_pylist(), list(range(6000)))


class Bypass(unittest.TestCase):
    def test_a_bypassed_filter_passes_its_input_through(self) -> None:
        plan = plan_of("seattle-bypass")
        self.assertNotIn("filter", [s.id for s in plan.steps])
        self.assertEqual(plan.skipped, [("filter", "bypassed (passes its input through)")])
        _, table = run_named("seattle-bypass")
        assert_same_rows(self, cli_table("seattle-nofilter"), table)
        # Without the filter every day is counted: more than the example's days.
        self.assertGreater(sum(table["days"].to_pylist()), sum(cli_table("seattle-weather")["days"].to_pylist()))
