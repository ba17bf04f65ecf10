"""The built-in join and union as Spark's own join and union, with the modules' semantics.

join (modules/join/join.c, join_layout.c): SQL's join on one or more key pairs, a null key
never matching; output columns as DuckDB's `SELECT *` with `USING` for a key pair of the same
name and value type on both sides (one column, in the left's position, holding whichever side's
value the row has); any other name found on both sides gets the left or right suffix; semi and
anti output the left columns only. The layout is worked out here and checked against the
output schema the module itself gave the plan, so a difference fails before anything runs.

union (modules/union/union.c): every row of `first`, then every row of `second`; by name (the
first's columns, then the second's columns it lacks, null where a side lacks one) or by
position (the first's names); types as the module's output schema says (casts).

Row order: the union keeps the module's (Spark's union lists the first's partitions, then the
second's). A join's row order is not defined on Spark (it follows the shuffle): the module's is
probe order, so compare a join's rows sorted, or end the pipeline with a sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

#: The join module's `how` → Spark's join type.
SPARK_HOW = {
    "inner": "inner",
    "left": "left",
    "right": "right",
    "full": "full",
    "semi": "left_semi",
    "anti": "left_anti",
}


class LayoutMismatch(Exception):
    """The columns worked out here differ from the module's own (the plan's output schema)."""


@dataclass
class OutputColumn:
    """One output column of a join: a column of a side, or a key pair merged (USING)."""

    name: str
    side: str  # "l" or "r"
    index: int
    #: The right column merged into this left one, or -1.
    merged_with: int = -1


def join_layout(params: dict, left: pa.Schema, right: pa.Schema) -> list[OutputColumn]:
    """The join module's output columns (join_layout.c), from its params and input schemas."""
    how = params.get("how", "inner")
    semi_or_anti = how in ("semi", "anti")
    suffixes = {"l": params.get("leftSuffix", "_left"), "r": params.get("rightSuffix", "_right")}
    pairs = [(left.get_field_index(k["left"]), right.get_field_index(k["right"])) for k in params["keys"]]
    merged: dict[int, int] = {}
    if not semi_or_anti:
        for li, ri in pairs:
            lf, rf = left.field(li), right.field(ri)
            if li not in merged and lf.name == rf.name and lf.type == rf.type:
                merged[li] = ri
    columns = []
    sides = {"l": left, "r": right}
    for side, schema in sides.items():
        if side == "r" and semi_or_anti:
            break
        other = sides["r" if side == "l" else "l"]
        for i, f in enumerate(schema):
            if side == "r" and i in merged.values():
                continue
            keyed = side == "l" and i in merged
            clash = not keyed and not semi_or_anti and f.name in other.names
            name = f.name + (suffixes[side] if clash else "")
            columns.append(OutputColumn(name, side, i, merged.get(i, -1) if side == "l" else -1))
    return columns


def join_frame(left: DataFrame, right: DataFrame, params: dict, schemas: tuple[pa.Schema, pa.Schema], out: pa.Schema) -> DataFrame:
    """The join of `left` and `right` (DataFrames of the plan's schemas) as Spark's join, its
    columns named and typed as `out` (the module's output schema in the plan). Raises
    LayoutMismatch when the layout differs from the module's."""
    layout = join_layout(params, *schemas)
    if [c.name for c in layout] != out.names:
        raise LayoutMismatch(
            f"columns {[c.name for c in layout]} differ from the join module's {out.names}"
        )
    l_frame = left.toDF(*[f"l{i}" for i in range(len(left.columns))])
    r_frame = right.toDF(*[f"r{i}" for i in range(len(right.columns))])
    condition: Column | None = None
    for key in params["keys"]:
        equal = F.col(f"l{schemas[0].get_field_index(key['left'])}") == F.col(
            f"r{schemas[1].get_field_index(key['right'])}"
        )
        condition = equal if condition is None else condition & equal
    joined = l_frame.join(r_frame, condition, SPARK_HOW[params.get("how", "inner")])
    types = from_arrow_schema(out)
    selected = []
    for column, field in zip(layout, types.fields):
        value = F.col(f"{column.side}{column.index}")
        if column.merged_with >= 0:
            # USING: the value of whichever side has the row (equal where both have it).
            value = F.coalesce(value, F.col(f"r{column.merged_with}"))
        selected.append(value.cast(field.dataType).alias(field.name))
    return joined.select(*selected)


def union_frame(first: DataFrame, second: DataFrame, params: dict, schemas: tuple[pa.Schema, pa.Schema], out: pa.Schema) -> DataFrame:
    """`first`'s rows then `second`'s, by name or by position as the union module lines them
    up, each column cast to its type in `out` (the module's output schema in the plan)."""
    types = from_arrow_schema(out)
    by_position = params.get("by", "name") == "position"
    frames = []
    for frame, schema in zip((first, second), schemas):
        plain = frame.toDF(*[f"c{i}" for i in range(len(frame.columns))])
        columns = []
        for position, field in enumerate(types.fields):
            index = position if by_position else schema.get_field_index(field.name)
            value = F.col(f"c{index}") if 0 <= index < len(schema) else F.lit(None)
            columns.append(value.cast(field.dataType).alias(field.name))
        frames.append(plain.select(*columns))
    return frames[0].union(frames[1])
