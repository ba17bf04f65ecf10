"""What the runner prints and writes: result tables, the per-step summary, the output file, and
the step failure found in a failed Spark job's error."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.csv as pacsv

from .tasks import FAILURE_MARKER

_FAILURE = re.compile(re.escape(FAILURE_MARKER) + r' (step "[^"]*" failed: [^\n]*)')


def step_failure(error: BaseException) -> str | None:
    """`step "<id>" failed: <message>` from a failed job's error (the executor's exception is
    inside Spark's own message), or None if the job failed for another reason."""
    match = _FAILURE.search(str(error))
    return None if match is None else match.group(1).rstrip()


def print_result(step_id: str, table: pa.Table, rows: int) -> None:
    shown = table.slice(0, rows).to_pylist()
    print(f'Result of step "{step_id}" ({len(shown)} of {table.num_rows} rows):')
    names = table.column_names
    cells = [names] + [["" if r[n] is None else str(r[n]) for n in names] for r in shown]
    widths = [max(len(row[i]) for row in cells) for i in range(len(names))]
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    print()


def step_rows(runner, results: dict) -> dict[str, int | None]:
    """Rows out per step: module steps from their accumulators (the final phase's when split),
    results from the collected tables, sort from its input, limit from count and offset."""
    rows: dict[str, int | None] = {}
    for step in runner.plan.steps:
        report = runner.reports.get(step.id)
        metrics = report.metrics if report else {}
        if "final" in metrics:
            rows[step.id] = metrics["final"].rows.value
        elif "" in metrics:
            rows[step.id] = metrics[""].rows.value
        elif step.module_id == "sort":
            rows[step.id] = rows.get(step.input("in")[0])
        elif step.module_id == "limit" and rows.get(step.input("in")[0]) is not None:
            left = max(0, rows[step.input("in")[0]] - int(step.params.get("offset") or 0))
            rows[step.id] = min(left, int(step.params["count"]))
        else:
            rows[step.id] = None
    for (step_id, _), table in results.items():
        rows[step_id] = table.num_rows
    return rows


def summary(runner, results: dict, startup_ms: float, run_ms: float, report_path: str | None) -> str:
    """A table of steps (rows, invocations, ms inside the module, how it ran) and the totals."""
    rows = step_rows(runner, results)
    lines = [f"{'step':<12} {'module':<10} {'rows':>9} {'calls':>6} {'module ms':>10}  how"]
    report = {"startupMs": round(startup_ms), "runMs": round(run_ms), "steps": {}}
    for step in runner.plan.steps:
        r = runner.reports.get(step.id)
        phases = {
            name or "run": {
                "calls": m.calls.value,
                "rows": m.rows.value,
                "busyMs": round(m.busy_ms.value, 1),
                "instances": m.instances.value,
                "compiles": m.compiles.value,
                "processes": len(m.processes.value),
            }
            for name, m in (r.metrics.items() if r else [])
        }
        calls = sum(p["calls"] for p in phases.values())
        busy = sum(p["busyMs"] for p in phases.values())
        shown_rows = "" if rows[step.id] is None else rows[step.id]
        how = r.how if r else ""
        lines.append(f"{step.id:<12} {step.module_id:<10} {shown_rows:>9} {calls:>6} {busy:>10.0f}  {how}")
        report["steps"][step.id] = {"module": step.module_id, "rows": rows[step.id], "how": how, "phases": phases}
    for step_id, reason in runner.plan.skipped:
        lines.append(f"{step_id:<12} {'':<10} {'':>9} {'':>6} {'':>10}  {reason}")
        report["steps"][step_id] = {"skipped": reason}
    lines.append(f"\nSpark start {startup_ms:.0f} ms, run {run_ms:.0f} ms")
    if report_path:
        with open(report_path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1)
    return "\n".join(lines)


def write_output(table: pa.Table, path: str) -> int:
    """Writes `table` as CSV (.csv) or an Arrow IPC stream; returns the bytes written."""
    if path.lower().endswith(".csv"):
        pacsv.write_csv(table, path)
    else:
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
    with open(path, "rb") as handle:
        return len(handle.read())
